"""The whole configuration as one YAML file: the entry point for export, preview and import.

Used by `spielraum config export|import`, by `/admin/config` and by `SPIELRAUM_CONFIG_FILE`
at start, so the three behave alike. Export is `config_export`; reading and validating is
`config_validate` (every problem as `FILE:LINE: path: message`; a file with one problem
changes nothing); what would change is `config_diff`.

A valid file replaces the configuration in ONE transaction: the rows that differ, a
  `bump` of every area that changed, and one audit entry per area (`config.<area>.import`)
  with the entries' values before and after, never a secret, all committed together.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.admin import config_diff
from app.admin.change_log import without_secrets
from app.admin.config_diff import Plan
from app.admin.config_export import export_from, export_text, fingerprint  # noqa: F401 - one entry point
from app.admin.config_validate import MAX_FILE_BYTES, parse  # noqa: F401 - MAX_FILE_BYTES for callers
from app.storage import audit, config_store, config_versions
from app.storage.tables import User

# Which config_versions area an import area raises (groups decide who may use a model).
VERSION_AREAS = {"models": (config_versions.MODELS,), "guard": (config_versions.GUARD,),
                 "groups": (config_versions.USERS, config_versions.MODELS)}


@dataclass(frozen=True)
class Actor:
    """Who imports: a signed-in administrator, the command line, or the app's start-up."""

    name: str
    role: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: User) -> "Actor":
        return cls(user.username, user.role, user.id)


CLI = Actor("cli", "cli")
SYSTEM = Actor("system", "system")


# -- import --------------------------------------------------------------------------------
def preview(session: Session, text: str, source: str = "config.yaml") -> Plan:
    """Validate `text` against the database's state and say what importing it would change."""
    document = parse(text, config_store.known_group_names(session), source)
    return config_diff.plan(config_store.read_snapshot(session), document)


def apply(session: Session, plan: Plan, actor: Actor, target: str) -> list[str]:
    """Write the plan, bump and audit every changed area, and commit once. Returns the areas."""
    areas = plan.changed_areas()
    if not areas:
        return []
    wanted, current = plan.target, plan.current
    if "models" in areas or "groups" in areas:
        # Groups first: a model may refer to a new group.
        config_store.write_groups(session, current, wanted.groups, plan.keep_groups)
        config_store.write_models(session, current, wanted.models)
    if "guard" in areas:
        config_store.write_rules(session, current, wanted.rules)
        config_store.write_terms(session, current, wanted.terms)
    for version_area in sorted({v for area in areas for v in VERSION_AREAS[area]}):
        config_versions.bump(session, version_area)
    for area in areas:
        _stage_audit(session, actor, area, target, plan)
    session.commit()
    return areas


def import_text(session: Session, text: str, actor: Actor, source: str = "config.yaml",
                dry_run: bool = False) -> Plan:
    plan = preview(session, text, source)
    if not dry_run:
        apply(session, plan, actor, source.replace("\\", "/").rsplit("/", 1)[-1])
    return plan


def _stage_audit(session: Session, actor: Actor, area: str, target: str, plan: Plan) -> None:
    """Like `change_log.record_change` (same action, same masking), inside the import's one transaction."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for change in plan.in_area(area):
        if change.kind == "kept":
            continue
        if change.before is not None:
            before[change.audit_key] = change.before
        if change.after is not None:
            after[change.audit_key] = change.after
    detail = {"before": without_secrets(before), "after": without_secrets(after),
              "counts": plan.counts(area)}
    audit.append(session, action=f"config.{area}.import", actor_id=actor.user_id, actor=actor.name,
                 actor_role=actor.role, target=target, detail=detail, commit=False)


# -- words for the command line ------------------------------------------------------------
_MARKS = {"added": "+", "changed": "~", "removed": "-", "kept": "="}
_NOTES = {"stored_key_deleted": " (its API key stored in the database is deleted too)",
          "has_members": " (not in the file, kept: it has members)",
          "referenced": " (not in the file, kept: a model refers to it)"}


def describe(plan: Plan) -> list[str]:
    """The plan in lines of English, for the command line."""
    lines = []
    for area in config_diff.AREAS:
        counts = plan.counts(area)
        changes = plan.in_area(area)
        summary = ", ".join(f"{counts[kind]} {kind}" for kind in ("added", "changed", "removed") if counts[kind])
        lines.append(f"{area}: {summary or 'no changes'}")
        for change in changes:
            fields = f": {', '.join(change.fields)}" if change.fields else ""
            lines.append(f"  {_MARKS[change.kind]} {change.label}{fields}{_NOTES.get(change.note, '')}")
    return lines

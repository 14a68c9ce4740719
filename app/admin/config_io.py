"""The whole configuration as one YAML file: export, validate, preview and import.

Used by `spielraum config export|import`, by `/admin/config` and by `SPIELRAUM_CONFIG_FILE`
at start, so the three behave alike.

- Export is stable: the same configuration gives the same text (fixed key order, models in
  the catalogue's order, lists sorted), apart from the date in the comment header.
- Import validates everything first (syntax, shape, references) and reports every problem
  as `FILE:LINE: path: message`; a file with one problem changes nothing.
- A valid file replaces the configuration in ONE transaction: the rows that differ, a
  `bump` of every area that changed, and one audit entry per area (`config.<area>.import`)
  with the entries' values before and after, never a secret, all committed together.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session

from app.admin import config_diff
from app.admin.change_log import without_secrets
from app.admin.config_diff import Plan
from app.admin.config_schema import (DEFAULT_TERM_ENTITY, ConfigDocument, cross_check, secret_key_problems)
from app.admin.config_yaml import ConfigFileInvalid, LineMap, Problem, format_path, load
from app.storage import config_store, config_versions
from app.storage.config_store import DEFAULT_RULE, Snapshot
from app.storage.tables import AuditEntry, User

MAX_FILE_BYTES = 256 * 1024
# Which config_versions area an import area raises (groups decide who may use a model).
VERSION_AREAS = {"models": (config_versions.MODELS,), "guard": (config_versions.GUARD,),
                 "groups": (config_versions.USERS, config_versions.MODELS)}
MODEL_KEYS = ("id", "display_name", "description", "location", "litellm_model", "api_base", "api_key_env",
              "max_tokens", "temperature", "requests_per_day", "timeout_seconds", "roles", "groups", "enabled")


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


# -- reading and validating ----------------------------------------------------------------
def parse(text: str, known_groups: set[str], source: str = "config.yaml") -> ConfigDocument:
    """The validated document; raises ConfigFileInvalid listing every problem with its line."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ConfigFileInvalid([Problem(1, "", f"the file is larger than {MAX_FILE_BYTES // 1024} KB")], source)
    data, lines = load(text, source)
    if not isinstance(data, dict):
        raise ConfigFileInvalid([Problem(1, "", "the file must be a mapping that starts with `version: 1`")], source)
    hinted = secret_key_problems(data)
    try:
        document = ConfigDocument.model_validate(data)
    except ValidationError as exc:
        problems = _problems_from(exc, lines)
        hinted_paths = {path for path, _ in hinted}
        problems = [p for p in problems if p[0] not in hinted_paths] + hinted
        raise ConfigFileInvalid([_at(lines, path, message) for path, message in problems], source) from None
    problems = cross_check(document, known_groups)
    if problems:
        raise ConfigFileInvalid([_at(lines, path, message) for path, message in problems], source)
    return document


def _problems_from(exc: ValidationError, lines: LineMap) -> list[tuple[tuple, str]]:
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        path = tuple(part for part in error["loc"] if part != "[key]")  # a dict key's own check
        message = error["msg"].removeprefix("Value error, ")
        # "a valid dictionary or instance of GuardConfig": the class is ours, not the reader's.
        message = re.sub(r" or instance of \w+$", "", message).replace("a valid dictionary", "a mapping (key: value)")
        if error["type"] == "extra_forbidden":
            message = "unknown key (a typo?)"
        elif error["type"] == "missing":
            message = "required, but missing"
        problems.append((path, message))
    return problems


def _at(lines: LineMap, path: tuple, message: str) -> Problem:
    return Problem(lines.line_of(path), format_path(path), message)


# -- export --------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)  # list items indented under their key


class _Flow(list):
    """A short list written on one line: `roles: [employee, dpo]`."""


class _FlowMap(dict):
    """A small mapping written on one line: `IBAN_CODE: {action: block, threshold: null}`."""


def _represent_str(dumper: yaml.SafeDumper, data: str):
    # A description over several lines reads best as a block; PyYAML falls back to quotes
    # where a block cannot hold the text exactly (e.g. trailing spaces).
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))
_Dumper.add_representer(_FlowMap, lambda dumper, data: dumper.represent_mapping(
    "tag:yaml.org,2002:map", data, flow_style=True))


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=100)


def document_data(snapshot: Snapshot) -> dict[str, Any]:
    """The file's content as plain data, in the file's order."""
    models = list(snapshot.models.values())
    default = next((m["id"] for m in models if m["is_default"]), None) \
        or next((m["id"] for m in models if m["enabled"]), None)
    default_rule = snapshot.rules.get(DEFAULT_RULE)
    terms = {"deny": [], "allow": []}
    for (kind, pattern, is_regex), values in sorted(snapshot.terms.items(),
                                                    key=lambda item: (item[0][1].casefold(), item[0][1], item[0][2])):
        term: dict[str, Any] = {"pattern": pattern}
        if is_regex:
            term["regex"] = True
        if values["entity_type"] != DEFAULT_TERM_ENTITY:
            term["entity_type"] = values["entity_type"]
        if values["note"]:
            term["note"] = values["note"]
        terms.setdefault(kind, []).append(term)
    return {
        "version": 1,
        "default_model": default,
        "models": [{key: _Flow(m[key]) if key in ("roles", "groups") else m[key] for key in MODEL_KEYS}
                   for m in models],
        "guard": {
            "default_action": default_rule["action"] if default_rule else None,
            "score_threshold": default_rule["threshold"] if default_rule else None,
            "entities": {entity_type: _FlowMap(action=rule["action"], threshold=rule["threshold"])
                         for entity_type, rule in sorted(snapshot.rules.items()) if entity_type != DEFAULT_RULE},
            "deny": terms["deny"],
            "allow": terms["allow"],
        },
        "groups": [{"name": name, "description": values["description"]}
                   for name, values in sorted(snapshot.groups.items())],
    }


HEADER = """\
# Spielraum configuration (version 1), exported {date}.
#
# This file holds no secrets. API keys are never exported: a model names the environment
# variable with its key in `api_key_env`; a key entered in the browser stays encrypted in
# the database and is kept when a model with the same id is imported again.{stored}
#
# Import: `spielraum config import FILE` (add --dry-run to see what would change first),
# the page /admin/config, or SPIELRAUM_CONFIG_FILE at start (applied whenever the file changed).
# The file is the whole configuration: models, entity rules and terms that are not in it are
# removed on import. Groups not in it are removed only if nobody is a member and no model
# refers to them. `roles: []` and `groups: []` mean: no restriction.
# Actions: pseudonymize, mask, block, allow. Roles: employee, curator, dpo, admin.
"""


def export_text(snapshot: Snapshot, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    stored = ""
    if snapshot.stored_keys:
        names = ", ".join(sorted(snapshot.stored_keys))
        stored = f"\n# Models with a key stored in the database (not in this file): {names}."
    data = document_data(snapshot)
    parts = [HEADER.format(date=now.strftime("%Y-%m-%d %H:%M UTC"), stored=stored),
             _dump({"version": data["version"], "default_model": data["default_model"]})]
    parts.append("\n# Models in the order of the catalogue.\n")
    parts.append(_dump({"models": data["models"]}) if data["models"] else "models: []\n")
    parts.append("\n# The guard: the default for every kind of personal data, rules per entity type,\n"
                 "# terms always treated as confidential (deny) and never redacted (allow).\n")
    parts.append(_dump({"guard": data["guard"]}))
    parts.append("\n# Groups (departments) models can be restricted to; members are managed in /admin/users.\n")
    parts.append(_dump({"groups": data["groups"]}) if data["groups"] else "groups: []\n")
    return "".join(parts)


def export_from(session: Session, now: datetime | None = None) -> str:
    return export_text(config_store.read_snapshot(session), now)


def fingerprint(session: Session) -> str:
    """A short hash of the current configuration, to notice a change between preview and confirm."""
    import hashlib

    text = export_text(config_store.read_snapshot(session), datetime(2000, 1, 1, tzinfo=timezone.utc))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
    """Like `change_log.record_change` (same action, same masking), but without committing, so
    the entries are part of the import's one transaction."""
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
    session.add(AuditEntry(action=f"config.{area}.import"[:32], actor_id=actor.user_id, actor=actor.name[:64],
                           actor_role=actor.role[:16], target=target[:64],
                           detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)))


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

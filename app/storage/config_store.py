"""Reading and replacing the control room's configuration as a whole (for `config export|import`).

The configuration lives in the tables the control room's pages write (`ModelEntry`,
`GuardEntityRule`, `GuardTermEntry`, `Group`); this module reads all of them into one plain
`Snapshot` and writes a wanted snapshot back, touching only rows that differ, in the
caller's transaction (the caller bumps the config versions, audits and commits).

The snapshot speaks the file's language (a model's `id`, `roles` as a list) so the admin
layer can compare a file with the database field by field. Secrets are not part of it:
only *whether* a model has a stored key (`stored_keys`), which is never touched here except
when its model is removed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, delete, select

from app.storage.tables import AuditEntry, ConfigFileState, Group, GuardEntityRule, GuardTermEntry, ModelEntry, UserGroup, utcnow

DEFAULT_RULE = "*"
# ModelEntry columns that the file carries, by their name in the file.
MODEL_FIELDS: dict[str, str] = {
    "id": "model_id", "display_name": "display_name", "description": "description", "location": "location",
    "litellm_model": "litellm_model", "api_base": "api_base", "api_key_env": "api_key_env",
    "max_tokens": "max_tokens", "temperature": "temperature", "requests_per_day": "requests_per_day",
    "timeout_seconds": "timeout_seconds", "roles": "roles", "groups": "groups", "enabled": "enabled",
}
_JSON_FIELDS = ("roles", "groups")

TermKey = tuple[str, str, bool]  # (list kind, pattern, is_regex)


@dataclass
class Snapshot:
    # model id -> file fields plus `is_default` and `position` (its rank in the catalogue's order)
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    # entity type ("*" for the default) -> {"action", "threshold"}
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    terms: dict[TermKey, dict[str, Any]] = field(default_factory=dict)   # -> {"entity_type", "note"}
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)      # name -> {"description"}
    stored_keys: set[str] = field(default_factory=set)                   # model ids with an encrypted key
    groups_with_members: set[str] = field(default_factory=set)


def _json_list(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


def read_snapshot(session: Session) -> Snapshot:
    snapshot = Snapshot()
    rows = session.exec(select(ModelEntry).order_by(col(ModelEntry.position), col(ModelEntry.model_id))).all()
    for rank, row in enumerate(rows):
        values = {name: getattr(row, column) for name, column in MODEL_FIELDS.items()}
        for name in _JSON_FIELDS:
            values[name] = _json_list(values[name])
        values["is_default"] = bool(row.is_default)
        values["position"] = rank
        snapshot.models[row.model_id] = values
        if row.api_key_encrypted:
            snapshot.stored_keys.add(row.model_id)
    for rule in session.exec(select(GuardEntityRule).order_by(col(GuardEntityRule.entity_type))):
        snapshot.rules[rule.entity_type] = {"action": rule.action, "threshold": rule.threshold}
    for term in session.exec(select(GuardTermEntry).order_by(col(GuardTermEntry.id))):
        snapshot.terms[(term.list_kind, term.pattern, bool(term.is_regex))] = {
            "entity_type": term.entity_type, "note": term.note}
    for group in session.exec(select(Group).order_by(col(Group.name))):
        snapshot.groups[group.name] = {"description": group.description}
    members = select(Group.name).join(UserGroup, col(UserGroup.group_id) == col(Group.id)).distinct()
    snapshot.groups_with_members = set(session.exec(members).all())
    return snapshot


def known_group_names(session: Session) -> set[str]:
    return set(session.exec(select(Group.name)).all())


# -- writing -------------------------------------------------------------------------------
def write_models(session: Session, current: Snapshot, wanted: dict[str, dict[str, Any]]) -> None:
    """Make the models exactly `wanted`: update rows that differ, add new ones, delete the rest
    (with their stored keys). A kept model's stored key is never touched."""
    rows = {row.model_id: row for row in session.exec(select(ModelEntry))}
    for model_id, row in rows.items():
        if model_id not in wanted:
            session.delete(row)
    session.flush()  # a removed id may come back below under the unique constraint
    for model_id, values in wanted.items():
        if current.models.get(model_id) == values:
            continue
        row = rows.get(model_id) or ModelEntry(model_id=model_id, display_name="", litellm_model="")
        for name, column in MODEL_FIELDS.items():
            value = values[name]
            setattr(row, column, json.dumps(value, ensure_ascii=False) if name in _JSON_FIELDS else value)
        row.is_default = values["is_default"]
        row.position = values["position"]
        row.updated_at = utcnow()
        session.add(row)


def write_rules(session: Session, current: Snapshot, wanted: dict[str, dict[str, Any]]) -> None:
    rows = {row.entity_type: row for row in session.exec(select(GuardEntityRule))}
    for entity_type, row in rows.items():
        if entity_type not in wanted:
            session.delete(row)
    for entity_type, values in wanted.items():
        if current.rules.get(entity_type) == values:
            continue
        row = rows.get(entity_type) or GuardEntityRule(entity_type=entity_type, action=values["action"])
        row.action, row.threshold, row.updated_at = values["action"], values["threshold"], utcnow()
        session.add(row)


def write_terms(session: Session, current: Snapshot, wanted: dict[TermKey, dict[str, Any]]) -> None:
    rows = {(row.list_kind, row.pattern, bool(row.is_regex)): row for row in session.exec(select(GuardTermEntry))}
    for key, row in rows.items():
        if key not in wanted:
            session.delete(row)
    session.flush()
    for key, values in wanted.items():
        if current.terms.get(key) == values:
            continue
        kind, pattern, is_regex = key
        row = rows.get(key) or GuardTermEntry(list_kind=kind, pattern=pattern, is_regex=is_regex)
        row.entity_type, row.note = values["entity_type"], values["note"]
        session.add(row)


def write_groups(session: Session, current: Snapshot, wanted: dict[str, dict[str, Any]], keep: set[str]) -> None:
    """Groups become `wanted`; a group not wanted is deleted unless it is in `keep`."""
    rows = {row.name: row for row in session.exec(select(Group))}
    for name, row in rows.items():
        if name not in wanted and name not in keep:
            session.exec(delete(UserGroup).where(col(UserGroup.group_id) == row.id))
            session.delete(row)
    for name, values in wanted.items():
        if current.groups.get(name) == values:
            continue
        row = rows.get(name) or Group(name=name)
        row.description = values["description"]
        session.add(row)


# -- the file applied at start -------------------------------------------------------------
def applied_file_hash(session: Session, name: str) -> str | None:
    row = session.get(ConfigFileState, name)
    return row.sha256 if row else None


def remember_file_hash(session: Session, name: str, sha256: str) -> None:
    row = session.get(ConfigFileState, name) or ConfigFileState(name=name, sha256=sha256)
    row.sha256, row.applied_at = sha256, utcnow()
    session.add(row)


# -- the change log ------------------------------------------------------------------------
CHANGE_PREFIX = "config."


def config_changes(session: Session, *, area: str | None, page: int, per_page: int
                   ) -> tuple[list[AuditEntry], bool]:
    """Audit entries of the control room (`config.<area>.<verb>`), newest first."""
    prefix = f"{CHANGE_PREFIX}{area}." if area else CHANGE_PREFIX
    query = (select(AuditEntry).where(col(AuditEntry.action).startswith(prefix, autoescape=True))
             .order_by(col(AuditEntry.id).desc()).offset((page - 1) * per_page).limit(per_page + 1))
    rows = list(session.exec(query))
    return rows[:per_page], len(rows) > per_page


def change_areas(session: Session) -> list[str]:
    """The areas that have entries, for the filter (other parts of the control room add theirs)."""
    actions = session.exec(select(AuditEntry.action).where(
        col(AuditEntry.action).startswith(CHANGE_PREFIX)).distinct()).all()
    return sorted({action.split(".")[1] for action in actions if action.count(".") >= 2})

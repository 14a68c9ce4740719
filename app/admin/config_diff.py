"""What importing a configuration file would change, area by area, before anything is written.

The file is turned into the same `Snapshot` shape the database is read into, and the two are
compared entry by entry: added, changed (with the fields), removed, or kept although not in
the file (a group with members). The same plan drives the dry run, the browser's preview,
the write and the audit entries, so what was shown is what happens.

Decisions, also stated in the exported file's header:
- The file is the whole configuration: models, entity rules and terms that are not in it
  are removed. A removed model's stored API key goes with it.
- Groups are shared with the users page and single sign-on: a group not in the file is
  removed only when nobody is a member and no model in the file refers to it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from app.admin.config_schema import ConfigDocument
from app.storage.config_store import DEFAULT_RULE, Snapshot, TermKey

AREAS = ("models", "guard", "groups")
# Term patterns and notes may name people (an allow list of public officials): the audit log,
# which is never deleted, gets a fingerprint instead; the pages and the dry run show them.
TEXT_BEFORE = "(Text)"
TEXT_CHANGED = "(Text geändert)"


@dataclass(frozen=True)
class Change:
    area: str
    kind: str                      # added | changed | removed | kept
    label: str                     # what a person reads: a model id, "entity IBAN_CODE", "deny 'AZ-…'"
    audit_key: str                 # the key in the audit entry (terms: a fingerprint, not the pattern)
    fields: tuple[str, ...] = ()
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    note: str = ""                 # "stored_key_deleted" | "has_members" | "referenced"


@dataclass
class Plan:
    target: Snapshot
    current: Snapshot
    keep_groups: set[str] = field(default_factory=set)
    changes: list[Change] = field(default_factory=list)

    def in_area(self, area: str) -> list[Change]:
        return [change for change in self.changes if change.area == area]

    def changed_areas(self) -> list[str]:
        return [area for area in AREAS if any(c.kind != "kept" for c in self.in_area(area))]

    @property
    def is_empty(self) -> bool:
        return not self.changed_areas()

    def counts(self, area: str) -> dict[str, int]:
        counts = {"added": 0, "changed": 0, "removed": 0, "kept": 0}
        for change in self.in_area(area):
            counts[change.kind] += 1
        return counts


def target_snapshot(document: ConfigDocument) -> Snapshot:
    target = Snapshot()
    for rank, model in enumerate(document.models):
        values = model.model_dump()
        values.update(is_default=model.id == document.default_model, position=rank)
        target.models.setdefault(model.id, values)
    guard = document.guard
    # An empty action is the guard tables' "follow the default action" (threshold only).
    if guard.default_action is not None or guard.score_threshold is not None:
        target.rules[DEFAULT_RULE] = {"action": guard.default_action.value if guard.default_action else "",
                                      "threshold": guard.score_threshold}
    for entity_type, rule in guard.entities.items():
        target.rules[entity_type] = {"action": rule.action.value if rule.action else "", "threshold": rule.threshold}
    for kind in ("deny", "allow"):
        for term in getattr(guard, kind):
            target.terms[(kind, term.pattern, term.regex)] = {"entity_type": term.entity_type, "note": term.note}
    for group in document.groups:
        target.groups[group.name] = {"description": group.description}
    return target


def plan(current: Snapshot, document: ConfigDocument) -> Plan:
    target = target_snapshot(document)
    result = Plan(target=target, current=current)
    result.changes += [_with_stored_key(change) if change.kind == "removed" and change.audit_key in current.stored_keys
                       else change for change in _keyed("models", current.models, target.models, str, str)]
    result.changes += _keyed("guard", current.rules, target.rules, _rule_label, _rule_label)
    result.changes += _terms(current.terms, target.terms)
    referenced = {name for model in target.models.values() for name in model["groups"]}
    result.keep_groups = {name for name in current.groups if name not in target.groups
                          and (name in current.groups_with_members or name in referenced)}
    for change in _keyed("groups", current.groups, target.groups, str, str):
        if change.kind == "removed" and change.audit_key in result.keep_groups:
            reason = "has_members" if change.audit_key in current.groups_with_members else "referenced"
            change = Change("groups", "kept", change.label, change.audit_key, note=reason)
        result.changes.append(change)
    return result


def _with_stored_key(change: Change) -> Change:
    """A removed model whose key was stored: its key goes too (said, never shown)."""
    return Change(change.area, change.kind, change.label, change.audit_key, change.fields,
                  {**(change.before or {}), "api_key_stored": True}, change.after, "stored_key_deleted")


def _rule_label(entity_type: str) -> str:
    return "default" if entity_type == DEFAULT_RULE else entity_type


def _keyed(area: str, before: dict, after: dict, label, audit_key) -> list[Change]:
    changes = []
    for key, values in after.items():
        old = before.get(key)
        if old is None:
            changes.append(Change(area, "added", label(key), audit_key(key), after=values))
        elif old != values:
            fields = tuple(name for name in values if old.get(name) != values[name])
            changes.append(Change(area, "changed", label(key), audit_key(key), fields,
                                  {name: old.get(name) for name in fields}, {name: values[name] for name in fields}))
    for key, values in before.items():
        if key not in after:
            changes.append(Change(area, "removed", label(key), audit_key(key), before=values))
    return changes


def term_fingerprint(key: TermKey) -> str:
    kind, pattern, is_regex = key
    digest = hashlib.sha256(f"{kind}\0{int(is_regex)}\0{pattern}".encode()).hexdigest()[:12]
    return f"{kind}:{digest}"


def term_label(key: TermKey) -> str:
    kind, pattern, is_regex = key
    return f"{kind} {pattern!r}" + (" (regex)" if is_regex else "")


def _term_audit(key: TermKey, values: dict[str, Any]) -> dict[str, Any]:
    kind, _pattern, is_regex = key
    return {"list": kind, "regex": is_regex, "entity_type": values["entity_type"]}


def _terms(before: dict[TermKey, dict], after: dict[TermKey, dict]) -> list[Change]:
    changes = []
    for key, values in after.items():
        old = before.get(key)
        if old is None:
            changes.append(Change("guard", "added", term_label(key), term_fingerprint(key), after=_term_audit(key, values)))
        elif old != values:
            fields = tuple(name for name in values if old.get(name) != values[name])
            changes.append(Change("guard", "changed", term_label(key), term_fingerprint(key), fields,
                                  {name: TEXT_BEFORE if name == "note" else old[name] for name in fields},
                                  {name: TEXT_CHANGED if name == "note" else values[name] for name in fields}))
    for key, values in before.items():
        if key not in after:
            changes.append(Change("guard", "removed", term_label(key), term_fingerprint(key),
                                  before=_term_audit(key, values)))
    return changes

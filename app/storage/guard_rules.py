"""The guard policy IT keeps in the database: one rule per entity type, the deny and allow lists.

`GuardEntityRule` rows override the policy from settings / the policy file: the row "*"
its default action and threshold, every other row one type's action and (optional) threshold.
An empty `action` means "the default action" (a row that only sets a threshold).
`GuardTermEntry` rows add to the file's deny and allow lists. Without any row the file /
settings policy applies unchanged. Writers here never commit: the caller bumps the `guard`
version and records the change in the same transaction (see app/admin/change_log.py).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session, select

from app.storage.tables import GuardEntityRule, GuardTermEntry, utcnow
from guardrails import DENY_LIST, Action, AllowTerm, GuardPolicy, Term

DEFAULT_RULE = "*"
DENY = "deny"
ALLOW = "allow"


@dataclass(frozen=True)
class StoredGuardConfig:
    rules: dict[str, tuple[str, float | None]]       # entity type -> (action, threshold or None)
    terms: list[GuardTermEntry]

    @property
    def empty(self) -> bool:
        return not self.rules and not self.terms


def load(session: Session) -> StoredGuardConfig:
    rules = {r.entity_type: (r.action, r.threshold) for r in session.exec(select(GuardEntityRule))}
    terms = list(session.exec(select(GuardTermEntry).order_by(GuardTermEntry.list_kind, GuardTermEntry.id)))
    return StoredGuardConfig(rules, terms)


def effective_policy(base: GuardPolicy, stored: StoredGuardConfig) -> GuardPolicy:
    """The file / settings policy with the database's rules and terms laid over it."""
    if stored.empty:
        return base
    default_action, default_threshold = base.default_action, base.score_threshold
    if DEFAULT_RULE in stored.rules:
        action, threshold = stored.rules[DEFAULT_RULE]
        default_action = Action(action) if action else default_action
        default_threshold = threshold if threshold is not None else default_threshold
    actions, thresholds = dict(base.actions), dict(base.thresholds)
    for kind, (action, threshold) in stored.rules.items():
        if kind == DEFAULT_RULE:
            continue
        if action:
            actions[kind] = Action(action)
        if threshold is not None:
            thresholds[kind] = threshold
    deny = tuple(Term(t.pattern, t.entity_type, is_regex=t.is_regex, source=DENY_LIST)
                 for t in stored.terms if t.list_kind == DENY)
    allow = tuple(AllowTerm(t.pattern, is_regex=t.is_regex) for t in stored.terms if t.list_kind == ALLOW)
    return replace(base, default_action=default_action, score_threshold=default_threshold, actions=actions,
                   thresholds=thresholds, deny_terms=base.deny_terms + deny, allow_terms=base.allow_terms + allow)


def rule_snapshot(session: Session) -> dict[str, dict]:
    return {r.entity_type: {"action": r.action, "threshold": r.threshold}
            for r in session.exec(select(GuardEntityRule).order_by(GuardEntityRule.entity_type))}


def set_rule(session: Session, entity_type: str, action: str | None, threshold: float | None) -> None:
    """Store one type's rule; no action and no threshold removes the row (back to the default)."""
    row = session.get(GuardEntityRule, entity_type)
    if action is None and threshold is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = GuardEntityRule(entity_type=entity_type, action=action or "")
    row.action = action or ""
    row.threshold = threshold
    row.updated_at = utcnow()
    session.add(row)


def term_snapshot(term: GuardTermEntry) -> dict:
    return {"list": term.list_kind, "pattern": term.pattern, "regex": term.is_regex,
            "entity_type": term.entity_type if term.list_kind == DENY else None, "note": term.note}


def find_term(session: Session, list_kind: str, pattern: str, is_regex: bool) -> GuardTermEntry | None:
    return session.exec(select(GuardTermEntry).where(
        GuardTermEntry.list_kind == list_kind, GuardTermEntry.pattern == pattern,
        GuardTermEntry.is_regex == is_regex)).first()


def add_term(session: Session, list_kind: str, pattern: str, is_regex: bool, entity_type: str,
             note: str) -> GuardTermEntry:
    term = GuardTermEntry(list_kind=list_kind, pattern=pattern, is_regex=is_regex,
                          entity_type=entity_type if list_kind == DENY else "CONFIDENTIAL", note=note)
    session.add(term)
    return term

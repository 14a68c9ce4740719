"""The rules behind /admin/guard: which types can be set, validating and applying changes.

Every change bumps the `guard` configuration version (so every worker's `PolicyCache`
rebuilds on its next request) and is written to the audit log with before and after, in
one transaction. The test console scans with the effective guard and returns everything
in memory: nothing is stored, sent or logged.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from app.admin.change_log import record_change
from app.chat.guarding import scan_messages
from app.storage import config_versions, guard_rules
from app.storage.tables import GuardTermEntry, User
from guardrails import Action, Guard, GuardPolicy, Term, Vault, regex_problem
from guardrails.regex_safety import MAX_PATTERN_CHARS

AREA = "guard"
ACTIONS = tuple(a.value for a in Action)
# Types a deny term or a person's mark can produce, next to what the recognizers produce.
TERM_TYPES = ("FILE_NUMBER", "CONFIDENTIAL", "PERSON")
DEFAULT_KEY = "_default"   # the form's name for the "*" row ("*" is no good in ids)


def entity_types(guard: Guard, policy: GuardPolicy) -> list[str]:
    """Every type the guard can produce: recognizers, table rows, deny terms, configured rules."""
    kinds = set(guard.capabilities()["entity_types"]) | set(TERM_TYPES)
    kinds |= {t.entity_type for t in policy.deny_terms} | set(policy.actions) | set(policy.thresholds)
    return sorted(kinds)


def field_key(entity_type: str) -> str:
    return DEFAULT_KEY if entity_type == guard_rules.DEFAULT_RULE else entity_type


@dataclass
class RuleRow:
    entity_type: str          # "*" for the default row
    action: str               # the stored action ("" = default / none stored)
    threshold: str            # as typed or stored ("" = default)
    effective_action: str
    effective_threshold: float
    key: str = ""

    def __post_init__(self) -> None:
        self.key = field_key(self.entity_type)


def rule_rows(session: Session, guard: Guard) -> list[RuleRow]:
    policy = guard.policy
    stored = guard_rules.load(session).rules
    rows = []
    default_action, default_threshold = stored.get(guard_rules.DEFAULT_RULE, ("", None))
    rows.append(RuleRow("*", default_action or policy.default_action.value, _shown(default_threshold),
                        policy.default_action.value, policy.score_threshold))
    for kind in entity_types(guard, policy):
        action, threshold = stored.get(kind, ("", None))
        rows.append(RuleRow(kind, action, _shown(threshold), policy.action_for(kind).value,
                            policy.threshold_for(kind)))
    return rows


def _shown(threshold: float | None) -> str:
    return "" if threshold is None else f"{threshold:g}"


def parse_threshold(raw: str) -> float | None:
    """'' -> None; '0,7' or '0.7' -> 0.7; ValueError outside 0..1 or not a number."""
    raw = raw.strip().replace(",", ".")
    if not raw:
        return None
    value = float(raw)
    if not 0.0 <= value <= 1.0 or value != value:
        raise ValueError("threshold outside 0..1")
    return value


@dataclass
class RulesForm:
    values: dict[str, tuple[str, str]]               # field key -> (action, threshold) as submitted
    errors: dict[str, str] = field(default_factory=dict)   # field id -> i18n key
    changed: bool = False


def save_rules(session: Session, actor: User, guard: Guard, file_policy: GuardPolicy,
               submitted: dict[str, tuple[str, str]]) -> RulesForm:
    """Validate the whole table, then store what changed (bump + audit); nothing on any error."""
    form = RulesForm(submitted)
    kinds = ["*", *entity_types(guard, guard.policy)]
    wanted: dict[str, tuple[str | None, float | None]] = {}
    for kind in kinds:
        key = field_key(kind)
        action, threshold = submitted.get(key, ("", ""))
        if action and action not in ACTIONS or (kind == "*" and not action):
            form.errors[f"action-{key}"] = "admin_guard_error_action"
        try:
            value = parse_threshold(threshold)
        except ValueError:
            form.errors[f"threshold-{key}"] = "admin_guard_error_threshold"
            value = None
        wanted[kind] = (action or None, value)
    if form.errors:
        return form
    before = guard_rules.rule_snapshot(session)
    for kind, (action, value) in wanted.items():
        if (kind == "*" and kind not in before and action == file_policy.default_action.value and value is None):
            continue   # the default row as settings / the policy file have it: nothing to store
        guard_rules.set_rule(session, kind, action, value)
    session.flush()
    after = guard_rules.rule_snapshot(session)
    if after == before:
        session.rollback()
        return form
    config_versions.bump(session, AREA)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    record_change(session, actor, area=AREA, verb="rules", target="guard_policy",
                  before={k: before.get(k) for k in changed}, after={k: after.get(k) for k in changed})
    form.changed = True
    return form


@dataclass
class TermForm:
    list_kind: str
    pattern: str = ""
    is_regex: bool = False
    entity_type: str = "CONFIDENTIAL"
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def add_term(session: Session, actor: User, guard: Guard, form: TermForm) -> TermForm:
    """Validate one deny or allow entry (a regular expression also for speed), store, bump, audit."""
    pattern = form.pattern.strip()
    if form.is_regex:
        problem = regex_problem(pattern)
        if problem:
            form.errors["pattern"] = f"admin_guard_error_pattern_{problem}"
    elif not pattern:
        form.errors["pattern"] = "admin_guard_error_pattern_empty"
    elif len(pattern) > MAX_PATTERN_CHARS:
        form.errors["pattern"] = "admin_guard_error_pattern_too_long"
    elif Term(pattern, "CONFIDENTIAL").compiled() is None:
        form.errors["pattern"] = "admin_guard_error_pattern_unusable"
    if form.list_kind == guard_rules.DENY and form.entity_type not in entity_types(guard, guard.policy):
        form.errors["entity_type"] = "admin_guard_error_entity_type"
    if not form.errors and guard_rules.find_term(session, form.list_kind, pattern, form.is_regex):
        form.errors["pattern"] = "admin_guard_error_pattern_duplicate"
    if form.errors:
        return form
    term = guard_rules.add_term(session, form.list_kind, pattern, form.is_regex, form.entity_type, form.note.strip())
    session.flush()
    config_versions.bump(session, AREA)
    record_change(session, actor, area=AREA, verb=f"{form.list_kind}_add", target=f"guard_term:{term.id}",
                  before=None, after=guard_rules.term_snapshot(term))
    return form


def remove_term(session: Session, actor: User, term_id: int) -> bool:
    term = session.get(GuardTermEntry, term_id)
    if term is None:
        return False
    before = guard_rules.term_snapshot(term)
    session.delete(term)
    config_versions.bump(session, AREA)
    record_change(session, actor, area=AREA, verb=f"{term.list_kind}_remove", target=f"guard_term:{term_id}",
                  before=before, after=None)
    return True


@dataclass
class TestFinding:
    entity_type: str
    value: str
    score: float
    recognizer: str
    action: str
    placeholder: str | None


@dataclass
class TestResult:
    sent_text: str
    blocked: list[str]
    findings: list[TestFinding]
    elapsed_ms: float


def test_text(guard: Guard, text: str) -> TestResult:
    """What the chat would send for this text under the current policy; kept in memory only."""
    # scan_messages: a failing guard becomes GuardFailed, an error page that never quotes the text.
    [result] = scan_messages(guard, [text], Vault())
    findings = [TestFinding(f.entity_type, text[f.start:f.end], f.score, f.recognizer, f.action, f.placeholder)
                for f in result.findings]
    return TestResult(result.text, result.blocked_entity_types, findings, result.elapsed_ms)

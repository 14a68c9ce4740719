"""What the guard does with each kind of personal data it finds.

IT sets one action per entity type (pseudonymise by default) and a score threshold below
which a candidate is not acted on; a type's own threshold overrides the default one.
`block` stops the whole prompt; `mask` hides the value for good (it is not restored in the
answer); `allow` lets it through unchanged.

The organisation's own terms belong to the policy too: `deny_terms` are always personal or
confidential (found with the recognizer name `deny_list`), `allow_terms` are never redacted
(see `allow_list` for the exact rule). A policy is immutable, so one request's policy can be
handed to the guard without touching what other threads use.

Secrets (API keys, tokens, passwords, private keys: entity type SECRET) are masked unless IT
sets an action for them: a credential must never come back in an answer. A policy that
blocks by default blocks them too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from guardrails.allow_list import AllowTerm
from guardrails.regex_safety import regex_problem
from guardrails.term_lists import DENY_LIST, Term


# Entity types whose action differs from the default unless configured explicitly.
SECRET = "SECRET"
BUILT_IN_ACTIONS: dict[str, "Action"] = {}


class Action(str, Enum):
    PSEUDONYMIZE = "pseudonymize"
    MASK = "mask"
    BLOCK = "block"
    ALLOW = "allow"


BUILT_IN_ACTIONS[SECRET] = Action.MASK


@dataclass(frozen=True)
class GuardPolicy:
    default_action: Action = Action.PSEUDONYMIZE
    actions: dict[str, Action] = field(default_factory=dict)
    score_threshold: float = 0.4
    timeout_seconds: float = 10.0
    thresholds: dict[str, float] = field(default_factory=dict)
    deny_terms: tuple[Term, ...] = ()
    allow_terms: tuple[AllowTerm, ...] = ()

    def action_for(self, entity_type: str) -> Action:
        configured = self.actions.get(entity_type)
        if configured is not None:
            return configured
        built_in = BUILT_IN_ACTIONS.get(entity_type)
        if built_in is not None and self.default_action is not Action.BLOCK:
            return built_in
        return self.default_action

    def threshold_for(self, entity_type: str) -> float:
        return self.thresholds.get(entity_type, self.score_threshold)

    @property
    def lowest_threshold(self) -> float:
        """What the recognizers are asked for; each type's own threshold is applied after."""
        return min([self.score_threshold, *self.thresholds.values()])

    @classmethod
    def from_mapping(cls, data: dict) -> "GuardPolicy":
        """Build from plain configuration (YAML / environment), rejecting unknown actions loudly.

        `deny` and `allow` are lists of {pattern, regex?, entity_type?} (or plain strings)."""
        actions = {str(k).upper(): Action(str(v).lower()) for k, v in (data.get("actions") or {}).items()}
        thresholds = {str(k).upper(): _threshold(v) for k, v in (data.get("thresholds") or {}).items()}
        return cls(
            default_action=Action(str(data.get("default_action", Action.PSEUDONYMIZE.value)).lower()),
            actions=actions,
            score_threshold=_threshold(data.get("score_threshold", cls.score_threshold)),
            timeout_seconds=float(data.get("timeout_seconds", cls.timeout_seconds)),
            thresholds=thresholds,
            deny_terms=tuple(_deny_term(item) for item in data.get("deny") or ()),
            allow_terms=tuple(_allow_term(item) for item in data.get("allow") or ()),
        )

    def to_mapping(self) -> dict:
        """The plain form `from_mapping` reads (for display, export and the audit log)."""
        return {
            "default_action": self.default_action.value,
            "score_threshold": self.score_threshold,
            "timeout_seconds": self.timeout_seconds,
            "actions": {kind: action.value for kind, action in sorted(self.actions.items())},
            "thresholds": dict(sorted(self.thresholds.items())),
            "deny": [{"pattern": t.text, "regex": t.is_regex, "entity_type": t.entity_type} for t in self.deny_terms],
            "allow": [{"pattern": t.text, "regex": t.is_regex} for t in self.allow_terms],
        }


def _threshold(value) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"score threshold {number} is outside 0..1")
    return number


def _deny_term(item) -> Term:
    if isinstance(item, str):
        return Term(item, "CONFIDENTIAL", source=DENY_LIST)
    term = Term(str(item["pattern"]), str(item.get("entity_type") or "CONFIDENTIAL").upper(),
                is_regex=bool(item.get("regex", False)), source=DENY_LIST)
    _check_regex(term.text, term.is_regex)
    return term


def _allow_term(item) -> AllowTerm:
    if isinstance(item, str):
        return AllowTerm(item)
    term = AllowTerm(str(item["pattern"]), is_regex=bool(item.get("regex", False)))
    _check_regex(term.text, term.is_regex)
    return term


def _check_regex(pattern: str, is_regex: bool) -> None:
    """A policy file with a broken or dangerous expression must stop the start, not be ignored.
    (The time probe is left to the control room: starting must stay quick.)"""
    problem = regex_problem(pattern, probe=False) if is_regex else None
    if problem:
        raise ValueError(f"regular expression {pattern[:60]!r} refused: {problem}")

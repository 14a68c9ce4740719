"""Spielraum's guard: German-first personal-data detection, pseudonymisation and restoring.

Public API for the rest of the application; nothing here imports `app` or `providers`.
"""
from guardrails.allow_list import AllowTerm
from guardrails.engine import EngineConfig, build_engine
from guardrails.findings import Finding
from guardrails.guard import AppliedFinding, Guard, GuardUnavailable, Occurrence, ScanResult
from guardrails.policy import Action, GuardPolicy
from guardrails.regex_safety import MAX_PATTERN_CHARS, regex_problem
from guardrails.normalize import NormalizedText, normalize
from guardrails.restore import RestoreResult, StreamRestorer, escape_placeholders, restore_answer, restore_text
from guardrails.term_lists import DENY_LIST, PERSON_MARK, Term
from guardrails.vault import PLACEHOLDER_RE, Vault


def build_guard(policy: GuardPolicy | None = None, config: EngineConfig | None = None) -> Guard:
    return Guard(build_engine(config), policy)


__all__ = [
    "Action", "AllowTerm", "AppliedFinding", "MAX_PATTERN_CHARS", "regex_problem", "DENY_LIST", "PERSON_MARK", "Term", "EngineConfig", "Finding", "Guard", "GuardPolicy",
    "GuardUnavailable", "NormalizedText", "Occurrence", "PLACEHOLDER_RE", "RestoreResult", "ScanResult",
    "StreamRestorer", "Vault", "build_engine", "build_guard", "escape_placeholders", "normalize",
    "restore_answer", "restore_text",
]

"""A regular expression on a deny or allow list must not be able to stall the guard."""
from __future__ import annotations

import pytest

from guardrails import regex_problem
from guardrails import regex_safety as rs


@pytest.mark.parametrize("pattern,problem", [
    (r"AZ-\d{4}/\d{2}", None),
    (r"(?:\d{4}-)+\d{2}", None),
    (r"[A-Z]{2}-\d+", None),
    (r"Projekt (?:Blauer|Roter) Falke", None),
    ("", rs.EMPTY),
    ("x" * (rs.MAX_PATTERN_CHARS + 1), rs.TOO_LONG),
    ("(", rs.INVALID),
    (r"[a-", rs.INVALID),
    (r"(a)\1", rs.BACKREFERENCE),
    (r"(a+)+b", rs.NESTED_REPETITION),
    (r"(\w*\s?)*$", rs.NESTED_REPETITION),
    (r"(a|ab)*c", rs.NESTED_REPETITION),
    (r"(?:x+y?){2,}", rs.NESTED_REPETITION),
    (r"\d+\d+\d+x", rs.TOO_SLOW),         # polynomial: passes the structure check, fails the clock
])
def test_regex_problems(pattern, problem):
    assert regex_problem(pattern) == problem

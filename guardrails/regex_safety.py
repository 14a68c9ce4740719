"""May an organisation's regular expression run on every prompt?

A deny or allow term that is a regular expression runs inside the guard on every text. One
with catastrophic backtracking would make every scan hit the guard's time budget, and the
guard fails closed: nobody could send anything. So a regular expression is checked before
it is stored, in three steps:

1. length: at most `MAX_PATTERN_CHARS` characters;
2. it must compile, and must not use back-references (their matching is exponential);
3. structure: a repetition that may run any number of times (`+`, `*`, `{2,}`) must not hold
   another variable repetition or an alternation, the shapes behind `(a+)+`, `(\\w*\\s?)*`
   and `(a|ab)*` — write `[ab]+` instead;
4. a time budget: it is run in a separate process (Python's `re` cannot be interrupted)
   on long adversarial inputs and refused if that takes longer than `PROBE_SECONDS`;
   this catches the polynomial cases the structure check lets through (`\\d+\\d+x`).

Problems are returned as codes, so the caller can word them in the person's language.
"""
from __future__ import annotations

import re
import subprocess
import sys

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

MAX_PATTERN_CHARS = 200
PROBE_SECONDS = 1.0
_PROBE_LENGTH = 5000
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())

TOO_LONG = "too_long"
INVALID = "invalid"
BACKREFERENCE = "backreference"
NESTED_REPETITION = "nested_repetition"
TOO_SLOW = "too_slow"
EMPTY = "empty"


def regex_problem(pattern: str, *, probe: bool = True) -> str | None:
    """None if the pattern may be used; otherwise one of the codes above."""
    if not pattern.strip():
        return EMPTY
    if len(pattern) > MAX_PATTERN_CHARS:
        return TOO_LONG
    try:
        re.compile(pattern, re.IGNORECASE)
        parsed = _p.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return INVALID
    problem = _structure_problem(list(parsed), inside_variable_repeat=False)
    if problem is None and probe and not _fast_enough(pattern):
        problem = TOO_SLOW
    return problem


def _structure_problem(tokens, inside_variable_repeat: bool) -> str | None:
    for op, av in tokens:
        if op is _c.GROUPREF or op is _c.GROUPREF_EXISTS:
            return BACKREFERENCE
        if op in _REPEATS:
            low, high, body = av
            variable = high != low
            if inside_variable_repeat and variable:
                return NESTED_REPETITION
            problem = _structure_problem(list(body), inside_variable_repeat or (variable and high > 1))
        elif op is _c.BRANCH:
            if inside_variable_repeat:
                return NESTED_REPETITION
            problem = next((p for branch in av[1] if (p := _structure_problem(list(branch), False))), None)
        elif op is _c.SUBPATTERN:
            problem = _structure_problem(list(av[-1]), inside_variable_repeat)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            problem = _structure_problem(list(av[1]), inside_variable_repeat)
        elif hasattr(_c, "ATOMIC_GROUP") and op is _c.ATOMIC_GROUP:
            problem = _structure_problem(list(av), inside_variable_repeat)
        else:
            problem = None
        if problem:
            return problem
    return None


# Runs in a child process: the pattern on stdin, exit code 0 when every probe finished.
_PROBE_SCRIPT = r"""
import re, sys
pattern = re.compile(sys.stdin.read(), re.IGNORECASE)
n = int(sys.argv[1])
alphabet = "aA1 -./_:Zz9äß\n"
probes = [c * n + "!" for c in alphabet] + [(a + b) * (n // 2) + "!" for a in alphabet for b in "a1 -."]
for text in probes:
    for _ in pattern.finditer(text):
        pass
"""


def _fast_enough(pattern: str) -> bool:
    try:
        done = subprocess.run([sys.executable, "-I", "-S", "-c", _PROBE_SCRIPT, str(_PROBE_LENGTH)],
                              input=pattern, text=True, capture_output=True, timeout=PROBE_SECONDS + 1.0)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0

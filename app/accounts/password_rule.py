"""The password rule: long enough, not common, not the user name, not a trivial pattern.

Length does most of the work (at least 12 characters, as BSI and NIST recommend for
passwords without a second factor). The rest catches what people pick when forced to be
long: a common word padded with digits (`Passwort2024!`), the user name, one character
repeated, a run (`123456789012`, `abcdefghijkl`) or a short block repeated (`abcabcabcabc`).

A common password is found by its *core*: case folded, leetspeak undone, digits and symbols
around it stripped, then looked up in `data/common_passwords.txt` (built by
`tools/build_common_passwords.py`, which documents the source). Messages come in German
and English; the password itself never appears in a message, a log line or an exception.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_FILE = Path(__file__).resolve().parent / "data" / "common_passwords.txt"

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
                       "!": "i", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_KEYBOARD_ROWS = ("1234567890", "1234567890ß", "qwertzuiopü", "asdfghjklöä", "yxcvbnm", "qwertyuiop", "zxcvbnm",
                  "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class PasswordProblem:
    code: str
    message_de: str
    message_en: str


TOO_SHORT = PasswordProblem(
    "too_short", f"Das Passwort muss mindestens {MIN_LENGTH} Zeichen lang sein.",
    f"The password must be at least {MIN_LENGTH} characters long.")
TOO_LONG = PasswordProblem(
    "too_long", f"Das Passwort darf höchstens {MAX_LENGTH} Zeichen lang sein.",
    f"The password must not be longer than {MAX_LENGTH} characters.")
COMMON = PasswordProblem(
    "common", "Das Passwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes, "
              "zum Beispiel einen Satz aus mehreren Wörtern.",
    "The password is too common and easy to guess. Please choose another one, for example a "
    "sentence of several words.")
CONTAINS_USERNAME = PasswordProblem(
    "contains_username", "Das Passwort darf den Benutzernamen nicht enthalten.",
    "The password must not contain the user name.")
TRIVIAL_PATTERN = PasswordProblem(
    "trivial_pattern", "Das Passwort besteht nur aus einem wiederholten Zeichen, einer Zeichenfolge "
                       "oder einem wiederholten Muster. Bitte wählen Sie ein anderes.",
    "The password is only a repeated character, a simple sequence or a repeated pattern. "
    "Please choose another one.")


class WeakPassword(ValueError):
    """The password breaks the rule; `problems` say why (never the password itself)."""

    def __init__(self, problems: list[PasswordProblem]) -> None:
        self.problems = problems
        super().__init__(" ".join(problem.message_en for problem in problems))

    @property
    def message_de(self) -> str:
        return " ".join(problem.message_de for problem in self.problems)

    @property
    def message_en(self) -> str:
        return " ".join(problem.message_en for problem in self.problems)


def normalise(text: str) -> str:
    """Case folded and leetspeak undone: `P@ssw0rt` -> `passwort`."""
    return text.casefold().translate(_LEET)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    return frozenset(line.strip() for line in COMMON_FILE.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


def password_problems(password: str, username: str = "") -> list[PasswordProblem]:
    """Everything wrong with the password; an empty list means it is acceptable."""
    problems: list[PasswordProblem] = []
    if len(password) < MIN_LENGTH:
        problems.append(TOO_SHORT)
    if len(password) > MAX_LENGTH:
        problems.append(TOO_LONG)
    name = username.strip().casefold()
    if len(name) >= 3 and (name in password.casefold() or normalise(name) in normalise(password)):
        problems.append(CONTAINS_USERNAME)
    if _is_trivial(password.casefold()):
        problems.append(TRIVIAL_PATTERN)
    elif _is_common(password):
        problems.append(COMMON)
    return problems


def check_password(password: str, username: str = "") -> None:
    """Raise `WeakPassword` unless the password satisfies the rule."""
    problems = password_problems(password, username)
    if problems:
        raise WeakPassword(problems)


def _is_common(password: str) -> bool:
    common = common_passwords()
    folded = password.casefold()
    whole = normalise(folded)
    # The core: the letters between leading and trailing digits and symbols ("Passwort2024!").
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", folded)
    core_normalised = normalise(core)
    candidates = {whole, core_normalised, re.sub(r"[\W_]+", "", core_normalised)}
    for candidate in candidates:
        if not candidate:
            continue
        if candidate in common or _repeats_one_of(candidate, common):
            return True
    return not core  # nothing but digits and symbols around nothing: a PIN, a date


def _repeats_one_of(candidate: str, common: frozenset[str]) -> bool:
    """`passwortpasswort`, `hallohallohallo`: a common word said again."""
    for size in range(3, len(candidate) // 2 + 1):
        if len(candidate) % size == 0 and candidate[:size] * (len(candidate) // size) == candidate:
            return candidate[:size] in common
    return False


def _is_trivial(text: str) -> bool:
    if len(set(text)) <= 1:
        return True
    # A short block repeated: "abcabcabcabc", "121212121212".
    for size in range(2, 5):
        if len(text) >= 2 * size and (text[:size] * (len(text) // size + 1))[:len(text)] == text:
            return True
    return _is_run(text)


def _is_run(text: str) -> bool:
    """Every character follows the previous one by +1 or -1, in the alphabet, the digits
    (9 wraps to 0) or along a keyboard row."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:])}
    if steps in ({1}, {-1}):
        return True
    for row in _KEYBOARD_ROWS:
        ring = row * (len(text) // len(row) + 2)
        if text in ring or text in ring[::-1]:
            return True
    return False


def generate_password(username: str = "") -> str:
    """A random password that satisfies the rule (16 URL-safe characters, about 96 bits)."""
    import secrets

    while True:
        password = secrets.token_urlsafe(12)
        if not password_problems(password, username):
            return password

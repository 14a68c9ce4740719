"""SECRET: API keys, access tokens, passwords and private keys pasted into a prompt.

A credential is as personal as it gets: whoever reads it can act as its owner. Only shapes
that are unambiguous are reported (high precision): vendor prefixes with their fixed
alphabets and lengths (OpenAI `sk-…`, GitHub `ghp_…`/`github_pat_…`, AWS `AKIA…`, Slack
`xox…`, Google `AIza…`), JSON Web Tokens (three base64url parts, the first two `eyJ`), a
bearer token after "Bearer", a PEM private-key block, and the value after a password or
key label ("Passwort:", "Kennwort:", "password=", "api_key:") when it looks like one (a
digit, a symbol or mixed case, not an ordinary lower-case word like "vergessen").

The guard's policy masks SECRET by default: it is never restored into an answer.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from guardrails.recognizers.de._common import VALIDATED_STRONG, Candidate, CandidateRecognizer

_TOKENS = re.compile(
    r"(?<![\w-])(?:"
    r"sk-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,}"
    r"|gh[pousr]_[A-Za-z0-9]{36,}"
    r"|github_pat_[A-Za-z0-9_]{22,}"
    r"|(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}"
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"
    r"|AIza[0-9A-Za-z_-]{35}"
    r"|glpat-[A-Za-z0-9_-]{20,}"
    r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
    r")(?![\w-])")
_BEARER = re.compile(r"\bbearer\s+([A-Za-z0-9._~+/-]{16,}=*)", re.IGNORECASE)
_PEM = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----")
_LABELLED = re.compile(
    r"\b(?:passwort|kennwort|passwd|password|pass(?:phrase)?|pwd|pin|zugangscode|initialpasswort|"
    r"api[_-]?key|apikey|secret(?:[_-]?key)?|client[_-]?secret|access[_-]?key|access[_-]?token|auth[_-]?token|token)"
    r"(?:\s+(?:lautet|ist|is))?\s*[:=]\s*"
    r"(?:\"([^\"\s]{4,128})\"|'([^'\s]{4,128})'|„([^“\s]{4,128})“|([^\s,;\"'<>]{4,128}))",
    re.IGNORECASE)


def _looks_like_secret(value: str) -> bool:
    value = value.rstrip(".")
    if len(value) < 4 or len(value) > 128:
        return False
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    mixed = any(c.isupper() for c in value[1:]) and any(c.islower() for c in value)
    return has_digit or has_symbol or mixed


class SecretRecognizer(CandidateRecognizer):
    ENTITY = "SECRET"
    LANGUAGES = ("de", "en")
    CONTEXT = ["passwort", "kennwort", "password", "token", "key", "schlüssel", "secret", "zugang"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        seen: set[tuple[int, int]] = set()
        for candidate in self._all(text):
            if (candidate.start, candidate.end) not in seen:
                seen.add((candidate.start, candidate.end))
                yield candidate

    def _all(self, text: str) -> Iterator[Candidate]:
        for m in _PEM.finditer(text):
            yield Candidate(m.start(), m.end(), VALIDATED_STRONG, "private key block")
        for m in _TOKENS.finditer(text):
            yield Candidate(m.start(), m.end(), VALIDATED_STRONG, "token prefix")
        for m in _BEARER.finditer(text):
            yield Candidate(m.start(1), m.end(1), VALIDATED_STRONG, "bearer token")
        for m in _LABELLED.finditer(text):
            group = next(g for g in range(1, 5) if m.group(g) is not None)
            quoted = group < 4
            value = m.group(group)
            if quoted or _looks_like_secret(value):
                end = m.end(group) if quoted else m.start(group) + len(value.rstrip("."))
                yield Candidate(m.start(group), end, VALIDATED_STRONG, "labelled secret")

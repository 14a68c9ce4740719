"""E-mail addresses, found by shape and checked offline.

Presidio's EmailRecognizer validates the top-level domain with `tldextract`, which fetches
the public suffix list over the network on first use; the guard must start offline. An
address is unambiguous enough that a plain shape check plus an offline TLD plausibility test
suffices: the TLD must be alphabetic and must not be a file extension, which is what an
`@` inside a file name or a retina image name (`logo@2x.png`) would produce.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from guardrails.recognizers.de._common import VALIDATED_STRONG, Candidate, CandidateRecognizer

_EMAIL = re.compile(
    r"(?<![\w.%+-])"
    r"\w(?:[\w.%+-]{0,62}\w)?"  # local part, no dot at the edges
    r"@"
    r"(?:[A-Za-z0-9ÄÖÜäöüß](?:[A-Za-z0-9ÄÖÜäöüß-]{0,61}[A-Za-z0-9ÄÖÜäöüß])?\.)+"
    r"([A-Za-z]{2,24})"
    r"(?![\w-])")

# Endings that follow an `@` in file names, not in mail domains.
_FILE_EXTENSIONS = frozenset({
    "png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "doc", "docx", "xls", "xlsx", "txt",
    "csv", "zip", "json", "xml", "html", "htm", "js", "css", "py", "exe", "tmp", "bak"})


class EmailRecognizer(CandidateRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    LANGUAGES = ("de", "en")
    CONTEXT = ["e-mail", "email", "mail", "adresse", "kontakt", "address"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        for m in _EMAIL.finditer(text):
            if m.group(1).lower() in _FILE_EXTENSIONS:
                continue
            yield Candidate(m.start(), m.end(), VALIDATED_STRONG, "email")

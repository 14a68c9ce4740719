"""Umsatzsteuer-Identifikationsnummer (USt-IdNr.): `DE` and nine digits.

`stdnum.de.vat` verifies the ISO 7064 Mod 11,10 check digit in common use; a number that
passes is certain. The Bundeszentralamt für Steuern does not publish that algorithm as
normative, though, and a mistyped or invented number is still the number someone wrote, so a
failing check does not discard the match (Presidio's DeVatIdRecognizer decides the same way):

* compact `DE123456789` (or `DE 123456789`) standing alone is strong evidence by itself: no other German
  identifier has that shape (a German IBAN has 20 digits after `DE`), so it is reported;
* the grouped forms (`DE 123 456 789`, `DE-123-456-789`) also resemble reference numbers and
  need a context word ("USt-IdNr.", "Umsatzsteuer", "VAT") unless the check digit holds.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum.de import vat

from guardrails.recognizers.de._common import (
    SHAPE, VALIDATED_STRONG, Candidate, CandidateRecognizer, compact)

_VAT = re.compile(r"(?<![\w-])DE(?: ?\d{9}|([ .-]?)\d{3}\1\d{3}\1\d{3})(?![\w]|[ .-]?\d)")

COMPACT_SHAPE = 0.45


class VatIdRecognizer(CandidateRecognizer):
    ENTITY = "DE_VAT_ID"
    LANGUAGES = ("de", "en")
    CONTEXT = ["ust", "umsatzsteuer", "mehrwertsteuer", "vat", "steuer"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        for m in _VAT.finditer(text):
            if vat.is_valid(compact(m.group(0))):
                yield Candidate(m.start(), m.end(), VALIDATED_STRONG, "USt-IdNr. (checksum)")
            elif m.group(1):
                yield Candidate(m.start(), m.end(), SHAPE, "USt-IdNr. (grouped shape)")
            else:
                yield Candidate(m.start(), m.end(), COMPACT_SHAPE, "USt-IdNr. (shape)")

"""Steuerliche Identifikationsnummer (Steuer-ID, IdNr): 11 digits, any spacing.

People write the number compact (`26485910723`), in the groups of the tax letter
(`264 859 107 23`) or in threes (`26 485 910 723`). The pattern accepts one space, dot or
slash between any two digits and `stdnum.de.idnr` decides (ISO 7064 check digit plus the
rule that exactly one digit repeats among the first ten). Validated numbers are reported; a
context word such as "Steuer-ID" lifts them to the maximum. Numbers whose check digit holds
but whose digits break the repetition rule (`12 345 678 903`, a favourite example) are
shape evidence only: reported when a context word says they are a Steuer-ID. A leading `+` or `0` means a phone number, never an IdNr.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum.de import idnr
from stdnum.iso7064 import mod_11_10

from guardrails.recognizers.de._common import (
    SHAPE, VALIDATED, Candidate, CandidateRecognizer, compact)

_IDNR = re.compile(r"(?<![\w+.,/-])(?<!\d )[1-9](?:[ ./]?\d){10}(?![\w]|[ ./,-]?\d)")


class TaxIdRecognizer(CandidateRecognizer):
    ENTITY = "DE_TAX_ID"
    LANGUAGES = ("de", "en")
    CONTEXT = ["steuer-id", "steuerid", "steueridentifikationsnummer", "identifikationsnummer",
               "idnr", "id-nr", "steuer-idnr", "tax"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        for m in _IDNR.finditer(text):
            digits = compact(m.group(0))
            if idnr.is_valid(digits):
                yield Candidate(m.start(), m.end(), VALIDATED - 0.05, "IdNr (checksum)")
            elif mod_11_10.is_valid(digits):
                yield Candidate(m.start(), m.end(), SHAPE, "IdNr (checksum, digit rule broken)")

"""Steuernummer (St.-Nr.) in the written forms of all Länder and the 13-digit ELSTER form.

Written forms: `FF/BBB/UUUUP` (Berlin, Hamburg, Niedersachsen, …), `FFF/BBB/UUUUP` (Bayern,
Sachsen, Sachsen-Anhalt, Thüringen, Brandenburg), `FFF/BBBB/UUUP` (Nordrhein-Westfalen),
`FFBBB/UUUUP` (Baden-Württemberg), `0FF BBB UUUUP` (Hessen; other Länder's numbers are also written with spaces), and
13 digits compact (ELSTER).

A Steuernummer carries no published check digit: `stdnum.de.stnr` checks only that the
digits fit one Land's layout. Slash-separated digit groups are also how file numbers are
written, so every form here is shape evidence only (score below the threshold) and needs a
context word ("Steuernummer", "St.-Nr.", "StNr", "Finanzamt") within Presidio's window.
Layout-valid numbers score a little higher than mere look-alikes (e.g. `2181/508/15`, a
shortened form some offices print), so context lifts both.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum.de import stnr

from guardrails.recognizers.de._common import SHAPE, Candidate, CandidateRecognizer, compact

_SLASHED = re.compile(r"(?<![\w/.,-])\d{2,5}\s?/\s?\d{3,5}(?:\s?/\s?\d{2,5})?(?![\w/]|[.,-]\d)")
_SPACED = re.compile(r"(?<![\w/.,-])\d{2,4} \d{3,4} \d{4,5}(?![\w/]|[ .,-]\d)")
_COMPACT = re.compile(r"(?<![\w/.,+-])\d{10,13}(?![\w/]|[.,-]\d)")

LAYOUT_VALID = 0.35
_MIN_DIGITS, _MAX_DIGITS = 9, 13


class TaxNumberRecognizer(CandidateRecognizer):
    ENTITY = "DE_TAX_NUMBER"
    LANGUAGES = ("de", "en")
    CONTEXT = ["steuernummer", "st.-nr", "st-nr", "stnr", "steuer", "steuernr",
               "finanzamt", "tax"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        for pattern in (_SLASHED, _SPACED, _COMPACT):
            for m in pattern.finditer(text):
                digits = compact(m.group(0))
                if not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS:
                    continue
                if stnr.is_valid(digits):
                    yield Candidate(m.start(), m.end(), LAYOUT_VALID, "St.-Nr. (layout)")
                elif pattern is _SLASHED and m.group(0).count("/") == 2:
                    yield Candidate(m.start(), m.end(), SHAPE, "St.-Nr. (shape)")

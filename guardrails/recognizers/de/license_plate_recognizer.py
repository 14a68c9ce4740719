"""Kfz-Kennzeichen (DE_LICENSE_PLATE): `DO-KV 4821`, `M-ED 1987`, `B AB 123`, `HH-AB 1234E`.

A plate is district code (1-3 letters), one or two letters, one to four digits not starting
with 0, and an optional `H` (historic) or `E` (electric) suffix; at most eight characters.
Upper-case letter groups followed by digits are common in German prose (`DIN EN 1090`,
`A EG 12`), so the shape alone is not enough: the district code must be on the official list
in `data/district_codes.txt`, and

* the written form `DO-KV 4821` (hyphen after the district) is distinctive and is reported;
* the all-space form `B AB 123` needs a context word ("Kennzeichen", "Fahrzeug", "Kfz",
  "Dienstwagen", "PKW" …) within Presidio's window.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

from guardrails.recognizers.de._common import SHAPE, Candidate, CandidateRecognizer

DISTRICT_CODES_FILE = Path(__file__).parent / "data" / "district_codes.txt"

_PLATE = re.compile(
    r"(?<![\w-])(?P<district>[A-ZÄÖÜ]{1,3})(?P<sep>[- ])(?P<letters>[A-Z]{1,2})[ -]?"
    r"(?P<digits>[1-9]\d{0,3})[EH]?(?![\w-])")
_NOT_PLATE_LETTERS = frozenset({"EN", "ISO", "IEC"})  # standards: DIN EN 1090
_MAX_CHARS = 8

HYPHENATED = 0.45


@functools.lru_cache(maxsize=1)
def district_codes() -> frozenset[str]:
    words = []
    for line in DISTRICT_CODES_FILE.read_text(encoding="utf-8").splitlines():
        words += line.split("#", 1)[0].split()
    return frozenset(words)


class LicensePlateRecognizer(CandidateRecognizer):
    ENTITY = "DE_LICENSE_PLATE"
    LANGUAGES = ("de", "en")
    # Context words match as substrings: "auto" also hits "Autor", a risk accepted for the
    # commonest word; "car" (in "Carsten") and "halter" (in "Buchhalter") are left out.
    CONTEXT = ["kennzeichen", "fahrzeug", "kfz", "dienstwagen", "pkw", "lkw", "wagen", "auto",
               "zulassung", "nummernschild", "motorrad", "plate", "vehicle"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        codes = district_codes()
        for m in _PLATE.finditer(text):
            district, letters, digits = m.group("district", "letters", "digits")
            if (district not in codes or letters in _NOT_PLATE_LETTERS
                    or len(district) + len(letters) + len(digits) > _MAX_CHARS):
                continue
            score = HYPHENATED if m.group("sep") == "-" else SHAPE
            yield Candidate(m.start(), m.end(), score, "Kfz-Kennzeichen")

"""Telephone numbers in every German writing style, validated by `phonenumbers`.

Google's libphonenumber (the `phonenumbers` port) knows the German numbering plan, so it
decides, instead of hand-written rules, whether `0341 5567821` is a real Leipzig number and
whether `63-2025/0815` is not. Its matcher at leniency VALID already refuses dates, times and
amounts. Two rules are ours, both about German text:

* a number must start the way people write a dialable number: `+`, `00`, or the trunk `0`
  (also inside a bracket, `(0511)`). Bare digit groups are file numbers, years, postcodes,
  room numbers or extensions ("App. 1234", "Durchwahl -12").
* a number right after a file-number label ("Az.", "Geschäftszeichen", "Rechnung Nr.") is
  that file number, however dialable it looks (`Az. 0815/2025`).
* a number glued by one space to a preceding group that holds digits is a slice of a longer
  identifier (IBAN groups `DE07 1644 …`, a spaced tax ID), not a phone number.

English text also gets the British and North American plans, where national numbers are
written without a trunk `0` (`(415) 555-2671`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from guardrails.recognizers.de._common import VALIDATED, Candidate, CandidateRecognizer

_REGIONS = {"de": ("DE",), "en": ("DE", "GB", "US")}
_DIALABLE_START = re.compile(r"\+|00|0|\(\s*(?:\+|0)")
_NANP_SHAPE = re.compile(r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}$")
_GLUED_TO_DIGIT_GROUP = re.compile(r"\w*\d\w* ?$")
_MIN_NATIONAL_DIGITS = 6
_DATE_OR_TIME = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})(?!\d)|\d{1,2}:\d{2}")
_FILE_NUMBER_LABEL = re.compile(
    r"\b(?:az|aktenzeichen|gz|geschäftszeichen|kassenzeichen|vorgang\w*|rechnung\w*|"
    r"kundennummer|kundennr|bescheid\w*)\b\.?:?\s*(?:nr\.?:?\s*)?$", re.IGNORECASE)

NATIONAL_SCORE = 0.75


def raw_has_unclosed_bracket(raw: str) -> bool:
    """`(06221 47 11 08)`: the matcher keeps the opening bracket but not the closing one."""
    return raw.startswith("(") and ")" not in raw


class PhoneRecognizer(CandidateRecognizer):
    ENTITY = "PHONE_NUMBER"
    LANGUAGES = ("de", "en")
    # No bare "tel": Presidio matches context words as substrings ("Antragsteller", "Titel").
    CONTEXT = ["telefon", "tel.", "rufnummer", "handy", "mobil", "fax", "durchwahl",
               "erreichbar", "rückruf", "anrufen", "phone", "call", "mobile"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        seen: set[tuple[int, int]] = set()
        for region in _REGIONS.get(self.supported_language, ("DE",)):
            for match in phonenumbers.PhoneNumberMatcher(
                    text, region, leniency=phonenumbers.Leniency.VALID):
                span = (match.start, match.end)
                if span in seen or not self._plausible(text, match, region):
                    continue
                seen.add(span)
                start = match.start
                if raw_has_unclosed_bracket(match.raw_string):
                    start += 1
                international = match.raw_string.lstrip("(").startswith(("+", "00"))
                yield Candidate(start, match.end,
                                VALIDATED if international else NATIONAL_SCORE,
                                f"phone {region}")

    @staticmethod
    def _plausible(text: str, match: phonenumbers.PhoneNumberMatch, region: str) -> bool:
        raw = match.raw_string
        if len(str(match.number.national_number)) < _MIN_NATIONAL_DIGITS:
            return False
        if _GLUED_TO_DIGIT_GROUP.search(text[max(0, match.start - 12):match.start]):
            return False
        if _DATE_OR_TIME.search(raw):
            return False
        if _FILE_NUMBER_LABEL.search(text[max(0, match.start - 30):match.start]):
            return False
        if _DIALABLE_START.match(raw):
            return True
        return region == "US" and bool(_NANP_SHAPE.match(raw))

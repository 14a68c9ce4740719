"""Telephone numbers in every German writing style, validated by `phonenumbers`.

Google's libphonenumber (the `phonenumbers` port) knows the German numbering plan, so it
decides, instead of hand-written rules, whether `0341 5567821` is a real Leipzig number and
whether `63-2025/0815` is not. Its matcher at leniency VALID already refuses dates, times and
amounts. The rules of our own are about German text:

* a number must start the way people write a dialable number: `+`, `00`, or the trunk `0`
  (also inside a bracket, `(0511)`). Bare digit groups are file numbers, years, postcodes,
  room numbers or extensions ("App. 1234", "Durchwahl -12").
* a number right after a file-number label ("Az.", "Geschäftszeichen", "Rechnung Nr.") is
  that file number, however dialable it looks (`Az. 0815/2025`).
* a number glued by one space to a preceding group that holds digits or a slash is a slice
  of a longer identifier (IBAN groups `DE07 1644 …`, a spaced tax ID, `EU/1/07/436/005`);
  so is one after a day (`12. 09. 1990`) or a two-letter office code (patent `EP 0 697 062`).
* dates written with spaces (`04. 08. 2015`) are refused, and so are ISBNs.

English text also gets the British and North American plans, where national numbers are
written without a trunk `0` (`(415) 555-2671`). Validated international numbers score
higher than national ones; both are reported without context.

People also invent or mistype numbers, and an area code that does not exist (`0123 456789`)
fails validation. Such a number, still possible by length, is shape evidence only: it is
reported when a context word ("Telefon", "Tel.", "erreichbar", "Handy" …) stands before it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from guardrails.recognizers.de._common import SHAPE, VALIDATED, Candidate, CandidateRecognizer

_REGIONS = {"de": ("DE",), "en": ("DE", "GB", "US")}
_DIALABLE_START = re.compile(r"\+|00|0|\(\s*(?:\+|0)")
_NANP_SHAPE = re.compile(r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}$")
_GLUED_TO_DIGIT_GROUP = re.compile(r"(?:\w*\d\w*|/|\d\.|\b[A-Z]{2}) ?$")
_MIN_NATIONAL_DIGITS = 6
_DATE_OR_TIME = re.compile(r"\d{1,2}\. ?\d{1,2}\. ?(?:\d{2}|\d{4})(?!\d)|\d{1,2}:\d{2}")
_FILE_NUMBER_LABEL = re.compile(
    r"\b(?:az|aktenzeichen|gz|geschäftszeichen|kassenzeichen|vorgang\w*|rechnung\w*|"
    r"kundennummer|kundennr|bescheid\w*|isbn|issn)\b\.?:?\s*(?:nr\.?:?\s*)?$", re.IGNORECASE)

# libphonenumber's matcher is slow on number-rich text; it only sees stretches that could
# hold a number at all (six digits or more with the separators people type).
# Outside North America a stretch must begin the way a dialable number does (see above).
_NUMBER_STRETCH = re.compile(r"(?<![\w.,/-])[+(]?\d[\d \t()/.\-]{4,40}\d\)?")
_DIALABLE_STRETCH = re.compile(r"(?<![\w.,/+-])(?:\+|\(\s*[+0]|0)[\d \t()/.\-]{4,40}\d\)?")
_MIN_STRETCH_DIGITS = 6

NATIONAL_SCORE = 0.75


def _matches(text: str, region: str) -> Iterator[phonenumbers.PhoneNumberMatch]:
    """Run the matcher on each number stretch (one character of margin each side, so it
    still sees a neighbouring letter), with offsets into the whole text."""
    stretches = _NUMBER_STRETCH if region == "US" else _DIALABLE_STRETCH
    for stretch in stretches.finditer(text):
        if sum(c.isdigit() for c in stretch.group(0)) < _MIN_STRETCH_DIGITS:
            continue
        begin, end = max(0, stretch.start() - 1), min(len(text), stretch.end() + 1)
        for m in phonenumbers.PhoneNumberMatcher(text[begin:end], region,
                                                 leniency=phonenumbers.Leniency.POSSIBLE):
            yield phonenumbers.PhoneNumberMatch(begin + m.start, m.raw_string, m.number)


def raw_has_unclosed_bracket(raw: str) -> bool:
    """`(06221 47 11 08)`: the matcher keeps the opening bracket but not the closing one."""
    return raw.startswith("(") and ")" not in raw


class PhoneRecognizer(CandidateRecognizer):
    ENTITY = "PHONE_NUMBER"
    LANGUAGES = ("de", "en")
    # Presidio matches context words as substrings, so "tel" also hits "Antragsteller"; that
    # only matters for unvalidated numbers, which must pass every other filter first.
    CONTEXT = ["tel", "rufnummer", "handy", "mobil", "fax", "durchwahl", "erreich",
               "rückruf", "anruf", "phone", "call"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        best: dict[tuple[int, int], Candidate] = {}  # a number may be valid in one plan only
        for region in _REGIONS.get(self.supported_language, ("DE",)):
            for match in _matches(text, region):
                if not self._plausible(text, match, region):
                    continue
                candidate = self._score(match, region)
                span = (candidate.start, candidate.end)
                if span not in best or best[span].score < candidate.score:
                    best[span] = candidate
        return iter(best.values())

    @staticmethod
    def _score(match: phonenumbers.PhoneNumberMatch, region: str) -> Candidate:
        raw = match.raw_string
        start = match.start
        if raw_has_unclosed_bracket(raw):
            start += len(raw) - len(raw.lstrip("( \t"))
        if not phonenumbers.is_valid_number(match.number):
            return Candidate(start, match.end, SHAPE, f"possible phone {region}")
        international = raw.lstrip("(").startswith(("+", "00"))
        return Candidate(start, match.end, VALIDATED if international else NATIONAL_SCORE,
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

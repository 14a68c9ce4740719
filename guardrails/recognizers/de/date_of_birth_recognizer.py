"""DATE_OF_BIRTH: a date that a birth cue marks as someone's birthday.

Dates alone are everywhere in administrative text (deadlines, "Bescheid vom 12.03.2025") and
are not personal data, so a date only counts when a cue binds it to a birth: "geb.",
"geboren (am)", "Geburtsdatum:", "Geb.-Datum", "Geburtstag", the genealogical "*", English
"born (on)", "date of birth", "DOB" - or "am 3. Mai 1960 ... geboren" with the cue after it.
Only the date is the span, so the cue stays readable for the model. In a pasted table
(Markdown, CSV, tab-separated) the cue is the column header, so dates in that column count.

Dates are numeric ("04.11.1983", "3.5.60"), ISO ("1980-05-04"), or written with a German or
English month name ("2. Juli 2014", "4 May 1980", "May 4, 1980"); impossible days and months
are rejected. A bare birth year after "geboren"/"geb." counts; after "Jahrgang" it is weaker,
because a "Jahrgang" is also a school cohort or a journal volume.
"""
from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

_DE_MONTHS = {
    "januar": 1, "jan": 1, "jänner": 1, "februar": 2, "feb": 2, "febr": 2, "märz": 3, "maerz": 3, "mär": 3,
    "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8,
    "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}
_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6, "july": 7, "october": 10,
    "oct": 10, "december": 12, "dec": 12,
}
MONTHS = {**_DE_MONTHS, **_EN_MONTHS}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))

_YEAR = r"(?:19|20)\d{2}"
_DATE = (
    rf"(?P<iso>{_YEAR}-\d{{2}}-\d{{2}})"
    rf"|(?P<num>\d{{1,2}}\.\s?\d{{1,2}}\.\s?(?:{_YEAR}|\d{{2}})(?!\d))"
    rf"|(?P<slash>\d{{1,2}}[/-]\d{{1,2}}[/-](?:{_YEAR}|\d{{2}})(?!\d))"
    rf"|(?P<dmy>\d{{1,2}}(?:\.|st|nd|rd|th)?\s?(?:of\s)?(?:{_MONTH_ALT})\.?,?\s{_YEAR})"
    rf"|(?P<mdy>(?:{_MONTH_ALT})\.?\s\d{{1,2}}(?:st|nd|rd|th)?,?\s{_YEAR})"
    rf"|(?P<my>(?:{_MONTH_ALT})\.?\s{_YEAR})"
)
_CUE_BEFORE = (
    r"(?:\bgeb(?:\.|oren)(?:\s+in\s+[A-ZÄÖÜ][\w.-]*(?:\s[A-ZÄÖÜa-zäöü][\w.-]*){0,3}?)?(?:\s*(?:am|den|im))?"
    r"|\bgeburtsdatum|\bgeb\.?\s?-?\s?dat(?:um|\.)?|\bgeburtsdat\.?|\bgeburtstag(?:\s(?:am|ist))?"
    r"|\bgeburtsjahr|\bdate\sof\sbirth|\bd\.o\.b\.|\bdob|\bbirth\s?date|\bbirthday"
    r"|\bborn(?:\sin\s[A-ZÄÖÜ][\w.-]*(?:\s[A-ZÄÖÜ][\w.-]*)?,?)?(?:\s(?:on|in))?)"
    # "Geburtsdatum/-ort", "Geburtsdatum und -ort", "Geburtsdatum (TT.MM.JJJJ)", "date of birth is",
    # "Geburtsdatum des Kindes:", "Geburtsdatum von Herrn Maier:"
    r"(?:\s(?:des|der|von|vom)\s[\wäöüß.-]+(?:\s[A-ZÄÖÜ][\w.-]*)?(?=\s?:))?"
    r"(?:\s?(?:/|und|u\.)\s?(?:-\s?|geburts)?ort)?(?:\s?\([^)\n]{1,20}\))?(?:\s(?:is|was|lautet|ist))?"
)
_AFTER_CUE = re.compile(
    rf"(?i)(?:{_CUE_BEFORE})\s*[:=|\-\u2013]?\s*\(?\s*(?:the\s)?(?:{_DATE}|(?P<year>{_YEAR})(?![\d\-/]|\.\d))")
_AFTER_STAR = re.compile(rf"(?i)(?:(?<=\()|(?<![\w*]))\*\s?(?:{_DATE})")
_BEFORE_CUE = re.compile(rf"(?i)\bam\s(?:{_DATE})(?=(?:\s[^.!?\n]{{0,40}}?)?\sgeboren\b)")
_COHORT = re.compile(r"(?i)\b(?:jahrgang|jg\.)\s(?P<year>(?P<century>19|20)\d{2})(?!\d)")

# Every cue above contains one of these; a substring test is far cheaper than the scans.
_CUE_STEMS = ("geb", "geburt", "born", "birth", "dob", "d.o.b", "*", "jahrgang", "jg.")

CUED_SCORE = 0.9
TABLE_SCORE = 0.85
COHORT_SCORE = 0.5
# A "Jahrgang 2010" is far more often a school cohort than a stated birth year.
RECENT_COHORT_SCORE = 0.3
_DATE_GROUPS = ("iso", "num", "slash", "dmy", "mdy", "my", "year")


class DateOfBirthRecognizer(EntityRecognizer):
    LANGUAGES = ("de", "en")
    ENTITIES = ["DATE_OF_BIRTH"]

    def __init__(self, supported_language: str = "de") -> None:
        super().__init__(supported_entities=self.ENTITIES, name="DateOfBirthRecognizer",
                         supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        spans: dict[tuple[int, int], float] = {}
        lowered = text.lower()
        if not any(stem in lowered for stem in _CUE_STEMS):
            return []  # no birth cue anywhere: no date in this text can be a birth date
        for pattern in (_AFTER_CUE, _AFTER_STAR, _BEFORE_CUE):
            for m in pattern.finditer(text):
                group = next(g for g in _DATE_GROUPS if g in m.re.groupindex and m.group(g))
                if _plausible(group, m.group(group)):
                    spans[m.span(group)] = CUED_SCORE
        for start, end in _birth_date_column(text):
            spans.setdefault((start, end), TABLE_SCORE)
        for m in _COHORT.finditer(text):
            score = COHORT_SCORE if m.group("century") == "19" else RECENT_COHORT_SCORE
            spans.setdefault(m.span("year"), score)
        return [self._result(start, end, score) for (start, end), score in sorted(spans.items())]

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            "DATE_OF_BIRTH", start, end, score, analysis_explanation=AnalysisExplanation(self.name, score),
            recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                  RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})


_DIGITS = re.compile(r"\d+")
_HEADER_CUE = re.compile(r"(?i)geburtsdatum|geb\.?\s?-?\s?dat|geboren|date\sof\sbirth|\bdob\b|birth\s?date")
_CELL_DATE = re.compile(rf"(?i)\s*(?:{_DATE})\s*")
_SEPARATORS = ("|", "\t", ";", ",")


def _birth_date_column(text: str):
    """Dates under a 'Geburtsdatum' column of a pasted table (Markdown, CSV, tab-separated).

    The cue is in the header row, far from the values, so the column position carries it.
    """
    lines = text.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    header_column, separator = None, None
    for line, offset in zip(lines, offsets):
        if header_column is None:
            separator = next((s for s in _SEPARATORS if s in line and _HEADER_CUE.search(line)), None)
            if separator:
                cells = line.split(separator)
                header_column = next(i for i, c in enumerate(cells) if _HEADER_CUE.search(c))
            continue
        if separator not in line:
            header_column = None  # the table has ended
            continue
        cells = line.split(separator)
        if header_column >= len(cells):
            continue
        cell_start = offset + sum(len(c) + len(separator) for c in cells[:header_column])
        m = _CELL_DATE.fullmatch(cells[header_column])
        if m:
            group = next(g for g in _DATE_GROUPS if g in m.re.groupindex and m.group(g))
            if _plausible(group, m.group(group)):
                yield cell_start + m.start(group), cell_start + m.end(group)


def _plausible(kind: str, value: str) -> bool:
    """Reject impossible days and months; written months are valid by construction."""
    numbers = [int(n) for n in _DIGITS.findall(value)]
    if kind == "iso":
        _, month, day = numbers
    elif kind in ("num", "slash"):
        day, month, _ = numbers
        if kind == "slash" and month > 12 >= day:  # US order "05/24/1980"
            day, month = month, day
    elif kind in ("dmy", "mdy"):
        day, month = numbers[0], 1
    else:
        return True
    return 1 <= day <= 31 and 1 <= month <= 12

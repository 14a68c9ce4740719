"""Personal data in rows: exported tables, CSV and tab-separated lists pasted into a prompt.

Two kinds of evidence the per-value recognizers cannot see:

* a header row names the columns ("Name;Vorname;Geburtsdatum"): every cell below a name
  column is a PERSON, every date below a birth-date column a DATE_OF_BIRTH, every cell
  below an address column an ADDRESS;
* a date standing right after a person's name in a row or list entry ("Ebert, Constanze;
  19.09.1984", "Möller, Henrik (03.02.1959)", "SCHULTE, ANDREA, 14.12.1970") is that
  person's date of birth, when its year is one a living adult was born in.

Works on the guard's normalised view; findings come back in the view's offsets.
"""
from __future__ import annotations

import datetime
import re

from guardrails.findings import Finding

RECOGNIZER = "TableRows"
_SEPARATORS = (";", "\t", "|")
_COLUMN_TYPES = (
    (re.compile(r"(?:nach|vor|familien|ruf|geburts|mädchen|voller?\s+)?namen?(?:,\s*vorname)?|vorname|"
                r"(?:first|last|full|given|family)\s*name|surname|mitarbeiter(?:in)?|person|"
                r"bewohner(?:in)?|mieter(?:in)?|teilnehmer(?:in)?|antragsteller(?:in)?|kunde|kundin",
                re.IGNORECASE), "PERSON"),
    (re.compile(r"geburtsdatum|geb\.?(?:\s*am)?|geboren(?:\s+am)?|geburtstag|date\s+of\s+birth|dob|birth\s*date",
                re.IGNORECASE), "DATE_OF_BIRTH"),
    (re.compile(r"adresse|anschrift|wohnanschrift|straße|strasse|address|wohnort", re.IGNORECASE), "ADDRESS"),
)
COLUMN_ENTITY_TYPES = tuple(sorted({kind for _, kind in _COLUMN_TYPES}))
_DATE = re.compile(r"\d{1,2}\.\s?\d{1,2}\.\s?(\d{4})(?!\d)")
_ROW_DATE_AFTER = re.compile(r"[ \t]*(?:[;,|\t]|\()[ \t]*(?:geb\.?\s*)?(\d{1,2}\.\s?\d{1,2}\.\s?(\d{4}))(?!\d)")
_MIN_AGE = 10


def table_findings(text: str) -> list[Finding]:
    findings: list[Finding] = []
    lines = _lines(text)
    i = 0
    while i < len(lines):
        start, line = lines[i]
        sep = next((s for s in _SEPARATORS if line.count(s) >= 1), None)
        columns = _header(line, sep) if sep else None
        if not columns:
            i += 1
            continue
        i += 1
        while i < len(lines) and sep in lines[i][1]:
            row_start, row = lines[i]
            offset = 0
            for index, cell in enumerate(row.split(sep)):
                entity_type = columns.get(index)
                stripped = cell.strip()
                if entity_type and stripped and _fits(entity_type, stripped):
                    begin = row_start + offset + cell.index(stripped)
                    findings.append(Finding(entity_type, begin, begin + len(stripped), 0.85, RECOGNIZER))
                offset += len(cell) + len(sep)
            i += 1
    return findings


def dates_after_names(text: str, findings: list[Finding]) -> list[Finding]:
    out = []
    oldest = datetime.date.today().year - 110
    youngest = datetime.date.today().year - _MIN_AGE
    for f in findings:
        if f.entity_type != "PERSON":
            continue
        m = _ROW_DATE_AFTER.match(text, f.end)
        if m and oldest <= int(m.group(2)) <= youngest:
            out.append(Finding("DATE_OF_BIRTH", m.start(1), m.end(1), 0.8, RECOGNIZER))
    return out


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line.rstrip("\r")))
        pos += len(line) + 1
    return out


def _header(line: str, sep: str) -> dict[int, str] | None:
    cells = [c.strip().rstrip(":") for c in line.split(sep)]
    if len(cells) < 2 or any(any(ch.isdigit() for ch in c) for c in cells):
        return None
    columns = {}
    for index, cell in enumerate(cells):
        for pattern, entity_type in _COLUMN_TYPES:
            if pattern.fullmatch(cell):
                columns[index] = entity_type
                break
    return columns or None


def _fits(entity_type: str, cell: str) -> bool:
    if entity_type == "DATE_OF_BIRTH":
        return bool(_DATE.fullmatch(cell))
    if entity_type == "PERSON":
        return any(c.isalpha() for c in cell) and not any(c.isdigit() for c in cell) and len(cell) <= 60
    return any(c.isalpha() for c in cell)

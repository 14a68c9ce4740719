"""Postcode and place-name matching shared by the street and the postcode recognizers.

The place list (`data/places_de.txt`, built from GeoNames by `build_places.py`) is loaded
once per process and indexed by first word, so a lookup costs a dict access and a few set
probes instead of a regex alternation over ten thousand names. Multi-word names
("Frankfurt am Main", "Halle (Saale)") win over their first word: the longest known name is
taken. No recognizer class lives here, so discovery ignores this module.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

PLACES_FILE = Path(__file__).parent / "data" / "places_de.txt"
_MAX_PLACE_WORDS = 6

# German postcodes are five digits; leading "00" and the unassigned regions 05, 43 and 62
# never occur, which cheaply rejects many amounts and counts.
_UNASSIGNED_REGIONS = frozenset({"00", "05", "43", "62"})

# "D-10115", "D 10115", "DE-10115" are older international forms still seen in letters.
POSTCODE = re.compile(r"(?<![\w./,-])(?:(?:D|DE)[-\u2013 ]\s?)?(\d{5})(?![\w/.,]\w|[-\u2013]\d)")
_WORD = re.compile(r"[^\s,;:!?\"“”„]+")
_SPACE_ONLY = re.compile(r"[ \t]+")
# An unknown place: one capitalised word, with the usual prefixes ("Bad Musterbrunn") or an
# adjective before a noun ("Leipziger Land").
_FALLBACK_PLACE = re.compile(
    r"(?:(?:Bad|Sankt|St\.|Groß|Klein|Neu|Alt|Hohen|Ost|West|Nord|Süd|Ober|Unter|Nieder)\s"
    r"|[A-ZÄÖÜ][a-zäöüß]+er\s(?=(?:Land|Heide|Wald|Höhe|Bucht|Forst)\b))?"
    r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)*(?![\w-])")
# Written qualifiers that follow a place in addresses: "Halle (Saale)", "Frankfurt/Main",
# "Frankfurt a. M.", "Freiburg i. Br.", "Neustadt a. d. Aisch".
_QUALIFIER = re.compile(
    r"\s?\([A-ZÄÖÜ][\w. ]{1,25}\)|/\s?[A-ZÄÖÜ][a-zäöüß]+"
    r"|\s(?:a\.\s?M\.|i\.\s?Br\.|(?:a\.|i\.|b\.|o\.)\s?(?:d\.\s?)?[A-ZÄÖÜ][a-zäöüß]+)"
    # "Mühldorf am Inn", "Weil der Stadt"-style river and region names, but not "am Montag".
    r"|\s(?:am|an\sder|im|in\sder|ob\sder|vor\sder|vorm|bei|unter)\s"
    r"(?!(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Wochenende|Morgen|Abend|Vormittag"
    r"|Nachmittag|Mittag|Ende|Anfang|Telefon|Schalter|Standort|Termin|Rathaus|Bahnhof|Amt)\b)"
    r"[A-ZÄÖÜ][a-zäöüß]+(?![\w-])")


@dataclass(frozen=True)
class PlaceIndex:
    names: frozenset[str]
    by_first_word: dict[str, tuple[int, ...]]  # first word -> word counts of names, longest first


@functools.lru_cache(maxsize=1)
def place_index() -> PlaceIndex:
    names: set[str] = set()
    lengths: dict[str, set[int]] = {}
    for line in PLACES_FILE.read_text(encoding="utf-8").splitlines():
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        names.add(name)
        words = name.split(" ")
        lengths.setdefault(words[0], set()).add(len(words))
    return PlaceIndex(frozenset(names),
                      {first: tuple(sorted(counts, reverse=True)) for first, counts in lengths.items()})


def valid_postcode(digits: str) -> bool:
    return len(digits) == 5 and digits.isdigit() and digits[:2] not in _UNASSIGNED_REGIONS


def known_place_end(text: str, pos: int) -> int | None:
    """End offset of the longest known place name starting exactly at `pos`, else None."""
    index = place_index()
    words: list[re.Match] = []
    cursor = pos
    while len(words) < _MAX_PLACE_WORDS:
        m = _WORD.match(text, cursor)
        if not m:
            break
        words.append(m)
        gap = _SPACE_ONLY.match(text, m.end())
        if not gap:
            break
        cursor = gap.end()
    if not words:
        return None
    first = words[0].group().rstrip(".)")
    counts = index.by_first_word.get(first) or index.by_first_word.get(words[0].group())
    if not counts:
        # "Leipzig-Mitte", "Berlin-Kreuzberg": a known town with its district appended.
        head, _, district = first.partition("-")
        if district[:1].isupper() and head in index.names:
            return words[0].start() + len(first)
        return None
    for count in counts:
        if count > len(words):
            continue
        end = words[count - 1].end()
        candidate = " ".join(w.group() for w in words[:count])
        for trimmed in (candidate, candidate.rstrip("."), candidate.rstrip(".)")):
            if trimmed in index.names:
                return end - (len(candidate) - len(trimmed))
    return None


def _with_qualifier(text: str, end: int) -> int:
    m = _QUALIFIER.match(text, end)
    return m.end() if m else end


@dataclass(frozen=True)
class PlaceMatch:
    end: int
    known: bool


def place_after(text: str, pos: int, allow_unknown: bool) -> PlaceMatch | None:
    """A place name at `pos`: a known one, or (if allowed) any capitalised word."""
    end = known_place_end(text, pos)
    if end is not None:
        return PlaceMatch(_with_qualifier(text, end), True)
    if allow_unknown:
        m = _FALLBACK_PLACE.match(text, pos)
        if m:
            return PlaceMatch(_with_qualifier(text, m.end()), False)
    return None


_POSTCODE_PLACE_GAP = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class PostcodePlace:
    start: int
    end: int
    known: bool


def postcode_place_at(text: str, pos: int, allow_unknown: bool,
                      check_postcode: bool = True) -> PostcodePlace | None:
    """'04109 Leipzig' (or 'D-04109 Leipzig') starting exactly at `pos`."""
    m = POSTCODE.match(text, pos)
    # After a street the street is the evidence; alone, the digits must be a possible postcode.
    if not m or (check_postcode and not valid_postcode(m.group(1))):
        return None
    gap = _POSTCODE_PLACE_GAP.match(text, m.end())
    if not gap:
        return None
    place = place_after(text, gap.end(), allow_unknown)
    if place is None:
        return None
    return PostcodePlace(pos, place.end, place.known)

"""ADDRESS: German street addresses, from "Lindenstraße 14" to "Am Mühlbach 3, 93047 Regensburg".

A street is found in three steps. First a street *name* in one of the shapes German uses:
a compound with a street word ("Lindenstraße", "Konrad-Adenauer-Straße", "Kastanienallee"),
an adjective or a given name before a street word ("Nürnberger Str.", "Konrad Adenauer
Straße"), a street word with a genitive ("Platz der Republik", "Straße des 17. Juni"), a
prepositional name ("Am Mühlbach", "Unter den Linden"), "Alt-Moabit", a "Postfach", or any
capitalised word when a postcode follows ("Zeil 5, 60313 Frankfurt am Main"). Then a house
number ("7a", "12-14", "12/1") with optional flat details ("2. OG links", "Whg. 5"). Then an
optional "PLZ Ort", which joins the span so the whole address is one placeholder.

The score follows the evidence: an unmistakable street word plus number is strong; shapes
that ordinary prose also produces ("Im Jahr 2019", "Stellplatz 4") are weaker and screened
by stop lists (`data/streets_*.txt`); a trailing postcode with place, or a residence cue
("wohnhaft", "Anschrift") just before, makes any shape strong. A street without a number is
only reported after such a cue, because "die Goethestraße wird saniert" names a place, not
a person's home.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from guardrails.names.lexicon import load_lexicon
from guardrails.recognizers.de._places import known_place_end, place_after, place_index, postcode_place_at

_U = "A-ZÄÖÜ"
_L = "a-zäöüß"

# Suffixes that practically only occur in street names when a house number follows.
_STRONG_SUFFIXES = ("straße", "strasse", "str.", "str", "allee", "gasse", "chaussee", "damm", "ufer",
                    "promenade", "twiete", "redder", "stiege", "steig", "stieg", "pfad", "ring", "weg",
                    "zeile", "kamp", "graben", "passage", "wall")
# Suffixes just as common in ordinary nouns ("Arbeitsplatz", "Bahnhof", "Nürnberg").
_WEAK_SUFFIXES = ("platz", "markt", "hof", "berg", "anger", "feld", "garten", "park", "kai", "deich", "koppel",
                  "siedlung", "hain", "aue", "wiese", "weide")
_STREET_WORDS = ("Straße", "Strasse", "Str.", "Str", "Allee", "Gasse", "Chaussee", "Damm", "Ufer", "Promenade",
                 "Weg", "Ring", "Platz", "Markt", "Steig", "Stieg", "Pfad", "Graben", "Wall", "Kamp",
                 "Zeile", "Twiete", "Hof", "Berg", "Landstraße", "Heerstraße", "Brücke", "Park")
_BARE_STREET_WORDS = frozenset(w.lower().rstrip(".") for w in _STREET_WORDS)

DATA_DIR = Path(__file__).parent / "data"


@functools.lru_cache(maxsize=None)
def _word_list(name: str) -> frozenset[str]:
    """A stop list from `data/`: one word per line, '#' comments."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _not_a_street(word: str) -> bool:
    return word in _word_list("streets_not_streets.txt")


def _prose_after_preposition(word: str) -> bool:
    return word in _word_list("streets_not_prepositional_names.txt")


_ADJECTIVE_STOPWORDS = frozenset("""
Die Der Das Den Dem Des Diese Dieser Dieses Diesen Jene Jener Eine Einer Eines Einen Keine Keiner Meine
Meiner Ihre Ihrer Unsere Unserer Seine Seiner Welche Welcher Jede Jeder Andere Anderer Gleiche Selbe
Nächste Nächster Erste Erster Zweite Dritte Letzte Letzter Gesamte Öffentliche Betroffene Genannte
Besagte Beide Alle Viele Einige Manche Sämtliche Folgende Obige Neben Jeden
""".split())

# Adjectives that begin street names before a compound ("Obere Hauptstraße", "Alte Landstraße").
_STREET_ADJECTIVE = re.compile(
    r"(?:Alte|Alter|Neue|Neuer|Obere|Oberer|Untere|Unterer|Lange|Langer|Kurze|Kurzer|Hohe|Hoher|Große|Großer"
    r"|Kleine|Kleiner|Breite|Breiter|Schmale|Mittlere|Mittlerer|Innere|Innerer|Äußere|Äußerer|Hintere|Vordere"
    r"|Krumme|Stille|Grüne|Rote|Schwarze|Weiße)\s$")

_SUFFIX_ALT = "|".join(re.escape(s) for s in sorted(_STRONG_SUFFIXES + _WEAK_SUFFIXES, key=len, reverse=True))
_WORD_ALT = "|".join(re.escape(s) for s in sorted(_STREET_WORDS, key=len, reverse=True))
_CAP_PART = rf"(?:St\.|[{_U}][\w'.]*?)"

# "Lindenstraße", "Konrad-Adenauer-Straße", "Bergstr.", "Kastanienallee"
_COMPOUND = re.compile(
    rf"(?<![\w-])(?:{_CAP_PART}-)*(?:[{_U}][{_L}]+(?:{_SUFFIX_ALT})|(?<=-)(?:{_WORD_ALT}))(?![{_L}])")
# "lindenstraße 14" in hastily typed prompts: only the unmistakable street words.
_LOWER_COMPOUND = re.compile(rf"(?<![\w-])[{_L}]{{3,}}(?:straße|strasse|str\.|allee|gasse|chaussee)(?![{_L}])")
# "Nürnberger Str.", "Hohe Straße", "Alter Markt"
_ADJECTIVE_STREET = re.compile(
    rf"(?<![\w-])((?:[{_U}][{_L}]+-)*[{_U}][{_L}]+(?:er|e|en|es))\s(?:{_WORD_ALT})(?![{_L}])")
# "Konrad Adenauer Straße", "Karl Marx Allee": person-named streets typed without hyphens.
_SPACED_NAME_STREET = re.compile(
    rf"(?<![\w-])([{_U}][{_L}]+)\s([{_U}][{_L}]+(?:-[{_U}][{_L}]+)*)\s"
    rf"(?:Straße|Strasse|Str\.|Allee|Platz|Ring|Weg|Gasse|Damm|Ufer)(?![{_L}])")
# "Platz der Republik", "Straße des 17. Juni", "Allee der Kosmonauten"
_GENITIVE_STREET = re.compile(
    rf"(?<![\w-])(?:Straße|Platz|Allee|Ring|Weg|Ufer|Brücke|Markt|Promenade|Damm)\s"
    rf"(?:der|des|am|an\sder|vom|zum|zur|im)\s"
    rf"(?:\d{{1,2}}\.\s[{_U}][{_L}]+|[{_U}][\w-]+(?:\s[{_U}][\w-]+)?)")
# "Am Mühlbach", "An der Alster", "Unter den Linden", "Zum Sportplatz", "Am Alten Markt"
_PREPOSITIONAL = re.compile(
    rf"(?<![\w-])(Am|Im|Beim|Zum|Zur|Vorm|Hinterm|Überm|Unterm|Auf'm|Up'n"
    rf"|(?:Auf|An|In|Unter|Hinter|Vor|Über|Neben|Bei|Zu|Op|Achter|Zwischen)\s(?:der|den|dem|de|dat|n))"
    rf"\s((?:[{_U}][{_L}]+(?:e|en|er|es)\s)?[{_U}][\w'.]*(?:-[{_U}]?[\w]+)*)")
# "wohnt am Mühlbach 3": the same shapes typed in lower case count only after a residence cue.
_PREPOSITIONAL_LOWER = re.compile(
    rf"(?<![\w-])(am|im|beim|zum|zur|(?:auf|an|unter|hinter|vor|über|neben)\s(?:der|den|dem))"
    rf"\s((?:[{_U}][{_L}]+(?:e|en|er|es)\s)?[{_U}][\w'.]*(?:-[{_U}]?[\w]+)*)")
_PO_BOX = re.compile(r"(?<![\w-])Postfach\s\d{1,6}(?:\s\d{2,4}){0,3}(?!\d)")
_ALT_NAME = re.compile(rf"(?<![\w-])Alt-[{_U}][{_L}]+(?:-[{_U}][{_L}]+)*")
# Any capitalised word before a number; reported only when "PLZ Ort" follows ("Zeil 5, 60313 ...").
_BARE_NAME = re.compile(
    rf"(?<![\w-])(?:[{_U}][{_L}]+(?:e|er|en|es)\s)?[{_U}][{_L}]+(?:-[{_U}][{_L}]+)*(?=\s\d)")

_ANY_DIGIT = re.compile(r"\d")
_ANY_POSTCODE = re.compile(r"(?<!\d)\d{5}(?!\d)")
_HOUSE_NUMBER = re.compile(
    r"\s?(?:Nr\.?\s?)?(\d{1,4}(?:\s?[a-hA-H](?![\w]))?(?:\s?[-\u2013/]\s?\d{1,4}(?:\s?[a-h](?![\w]))?)?)"
    r"(?![\d]|[.:]\d|,\d{1,2}(?!\d)|\s?(?:%|€|Uhr|Euro|EUR|Prozent|km|qm|m²|Jahre|Jahren|Monate|Tage|Stunden)\b)")
_FLAT = re.compile(
    r"(?:,?\s(?:\d{1,2}\.\s?(?:OG|Obergeschoss|Etage|Stock|Stockwerk)(?:\s(?:links|rechts|Mitte|li\.|re\.))?"
    r"|(?:EG|DG|UG|Erdgeschoss|Dachgeschoss|Souterrain)(?:\s(?:links|rechts|Mitte|li\.|re\.))?"
    r"|Hinterhaus|Vorderhaus|Seitenflügel|Gartenhaus|Quergebäude"
    r"|(?:Whg|Wohnung|App|Apt)\.?\s?(?:Nr\.?\s?)?\d{1,4}[a-z]?)"
    r"|\s\((?:Hinterhaus|Vorderhaus|Seitenflügel|Gartenhaus|Quergebäude|Rückgebäude|EG|DG|UG"
    r"|\d{1,2}\.\s?(?:OG|Obergeschoss|Etage|Stock))(?:\s(?:links|rechts|Mitte|li\.|re\.))?\))+")
_POSTCODE_LEAD = re.compile(r",\s*|\s*\n\s*|\s+in\s+|\s*[-\u2013\u00b7|]\s+|\s+")
# Austrian and Swiss addresses ("Mariahilfer Straße 1, 1060 Wien"): four digits, never a year.
_FOREIGN_POSTCODE_PLACE = re.compile(
    rf"(?:(?:A|AT|CH)-)?(?!19\d\d|20\d\d)[1-9]\d{{3}}\s[{_U}][{_L}]+(?:-[{_U}][{_L}]+)*(?![\w-])")
_PLACE_LEAD = re.compile(r",\s*|\s+in\s+")
# Prose right after a number means a count, not a house number ("Im Jahr 3 Anträge").
_COUNTED_NOUN = re.compile(rf"\s+[{_U}][{_L}]+")
_RESIDENCE_CUE = re.compile(
    r"(?i)\b(?:wohnhaft|wohnt|wohne|wohnen|wohnte|lebt|lebe|leben|lebte|anschrift|adresse|meldeadresse|"
    r"postanschrift|wohnsitz|wohnort|gemeldet|zugezogen|umgezogen|zieht|ziehe|zog|address|lives|living|"
    r"resides|resident)\b")
_SENTENCE_BREAK = re.compile(r"[.!?\n]\s")
_CONTEXT_WINDOW = 60

STRONG, MEDIUM, WEAK, CUED, BARE, PO_BOX = "strong", "medium", "weak", "cued", "bare", "po_box"
_BASE_SCORE = {STRONG: 0.85, MEDIUM: 0.8, WEAK: 0.6}
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
WITH_POSTCODE_SCORE = 0.95
WITH_CUE_SCORE = 0.9
NAME_ONLY_WITH_CUE_SCORE = 0.7


@dataclass(frozen=True)
class _Candidate:
    start: int
    name_end: int
    tier: str


class AddressStreetRecognizer(EntityRecognizer):
    LANGUAGES = ("de", "en")
    ENTITIES = ["ADDRESS"]

    def __init__(self, supported_language: str = "de") -> None:
        super().__init__(supported_entities=self.ENTITIES, name="AddressStreetRecognizer",
                         supported_language=supported_language)

    def load(self) -> None:
        # Read every list at start-up, not on the first prompt.
        place_index()
        load_lexicon()
        _not_a_street("")
        _prose_after_preposition("")

    def analyze(self, text, entities, nlp_artifacts=None):
        spans: list[tuple[int, int, float]] = []
        if not (_ANY_DIGIT.search(text) or _RESIDENCE_CUE.search(text)):
            return []  # neither a house number nor a residence cue: nothing can qualify
        for candidate in _candidates(text):
            found = _complete(text, candidate)
            if found:
                spans.append(found)
        return [self._result(start, end, score) for start, end, score in _drop_contained(spans)]

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            "ADDRESS", start, end, score, analysis_explanation=AnalysisExplanation(self.name, score),
            recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                  RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                                  RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True})


def _candidates(text: str):
    for m in _COMPOUND.finditer(text):
        word = m.group().rstrip(".").lower()
        last = word.rsplit("-", 1)[-1]
        if _not_a_street(word) or (_not_a_street(last) and last not in _BARE_STREET_WORDS):
            continue
        # "Marten-Mosemann-Platz": a hyphenated name before a street word is a street for sure.
        named = last in _BARE_STREET_WORDS and last != word
        weak = (not named and any(last.endswith(s) for s in _WEAK_SUFFIXES)
                and not last.endswith(("straße", "strasse")))
        adjective = _STREET_ADJECTIVE.search(text, max(0, m.start() - 12), m.start())
        yield _Candidate(adjective.start() if adjective else m.start(), m.end(), WEAK if weak else STRONG)
    for m in _LOWER_COMPOUND.finditer(text):
        yield _Candidate(m.start(), m.end(), WEAK)
    for m in _ADJECTIVE_STREET.finditer(text):
        if m.group(1) not in _ADJECTIVE_STOPWORDS:
            yield _Candidate(m.start(), m.end(), MEDIUM)
    for m in _SPACED_NAME_STREET.finditer(text):
        # Only a given name makes "X Y Straße" a person-named street: "Treffpunkt Frankfurter Allee" is not.
        if _is_given_name(m.group(1)):
            yield _Candidate(m.start(), m.end(), MEDIUM)
    for m in _GENITIVE_STREET.finditer(text):
        yield _Candidate(m.start(), m.end(), MEDIUM)
    for m in _PREPOSITIONAL.finditer(text):
        name = m.group(2)
        head = name.split()[-1]
        if _prose_after_preposition(head) or _prose_after_preposition(name.split()[0]):
            continue
        # "In der Lindenstraße 14" is a street after a preposition, not a street called so.
        if m.group(1).startswith(("In", "Im", "Bei")) and _COMPOUND.fullmatch(head):
            continue
        yield _Candidate(m.start(), m.end(), WEAK)
    for m in _PREPOSITIONAL_LOWER.finditer(text):
        name = m.group(2)
        if _prose_after_preposition(name.split()[-1]) or _prose_after_preposition(name.split()[0]):
            continue
        if _COMPOUND.fullmatch(name.split()[-1]):
            continue  # "im Lindenweg 3": the street itself is found without the preposition
        yield _Candidate(m.start(), m.end(), CUED)
    for m in _ALT_NAME.finditer(text):
        yield _Candidate(m.start(), m.end(), MEDIUM)
    if _ANY_POSTCODE.search(text):  # bare names count only before a postcode: skip the scan otherwise
        for m in _BARE_NAME.finditer(text):
            yield _Candidate(m.start(), m.end(), BARE)
        for m in _PO_BOX.finditer(text):
            yield _Candidate(m.start(), m.end(), PO_BOX)


def _is_given_name(word: str) -> bool:
    lexicon = load_lexicon()
    return lexicon.is_first_name(word) and not lexicon.is_noun(word)


def _complete(text: str, c: _Candidate) -> tuple[int, int, float] | None:
    if c.tier == PO_BOX:
        tail_end, tail_kind = _postcode_or_place(text, c.name_end, strict=True)
        return (c.start, tail_end, WITH_POSTCODE_SCORE) if tail_kind == "postcode" else None
    number = _HOUSE_NUMBER.match(text, c.name_end)
    if not number:
        if c.tier in (STRONG, MEDIUM) and _has_residence_cue(text, c.start):
            tail_end, _ = _postcode_or_place(text, c.name_end, strict=True)
            return c.start, tail_end or c.name_end, NAME_ONLY_WITH_CUE_SCORE
        return None
    end = number.end()
    flat = _FLAT.match(text, end)
    if flat:
        end = flat.end()
    tail_end, tail_kind = _postcode_or_place(text, end, strict=c.tier == BARE)
    if tail_kind.startswith("postcode"):
        return c.start, tail_end, WITH_POSTCODE_SCORE
    if c.tier == BARE or _YEAR_LIKE.fullmatch(number.group(1)):
        return None  # "Hauptstraße 2025 wird saniert" dates the street, it is no house number
    cue = _has_residence_cue(text, c.start)
    if c.tier == CUED and not cue:
        return None
    if c.tier == WEAK and not tail_end:
        if _COUNTED_NOUN.match(text, end):
            return None  # "Im Jahr 3 Anträge" counts things
        if known_place_end(text, c.start) == c.name_end:
            return None  # "Heidelberg 3" is a city and a count
    score = WITH_CUE_SCORE if cue or c.tier == CUED else _BASE_SCORE[c.tier]
    return c.start, tail_end or end, max(score, WITH_CUE_SCORE if tail_end and c.tier != WEAK else 0.0)


def _postcode_or_place(text: str, pos: int, strict: bool) -> tuple[int | None, str]:
    """End of a following "PLZ Ort" or ", Ort" / " in Ort" (known places only), and its kind:
    'postcode' (known place), 'postcode?' (unknown place, only if not strict) or 'place'."""
    lead = _POSTCODE_LEAD.match(text, pos)
    if lead:
        found = postcode_place_at(text, lead.end(), allow_unknown=not strict, check_postcode=strict)
        if found:
            return found.end, "postcode" if found.known else "postcode?"
        if not strict:
            foreign = _FOREIGN_POSTCODE_PLACE.match(text, lead.end())
            if foreign:
                return foreign.end(), "postcode?"
    lead = _PLACE_LEAD.match(text, pos)
    if lead:
        place = place_after(text, lead.end(), allow_unknown=False)
        if place:
            return place.end, "place"
    return None, ""


def _has_residence_cue(text: str, start: int) -> bool:
    window = text[max(0, start - _CONTEXT_WINDOW):start]
    breaks = list(_SENTENCE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    return bool(_RESIDENCE_CUE.search(window))


def _drop_contained(spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Keep the widest spans; one that swallows a more certain span inherits its score."""
    kept: list[list] = []
    for start, end, score in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        outer = next((k for k in kept if k[0] <= start and end <= k[1]), None)
        if outer is None:
            kept.append([start, end, score])
        else:
            outer[2] = max(outer[2], score)
    return sorted((k[0], k[1], k[2]) for k in kept)

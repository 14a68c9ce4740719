"""One clean view of a pasted text for the recognizers, with an exact map back.

Copy and paste from Word, PDF, web pages and chat tools brings characters no recognizer
expects: zero-width spaces and joiners, a byte-order mark, soft hyphens, non-breaking and
thin spaces as group separators, typographic dashes, fullwidth digits, HTML entities, an IBAN
broken over two lines, "name(at)example.org", spaced-out letters, whole lines in capitals.
Instead of teaching every recognizer every variant, the guard analyses one normalised view
and maps each finding back to the ORIGINAL characters, so a value with an invisible
character inside is replaced whole, invisible characters included.

The view is built from edits (original range -> replacement). Every view character remembers
the original range it came from; a view span maps to the original range from its first
character's start to its last character's end, which covers everything removed in between.
Edits that keep the length (title-casing a line in capitals) keep positions one to one.

Nothing here logs or raises with the text.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# Characters that render as nothing: removed from the view.
INVISIBLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
             "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
             "\u206a\u206b\u206c\u206d\u206e\u206f\ufeff")
# Every space that is not the ASCII space, tab or a line break becomes " ".
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Hyphens, dashes and minus signs become "-".
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"

_SPECIAL_CHAR = re.compile(
    f"[{INVISIBLE}{SPACES}{DASHES}\uff01-\uff5e\ufb00-\ufb06]|[^\\W\\d_][\u0300-\u036f]+")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
# "name(at)example.org", "name [at] example.org", "name @ example.org"
_OBFUSCATED_AT = re.compile(
    r"(?<=[\w.])(?:\s*(?:\(at\)|\[at\]|\{at\}|\(@\)|\[@\])\s*|\s+@\s*|\s*@\s+)"
    r"(?=[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b)", re.IGNORECASE)
# An IBAN broken over two lines: the break between two of its groups.
_IBAN_BREAK = re.compile(
    f"(?<![\\w])[A-Z]{{2}}\\d{{2}}(?:[ .\\-{SPACES}{INVISIBLE}]{{0,2}}[0-9A-Z]{{1,4}}){{0,7}}?"
    r"([ \t]*\r?\n[ \t]*)(?=[0-9A-Z]{1,4}\b)")
# "M a r i o n": four or more single letters separated by single spaces.
_SPACED_LETTERS = re.compile(r"(?<![^\s(\"'„:])(?:[^\W\d_] ){3,}[^\W\d_](?![^\s).,;:!?\"'“])")
_RUN_GAP = re.compile(r"[\s\d.,;:/()-]*")
_CAPS_WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?:-[^\W\d_]+)*(?![\w-])")
# A whole address in lower case ("am schlossberg 21, 35037 marburg"): street, number, PLZ, place.
_LOWER_ADDRESS = re.compile(
    r"(?<![\w-])(?:(am|im|an der|auf der|auf dem|zum|zur|hinter der|unter den) )?"
    r"([a-zäöü][a-zäöüß]+(?:-[a-zäöüß]+)*)( \d{1,4} ?[a-z]?, ?\d{5} )([a-zäöü][a-zäöüß]+(?:-[a-zäöüß]+)*)")
# Cheap tests whether anything at all needs the slow path (most prompts need none).
_SPECIAL_ANYWHERE = re.compile(f"[{INVISIBLE}{SPACES}{DASHES}\uff01-\uff5e\ufb00-\ufb06\u0300-\u036f]")
_AT_WORD = re.compile(r"[(\[{][aA][tT][)\]}]")
_IBAN_START = re.compile(r"[A-Z]{2}\d{2}")
_SPACED_RUN = re.compile(r"(?<!\S)\w \w \w \w")
_PLZ_LOWER = re.compile(r"\d ?[a-z]?, ?\d{5} [a-zäöü]")


def _needs_view(text: str) -> bool:
    return bool(
        _SPECIAL_ANYWHERE.search(text) or ("&" in text and _ENTITY.search(text))
        or " @" in text or "@ " in text or "@\t" in text or "\t@" in text or _AT_WORD.search(text)
        or ("\n" in text and _IBAN_START.search(text)) or _SPACED_RUN.search(text)
        or _PLZ_LOWER.search(text))


_CAPS_PAIR = re.compile(r"(?<![\w-])[^\W\d_a-zäöüß]{3,}(?![\w-])[^\n]*?(?<![\w-])[^\W\d_a-zäöüß]{3,}(?![\w-])")

# Small words that stay lower case when a line in capitals is turned into ordinary case.
_FUNCTION_WORDS = frozenset("""
der die das den dem des ein eine einen einem einer eines und oder aber an auf aus bei bis
durch für gegen in im ins mit nach ohne seit über um unter von vom vor zu zum zur am beim
ist sind war wird werden wurde hat haben bitte sie ich wir er es ihr mein meine ihre ihren
wegen als auch noch nicht nur so wie dass ob wenn weil the and or of to for with at by
""".split())


@dataclass(frozen=True)
class NormalizedText:
    """The view `text` of `original`; `starts[i]`/`ends[i]` bound view char i in the original."""
    original: str
    text: str
    starts: tuple[int, ...] | None = None  # None: the view is the original itself
    ends: tuple[int, ...] | None = None

    @property
    def is_identity(self) -> bool:
        return self.starts is None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original range behind view range [start, end)."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]


def normalize(text: str, is_lowercase_word: Callable[[str], bool] | None = None) -> NormalizedText:
    """Build the recognizers' view of `text` (see the module docstring)."""
    caps = _CAPS_PAIR.search(text) is not None
    if not caps and not _needs_view(text):
        return NormalizedText(text, text)
    edits: dict[int, tuple[int, str]] = {}  # start -> (end, replacement); no overlaps
    taken = bytearray(len(text))

    def add(start: int, end: int, replacement: str) -> None:
        """Earlier edits win: an entity or an "(at)" is decoded before its characters are."""
        if any(taken[start:end]):
            return
        taken[start:end] = b"\x01" * (end - start)
        edits[start] = (end, replacement)

    for m in _ENTITY.finditer(text):
        decoded = html.unescape(m.group(0))
        if decoded != m.group(0) and len(decoded) == 1:
            add(m.start(), m.end(), _normal_char(decoded))
    for m in _OBFUSCATED_AT.finditer(text):
        add(m.start(), m.end(), "@")
    for m in _IBAN_BREAK.finditer(text):
        before = text[m.start():m.start(1)]
        last_group = re.split(f"[ .\\-{SPACES}{INVISIBLE}]", before)[-1]
        add(m.start(1), m.end(1), "" if len(last_group) < 4 else " ")
    for m in _SPACED_LETTERS.finditer(text):
        for i in range(m.start() + 1, m.end(), 2):
            add(i, i + 1, "")
    for m in _SPECIAL_CHAR.finditer(text):
        replacement = _normal_char(m.group(0))
        if replacement != m.group(0):
            add(m.start(), m.end(), replacement)
    for m in _LOWER_ADDRESS.finditer(text):
        for group in (1, 2, 4):
            if m.group(group):
                add(m.start(group), m.start(group) + 1, m.group(group)[0].upper())
    if caps:
        _capital_lines(text, add, is_lowercase_word)
    if not edits:
        return NormalizedText(text, text)
    return _apply(text, edits)


def _normal_char(chars: str) -> str:
    if len(chars) == 1:
        if chars in INVISIBLE:
            return ""
        if chars in SPACES:
            return " "
        if chars in DASHES:
            return "-"
    return unicodedata.normalize("NFKC", chars)


def _capital_lines(text: str, add, is_lowercase_word: Callable[[str], bool] | None) -> None:
    """A line written in capitals gets ordinary case in the view: names, streets and places
    capitalised, small function words lower case, so the name and address rules apply."""
    pos = 0
    for line in text.split("\n"):
        if "-----" in line:  # a PEM armour line, not prose
            pos += len(line) + 1
            continue
        words = list(_CAPS_WORD.finditer(line))
        caps = [w for w in words if len(w.group(0)) >= 3 and w.group(0).isupper()]
        long_caps = [w for w in caps if len(w.group(0)) >= 4]
        mixed = [w for w in words if len(w.group(0)) >= 3 and not w.group(0).isupper()]
        if len(long_caps) >= 2 and len(caps) >= 2 * len(mixed) + 2:
            to_case = caps
        else:
            to_case = [w for run in _caps_runs(line, caps) for w in run]
        if to_case:
            for w in to_case:
                word = w.group(0)
                if any(len(part) < 3 for part in word.split("-")):
                    continue  # a licence plate or code ("B-AB", "HH-XY"), not a word
                lowered = word.lower()
                if lowered in _FUNCTION_WORDS or (is_lowercase_word is not None and len(word) > 4
                                                  and is_lowercase_word(lowered)):
                    new = lowered
                else:
                    new = "-".join(p[:1] + p[1:].lower() for p in word.split("-"))
                if len(new) == len(word) and new != word:
                    add(pos + w.start(), pos + w.end(), new)
        pos += len(line) + 1


def _caps_runs(line: str, caps: list[re.Match]) -> list[list[re.Match]]:
    """Runs of capitalised words inside an ordinary line ("… an FRAU KATHARINA OBERLÄNDER",
    "Anschrift: LINDENSTRASSE 14, 04109 LEIPZIG"): words with nothing but digits and
    punctuation between them. A run counts with three words, or with two around a number
    (an address); two acronyms side by side ("EU DSGVO") stay as they are."""
    runs: list[list[re.Match]] = []
    current: list[re.Match] = []
    numbered = False
    for word in caps:
        if current and _RUN_GAP.fullmatch(line[current[-1].end():word.start()]):
            numbered = numbered or any(c.isdigit() for c in line[current[-1].end():word.start()])
            current.append(word)
            continue
        if len(current) >= 3 or (len(current) == 2 and numbered):
            runs.append(current)
        current, numbered = [word], False
    if len(current) >= 3 or (len(current) == 2 and numbered):
        runs.append(current)
    return [run for run in runs if any(len(w.group(0)) >= 4 for w in run)]


def _apply(text: str, edits: dict[int, tuple[int, str]]) -> NormalizedText:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cursor = 0
    for start in sorted(edits):
        end, replacement = edits[start]
        if start > cursor:
            out.append(text[cursor:start])
            starts.extend(range(cursor, start))
            ends.extend(range(cursor + 1, start + 1))
        if len(replacement) == end - start:
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
        else:
            starts.extend([start] * len(replacement))
            ends.extend([end] * len(replacement))
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    starts.extend(range(cursor, len(text)))
    ends.extend(range(cursor + 1, len(text) + 1))
    return NormalizedText(text, "".join(out), tuple(starts), tuple(ends))


def canonical(value: str) -> str:
    """One key for spelling variants of a value: the view's text, spacing collapsed, casefolded."""
    return " ".join(normalize(value).text.split()).casefold()

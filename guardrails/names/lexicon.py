"""The name lists and word lists, loaded once per process into sets.

Lookups are set membership on the lower-cased token and on its diacritic-free fold, so
"Zieliński", "Zielinski" and "ZIELINSKI" behave alike. Nothing here decides whether a
span is a name: this module only answers "is this word known as X".
"""
from __future__ import annotations

import functools
import gzip
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
_UMLAUTS = frozenset("äöüß")
# Arabic and Hebrew name prefixes joined by a hyphen ("Al-Sayed", "Abu-Bakr").
_NAME_PREFIXES = frozenset("al el abu bin ben ibn ul ad as ash ar".split())


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case and strip diacritics (ß, ł and dotless ı have no decomposition)."""
    word = word.lower().replace("ß", "ss").replace("ł", "l").replace("ı", "i").replace("ø", "o")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _read_words(name: str, several_per_line: bool = False) -> frozenset[str]:
    """One entry per line ("los angeles" stays whole); hand-written lists may hold several
    words per line and `#` comments."""
    path = DATA_DIR / name
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    words: set[str] = set()
    for line in raw.decode("utf-8").splitlines():
        if several_per_line:
            words.update(word.lower() for word in line.split("#", 1)[0].split())
        elif line.strip():
            words.add(line.strip().lower())
    return frozenset(words)


@dataclass(frozen=True)
class Lexicon:
    first_names: frozenset[str]
    core_first_names: frozenset[str]  # frequent given names that are no ordinary word
    surnames: frozenset[str]
    common_words: frozenset[str]   # names that are also ordinary words: need a name cue
    nouns: frozenset[str]          # frequent capitalised German words that are not names
    lowercase_words: frozenset[str]
    english_words: frozenset[str]  # lower-case English vocabulary (includes some names)
    places: frozenset[str]
    non_names: frozenset[str]      # titles, role nouns, months, pronouns, greetings
    fictional: frozenset[str]      # "frau holle", "rotkäppchen"

    @staticmethod
    def _keys(word: str) -> tuple[str, str]:
        lowered = word.lower()
        return lowered, fold(lowered)

    def has(self, words: frozenset[str], word: str) -> bool:
        lowered, folded = self._keys(word)
        if lowered in words:
            return True
        # German umlauts carry meaning ("Öle" is not "Ole", "Völker" is not "Volker");
        # folding is for foreign diacritics typed without them ("Zielinski").
        return not any(c in _UMLAUTS for c in lowered) and folded in words

    def is_first_name(self, word: str) -> bool:
        return self.has(self.first_names, word) or self._all_parts(word, self.first_names)

    def is_core_first_name(self, word: str) -> bool:
        return self.has(self.core_first_names, word) or self._all_parts(word, self.core_first_names)

    def is_surname(self, word: str) -> bool:
        return self.has(self.surnames, word) or self._any_part_surname(word)

    def is_name(self, word: str) -> bool:
        return self.is_first_name(word) or self.is_surname(word)

    def is_common_word(self, word: str) -> bool:
        return word.lower() in self.common_words

    def is_noun(self, word: str) -> bool:
        return word.lower() in self.nouns

    def is_lowercase_word(self, word: str) -> bool:
        return word in self.lowercase_words

    def is_english_word(self, word: str) -> bool:
        return word.lower() in self.english_words

    def is_place(self, word: str) -> bool:
        return word.lower() in self.places

    def is_non_name(self, word: str) -> bool:
        return word.lower().rstrip(".") in self.non_names

    def is_fictional(self, phrase: str) -> bool:
        return " ".join(phrase.lower().split()) in self.fictional

    def _all_parts(self, word: str, words: frozenset[str]) -> bool:
        # "Hans-Georg", "Anna-Lena": every part a first name.
        parts = word.split("-")
        return len(parts) > 1 and all(self.has(words, p) for p in parts if p)

    def _any_part_surname(self, word: str) -> bool:
        # "Pfeiffer-Rasch", "Al-Sayed": a double-barrelled name with one known part and no
        # part that is an ordinary word or a place ("Kita-Gruppe", "Baden-Württemberg").
        parts = [p for p in word.split("-") if p]
        if len(parts) < 2:
            return False
        words = [p for p in parts if p.lower() not in _NAME_PREFIXES]
        wordlike = [p for p in words if self.is_noun(p) or self.is_place(p) or self.is_non_name(p) or p.islower()]
        # A surname that is also a noun ("Weißenborn-Kaiser", "Schmidt-Vogel") may stand beside
        # a part that is no word at all; "Koch-Rezept" and "Kita-Gruppe" stay words.
        if len(wordlike) == len(words) or any(
                p.islower() or self.is_place(p) or self.is_non_name(p) or not self.has(self.surnames, p)
                for p in wordlike):
            return False
        return any(len(p) > 2 and (self.has(self.surnames, p) or self.has(self.first_names, p))
                   for p in words)


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    return Lexicon(
        first_names=_read_words("first_names.txt.gz"),
        core_first_names=_read_words("core_first_names.txt.gz"),
        surnames=_read_words("surnames.txt.gz"),
        common_words=_read_words("common_words.txt"),
        nouns=_read_words("german_nouns.txt"),
        lowercase_words=_read_words("lowercase_words.txt"),
        english_words=_read_words("english_words.txt.gz"),
        places=_read_words("places.txt"),
        non_names=_read_words("non_names.txt", several_per_line=True),
        fictional=frozenset(" ".join(w.split()) for w in _read_lines("fictional_names.txt")),
    )


def _read_lines(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip().lower() for line in lines if line.strip() and not line.startswith("#")]

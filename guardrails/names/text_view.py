"""A text prepared for the name rules: its tokens plus lexicon-backed questions about them.

Every rule asks the same few questions (is this an excluded word, does it look like a German
noun, may it continue a name); answering them here, memoised per token, keeps the rules
short and the whole detector within a few milliseconds per thousand characters.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from guardrails.names import context_rules as rules
from guardrails.names.context_rules import Strength
from guardrails.names.lexicon import Lexicon
from guardrails.names.tokens import Token, adjacent, tokenize

MAX_NAME_TOKENS = 4
# Tails that mark a German compound noun ("Bauordnungsamt", "Vogelschutzrichtlinie").
_NOUN_SUFFIXES = ("ung", "ungen", "heit", "keit", "schaft", "amt", "ämter", "recht", "gesetz",
                  "straße", "strasse", "platz", "antrag", "bescheid", "stelle", "behörde",
                  "verwaltung", "büro", "ismus", "ität", "tion", "ment", "erei", "nis", "tum",
                  "richtlinie", "gebiet", "verfahren", "vertrag", "konto", "nummer", "datum")

# Tails typical of German surnames, which must not make a name look like a compound noun
# ("Oberländer", "Kellermann", "Steinmetz", "Hausmeister").
_NAME_SUFFIXES = ("mann", "berg", "berger", "stein", "feld", "bach", "baum", "hof", "hoff", "dorf",
                  "meier", "meyer", "maier", "mayer", "huber", "müller", "bauer", "länder", "reiter",
                  "meister", "macher", "hauser", "häuser", "wald", "heim", "kamp", "rath", "brink",
                  "horst", "hagen", "busch", "brock", "schmidt", "schmitt", "kötter", "metz", "ski",
                  "sky", "wicz", "witz", "ić", "ow", "ová", "enko", "escu", "oğlu")

# Abbreviated first names with a dot ("Ch. Wendehorst"); one-letter initials are handled apart.
_ABBREVIATED_FIRST_NAMES = frozenset({"Ch", "Chr", "Th", "Ph", "Joh", "Jos", "Wm"})

ADJECTIVE_ENDINGS = ("en", "em", "es", "er", "isch", "ische", "ischen")


def _has_inner_capital(word: str) -> bool:
    if word.isupper() or word[1:].islower():
        return False
    for part in re.split(r"[-'’]", word):
        inner = part[1:]
        if part.startswith(("Mc", "Mac", "Di", "De", "Le", "La", "Van", "Von")):
            inner = part[3:] if part.startswith(("Mac", "Van", "Von")) else part[2:]
        if any(c.isupper() for c in inner):
            return True
    return False


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    score: float
    rule: str


class Score:
    CUE_STRONG = 0.85
    CUE_WEAK = 0.75
    FIRST_AND_SURNAME = 0.85
    FIRST_AND_UNKNOWN = 0.7
    USERNAME = 0.8
    USERNAME_PLAIN = 0.6
    LOWERCASE = 0.6
    GENITIVE = 0.6
    NER_CONFIRMED = 0.85
    NER_ALONE = 0.5
    COORDINATED = 0.7
    REPEATED = 0.65
    LONE_FIRST_NAME = 0.6
    UNKNOWN_AND_SURNAME = 0.6
    NER_SURNAME = 0.6


class NameText:
    """One text's tokens plus the lexicon-backed questions the rules ask about them."""

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.lex = lexicon
        self._noun_cache: dict[int, bool] = {}
        self._excluded_cache: dict[int, bool] = {}
        self.starts = [t.start for t in self.tokens]

    def looks_like_noun(self, tok: Token) -> bool:
        cached = self._noun_cache.get(tok.index)
        if cached is None:
            cached = self._noun_cache[tok.index] = self._looks_like_noun(tok)
        return cached

    def _looks_like_noun(self, tok: Token) -> bool:
        word = tok.text.split("-")[-1].lower()
        if self.lex.is_noun(word):
            return True
        for ending in ("es", "s"):  # genitive of a noun: "Gottes", "Amtes"
            if word.endswith(ending) and self.lex.is_noun(word[:-len(ending)]):
                return True
        if word.endswith(_NAME_SUFFIXES):
            return False
        if word.endswith(_NOUN_SUFFIXES):
            return True
        # A compound whose tail is a frequent noun ("Fachaufsicht" -> "aufsicht").
        return len(word) >= 8 and any(self.lex.is_noun(word[i:]) for i in range(2, len(word) - 4))

    def is_excluded(self, tok: Token) -> bool:
        cached = self._excluded_cache.get(tok.index)
        if cached is None:
            cached = self._excluded_cache[tok.index] = self._is_excluded(tok)
        return cached

    def _is_excluded(self, tok: Token) -> bool:
        # Short all-capital words are acronyms (IBAN, DE, AOK), not names; nor are words
        # with capitals inside (InsO, BetrAVG), except name prefixes (McAllister, DiCaprio).
        if tok.text.isupper() and len(tok.text) <= 4:
            return True
        if _has_inner_capital(tok.text):
            return True
        return self.lex.is_non_name(tok.text) or rules.title_strength(tok.text) is not Strength.NONE

    def can_follow_cue(self, tok: Token, strength: Strength) -> bool:
        """May this capitalised token be the first word of a name right after a cue?"""
        if not tok.is_capitalised or self.is_excluded(tok):
            return False
        known = self.lex.is_name(tok.text)
        if self._is_place_name(tok) and not known:
            return False  # "die reichste Frau Frankreichs"
        if strength is Strength.STRONG:
            return known or not self.looks_like_noun(tok)
        if known:
            return not self.lex.is_common_word(tok.text)
        return not self.looks_like_noun(tok) and not self.lex.is_place(tok.text)

    def _is_place_name(self, tok: Token) -> bool:
        return self.lex.is_place(tok.text) or (tok.text.endswith("s") and self.lex.is_place(tok.text[:-1]))

    def is_foreign_word(self, tok: Token) -> bool:
        """An ordinary English or German word that is not a known name."""
        return not self.lex.is_name(tok.text) and (
            self.lex.is_english_word(tok.text) or self.lex.is_lowercase_word(tok.lower))

    def continues_name(self, tok: Token) -> bool:
        if not tok.is_capitalised or self.is_excluded(tok):
            return False
        if self.lex.is_name(tok.text):
            return not (self.lex.is_place(tok.text) and not self.lex.is_surname(tok.text))
        return not self.looks_like_noun(tok) and not self.lex.is_place(tok.text)

    def _is_initial(self, tok: Token) -> bool:
        return len(tok.text) == 1 and tok.text.isupper() and self.text[tok.end:tok.end + 1] == "."

    def _place_as_surname(self, chain: list[Token], tok: Token) -> bool:
        """A place name right after one known, unambiguous first name is a surname."""
        first = chain[0]
        return (len(chain) == 1 and tok.is_capitalised and not self.is_excluded(tok)
                and self.lex.is_place(tok.text) and not self.looks_like_noun(tok)
                and self.lex.is_core_first_name(first.text) and not self.lex.is_common_word(first.text)
                and not self.lex.is_place(first.text) and not first.sentence_initial)

    def chain(self, first: int) -> list[Token]:
        """The name-like tokens starting at `first`, with particles inside but not at the end."""
        tokens = self.tokens
        chain = [tokens[first]]
        j = first + 1
        if tokens[first].text in _ABBREVIATED_FIRST_NAMES and j < len(tokens) \
                and tokens[j].gap_before.strip() == "." and "\n" not in tokens[j].gap_before \
                and self.continues_name(tokens[j]):
            chain.append(tokens[j])  # "Ch. Wendehorst", "Th. Mann"
            j += 1
        while j < len(tokens) and len(chain) < MAX_NAME_TOKENS + 2:
            k = j
            if tokens[k].text in rules.LEADING_PARTICLES:  # "van der Berg", never "der Ruf"
                while k < len(tokens) and tokens[k].text in rules.PARTICLES and adjacent(tokens[k - 1], tokens[k]):
                    k += 1
            if k < len(tokens) and self._is_initial(tokens[k]) and k + 1 < len(tokens) \
                    and tokens[k + 1].gap_before.strip() == "." and self.continues_name(tokens[k + 1]):
                chain.extend(tokens[j:k + 2])  # "Hans J. Reichhardt"
                j = k + 2
                continue
            if k < len(tokens) and adjacent(tokens[k - 1], tokens[k]) and self._place_as_surname(chain, tokens[k]):
                chain.extend(tokens[j:k + 1])  # "Johannes Wittenberg": many surnames are places
                break
            if k >= len(tokens) or not adjacent(tokens[k - 1], tokens[k]) or not self.continues_name(tokens[k]):
                break
            chain.extend(tokens[j:k + 1])
            j = k + 1
        return chain


def words_between(doc: NameText, start: int, end: int) -> str:
    return " ".join(doc.text[start:end].split())


# -- list rules ----------------------------------------------------------------------------


def tokens_within(doc: NameText, start: int, end: int) -> list[Token]:
    first = bisect.bisect_left(doc.starts, start)
    out = []
    for tok in doc.tokens[first:]:
        if tok.start >= end:
            break
        if tok.end <= end:
            out.append(tok)
    return out


def index_after(doc: NameText, end: int) -> int:
    return bisect.bisect_left(doc.starts, end)


def after_article(doc: NameText, tok: Token) -> bool:
    if tok.index == 0:
        return False
    previous = doc.tokens[tok.index - 1]
    return adjacent(previous, tok) and previous.lower in rules.ARTICLES_AND_PREPOSITIONS

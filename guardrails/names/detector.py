"""Find person names by combining list evidence, name cues and (optionally) a statistical NER.

German capitalises every noun, so a capital letter alone says almost nothing. A span becomes
a name only when independent pieces of evidence agree:

* a name cue (Herr, Frau, Dr., "mein Name ist", a sign-off, a role noun) before capitalised
  words that do not look like ordinary nouns;
* a known first name followed by a known or at least noun-unlike surname;
* a known first name followed by a known surname in informal lower-case writing;
* a genitive of a known surname before a noun ("Müllers Antrag");
* an account name after "Benutzer"/"user"/"Login";
* a PERSON span from the NER model, which scores high when lists or cues agree and only
  moderately on its own, and never on a lone sentence-initial word, a noun or a title.

Names that are also ordinary words (Vogel, Koch, Fuchs) count only with a cue; a known
first name right before them is such a cue. Titles are never part of the span; particles
inside a name are ("Friederike von Saldern").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from guardrails.names import context_rules as rules
from guardrails.names.context_rules import Strength
from guardrails.names.lexicon import Lexicon, load_lexicon
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

_ADJECTIVE_ENDINGS = ("en", "em", "es", "er", "isch", "ische", "ischen")


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


class _Text:
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

    def chain(self, first: int) -> list[Token]:
        """The name-like tokens starting at `first`, with particles inside but not at the end."""
        tokens = self.tokens
        chain = [tokens[first]]
        j = first + 1
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
            if k >= len(tokens) or not adjacent(tokens[k - 1], tokens[k]) or not self.continues_name(tokens[k]):
                break
            chain.extend(tokens[j:k + 1])
            j = k + 1
        return chain


def find_person_names(text: str, language: str = "de",
                      ner_spans: Iterable[tuple[int, int]] = ()) -> list[NameSpan]:
    """All person-name spans in `text`, merged where they overlap."""
    doc = _Text(text, load_lexicon())
    found: list[NameSpan] = []
    found += _cue_names(doc)
    found += _list_names(doc)
    found += _lowercase_names(doc)
    found += _genitive_names(doc)
    found += _usernames(doc)
    found += _ner_names(doc, list(ner_spans), found)
    found += _coordinated_names(doc, found)
    found += _inverted_pairs(doc)
    found += _lone_first_names(doc, found)
    found += _repeated_names(doc, found)
    return _merge([s for s in found if not _after_non_person_label(doc, s)])


def _after_non_person_label(doc: _Text, span: NameSpan) -> bool:
    line_start = doc.text.rfind("\n", 0, span.start) + 1
    before = doc.text[max(line_start, span.start - 40):span.start].rstrip()
    return before.endswith(":") and bool(rules.NON_PERSON_LABEL.search(before + " "))


# -- cue rules -----------------------------------------------------------------------------
def _cue_names(doc: _Text) -> list[NameSpan]:
    found = []
    tokens = doc.tokens
    starts: dict[int, Strength] = {}
    for tok in tokens:
        strength = rules.title_strength(tok.text)
        if strength is Strength.NONE or (tok.is_lower and tok.lower in ("mann", "frau")):
            continue
        starts[tok.index + 1] = max(strength, starts.get(tok.index + 1, Strength.NONE))
    for end in rules.strong_phrase_ends(doc.text) + rules.sign_off_ends(doc.text):
        index = _first_token_after(doc, end)
        if index is not None:
            starts[index] = Strength.STRONG
    for index, strength in sorted(starts.items()):
        # Skip further titles and role nouns ("Herrn Dr. med.", "Vorsitzende Bürgermeister").
        while index < len(tokens) and tokens[index].is_capitalised and doc.is_excluded(tokens[index]) \
                and "\n" not in tokens[index].gap_before:
            strength = max(strength, rules.title_strength(tokens[index].text))
            index += 1
        if index >= len(tokens) or strength is Strength.NONE:
            continue
        span = _name_after_cue(doc, index, strength)
        if span:
            found.append(span)
    return found


def _first_token_after(doc: _Text, offset: int) -> int | None:
    index = bisect.bisect_left(doc.starts, offset)
    if index >= len(doc.tokens):
        return None
    between = doc.text[offset:doc.tokens[index].start]
    return index if all(c in " \t\n\r:,-–\"„»(" for c in between) else None


def _name_after_cue(doc: _Text, index: int, strength: Strength) -> NameSpan | None:
    tokens = doc.tokens
    first = index
    if tokens[first].text in rules.LEADING_PARTICLES:
        while first < len(tokens) and tokens[first].text in rules.PARTICLES:
            first += 1  # "Herr von Saldern": the particle belongs to the name
    if first < len(tokens) and strength is Strength.STRONG and _lowercase_first_name(doc, tokens[first]):
        chain = [tokens[first]]
        nxt = tokens[first + 1] if first + 1 < len(tokens) else None
        if nxt is not None and adjacent(tokens[first], nxt) and nxt.is_lower and doc.lex.is_surname(nxt.text) \
                and not doc.lex.is_lowercase_word(nxt.text):
            chain.append(nxt)  # "hallo jana petersen"
        return NameSpan(chain[0].start, chain[-1].end, Score.LOWERCASE, "cue")
    if first >= len(tokens) or not doc.can_follow_cue(tokens[first], strength):
        return None
    if first != index and strength is not Strength.STRONG:
        return None  # "Fall von Konstantinopel": only a title may precede a particle name
    if first != index and not all(adjacent(tokens[i], tokens[i + 1]) for i in range(index, first)):
        return None
    chain = doc.chain(first)
    start = tokens[index].start
    if doc.lex.is_fictional(_words(doc, start, chain[-1].end)) or _fictional_with_title(doc, index, chain):
        return None
    end = chain[-1].end
    inverted = _inverted_first_name(doc, chain)
    if inverted is not None:
        end = inverted.end
    score = Score.CUE_STRONG if strength is Strength.STRONG else Score.CUE_WEAK
    return NameSpan(start, end, score, "cue")


def _lowercase_first_name(doc: _Text, tok: Token) -> bool:
    """Informal writing: 'hallo jana,' - a lower-case given name that is no ordinary word."""
    return tok.is_lower and len(tok.text) >= 3 and doc.lex.is_core_first_name(tok.text) \
        and not doc.lex.is_lowercase_word(tok.text) and not doc.lex.is_english_word(tok.text) \
        and not doc.lex.is_non_name(tok.text)


def _fictional_with_title(doc: _Text, index: int, chain: list[Token]) -> bool:
    if index == 0:
        return False
    title = doc.tokens[index - 1].text
    return doc.lex.is_fictional(f"{title} {_words(doc, doc.tokens[index].start, chain[-1].end)}")


def _inverted_first_name(doc: _Text, chain: list[Token]) -> Token | None:
    """'Kunde: Wagner, Dmitri' - a list label followed by surname, comma, first name."""
    last = chain[-1]
    if len(chain) != 1 or last.index + 1 >= len(doc.tokens):
        return None
    if not rules.INVERTED_LABEL.search(doc.text[max(0, chain[0].start - 40):chain[0].start]):
        return None
    nxt = doc.tokens[last.index + 1]
    if nxt.gap_before.strip() == "," and "\n" not in nxt.gap_before and doc.lex.is_first_name(nxt.text) \
            and nxt.is_capitalised and not doc.is_excluded(nxt):
        return nxt
    return None


def _words(doc: _Text, start: int, end: int) -> str:
    return " ".join(doc.text[start:end].split())


# -- list rules ----------------------------------------------------------------------------
def _list_names(doc: _Text) -> list[NameSpan]:
    found = []
    tokens = doc.tokens
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        span = None
        if tok.is_capitalised and not doc.is_excluded(tok) and tok.lower not in rules.PARTICLES \
                and doc.lex.is_first_name(tok.text):
            chain = doc.chain(i)
            span = _judge_first_name_chain(doc, chain)
        if span is None:
            span = _unknown_then_surname(doc, i)
        if span is not None:
            found.append(span)
            i = _index_after(doc, span.end)
        else:
            i += 1
    return found


def _index_after(doc: _Text, end: int) -> int:
    return bisect.bisect_left(doc.starts, end)


def _judge_first_name_chain(doc: _Text, chain: list[Token]) -> NameSpan | None:
    names = [t for t in chain if t.text not in rules.PARTICLES]
    if len(names) < 2:
        return None
    first, last = names[0], names[-1]
    lex = doc.lex
    first_common = (lex.is_common_word(first.text) or lex.is_place(first.text)
                    or lex.is_lowercase_word(first.lower) or len(first.text) <= 2)
    last_known = lex.is_surname(last.text) and not lex.is_common_word(last.text) \
        and not lex.is_lowercase_word(last.lower)
    last_plausible = last_known or not (doc.looks_like_noun(last) or doc.is_foreign_word(last)
                                        or lex.is_common_word(last.text) or lex.is_place(last.text))
    if any(doc.is_foreign_word(t) for t in names[1:-1]):
        return None
    if lex.is_place(_words(doc, first.start, last.end)):
        return None
    if first.sentence_initial and first_common:
        return None  # a capital at a sentence start proves nothing
    if first_common and _after_article(doc, first):
        return None  # "im Osten Hüttingen", "der Winter Berlins"
    names_in_middle = [t for t in names[1:-1] if len(t.text) > 1]
    if any(not lex.is_name(t.text) for t in names_in_middle) and not last_known:
        return None
    if not first_common and last_known:
        score = Score.FIRST_AND_SURNAME
    elif not first_common and (last_plausible or lex.is_surname(last.text)):
        # A solid first name is itself a name cue, even before "Lange" or "Kühne".
        score = Score.FIRST_AND_UNKNOWN
    elif first_common and last_known:
        score = Score.FIRST_AND_UNKNOWN
    else:
        return None
    if lex.is_fictional(_words(doc, first.start, last.end)):
        return None
    return NameSpan(first.start, last.end, score, "first+surname")


def _after_article(doc: _Text, tok: Token) -> bool:
    if tok.index == 0:
        return False
    previous = doc.tokens[tok.index - 1]
    return adjacent(previous, tok) and previous.lower in rules.ARTICLES_AND_PREPOSITIONS


def _unknown_then_surname(doc: _Text, i: int) -> NameSpan | None:
    """'Olumide Adeyemi': a first name missing from the lists before a known surname."""
    tokens = doc.tokens
    tok = tokens[i]
    if i + 1 >= len(tokens) or tok.sentence_initial or not tok.is_capitalised or doc.is_excluded(tok):
        return None
    if doc.lex.is_name(tok.text) or doc.looks_like_noun(tok) or doc.lex.is_place(tok.text):
        return None
    if doc.lex.is_lowercase_word(tok.lower) or tok.lower.endswith(_ADJECTIVE_ENDINGS + ("s",)) \
            or "-" in tok.text or doc.lex.is_english_word(tok.text):
        return None  # "Fünften Buchs", "Nieheimer Käse": inflected adjectives, not first names
    nxt = tokens[i + 1]
    if not adjacent(tok, nxt) or not nxt.is_capitalised or doc.is_excluded(nxt) or doc.looks_like_noun(nxt):
        return None
    if doc.lex.has(doc.lex.surnames, nxt.text) and not doc.lex.is_common_word(nxt.text) \
            and not doc.lex.is_first_name(nxt.text) and not doc.lex.is_place(nxt.text) \
            and not doc.lex.is_english_word(nxt.text):
        return NameSpan(tok.start, nxt.end, Score.GENITIVE, "unknown+surname")
    return None


def _lowercase_names(doc: _Text) -> list[NameSpan]:
    """'hab grad mit jana petersen telefoniert': informal writing without capitals."""
    found = []
    lex = doc.lex
    for left, right in zip(doc.tokens, doc.tokens[1:]):
        if not (left.is_lower and right.is_lower and adjacent(left, right)):
            continue
        if len(left.text) < 3 or len(right.text) < 3:
            continue
        if lex.is_lowercase_word(left.text) or lex.is_lowercase_word(right.text):
            continue
        if left.lower in lex.first_names and lex.is_surname(right.text) and not lex.is_non_name(left.text) \
                and not lex.is_common_word(right.text):
            found.append(NameSpan(left.start, right.end, Score.LOWERCASE, "lowercase"))
    return found


def _genitive_names(doc: _Text) -> list[NameSpan]:
    """'Müllers Antrag': a surname's genitive before a noun, without an article before it."""
    found = []
    lex = doc.lex
    tokens = doc.tokens
    for i, tok in enumerate(tokens[:-1]):
        text = tok.text
        if not tok.is_capitalised or len(text) < 4:
            continue
        if text.endswith(("'s", "’s")):
            stem = text[:-2]
        elif text.endswith(("s", "z", "x", "ß")) and doc.text[tok.end:tok.end + 1] in ("'", "’"):
            stem = text  # "Schmitz' Unterlagen"
        elif text.endswith("s"):
            stem = text[:-1]
        else:
            continue
        if lex.is_noun(text) or lex.is_non_name(text) or lex.is_noun(stem) or lex.is_place(stem) \
                or lex.is_lowercase_word(tok.lower) or doc.is_excluded(tok):
            continue
        if not lex.is_surname(stem) or lex.is_common_word(stem):
            continue
        nxt = tokens[i + 1]
        if not (adjacent(tok, nxt) or nxt.gap_before.strip() in ("'", "’")) or not nxt.is_capitalised:
            continue
        if not doc.looks_like_noun(nxt) or tok.lower in rules.PARTICLES:
            continue  # the possessed thing is a noun: "Müllers Antrag", not "Reuters Unterdessen"
        if i > 0 and tokens[i - 1].lower in rules.ARTICLES and adjacent(tokens[i - 1], tok):
            continue
        found.append(NameSpan(tok.start, tok.end, Score.GENITIVE, "genitive"))
    return found


def _inverted_pairs(doc: _Text) -> list[NameSpan]:
    """'Jansen, Maike; Okonkwo, Chidi': surname, comma, first name as a list entry."""
    found = []
    lex = doc.lex
    tokens = doc.tokens
    for i, (surname, first) in enumerate(zip(tokens, tokens[1:])):
        if first.gap_before.strip() != "," or "\n" in first.gap_before:
            continue
        if not (surname.is_capitalised and first.is_capitalised) or doc.is_excluded(surname) or doc.is_excluded(first):
            continue
        if not lex.is_surname(surname.text) or lex.is_common_word(surname.text) or lex.is_place(surname.text):
            continue
        if doc.looks_like_noun(surname) or lex.is_common_word(first.text) \
                or not (lex.is_first_name(first.text) or not doc.looks_like_noun(first)):
            continue
        opens = i == 0 or any(c in surname.gap_before for c in ":;\n(•")
        after = tokens[i + 2].gap_before if i + 2 < len(tokens) else doc.text[first.end:]
        closes = i + 2 >= len(tokens) or any(c in after for c in ";\n)") or after.strip() == "."
        if opens and closes:
            found.append(NameSpan(surname.start, first.end, Score.FIRST_AND_UNKNOWN, "inverted"))
    return found


def _lone_first_names(doc: _Text, found: list[NameSpan]) -> list[NameSpan]:
    """'Volker meinte ...', 'Rückruf bitte an Malte': a frequent given name standing alone.
    Only names that are no ordinary German or English word and no place qualify."""
    out = []
    lex = doc.lex
    for tok in doc.tokens:
        if not tok.is_capitalised or doc.is_excluded(tok) or any(s.start <= tok.start < s.end for s in found):
            continue
        if not lex.is_core_first_name(tok.text) or lex.is_common_word(tok.text) or doc.looks_like_noun(tok):
            continue
        if lex.is_english_word(tok.text) or lex.is_lowercase_word(tok.lower) or doc._is_place_name(tok):
            continue
        if tok.followed_by_dot(doc.text) and len(tok.text) <= 4:
            continue  # an abbreviation ("Abb.", "Ziff.")
        nxt = doc.tokens[tok.index + 1] if tok.index + 1 < len(doc.tokens) else None
        if nxt is not None and adjacent(tok, nxt) and nxt.is_capitalised and not nxt.sentence_initial:
            continue  # part of a longer capitalised phrase the other rules judged already
        out.append(NameSpan(tok.start, tok.end, Score.LONE_FIRST_NAME, "first name"))
    return out


def _usernames(doc: _Text) -> list[NameSpan]:
    found = []
    for match in rules.USERNAME.finditer(doc.text):
        handle = match.group("handle")
        lowered = handle.lower()
        if lowered in rules.SYSTEM_ACCOUNTS or len(handle) < 3:
            continue
        structured = any(c in handle for c in "._-") or any(c.isdigit() for c in handle)
        if structured:
            found.append(NameSpan(match.start("handle"), match.end("handle"), Score.USERNAME, "username"))
        elif handle.islower() and not doc.lex.is_lowercase_word(handle) and not handle.endswith(_ADJECTIVE_ENDINGS):
            if not doc.lex.is_noun(handle) and not doc.lex.is_non_name(handle):
                found.append(NameSpan(match.start("handle"), match.end("handle"), Score.USERNAME_PLAIN, "username"))
    return found


# -- statistical NER ------------------------------------------------------------------------
def _ner_names(doc: _Text, ner_spans: Sequence[tuple[int, int]], found: list[NameSpan]) -> list[NameSpan]:
    out = []
    for inside in _ner_chunks(doc, ner_spans):
        start, end = inside[0].start, inside[-1].end
        if any(s.start < end and start < s.end for s in found):
            out.append(NameSpan(start, end, Score.NER_CONFIRMED, "ner+rules"))
            continue
        if doc.lex.is_fictional(_words(doc, start, end)):
            continue
        known = [t for t in inside if doc.lex.is_name(t.text) and not doc.lex.is_common_word(t.text)
                 and not doc.looks_like_noun(t) and not doc.lex.is_place(t.text)]
        single = len(inside) == 1
        if single and (doc.lex.is_english_word(inside[0].text) or doc.lex.is_lowercase_word(inside[0].lower)):
            continue
        if single and inside[0].sentence_initial:
            tok = inside[0]
            if doc.lex.has(doc.lex.surnames, tok.text) and not doc.lex.is_common_word(tok.text) \
                    and not doc.lex.is_first_name(tok.text) and not doc.looks_like_noun(tok):
                out.append(NameSpan(tok.start, tok.end, Score.GENITIVE, "ner+surname"))
            continue
        if known \
                and not any(doc.looks_like_noun(t) and not doc.lex.is_name(t.text) for t in inside):
            out.append(NameSpan(start, end, Score.NER_CONFIRMED, "ner+list"))
        elif len(inside) > 1 and _plausible_alone(doc, inside):
            # A lone unknown word is too weak even for the model: German nouns look alike.
            out.append(NameSpan(start, end, Score.NER_ALONE, "ner"))
    return out


def _ner_chunks(doc: _Text, ner_spans: Sequence[tuple[int, int]]) -> list[list[Token]]:
    """The model's spans cut into runs of name-like tokens: titles it swallowed ("Herr
    Müller"), punctuation ("Schmidt / Brinkmann") and lower-case words end a run."""
    chunks = []
    for start, end in ner_spans:
        run: list[Token] = []
        for tok in _tokens_within(doc, start, end):
            # After the first word, only words that may continue a name ("von der
            # Ausländerbehörde" ends at the authority).
            name_like = doc.continues_name(tok) if run else tok.is_capitalised and not doc.is_excluded(tok)
            particle = tok.text in rules.PARTICLES and bool(run)
            if (name_like or particle) and (not run or adjacent(run[-1], tok)):
                run.append(tok)
                continue
            chunks.append(run)
            run = [tok] if name_like else []
        chunks.append(run)
    return [_strip_particles(c) for c in chunks if _strip_particles(c)]


def _strip_particles(run: list[Token]) -> list[Token]:
    while run and run[-1].text in rules.PARTICLES:
        run = run[:-1]
    return run


def _plausible_alone(doc: _Text, inside: list[Token]) -> bool:
    if any(not t.is_capitalised for t in inside if t.text not in rules.PARTICLES):
        return False
    if len(inside) == 1 and inside[0].sentence_initial:
        return False
    return not any(doc.looks_like_noun(t) or doc.lex.is_place(t.text) or doc.lex.is_common_word(t.text)
                   or doc.is_foreign_word(t) or t.lower.endswith(_ADJECTIVE_ENDINGS) and not doc.lex.is_name(t.text)
                   for t in inside)


# -- spreading evidence --------------------------------------------------------------------
def _coordinated_names(doc: _Text, found: list[NameSpan]) -> list[NameSpan]:
    """'Anna und Peter Schmidt': a first name joined by 'und' to a found name."""
    out = []
    starts = {s.start for s in found}
    for tok in doc.tokens:
        if tok.start not in starts or tok.index < 2:
            continue
        conj, left = doc.tokens[tok.index - 1], doc.tokens[tok.index - 2]
        if conj.lower in rules.CONJUNCTIONS and adjacent(left, conj) and adjacent(conj, tok) \
                and left.is_capitalised and not doc.is_excluded(left) \
                and doc.lex.is_first_name(left.text) and not doc.lex.is_common_word(left.text):
            out.append(NameSpan(left.start, left.end, Score.COORDINATED, "coordinated"))
    return out


def _repeated_names(doc: _Text, found: list[NameSpan]) -> list[NameSpan]:
    """A word already found as a name is a name again elsewhere in the same text
    ("Frau Okafor ... Okafor hat"), unless it is also an ordinary word."""
    known: set[str] = set()
    covered: set[int] = set()
    for span in found:
        inside = _tokens_within(doc, span.start, span.end)
        covered.update(t.index for t in inside)
        if span.score < Score.FIRST_AND_UNKNOWN or span.rule in ("username", "coordinated") \
                or span.rule.startswith("ner"):
            continue
        known.update(t.text for t in inside
                     if t.is_capitalised and not doc.lex.is_common_word(t.text) and not doc.is_excluded(t)
                     and not doc.looks_like_noun(t))
    if not known:
        return []
    return [NameSpan(t.start, t.end, Score.REPEATED, "repeated") for t in doc.tokens
            if t.text in known and t.index not in covered]


def _tokens_within(doc: _Text, start: int, end: int) -> list[Token]:
    first = bisect.bisect_left(doc.starts, start)
    out = []
    for tok in doc.tokens[first:]:
        if tok.start >= end:
            break
        if tok.end <= end:
            out.append(tok)
    return out


def _merge(spans: list[NameSpan]) -> list[NameSpan]:
    merged: list[NameSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            best = last if last.score >= span.score else span
            merged[-1] = NameSpan(last.start, max(last.end, span.end), best.score, best.rule)
        else:
            merged.append(span)
    return merged

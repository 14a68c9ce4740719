"""Names announced by a cue: a title, a role noun, a phrase ("mein Name ist"), a sign-off.

The cue is never part of the span. Strong cues accept a capitalised word even when it is an
ordinary noun too (Herr Vogel); weak cues (role nouns) want a known name or a word that does
not look like a noun. Lists after a label may give "Nachname, Vorname".
"""
from __future__ import annotations

import bisect

from guardrails.names import context_rules as rules
from guardrails.names.context_rules import Strength
from guardrails.names.text_view import NameSpan, NameText, Score, words_between
from guardrails.names.tokens import Token, adjacent

def cue_names(doc: NameText) -> list[NameSpan]:
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
    for end in rules.inline_sign_off_ends(doc.text):
        index = _first_token_after(doc, end)
        if index is not None and _plain_first_name(doc, tokens[index]):
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


def _first_token_after(doc: NameText, offset: int) -> int | None:
    index = bisect.bisect_left(doc.starts, offset)
    if index >= len(doc.tokens):
        return None
    between = doc.text[offset:doc.tokens[index].start]
    return index if all(c in " \t\n\r:,-–\"„»(" for c in between) else None


def _name_after_cue(doc: NameText, index: int, strength: Strength) -> NameSpan | None:
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
    if doc.lex.is_fictional(words_between(doc, start, chain[-1].end)) or _fictional_with_title(doc, index, chain):
        return None
    end = chain[-1].end
    inverted = _inverted_first_name(doc, chain)
    if inverted is not None:
        end = inverted.end
    score = Score.CUE_STRONG if strength is Strength.STRONG else Score.CUE_WEAK
    return NameSpan(start, end, score, "cue")


def _plain_first_name(doc: NameText, tok: Token) -> bool:
    lex = doc.lex
    return (tok.is_capitalised and lex.is_first_name(tok.text) and not lex.is_common_word(tok.text)
            and not lex.is_lowercase_word(tok.lower) and not lex.is_noun(tok.text) and not doc.is_excluded(tok)
            and not lex.is_place(tok.text) and not lex.is_english_word(tok.text))


def _lowercase_first_name(doc: NameText, tok: Token) -> bool:
    """Informal writing: 'hallo jana,' - a lower-case given name that is no ordinary word."""
    return tok.is_lower and len(tok.text) >= 3 and doc.lex.is_core_first_name(tok.text) \
        and not doc.lex.is_lowercase_word(tok.text) and not doc.lex.is_english_word(tok.text) \
        and not doc.lex.is_non_name(tok.text)


def _fictional_with_title(doc: NameText, index: int, chain: list[Token]) -> bool:
    if index == 0:
        return False
    title = doc.tokens[index - 1].text
    return doc.lex.is_fictional(f"{title} {words_between(doc, doc.tokens[index].start, chain[-1].end)}")


def _inverted_first_name(doc: NameText, chain: list[Token]) -> Token | None:
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

"""The statistical NER model's PERSON spans as one more piece of evidence.

A model span that agrees with a list name or a rule scores high; alone it scores moderately
and only when it is several capitalised words that look like no noun, place or title. German
capitalises every noun, so a lone unknown word from the model is not trusted.
"""
from __future__ import annotations

from typing import Sequence

from guardrails.names import context_rules as rules
from guardrails.names.text_view import ADJECTIVE_ENDINGS, NameSpan, NameText, Score, tokens_within, words_between
from guardrails.names.tokens import Token, adjacent

def ner_names(doc: NameText, ner_spans: Sequence[tuple[int, int]], found: list[NameSpan]) -> list[NameSpan]:
    out = []
    for inside in _ner_chunks(doc, ner_spans):
        start, end = inside[0].start, inside[-1].end
        if any(s.start < end and start < s.end for s in found):
            out.append(NameSpan(start, end, Score.NER_CONFIRMED, "ner+rules"))
            continue
        if doc.lex.is_fictional(words_between(doc, start, end)):
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
                out.append(NameSpan(tok.start, tok.end, Score.NER_SURNAME, "ner+surname"))
            continue
        if known \
                and not any(doc.looks_like_noun(t) and not doc.lex.is_name(t.text) for t in inside):
            out.append(NameSpan(start, end, Score.NER_CONFIRMED, "ner+list"))
        elif len(inside) > 1 and _plausible_alone(doc, inside):
            # A lone unknown word is too weak even for the model: German nouns look alike.
            out.append(NameSpan(start, end, Score.NER_ALONE, "ner"))
    return out


def _ner_chunks(doc: NameText, ner_spans: Sequence[tuple[int, int]]) -> list[list[Token]]:
    """The model's spans cut into runs of name-like tokens: titles it swallowed ("Herr
    Müller"), punctuation ("Schmidt / Brinkmann") and lower-case words end a run."""
    chunks = []
    for start, end in ner_spans:
        run: list[Token] = []
        for tok in tokens_within(doc, start, end):
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


def _plausible_alone(doc: NameText, inside: list[Token]) -> bool:
    if any(not t.is_capitalised for t in inside if t.text not in rules.PARTICLES):
        return False
    if len(inside) == 1 and inside[0].sentence_initial:
        return False
    return not any(doc.looks_like_noun(t) or doc.lex.is_place(t.text) or doc.lex.is_common_word(t.text)
                   or doc.is_foreign_word(t) or t.lower.endswith(ADJECTIVE_ENDINGS) and not doc.lex.is_name(t.text)
                   for t in inside)


# -- spreading evidence --------------------------------------------------------------------

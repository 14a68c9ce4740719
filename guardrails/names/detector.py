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

from typing import Iterable

from guardrails.names import context_rules as rules
from guardrails.names.cue_rules import cue_names
from guardrails.names.lexicon import load_lexicon
from guardrails.names.list_rules import (
    bell_list_names, dotted_handles, names_before_role_brackets, genitive_names, inverted_pairs, list_names, lone_first_names,
    lowercase_first_names, lowercase_names, usernames)
from guardrails.names.ner_evidence import ner_names
from guardrails.names.text_view import NameSpan, NameText, Score, tokens_within
from guardrails.names.tokens import adjacent

__all__ = ["NameSpan", "find_person_names"]


def find_person_names(text: str, language: str = "de",
                      ner_spans: Iterable[tuple[int, int]] = ()) -> list[NameSpan]:
    """All person-name spans in `text`, merged where they overlap."""
    doc = NameText(text, load_lexicon())
    found: list[NameSpan] = []
    found += cue_names(doc)
    found += list_names(doc)
    found += lowercase_names(doc)
    found += genitive_names(doc)
    found += usernames(doc)
    found += dotted_handles(doc)
    found += bell_list_names(doc)
    found += names_before_role_brackets(doc)
    found += ner_names(doc, list(ner_spans), found)
    found += _coordinated_names(doc, found)
    found += inverted_pairs(doc)
    found += lone_first_names(doc, found)
    found += lowercase_first_names(doc, found)
    found += _repeated_names(doc, found)
    return _merge([s for s in found if not _after_non_person_label(doc, s)])


def _after_non_person_label(doc: NameText, span: NameSpan) -> bool:
    """Is the span (part of) the value of a form field such as "Geburtsort:" on its line?"""
    line_start = doc.text.rfind("\n", 0, span.start) + 1
    prefix = doc.text[max(line_start, span.start - 60):span.start]
    colon = prefix.rfind(":")
    if colon < 0 or any(c in prefix[colon:] for c in ",;"):
        return False
    return bool(rules.NON_PERSON_LABEL.search(prefix[:colon + 1] + " "))


def _coordinated_names(doc: NameText, found: list[NameSpan]) -> list[NameSpan]:
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


def _repeated_names(doc: NameText, found: list[NameSpan]) -> list[NameSpan]:
    """A word already found as a name is a name again elsewhere in the same text
    ("Frau Okafor ... Okafor hat"), unless it is also an ordinary word."""
    known: set[str] = set()
    covered: set[int] = set()
    for span in found:
        inside = tokens_within(doc, span.start, span.end)
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

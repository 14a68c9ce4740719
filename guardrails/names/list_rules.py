"""Names recognised from the name lists, without a cue in front.

A known first name followed by a known or noun-unlike surname, informal lower-case pairs, a
surname's genitive before a noun, list entries "Nachname, Vorname", frequent given names that
are no ordinary word, and account names in log lines.
"""
from __future__ import annotations

import re

from guardrails.names import context_rules as rules
from guardrails.names.text_view import (
    ADJECTIVE_ENDINGS, NameSpan, NameText, Score, after_article, index_after, tokens_within, words_between)
from guardrails.names.tokens import Token, adjacent

def list_names(doc: NameText) -> list[NameSpan]:
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
            i = index_after(doc, span.end)
        else:
            i += 1
    return found


def _judge_first_name_chain(doc: NameText, chain: list[Token]) -> NameSpan | None:
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
    if lex.is_place(words_between(doc, first.start, last.end)):
        return None
    if first.sentence_initial and first_common:
        return None  # a capital at a sentence start proves nothing
    if first_common and after_article(doc, first):
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
    if lex.is_fictional(words_between(doc, first.start, last.end)):
        return None
    return NameSpan(first.start, last.end, score, "first+surname")


def _unknown_then_surname(doc: NameText, i: int) -> NameSpan | None:
    """'Olumide Adeyemi': a first name missing from the lists before a known surname."""
    tokens = doc.tokens
    tok = tokens[i]
    if i + 1 >= len(tokens) or tok.sentence_initial or not tok.is_capitalised or doc.is_excluded(tok):
        return None
    if doc.lex.is_name(tok.text) or doc.looks_like_noun(tok) or doc.lex.is_place(tok.text):
        return None
    if doc.lex.is_lowercase_word(tok.lower) or tok.lower.endswith(ADJECTIVE_ENDINGS + ("s",)) \
            or "-" in tok.text or doc.lex.is_english_word(tok.text):
        return None  # "Fünften Buchs", "Nieheimer Käse": inflected adjectives, not first names
    nxt = tokens[i + 1]
    if not adjacent(tok, nxt) or not nxt.is_capitalised or doc.is_excluded(nxt) or doc.looks_like_noun(nxt):
        return None
    if doc.lex.has(doc.lex.surnames, nxt.text) and not doc.lex.is_common_word(nxt.text) \
            and not doc.lex.is_first_name(nxt.text) and not doc.lex.is_place(nxt.text) \
            and not doc.lex.is_english_word(nxt.text):
        return NameSpan(tok.start, nxt.end, Score.UNKNOWN_AND_SURNAME, "unknown+surname")
    return None


def lowercase_names(doc: NameText) -> list[NameSpan]:
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
        elif lex.is_core_first_name(left.text) and not lex.is_non_name(left.text) and _unknown_word(lex, right.text):
            # "ich bin mehmet özdemir": a frequent first name, then a word no list knows.
            found.append(NameSpan(left.start, right.end, Score.LOWERCASE, "lowercase, unlisted surname"))
    return found


def _unknown_word(lex, word: str) -> bool:
    return not (lex.is_noun(word) or lex.is_english_word(word) or lex.is_place(word)
                or lex.is_first_name(word) or lex.is_non_name(word))


def genitive_names(doc: NameText) -> list[NameSpan]:
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


def inverted_pairs(doc: NameText) -> list[NameSpan]:
    """'Jansen, Maike; Okonkwo, Chidi': surname, comma, first name as a list entry."""
    found = []
    lex = doc.lex
    tokens = doc.tokens
    for i, (surname, first) in enumerate(zip(tokens, tokens[1:])):
        if first.gap_before.strip() != "," or "\n" in first.gap_before:
            continue
        if not (surname.is_capitalised and first.is_capitalised) or doc.is_excluded(surname) or doc.is_excluded(first):
            continue
        unlisted_ok = lex.is_core_first_name(first.text) and not lex.is_name(surname.text) \
            and not lex.is_english_word(surname.text) and not lex.is_lowercase_word(surname.lower)
        if not (lex.is_surname(surname.text) or unlisted_ok) or lex.is_common_word(surname.text) \
                or lex.is_place(surname.text):
            continue  # an unlisted surname needs a frequent first name after it ("Hoffmeister, Lars")
        if doc.looks_like_noun(surname) or lex.is_common_word(first.text) \
                or not (lex.is_first_name(first.text) or not doc.looks_like_noun(first)):
            continue
        # Form style: a list separator before it, or the surname in capitals ("MÜLLER, Hans").
        opens = i == 0 or any(c in surname.gap_before for c in ":;\n\t(•") or surname.text.isupper()
        after = tokens[i + 2].gap_before if i + 2 < len(tokens) else doc.text[first.end:]
        closes = i + 2 >= len(tokens) or any(c in after for c in ";\n\t)") or after.strip() == "." \
            or (surname.text.isupper() and tokens[i + 2].is_lower)
        if opens and closes:
            found.append(NameSpan(surname.start, first.end, Score.FIRST_AND_UNKNOWN, "inverted"))
    return found


def lone_first_names(doc: NameText, found: list[NameSpan]) -> list[NameSpan]:
    """'Volker meinte ...', 'Rückruf bitte an Malte': a frequent given name standing alone.
    Only names that are no ordinary German or English word and no place qualify."""
    out = []
    lex = doc.lex
    covered = {t.index for s in found for t in tokens_within(doc, s.start, s.end)}
    for tok in doc.tokens:
        if not tok.is_capitalised or tok.index in covered or doc.is_excluded(tok):
            continue
        if not lex.is_core_first_name(tok.text) or lex.is_common_word(tok.text) or doc.looks_like_noun(tok):
            continue
        if lex.is_english_word(tok.text) or lex.is_lowercase_word(tok.lower) or doc._is_place_name(tok):
            continue
        if tok.followed_by_dot(doc.text) and len(tok.text) <= 4:
            continue  # an abbreviation ("Abb.", "Ziff.")
        previous = doc.tokens[tok.index - 1] if tok.index > 0 else None
        if previous is not None and previous.is_capitalised and (
                lex.is_non_name(previous.text) or lex.is_place(f"{previous.text} {tok.text}")):
            continue  # "Los Angeles", "St. Anna", "El Salvador"
        nxt = doc.tokens[tok.index + 1] if tok.index + 1 < len(doc.tokens) else None
        if nxt is not None and adjacent(tok, nxt) and nxt.is_capitalised and not nxt.sentence_initial:
            continue  # part of a longer capitalised phrase the other rules judged already
        out.append(NameSpan(tok.start, tok.end, Score.LONE_FIRST_NAME, "first name"))
    return out


def lowercase_first_names(doc: NameText, found: list[NameSpan]) -> list[NameSpan]:
    """'kann jonas heute die kasse übernehmen?': in text written without any capitals, a
    frequent given name that is no ordinary word is a name."""
    if any(t.is_capitalised and not t.sentence_initial for t in doc.tokens):
        return []  # the writer uses capitals, so a lower-case word is no name
    covered = {t.index for s in found for t in tokens_within(doc, s.start, s.end)}
    lex = doc.lex
    return [NameSpan(t.start, t.end, Score.LOWERCASE, "lowercase first name") for t in doc.tokens
            if t.is_lower and t.index not in covered and len(t.text) >= 3
            and lex.is_core_first_name(t.text) and not lex.is_lowercase_word(t.text)
            and not lex.is_english_word(t.text) and not lex.is_noun(t.text) and not lex.is_non_name(t.text)]


def usernames(doc: NameText) -> list[NameSpan]:
    found = []
    matches = [(m, "handle") for m in rules.USERNAME.finditer(doc.text)]
    matches += [(m, "handle" if m.group("handle") else "handle2") for m in rules.LOG_ACCOUNT.finditer(doc.text)]
    for match, group in matches:
        handle = match.group(group)
        lowered = handle.lower()
        if lowered in rules.SYSTEM_ACCOUNTS or len(handle) < 3:
            continue
        structured = any(c in handle for c in "._-") or any(c.isdigit() for c in handle)
        quoted = doc.text[match.start(group) - 1:match.start(group)] in ("'", '"', "„", "‚", "»", "=")
        if structured or _initial_and_surname(doc, handle):
            found.append(NameSpan(match.start(group), match.end(group), Score.USERNAME, "username"))
        elif handle.islower() and not doc.lex.is_lowercase_word(handle) and not doc.lex.is_english_word(handle) \
                and (quoted or group == "handle2" or match.re is rules.LOG_ACCOUNT
                     or not handle.endswith(ADJECTIVE_ENDINGS)):
            if not doc.lex.is_noun(handle) and not doc.lex.is_non_name(handle):
                found.append(NameSpan(match.start(group), match.end(group), Score.USERNAME_PLAIN, "username"))
    return found


def _initial_and_surname(doc: NameText, handle: str) -> bool:
    """'mschneider', 'kbrandenburg': an account built from an initial and a surname."""
    rest = handle[1:]
    return handle.islower() and len(rest) >= 4 and (doc.lex.is_surname(rest) or doc.lex.is_surname(rest.capitalize()))


_NAME_HANDLE = re.compile(r"(?<![\w.@-])([a-zäöü]{2,})[._]([a-zäöü]{3,}(?:-[a-zäöü]{3,})?)(?![\w@-]|\.\w)")


def dotted_handles(doc: NameText) -> list[NameSpan]:
    """'jens_oberholzer', 'katharina.oberlaender': an account name made of a first name and a
    surname, also without a "Benutzer" in front (file names and domains have other shapes)."""
    found = []
    lex = doc.lex
    for m in _NAME_HANDLE.finditer(doc.text):
        first, last = m.group(1), m.group(2)
        if not lex.is_core_first_name(first) or lex.is_lowercase_word(first) or lex.is_english_word(first):
            continue
        if lex.is_surname(last) or _unknown_word(lex, last) or lex.is_surname(last.capitalize()):
            found.append(NameSpan(m.start(), m.end(), Score.USERNAME, "name handle"))
    return found


def names_before_role_brackets(doc: NameText) -> list[NameSpan]:
    """'Pawlak (Hausverwaltung) meldet …': a known surname opening a line, then its role or
    office in brackets, as in minutes, distribution lists and office notes."""
    found = []
    lex = doc.lex
    tokens = doc.tokens
    for tok in tokens[:-1]:
        if not (tok.index == 0 or "\n" in tok.gap_before) or not tok.is_capitalised or doc.is_excluded(tok):
            continue
        nxt = tokens[tok.index + 1]
        if nxt.gap_before.strip() != "(" or not nxt.is_capitalised:
            continue
        if not lex.is_surname(tok.text) or lex.is_common_word(tok.text) or doc.looks_like_noun(tok) \
                or lex.is_place(tok.text) or lex.is_english_word(tok.text) or lex.is_first_name(tok.text):
            continue
        found.append(NameSpan(tok.start, tok.end, Score.LONE_FIRST_NAME, "surname before role"))
    return found


_LIST_SEPARATORS = frozenset({"|", "/", ",", ";", "&", "und", "+", "·", "•"})


def bell_list_names(doc: NameText) -> list[NameSpan]:
    """'Klingelschild: Hübner | Kaya | Vollrath': the surnames on a door-bell or letter-box
    list. The list shape is the evidence, so ordinary nouns count here too (a family Brösel)."""
    found = []
    text = doc.text
    for cue in rules.BELL_LIST_CUE.finditer(text):
        line_end = text.find("\n", cue.end())
        line_end = len(text) if line_end < 0 else line_end
        colon = text.find(":", cue.end(), line_end)
        start = colon + 1 if colon >= 0 else cue.end()
        run: list[Token] = []
        joined = False
        for tok in tokens_within(doc, start, line_end):
            if run and tok.lower in ("und", "sowie", "and") and tok.gap_before.strip() == "":
                joined = True
                continue
            gap = tok.gap_before.strip().lower()
            in_list = bool(run) and (gap in _LIST_SEPARATORS or (joined and gap == ""))
            joined = False
            if tok.is_capitalised and not doc.is_excluded(tok) and (in_list or not run):
                if run and not in_list:
                    run = []
                run.append(tok)
                continue
            if len(run) >= 2 or (len(run) == 1 and colon >= 0 and run[0].start - start < 3):
                found += [NameSpan(t.start, t.end, Score.CUE_WEAK, "bell list") for t in run]
            run = []
            if "." in gap and not in_list:
                break
        if len(run) >= 2 or (len(run) == 1 and colon >= 0 and run[0].start - start < 3):
            found += [NameSpan(t.start, t.end, Score.CUE_WEAK, "bell list") for t in run]
    return found


# -- statistical NER ------------------------------------------------------------------------

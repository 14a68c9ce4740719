"""The compiled name lists load, and answer membership the way the rules rely on."""
from __future__ import annotations

import pytest

from guardrails.names.lexicon import fold, load_lexicon


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


def test_lists_are_large_enough_to_be_useful(lex):
    assert len(lex.first_names) > 20_000
    assert len(lex.surnames) > 20_000
    assert 100 < len(lex.common_words) < 2_000


def test_loader_is_cached():
    assert load_lexicon() is load_lexicon()


@pytest.mark.parametrize(("word", "expected"), [
    ("Zieliński", "zielinski"), ("Yıldırım", "yildirim"), ("Weiß", "weiss"), ("Paweł", "pawel"), ("José", "jose"),
])
def test_fold_strips_diacritics(word, expected):
    assert fold(word) == expected


# None: either answer is fine (many first names are surnames too).
@pytest.mark.parametrize(("word", "first", "surname"), [
    ("Katharina", True, None),
    ("Agnieszka", True, None),
    ("Oksana", True, None),         # from Cyrillic, transliterated
    ("Kowalczyk", False, True),
    ("Zielinski", False, True),     # folded form of Zieliński
    ("Kovalenko", False, True),
    ("Hans-Georg", True, None),     # every part a first name
    ("Pfeiffer-Rasch", False, True),  # double-barrelled with known parts
    ("Al-Sayed", None, True),       # Arabic prefix
    ("Kita-Gruppe", False, False),  # a noun compound is no double name
    ("Baden-Württemberg", False, False),
    ("Antrag", False, False),
])
def test_name_membership(lex, word, first, surname):
    if first is not None:
        assert lex.is_first_name(word) is first
    if surname is not None:
        assert lex.is_surname(word) is surname


@pytest.mark.parametrize("word", ["Vogel", "Koch", "Fuchs", "Lange", "Braun", "Freitag", "Winter", "Ernst", "Mai"])
def test_names_that_are_words_are_common(lex, word):
    assert lex.is_name(word) and lex.is_common_word(word)


@pytest.mark.parametrize("word", ["Müller", "Schmidt", "Nguyen", "Okafor", "Kowalczyk"])
def test_plain_surnames_are_not_common(lex, word):
    assert not lex.is_common_word(word)


@pytest.mark.parametrize(("word", "non_name"), [
    ("Herr", True), ("Bürgermeister", True), ("Sachbearbeiterin", True), ("Damen", True), ("Dr.", True),
    ("Schmidt", False),
])
def test_non_names(lex, word, non_name):
    assert lex.is_non_name(word) is non_name


@pytest.mark.parametrize(("phrase", "fictional"), [("Frau Holle", True), ("Rotkäppchen", True), ("Anna Holle", False)])
def test_fictional_names(lex, phrase, fictional):
    assert lex.is_fictional(phrase) is fictional


@pytest.mark.parametrize(("word", "place"), [("Köln", True), ("Münster", True), ("Hamburg", True), ("Meier", False)])
def test_places(lex, word, place):
    assert lex.is_place(word) is place

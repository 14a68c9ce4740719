"""Cue vocabularies, phrase patterns and the tokenizer the name rules stand on."""
from __future__ import annotations

import pytest

from guardrails.names import context_rules as rules
from guardrails.names.context_rules import Strength
from guardrails.names.tokens import adjacent, tokenize


@pytest.mark.parametrize(("word", "strength"), [
    ("Herr", Strength.STRONG), ("Frau", Strength.STRONG), ("Dr", Strength.STRONG), ("Mrs", Strength.STRONG),
    ("Kollegin", Strength.WEAK), ("Tochter", Strength.WEAK), ("Antragsteller", Strength.WEAK),
    ("FR", Strength.NONE), ("Antragsformular", Strength.NONE),
])
def test_title_strength(word, strength):
    assert rules.title_strength(word) is strength


@pytest.mark.parametrize(("text", "follows"), [
    ("mein Name ist Katja Horn", "Katja Horn"),
    ("Ich heiße Omar", "Omar"),
    ("Name: Lisa Brandl", "Lisa Brandl"),
    ("Vorname: Elke", "Elke"),
    ("gez. Reinhold Maier", "Reinhold Maier"),
    ("Sehr geehrte Frau Roth", "Frau Roth"),
    ("Hallo Ben, wie geht's?", "Ben, wie geht's?"),
    ("my name is John Miller", "John Miller"),
])
def test_strong_phrases_end_right_before_the_name(text, follows):
    ends = rules.strong_phrase_ends(text)
    assert any(text[end:].lstrip(" :") == follows for end in ends)


@pytest.mark.parametrize("text", ["ich liebe Bücher", "Das Namensschild fehlt", "Hinweis: Frist beachten"])
def test_no_phrase_cue_in_ordinary_sentences(text):
    assert rules.strong_phrase_ends(text) == []


@pytest.mark.parametrize(("text", "name_start"), [
    ("Mit freundlichen Grüßen\nJana Ohlsen", "Jana Ohlsen"),
    ("Viele Grüße, Timo", "Timo"),
    ("Best regards,\nEmma Clarke", "Emma Clarke"),
])
def test_sign_offs(text, name_start):
    ends = rules.sign_off_ends(text)
    assert ends and text[ends[-1]:] == name_start


@pytest.mark.parametrize(("text", "handle"), [
    ("durch den Benutzer a.weber", "a.weber"),
    ("Login: mkraus2", "mkraus2"),
    ("user jdoe logged in", "jdoe"),
    ("Benutzername: \"s_ozturk\"", "s_ozturk"),
])
def test_username_pattern(text, handle):
    assert rules.USERNAME.search(text).group("handle") == handle


def test_username_pattern_needs_a_separator_after_the_cue():
    assert rules.USERNAME.search("Benutzerhandbuch Seite 3") is None


def test_tokens_keep_hyphenated_names_whole():
    tokens = tokenize("Frau Pfeiffer-Rasch und O'Brien")
    assert [t.text for t in tokens] == ["Frau", "Pfeiffer-Rasch", "und", "O'Brien"]
    assert adjacent(tokens[0], tokens[1])


def test_sentence_starts():
    tokens = tokenize("Das ist gut. Dr. Meier kommt. Name: Lange")
    starts = {t.text: t.sentence_initial for t in tokens}
    assert starts["Das"] and not starts["Meier"] and starts["Lange"]
    assert tokens[3].text == "Dr" and tokens[3].sentence_initial


def test_comma_breaks_adjacency():
    first, second = tokenize("Wagner, Dmitri")
    assert not adjacent(first, second)

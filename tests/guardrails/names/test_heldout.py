"""PERSON quality on sentences written apart from the rules (heldout_person*.txt).

The sentences were written before the recognizer was measured on them; the floor below is
the level the recognizer must keep, so a change that trades names for noise fails here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.names.evaluate import parse_marked, score_marked

HELDOUT = sorted(Path(__file__).parent.glob("heldout_person*.txt"))


def test_markup_parser_gives_offsets_into_clean_text():
    text, spans = parse_marked("Herr [[PERSON:Ole Brandt]] und [[IGNORE:AOK]] heute")
    assert text == "Herr Ole Brandt und AOK heute"
    assert [(kind, text[s:e]) for kind, s, e in spans] == [("PERSON", "Ole Brandt"), ("IGNORE", "AOK")]


@pytest.mark.parametrize("path", HELDOUT, ids=lambda p: p.stem)
def test_heldout_recall_and_precision(path):
    figures = score_marked(path, verbose=False)
    assert figures["persons"] >= 15
    assert figures["person_recall"] >= 0.95
    assert figures["char_precision"] >= 0.95

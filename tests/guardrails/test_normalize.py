"""The normalised view and its exact map back to the original characters."""
from __future__ import annotations

import pytest

from guardrails.normalize import normalize


@pytest.mark.parametrize("original,view", [
    ("Ka\u200btha\u00adrina", "Katharina"),
    ("DE89\u00a03704\u20090044\u202f0532", "DE89 3704 0044 0532"),
    ("0341\u20135567821", "0341-5567821"),
    ("\ufeffHallo", "Hallo"),
    ("２６ ４８５", "26 485"),
    ("a&#64;b.de", "a@b.de"),
    ("a(at)b.de", "a@b.de"),
    ("a @ b.de", "a@b.de"),
    ("DE89 3704 00\n44 0532", "DE89 3704 0044 0532"),
    ("Jo\u0308rg", "Jörg"),
    ("Frau M a r i o n", "Frau Marion"),
    ("plain text stays", "plain text stays"),
])
def test_view(original, view):
    assert normalize(original).text == view


@pytest.mark.parametrize("original,value", [
    ("Frau Ka\u200btharina Ober\u00adländer ruft an", "Katharina Oberländer"),
    ("IBAN DE89\u00a03704 00\n44 0532 0130 00.", "DE89 3704 0044 0532 0130 00"),
    ("Mail a&#64;b.de bitte", "a@b.de"),
    ("Tel &#48;&#51;&#48; 8812", "030 8812"),
])
def test_view_spans_map_back_to_every_original_character(original, value):
    n = normalize(original)
    start = n.text.index(value)
    a, b = n.to_original(start, start + len(value))
    assert normalize(original[a:b]).text == value
    # Nothing of the value is left outside the mapped range.
    assert not any(c.isalnum() for c in original[b:b + 1]) and not any(c.isalnum() for c in original[a - 1:a])


def test_capital_lines_get_ordinary_case_without_moving_characters():
    text = "BITTE SCHREIBE AN FRAU KATHARINA OBERLÄNDER\nIBAN DE89 3704 AOK"
    n = normalize(text)
    assert len(n.text) == len(text)
    assert "Frau Katharina Oberländer" in n.text
    assert n.text.endswith("IBAN DE89 3704 AOK")  # a line that is not prose in capitals stays

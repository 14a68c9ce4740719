from __future__ import annotations

from guardrails.findings import Finding
from guardrails.spans import resolve_overlaps


def f(t, s, e, score=0.8, r="r"):
    return Finding(t, s, e, score, r)


def test_overlapping_findings_merge_into_union_with_strongest_type():
    merged = resolve_overlaps([f("ADDRESS", 10, 40, 0.9), f("PERSON", 10, 22, 0.6), f("DE_PLZ", 30, 35, 0.5)])
    assert merged == [f("ADDRESS", 10, 40, 0.9)]


def test_chained_overlaps_become_one_span():
    merged = resolve_overlaps([f("A", 0, 5, 0.5), f("B", 4, 9, 0.7), f("C", 8, 12, 0.6)])
    assert [(m.entity_type, m.start, m.end) for m in merged] == [("B", 0, 12)]


def test_adjacent_and_separate_findings_stay_apart():
    merged = resolve_overlaps([f("A", 5, 9), f("B", 0, 5), f("C", 20, 25)])
    assert [(m.entity_type, m.start, m.end) for m in merged] == [("B", 0, 5), ("A", 5, 9), ("C", 20, 25)]

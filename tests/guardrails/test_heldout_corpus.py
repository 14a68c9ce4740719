"""Regression floor on sentences written apart from the recognizers (never tuned against).

Scored the way shared/eval/score.py scores: an entity counts only if every letter and digit
is covered; precision is the share of covered letters/digits inside gold spans.
"""
from __future__ import annotations

import json
from pathlib import Path

from guardrails import Vault

CORPUS = Path(__file__).parent / "data" / "lead_heldout.jsonl"


def _significant(text: str, start: int, end: int) -> set[int]:
    return {i for i in range(start, end) if text[i].isalnum()}


def test_heldout_recall_and_precision(guard):
    docs = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    caught = total = covered = covered_ok = 0
    missed = []
    for doc in docs:
        text = doc["text"]
        result = guard.scan_prompt(text, Vault(), doc["language"])
        redacted: set[int] = set()
        for f in result.findings:
            redacted |= _significant(text, f.start, f.end)
        allowed: set[int] = set()
        for span in doc["spans"]:
            allowed |= _significant(text, span["start"], span["end"])
            total += 1
            if _significant(text, span["start"], span["end"]) <= redacted:
                caught += 1
            else:
                missed.append(span["value"])
        covered += len(redacted)
        covered_ok += len(redacted & allowed)
    assert caught / total >= 0.95, f"missed: {missed}"
    assert covered_ok / covered >= 0.92

"""Floor on the blind paste-form corpora (tests/guardrails/data/paste_heldout*.jsonl).

Scored the way shared/eval/score.py scores. The first file was written before any change for
issue 10 (first run: recall 0.46) and then used to fix the miss kinds; the second was written
afterwards and scored untouched first (recall 0.909, precision 1.0); the third (ordinary office
texts) likewise (recall 0.867, precision 0.971).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from guardrails import Vault

DATA = Path(__file__).parent / "data"


def _significant(text: str, start: int, end: int) -> set[int]:
    return {i for i in range(start, end) if text[i].isalnum()}


@pytest.mark.parametrize("name,min_recall", [
    ("paste_heldout.jsonl", 0.97), ("paste_heldout_2.jsonl", 0.97), ("names_probe_3.jsonl", 0.95)])
def test_paste_corpus_recall_and_precision(guard, name, min_recall):
    docs = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
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
            if span["type"] == "IGNORE":
                continue
            total += 1
            if _significant(text, span["start"], span["end"]) <= redacted:
                caught += 1
            else:
                missed.append(span["value"])
        covered += len(redacted)
        covered_ok += len(redacted & allowed)
    assert caught / total >= min_recall, f"missed: {missed}"
    assert covered_ok / covered >= 0.95

"""Measure the PERSON recognizer: recall and char precision on marked-up sentences, and
false positives per 1,000 sentences on NER corpora whose sentences contain no person.

    .venv/bin/python -m guardrails.names.evaluate tests/guardrails/names/heldout_person.txt
    .venv/bin/python -m guardrails.names.evaluate --corpus ../shared/data/ner-de/ler_test.jsonl
    .venv/bin/python -m guardrails.names.evaluate --recall-corpus ../shared/data/ner-de/germeval2014_test.jsonl

Runs the real Presidio engine (with the shipped NER model when present), PERSON only.
A gold name counts as caught only if every letter of it is covered, as in the project's scorer.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

_MARK = re.compile(r"\[\[([A-Z_]+):(.+?)\]\]")


def parse_marked(line: str) -> tuple[str, list[tuple[str, int, int]]]:
    spans, cursor = [], 0
    pieces = ""
    for match in _MARK.finditer(line):
        pieces += line[cursor:match.start()]
        start = len(pieces)
        pieces += match.group(2)
        spans.append((match.group(1), start, len(pieces)))
        cursor = match.end()
    pieces += line[cursor:]
    return pieces, spans


def _analyzer():
    from guardrails.engine import build_engine
    return build_engine().analyzer


def _person_findings(analyzer, text: str, language: str) -> list[tuple[int, int]]:
    return [(s, e) for s, e, _ in _person_findings_with_rule(analyzer, text, language)]


def _person_findings_with_rule(analyzer, text: str, language: str) -> list[tuple[int, int, str]]:
    results = analyzer.analyze(text=text, language=language, entities=["PERSON"], score_threshold=0.4,
                               return_decision_process=True)
    return [(r.start, r.end, r.analysis_explanation.textual_explanation if r.analysis_explanation else "")
            for r in results]


def score_marked(path: Path, language: str = "de", verbose: bool = True) -> dict:
    analyzer = _analyzer()
    caught = total = inside = outside = 0
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        text, spans = parse_marked(raw.replace("\\n", "\n"))
        lang = "en" if re.match(r"(Dear|My name|Hello|Hi )", text) else language
        found = _person_findings(analyzer, text, lang)
        covered = {i for s, e in found for i in range(s, e) if text[i].isalnum()}
        allowed = {i for _, s, e in spans for i in range(s, e)}
        inside += len(covered & allowed)
        outside += len(covered - allowed)
        for kind, s, e in spans:
            if kind != "PERSON":
                continue
            total += 1
            letters = {i for i in range(s, e) if text[i].isalnum()}
            if letters <= covered:
                caught += 1
            elif verbose:
                print(f"MISSED {text[s:e]!r} in {text[:70]!r}")
        if verbose:
            for s, e in found:
                if not any(a <= s and e <= b for _, a, b in spans):
                    print(f"EXTRA  {text[s:e]!r} in {text[:70]!r}")
    return {"person_recall": round(caught / max(total, 1), 4), "persons": total,
            "char_precision": round(inside / max(inside + outside, 1), 4)}


def false_positives(corpus: Path, limit: int | None = None, verbose: bool = False) -> dict:
    analyzer = _analyzer()
    sentences = flagged = spans = outside = 0
    for line in corpus.open(encoding="utf-8"):
        record = json.loads(line)
        if any(e["label"] == "PER" for e in record["entities"]):
            continue
        sentences += 1
        found = _person_findings_with_rule(analyzer, record["text"], "de")
        entities = [(e["start"], e["end"]) for e in record["entities"]]
        outside += sum(1 for s, e, _ in found if not any(a < e and s < b for a, b in entities))
        if found:
            flagged += 1
            spans += len(found)
            if verbose:
                print("FP", [(record["text"][s:e], rule) for s, e, rule in found], "|", record["text"][:80])
        if limit and sentences >= limit:
            break
    return {"sentences": sentences, "false_positive_spans": spans,
            "fp_per_1000_sentences": round(1000 * spans / max(sentences, 1), 2),
            "sentences_flagged": flagged,
            "fp_outside_entities_per_1000": round(1000 * outside / max(sentences, 1), 2)}


def corpus_recall(corpus: Path, limit: int | None = None) -> dict:
    """Share of the corpus' PER spans whose letters are all covered (news and court text:
    names mostly appear without the cues of administrative prompts)."""
    analyzer = _analyzer()
    caught = total = 0
    for line in corpus.open(encoding="utf-8"):
        record = json.loads(line)
        people = [(e["start"], e["end"]) for e in record["entities"] if e["label"] == "PER"]
        if not people:
            continue
        text = record["text"]
        covered = {i for s, e in _person_findings(analyzer, text, "de") for i in range(s, e)}
        for s, e in people:
            total += 1
            caught += all(i in covered for i in range(s, e) if text[i].isalnum())
        if limit and total >= limit:
            break
    return {"per_spans": total, "per_recall": round(caught / max(total, 1), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure PERSON recall/precision.")
    parser.add_argument("marked", nargs="?", type=Path)
    parser.add_argument("--corpus", type=Path, action="append", default=[])
    parser.add_argument("--recall-corpus", type=Path, action="append", default=[])
    parser.add_argument("--limit", type=int)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.marked:
        print(json.dumps(score_marked(args.marked, verbose=True)))
    for corpus in args.corpus:
        print(corpus.name, json.dumps(false_positives(corpus, args.limit, args.verbose)))
    for corpus in args.recall_corpus:
        print(corpus.name, json.dumps(corpus_recall(corpus, args.limit)))


if __name__ == "__main__":
    main()

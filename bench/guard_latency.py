"""Latency and memory of the guard: Spielraum's full guard next to plain Presidio, same run.

Measures analyze + pseudonymise per 1,000 characters of German text (p50, p95) and the
resident memory each engine adds. Run from the repository root:

    .venv/bin/python bench/guard_latency.py [--rounds 40]

"Plain Presidio" is Presidio's predefined recognizers for German and English with its
anonymizer, on the same offline blank spaCy pipelines (its own e-mail recognizer is made
offline by giving tldextract no suffix-list URL).
"""
from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sample_texts import TEXTS  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def build_spielraum():
    from guardrails import Vault, build_guard
    guard = build_guard()

    def run(text: str) -> None:
        guard.scan_prompt(text, Vault(), "de")
    return run


def build_plain_presidio():
    import tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer
    from presidio_anonymizer import AnonymizerEngine

    from guardrails.nlp_engine import OfflineSpacyNlpEngine
    email_recognizer.tldextract = type("Offline", (), {
        "extract": staticmethod(tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None))})
    nlp = OfflineSpacyNlpEngine({"de": "", "en": ""})
    nlp.nlp = {lang: __import__("spacy").blank(lang) for lang in ("de", "en")}
    registry = RecognizerRegistry(supported_languages=["de", "en"])
    registry.load_predefined_recognizers(languages=["de", "en"], nlp_engine=nlp)
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["de", "en"])
    anonymizer = AnonymizerEngine()

    def run(text: str) -> None:
        results = analyzer.analyze(text=text, language="de")
        anonymizer.anonymize(text=text, analyzer_results=results)
    return run


def measure(run, rounds: int) -> dict:
    for text in TEXTS:  # warm-up: first calls pay for lazy loading
        run(text)
    per_kchar = []
    for _ in range(rounds):
        for text in TEXTS:
            start = time.perf_counter()
            run(text)
            per_kchar.append((time.perf_counter() - start) * 1000 * 1000 / len(text))
    per_kchar.sort()
    return {
        "p50_ms_per_1000_chars": round(statistics.median(per_kchar), 2),
        "p95_ms_per_1000_chars": round(per_kchar[int(len(per_kchar) * 0.95) - 1], 2),
        "samples": len(per_kchar),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    report = {"text_chars": [len(t) for t in TEXTS]}
    for name, builder in (("plain_presidio", build_plain_presidio), ("spielraum_guard", build_spielraum)):
        gc.collect()
        before = rss_mb()
        run = builder()
        report[name] = measure(run, args.rounds)
        report[name]["rss_added_mb"] = round(rss_mb() - before, 1)
    report["rss_total_mb"] = round(rss_mb(), 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

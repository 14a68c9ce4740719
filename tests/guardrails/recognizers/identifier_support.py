"""Run one identifier recognizer the way the guard runs it, for table-driven tests.

Each test module checks a single recognizer in isolation: an AnalyzerEngine holding only that
recognizer, the offline spaCy engine (for tokens and the lemmas context words match against)
and the same context enhancer settings as `guardrails.engine`, filtered at the guard's
threshold. The NLP engine is loaded once per test session.
"""
from __future__ import annotations

import functools

from presidio_analyzer import AnalyzerEngine, EntityRecognizer

from guardrails.engine import analyzer_with

from guardrails.nlp_engine import OfflineSpacyNlpEngine
from guardrails.policy import GuardPolicy

THRESHOLD = GuardPolicy().score_threshold


@functools.lru_cache(maxsize=1)
def nlp_engine() -> OfflineSpacyNlpEngine:
    engine = OfflineSpacyNlpEngine({"de": None, "en": None})
    engine.load()
    return engine


@functools.lru_cache(maxsize=None)
def analyzer_for(recognizer_cls: type[EntityRecognizer]) -> AnalyzerEngine:
    return analyzer_with([recognizer_cls(supported_language=lang) for lang in recognizer_cls.LANGUAGES],
                         nlp_engine())


def found(recognizer_cls: type[EntityRecognizer], text: str, language: str = "de") -> list[str]:
    """The substrings reported at the guard's threshold, in text order."""
    results = analyzer_for(recognizer_cls).analyze(
        text=text, language=language, score_threshold=THRESHOLD)
    return [text[r.start:r.end] for r in sorted(results, key=lambda r: r.start)]


def scores(recognizer_cls: type[EntityRecognizer], text: str, language: str = "de") -> list[float]:
    results = analyzer_for(recognizer_cls).analyze(text=text, language=language)
    return [r.score for r in sorted(results, key=lambda r: r.start)]


# Text that holds numbers but no personal data; no identifier recognizer may report any of it.
NON_PII = [
    "Nach § 35 Abs. 2 BauGB ist das Vorhaben im Außenbereich unzulässig.",
    "Der Gebührenbescheid über 1.250,00 € folgt, die Mahngebühr beträgt 89,90 EUR.",
    "Die Anhörung war am 12.03.2025 um 14:32 Uhr, die nächste am 03.02.2026.",
    "Die Besprechung findet in Raum 2.117 statt, App. 1234, Durchwahl -12.",
    "Rechnung Nr. 2025-114 zum Az. 63-2025/0815 wurde im Jahr 2019 angelegt.",
    "Bitte auf Version 1.2.3 aktualisieren, danach Version 2.10.3.1 installieren.",
    "Die Förderung beträgt 2.500.000 Euro für 04109 Leipzig und 30159 Hannover.",
    "Die Norm DIN EN 1090 gilt seit 2011, vgl. Drucksache 19/12345.",
]

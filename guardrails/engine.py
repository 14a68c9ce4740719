"""Build Presidio's AnalyzerEngine for Spielraum, offline, for German and English.

Only Spielraum's own recognizers are registered (they wrap Presidio's predefined ones where
those are good enough): the predefined set would add duplicate, weaker detectors and its
e-mail recognizer would fetch the public suffix list at run time.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpEngine

from guardrails.capabilities import describe
from guardrails.ner.external import external_recognizers
from guardrails.nlp_engine import OfflineSpacyNlpEngine
from guardrails.recognizers import build_recognizers

LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class EngineConfig:
    """Optional stronger models an authority has installed locally (name or folder)."""
    pipelines: dict[str, str | None] = field(default_factory=lambda: {"de": None, "en": None})
    # A GLiNER or transformers model folder, added as one more person recognizer.
    external_ner_folder: str | None = None
    external_ner_threshold: float = 0.5


@dataclass
class BuiltEngine:
    analyzer: AnalyzerEngine
    nlp_engine: OfflineSpacyNlpEngine
    recognizer_names: list[str]
    recognizers: list[EntityRecognizer] = field(default_factory=list)
    config: EngineConfig = field(default_factory=EngineConfig)
    _capabilities: dict | None = field(default=None, repr=False, compare=False)

    def capabilities(self) -> dict:
        """How strong this engine is, for IT: recognizers, pipelines, the name model, languages.
        Fixed once the engine is built, so described once."""
        if self._capabilities is None:
            self._capabilities = describe(self)
        return self._capabilities


def build_engine(config: EngineConfig | None = None) -> BuiltEngine:
    config = config or EngineConfig()
    pipelines = {lang: config.pipelines.get(lang) for lang in LANGUAGES}
    nlp_engine = OfflineSpacyNlpEngine(pipelines)
    nlp_engine.load()
    recognizers = build_recognizers(LANGUAGES)
    for lang in LANGUAGES:
        recognizers += external_recognizers(config.external_ner_folder, lang, config.external_ner_threshold)
    analyzer = analyzer_with(recognizers, nlp_engine)
    return BuiltEngine(analyzer, nlp_engine, sorted({r.name for r in recognizers}), recognizers, config)


def analyzer_with(recognizers: list[EntityRecognizer], nlp_engine: NlpEngine) -> AnalyzerEngine:
    """An analyzer holding exactly these recognizers, with the guard's context settings."""
    registry = RecognizerRegistry(supported_languages=list(LANGUAGES))
    for recognizer in recognizers:
        registry.add_recognizer(recognizer)
    analyzer = AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=list(LANGUAGES),
        context_aware_enhancer=LemmaContextAwareEnhancer(
            context_similarity_factor=0.35, min_score_with_context_similarity=0.4),
    )
    # Presidio falls back to its predefined recognizers when handed an empty registry;
    # Spielraum wants exactly its own set, even while that set is empty.
    analyzer.registry = registry
    return analyzer

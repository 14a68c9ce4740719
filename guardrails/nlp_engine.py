"""A spaCy NLP engine for Presidio that never downloads anything.

Presidio's stock SpacyNlpEngine calls `spacy download` when a model is missing. Here each
language gets the pipeline configured for it (a package name or a folder), the model that
Spielraum ships for German, or else a blank tokenizer-only pipeline, so the guard always
starts offline. Blank pipelines have no lemmas; the lower-cased token stands in, which is
what Presidio's context enhancer compares against.
"""
from __future__ import annotations

import logging
from pathlib import Path

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

log = logging.getLogger(__name__)

SHIPPED_GERMAN_MODEL = Path(__file__).parent / "ner" / "model"

# Entity labels our shipped model and spaCy's German/English pipelines emit, mapped to Presidio's.
_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "LOCATION", "GPE": "LOCATION",
           "ORG": "ORGANIZATION", "MISC": "MISC"}


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    def __init__(self, pipelines: dict[str, str | None]) -> None:
        """`pipelines` maps a language code to a spaCy package name or folder (None: default)."""
        super().__init__(
            models=[{"lang_code": lang, "model_name": name or ""} for lang, name in pipelines.items()],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=_LABELS,
                labels_to_ignore=["ORGANIZATION", "MISC", "LOCATION"],
                low_score_entity_names=[],
            ),
        )
        self._pipelines = pipelines
        self.descriptions: dict[str, str] = {}

    def load(self) -> None:
        self.nlp = {}
        for lang, name in self._pipelines.items():
            self.nlp[lang], self.descriptions[lang] = _load_pipeline(lang, name)

    def _doc_to_nlp_artifact(self, doc, language: str) -> NlpArtifacts:
        artifacts = super()._doc_to_nlp_artifact(doc, language)
        artifacts.lemmas = [tok.lemma_ or tok.lower_ for tok in doc]
        artifacts.keywords = artifacts.set_keywords(self, artifacts.lemmas, language)
        return artifacts


def _load_pipeline(lang: str, name: str | None) -> tuple[spacy.Language, str]:
    if name:
        # An explicitly configured pipeline must load: silently degrading would hide a misconfiguration.
        if not (spacy.util.is_package(name) or Path(name).exists()):
            raise FileNotFoundError(f"spaCy pipeline {name!r} for language {lang!r} is not installed")
        return spacy.load(name), name
    if lang == "de" and (SHIPPED_GERMAN_MODEL / "meta.json").exists():
        return spacy.load(SHIPPED_GERMAN_MODEL), "spielraum-de-ner (shipped)"
    log.info("no trained spaCy pipeline for %s; using a blank tokenizer", lang)
    return spacy.blank(lang), f"blank:{lang}"

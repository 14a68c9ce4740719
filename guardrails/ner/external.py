"""Optional stronger person recognizer backed by a GLiNER or transformers model in a LOCAL folder.

Authorities with a GPU or more CPU may want a larger model than the shipped CNN. This module
wraps one as a Presidio recognizer, but only when configured: the setting
`SPIELRAUM_GUARD_NER_EXTERNAL` (passed in through `EngineConfig.external_ner_folder`) names a
folder that already holds the model. Nothing is ever downloaded — the Hugging Face
offline switches are set before the libraries are imported and every load passes
`local_files_only`. The backend is chosen from the folder's layout (`gliner_config.json` means
GLiNER, otherwise a transformers token-classification model). Neither library is a dependency
of Spielraum; the authority installs the one it needs.

The recognizer is deliberately not in `guardrails/recognizers/` (auto-discovery would make it
always-on); the engine adds `external_recognizers(language)` to its registry when it wants it.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from presidio_analyzer import EntityRecognizer, RecognizerResult

SETTING = "SPIELRAUM_GUARD_NER_EXTERNAL"
PERSON_LABELS = {"PER", "PERSON", "person", "B-PER", "I-PER"}
GLINER_LABELS = ["person"]

# A backend maps text to (start, end, label, score) tuples.
Backend = Callable[[str], Iterable[tuple[int, int, str, float]]]


def checked_folder(value: Path | str) -> Path:
    folder = Path(value)
    if not folder.is_dir():
        # Configured but missing is a deployment error; silently running without it would hide it.
        raise FileNotFoundError(f"{SETTING}: the configured folder does not exist")
    return folder


def backend_kind(folder: Path) -> str:
    if (folder / "gliner_config.json").exists():
        return "gliner"
    if (folder / "config.json").exists():
        return "transformers"
    raise ValueError(f"{SETTING}: folder holds neither a GLiNER nor a transformers model")


@lru_cache(maxsize=2)
def _load_backend(folder: Path, threshold: float) -> Backend:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    if backend_kind(folder) == "gliner":
        from gliner import GLiNER  # optional dependency, imported only when configured

        model = GLiNER.from_pretrained(str(folder), local_files_only=True)

        def predict(text: str):
            for ent in model.predict_entities(text, GLINER_LABELS, threshold=threshold):
                yield ent["start"], ent["end"], ent["label"], float(ent["score"])
        return predict

    from transformers import pipeline  # optional dependency, imported only when configured

    tagger = pipeline("token-classification", model=str(folder), tokenizer=str(folder),
                      aggregation_strategy="simple", model_kwargs={"local_files_only": True})

    def predict(text: str):
        for ent in tagger(text):
            yield int(ent["start"]), int(ent["end"]), ent["entity_group"], float(ent["score"])
    return predict


def person_results(predictions: Iterable[tuple[int, int, str, float]], threshold: float,
                   recognizer_name: str) -> list[RecognizerResult]:
    """Presidio results for the person predictions at or above `threshold`."""
    return [
        RecognizerResult("PERSON", start, end, round(score, 4),
                         recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: recognizer_name})
        for start, end, label, score in predictions
        if label in PERSON_LABELS and score >= threshold and end > start
    ]


class ExternalNerRecognizer(EntityRecognizer):
    def __init__(self, folder: Path, supported_language: str = "de", threshold: float = 0.5,
                 backend: Backend | None = None) -> None:
        self.folder = folder
        self.threshold = threshold
        self._backend = backend
        super().__init__(supported_entities=["PERSON"], supported_language=supported_language,
                         name="ExternalNerRecognizer")

    def load(self) -> None:
        """Loading happens on first use, so a configured model does not slow start-up checks."""

    def analyze(self, text, entities, nlp_artifacts=None):
        if "PERSON" not in entities:
            return []
        if self._backend is None:
            self._backend = _load_backend(self.folder, self.threshold)
        return person_results(self._backend(text), self.threshold, self.name)


def external_recognizers(folder: Path | str | None, language: str,
                         threshold: float = 0.5) -> list[EntityRecognizer]:
    """The configured external recognizer for `language`, or nothing when none is configured."""
    if not folder:
        return []
    folder = checked_folder(folder)
    backend_kind(folder)  # fail at start-up, not on the first prompt, if the folder is wrong
    return [ExternalNerRecognizer(folder, supported_language=language, threshold=threshold)]

"""The optional external NER recognizer: off unless configured, strict about its folder.

No GLiNER/transformers model is available offline here, so the model call itself is not
exercised; the tests cover configuration, backend detection and result conversion.
"""
from __future__ import annotations

import pytest

from guardrails.ner import external


def test_not_configured_means_no_recognizer():
    assert external.external_recognizers(None, "de") == []


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        external.external_recognizers(tmp_path / "absent", "de")


@pytest.mark.parametrize("marker, kind", [("gliner_config.json", "gliner"), ("config.json", "transformers"),
                                          (None, None)])
def test_backend_detected_from_folder_layout(tmp_path, marker, kind):
    if marker:
        (tmp_path / marker).write_text("{}")
    if kind:
        assert external.backend_kind(tmp_path) == kind
    else:
        with pytest.raises(ValueError):
            external.backend_kind(tmp_path)


def test_configured_folder_yields_recognizer(tmp_path):
    (tmp_path / "gliner_config.json").write_text("{}")
    (rec,) = external.external_recognizers(str(tmp_path), "de", threshold=0.7)
    assert rec.supported_language == "de" and rec.threshold == 0.7


def test_only_confident_person_predictions_become_results():
    text = "Frau Anna Schmidt aus Köln"
    predictions = [(5, 17, "person", 0.91), (22, 26, "location", 0.99), (5, 9, "PER", 0.2)]
    rec = external.ExternalNerRecognizer(folder=None, threshold=0.5, backend=lambda t: predictions)
    results = rec.analyze(text, ["PERSON"])
    assert [(text[r.start:r.end], r.entity_type) for r in results] == [("Anna Schmidt", "PERSON")]
    assert rec.analyze(text, ["EMAIL_ADDRESS"]) == []


def test_settings_reach_the_engine(tmp_path):
    """The setting switches the recognizer on in the guard the app builds, for both languages."""
    from app.guard_setup import guard_from_settings
    from app.settings import Settings

    (tmp_path / "config.json").write_text("{}")
    guard = guard_from_settings(Settings(data_dir=tmp_path, guard_ner_external=str(tmp_path)))
    registry = guard._engine.analyzer.registry
    external_langs = sorted(r.supported_language for r in registry.recognizers if r.name == "ExternalNerRecognizer")
    assert external_langs == ["de", "en"]

"""The guard's own behaviour: policy actions, placeholders across turns, failing closed.

These tests build a real engine and add small real recognizers where a test needs a
predictable finding or a detector that breaks; the German recognizers have their own tests.
"""
from __future__ import annotations

import time

import pytest
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from guardrails import Action, Guard, GuardPolicy, GuardUnavailable, Vault, build_engine


class _Exploding(EntityRecognizer):
    def __init__(self):
        super().__init__(supported_entities=["BOOM"], supported_language="de", name="Exploding")

    def load(self):
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if "explode" in text:
            raise RuntimeError(f"cannot handle {text}")  # message carries the text on purpose
        return []


class _Slow(EntityRecognizer):
    def __init__(self):
        super().__init__(supported_entities=["SLOW"], supported_language="de", name="Slow")

    def load(self):
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if "slow" in text:
            time.sleep(1.5)
        return [RecognizerResult("SLOW", 0, 1, 0.9)] if "slow" in text else []


@pytest.fixture(scope="module")
def engine():
    built = build_engine()
    registry = built.analyzer.registry
    registry.add_recognizer(PatternRecognizer(
        supported_entity="TESTCODE", supported_language="de", name="TestCode",
        patterns=[Pattern("testcode", r"\bTC-\d{4}\b", 0.9)]))
    registry.add_recognizer(_Exploding())
    registry.add_recognizer(_Slow())
    return built


def make_guard(engine, **policy) -> Guard:
    return Guard(engine, GuardPolicy(**policy))


def test_pseudonymise_mask_allow(engine):
    text = "Codes TC-1111 und TC-2222, nochmal TC-1111."
    pseudo = make_guard(engine).scan_prompt(text, Vault(), "de")
    assert pseudo.text == "Codes [TESTCODE_1] und [TESTCODE_2], nochmal [TESTCODE_1]."
    assert [f.placeholder for f in pseudo.findings] == ["[TESTCODE_1]", "[TESTCODE_2]", "[TESTCODE_1]"]

    masked = make_guard(engine, actions={"TESTCODE": Action.MASK}).scan_prompt(text, Vault(), "de")
    assert masked.text == "Codes **-**** und **-****, nochmal **-****."
    allowed = make_guard(engine, actions={"TESTCODE": Action.ALLOW}).scan_prompt(text, Vault(), "de")
    assert allowed.text == text and len(allowed.findings) == 3


def test_block_sends_nothing_and_names_the_type(engine):
    result = make_guard(engine, actions={"TESTCODE": Action.BLOCK}).scan_prompt("Code TC-1234", Vault(), "de")
    assert result.blocked and result.blocked_entity_types == ["TESTCODE"] and result.text == ""


def test_threshold_drops_weak_findings(engine):
    result = make_guard(engine, score_threshold=0.95).scan_prompt("Code TC-1234", Vault(), "de")
    assert result.findings == [] and result.text == "Code TC-1234"


def test_second_turn_reuses_placeholders_and_refinds_known_values(engine):
    guard = make_guard(engine)
    vault = Vault()
    guard.scan_prompt("Code TC-1234", vault, "de")
    # "TC-1234" inside a word boundary context the pattern would still find; the vault pass also
    # re-finds values the recognizers miss in a new context (here: lower case).
    again = guard.scan_prompt("noch einmal tc-1234 und TC-9999", Vault(vault.as_mapping()), "de")
    assert again.text == "noch einmal [TESTCODE_1] und [TESTCODE_2]"


def test_detector_error_fails_closed_without_echoing_text(engine):
    with pytest.raises(GuardUnavailable) as info:
        make_guard(engine).scan_prompt("please explode Katrin Behrendt", Vault(), "de")
    assert info.value.reason == "error"
    assert "Behrendt" not in str(info.value) and info.value.__cause__ is None


def test_detector_timeout_fails_closed(engine):
    with pytest.raises(GuardUnavailable) as info:
        make_guard(engine, timeout_seconds=0.3).scan_prompt("slow TC-1234", Vault(), "de")
    assert info.value.reason == "timeout"


def test_restore_round_trip(engine):
    guard = make_guard(engine)
    vault = Vault()
    sent = guard.scan_prompt("Bitte TC-4321 prüfen", vault, "de")
    placeholder = sent.findings[0].placeholder
    assert guard.restore(f"Geprüft: {placeholder}", vault) == "Geprüft: TC-4321"

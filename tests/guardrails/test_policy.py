from __future__ import annotations

import pytest

from guardrails import Action, GuardPolicy


def test_from_mapping_reads_actions_threshold_and_timeout():
    policy = GuardPolicy.from_mapping({"actions": {"iban_code": "block", "EMAIL_ADDRESS": "Mask"},
                                       "score_threshold": 0.55, "timeout_seconds": 3})
    assert policy.action_for("IBAN_CODE") is Action.BLOCK
    assert policy.action_for("EMAIL_ADDRESS") is Action.MASK
    assert policy.action_for("PERSON") is Action.PSEUDONYMIZE
    assert (policy.score_threshold, policy.timeout_seconds) == (0.55, 3.0)


def test_unknown_action_is_rejected():
    with pytest.raises(ValueError):
        GuardPolicy.from_mapping({"actions": {"PERSON": "encrypt"}})

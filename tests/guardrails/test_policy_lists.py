"""Per-type thresholds, deny and allow lists in the policy, and `with_policy` per call."""
from __future__ import annotations

import pytest

from guardrails import DENY_LIST, Action, AllowTerm, GuardPolicy, Term, Vault
from guardrails.allow_list import drop_allowed
from guardrails.findings import Finding
from guardrails.normalize import normalize

AUTHORITY = "Landratsamt Müller-Stadt"


def test_type_threshold_overrides_the_default():
    policy = GuardPolicy.from_mapping({"score_threshold": 0.4, "thresholds": {"phone_number": 0.9}})
    assert policy.threshold_for("PHONE_NUMBER") == 0.9
    assert policy.threshold_for("PERSON") == 0.4
    assert policy.lowest_threshold == 0.4
    assert GuardPolicy(score_threshold=0.6, thresholds={"X": 0.2}).lowest_threshold == 0.2


@pytest.mark.parametrize("mapping", [{"score_threshold": 1.5}, {"thresholds": {"PERSON": -0.1}},
                                     {"actions": {"PERSON": "encrypt"}},
                                     {"deny": [{"pattern": "(a+)+", "regex": True}]},
                                     {"allow": [{"pattern": "(", "regex": True}]}])
def test_invalid_policy_values_are_rejected(mapping):
    with pytest.raises(ValueError):
        GuardPolicy.from_mapping(mapping)


def test_mapping_round_trip_keeps_terms():
    data = {"default_action": "pseudonymize", "score_threshold": 0.5, "timeout_seconds": 3.0,
            "actions": {"IBAN_CODE": "block"}, "thresholds": {"PERSON": 0.7},
            "deny": [{"pattern": r"AZ-\d{4}", "regex": True, "entity_type": "FILE_NUMBER"}],
            "allow": [{"pattern": AUTHORITY, "regex": False}]}
    policy = GuardPolicy.from_mapping(data)
    assert policy.deny_terms == (Term(r"AZ-\d{4}", "FILE_NUMBER", is_regex=True, source=DENY_LIST),)
    assert policy.allow_terms == (AllowTerm(AUTHORITY),)
    assert policy.to_mapping() == data


# (finding span, allow spans, kept?) — contained is dropped, partial overlap is kept whole.
@pytest.mark.parametrize("span,recognizer,kept", [
    ((12, 18), "PersonNameRecognizer", False),     # "Müller" inside the allowed name
    ((0, 24), "PersonNameRecognizer", False),      # exactly the allowed name
    ((12, 40), "AddressStreetRecognizer", True),   # reaches beyond the allowed name
    ((30, 36), "PersonNameRecognizer", True),      # elsewhere
    ((12, 18), DENY_LIST, True),                   # the deny list wins
    ((12, 18), "person_mark", True),               # so does the person's own mark
])
def test_allow_rule_contained_dropped_partial_kept(span, recognizer, kept):
    finding = Finding("PERSON", span[0], span[1], 0.9, recognizer)
    assert (drop_allowed([finding], [(0, 24)]) == [finding]) is kept


@pytest.mark.parametrize("text,allow,must_stay,must_vanish", [
    # the authority's own name stays, a person of the same surname does not
    (f"Das {AUTHORITY} schreibt an Herrn Jens Müller.", [AllowTerm(AUTHORITY)], [AUTHORITY], ["Jens Müller"]),
    # case and spacing forgiven, umlaut transliterated; the recurrence of "Müller" inside it is dropped too
    ("Herr Jens Müller schreibt an das LANDRATSAMT  MUELLER-STADT.", [AllowTerm(AUTHORITY)],
     ["LANDRATSAMT  MUELLER-STADT"], ["Jens Müller"]),
    # a public official by name
    ("Bürgermeisterin Katharina Oberländer eröffnet, Frau Anna Schmidt fragt.",
     [AllowTerm("Katharina Oberländer")], ["Katharina Oberländer"], ["Anna Schmidt"]),
    # a regular expression allow term
    ("Schreiben Sie an Dr. Anna Schmidt von der Stadt, Bernd Krüger bekommt Kopie.",
     [AllowTerm(r"Dr\. Anna \w+", is_regex=True)], ["Dr. Anna Schmidt"], ["Bernd Krüger"]),
])
def test_allow_list_in_the_guard(guard, text, allow, must_stay, must_vanish):
    policy = GuardPolicy(allow_terms=tuple(allow))
    [result] = guard.with_policy(policy).scan_conversation([text], Vault())
    for value in must_stay:
        assert value in result.text, result.text
    for value in must_vanish:
        assert value not in result.text, result.text
    [unchanged] = guard.scan_conversation([text], Vault())
    assert not all(value in unchanged.text for value in must_stay), "the allow term must make a difference"


def test_an_allowed_name_is_not_learnt_for_other_messages(guard):
    policy = GuardPolicy(allow_terms=(AllowTerm("Katharina Oberländer"),))
    results = guard.with_policy(policy).scan_conversation(
        ["Bürgermeisterin Katharina Oberländer lädt ein.", "Bitte k.oberlaender fragen."], Vault())
    assert "Katharina Oberländer" in results[0].text
    assert "k.oberlaender" in results[1].text
    # without the allow term the name is learnt and found again in the account name
    plain = guard.scan_conversation(["Bürgermeisterin Katharina Oberländer lädt ein.", "Bitte k.oberlaender fragen."],
                                    Vault())
    assert "k.oberlaender" not in plain[1].text


@pytest.mark.parametrize("term,text,gone", [
    (Term("Blauer Falke", "CONFIDENTIAL", source=DENY_LIST), "Projekt Blauer Falke startet.", "Blauer Falke"),
    (Term(r"VG-\d{3}-[A-Z]{2}", "FILE_NUMBER", is_regex=True, source=DENY_LIST), "Akte VG-123-AB anlegen.",
     "VG-123-AB"),
])
def test_deny_terms_in_the_policy(guard, term, text, gone):
    [result] = guard.with_policy(GuardPolicy(deny_terms=(term,))).scan_conversation([text], Vault())
    assert gone not in result.text
    assert any(f.recognizer == DENY_LIST and f.entity_type == term.entity_type for f in result.findings)


def test_type_threshold_drops_a_low_score_finding(guard):
    text = "Rufen Sie Frau Anna Schmidt an."
    [before] = guard.scan_conversation([text], Vault())
    assert "Anna Schmidt" not in before.text
    # the recognizer's own score (the recurrence search later reports 1.0 for what was found)
    [detected] = [f for f in guard._detect(normalize(text), "de") if f.entity_type == "PERSON"]
    assert detected.score < 0.95
    raised = GuardPolicy(thresholds={"PERSON": 0.95})
    [after] = guard.with_policy(raised).scan_conversation([text], Vault())
    assert "Anna Schmidt" in after.text
    assert not [f for f in after.findings if f.entity_type == "PERSON"]


def test_with_policy_leaves_the_shared_guard_alone(guard):
    blocking = guard.with_policy(GuardPolicy(actions={"IBAN_CODE": Action.BLOCK}))
    text = "IBAN DE89 3704 0044 0532 0130 00"
    assert blocking.scan_prompt(text, Vault()).blocked
    assert not guard.scan_prompt(text, Vault()).blocked
    assert guard.policy is not blocking.policy


def test_a_finding_is_credited_to_the_recognizer_that_made_it(guard):
    """The search for known values re-finds each value at full score; the credit stays with
    the recognizer (and its score), which the test console and the DPO's records show."""
    [result] = guard.scan_conversation(["Bitte rufen Sie Frau Anna Schmidt an."], Vault())
    [person] = [f for f in result.findings if f.entity_type == "PERSON"]
    assert person.recognizer == "PersonNameRecognizer" and person.score < 1.0

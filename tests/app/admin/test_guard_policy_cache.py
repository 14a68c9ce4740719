"""The effective policy: database rules over the file / settings policy, cached per version."""
from __future__ import annotations

import io
import json

import pytest
from sqlmodel import Session

from app.guard_policy import PolicyCache
from app.redact_command import run_redact_jsonl
from app.settings import Settings
from app.storage import config_versions, guard_rules
from app.storage.engine import build_engine
from app.storage.schema import upgrade_database
from app.storage.tables import GuardEntityRule
from guardrails import Action, AllowTerm, GuardPolicy, Term
from tests.app.admin.guard_support import Employee, GuardAdmin
from tests.app.test_postgres_storage import SERVER, pg_schema  # noqa: F401 - fixture


@pytest.fixture
def database(tmp_path):
    engine = build_engine(Settings(data_dir=tmp_path))
    upgrade_database(engine)
    yield engine
    engine.dispose()


def _store(engine, change) -> None:
    with Session(engine) as session:
        change(session)
        config_versions.bump(session, config_versions.GUARD)
        session.commit()


FILE_POLICY = GuardPolicy(default_action=Action.PSEUDONYMIZE, actions={"IBAN_CODE": Action.BLOCK},
                          score_threshold=0.5, thresholds={"PHONE_NUMBER": 0.8},
                          deny_terms=(Term("Nordlicht", "CONFIDENTIAL", source="deny_list"),),
                          allow_terms=(AllowTerm("Stadt Beispielhausen"),))


@pytest.mark.parametrize("rules,terms,expected", [
    # no rows: the file policy itself
    ({}, [], FILE_POLICY),
    # the "*" row replaces the default action and threshold; file type rules stay
    ({"*": ("mask", 0.6)}, [], GuardPolicy(Action.MASK, {"IBAN_CODE": Action.BLOCK}, 0.6, 10.0, {"PHONE_NUMBER": 0.8},
                                             FILE_POLICY.deny_terms, FILE_POLICY.allow_terms)),
    # a type row overrides the file's; an empty action only sets the threshold
    ({"IBAN_CODE": ("allow", None), "PERSON": ("", 0.9)}, [],
     GuardPolicy(Action.PSEUDONYMIZE, {"IBAN_CODE": Action.ALLOW}, 0.5, 10.0, {"PHONE_NUMBER": 0.8, "PERSON": 0.9},
                 FILE_POLICY.deny_terms, FILE_POLICY.allow_terms)),
    # terms add to the file's lists
    ({}, [("deny", r"VG-\d+", True, "FILE_NUMBER"), ("allow", "Landratsamt", False, "CONFIDENTIAL")],
     GuardPolicy(Action.PSEUDONYMIZE, {"IBAN_CODE": Action.BLOCK}, 0.5, 10.0, {"PHONE_NUMBER": 0.8},
                 FILE_POLICY.deny_terms + (Term(r"VG-\d+", "FILE_NUMBER", True, "deny_list"),),
                 FILE_POLICY.allow_terms + (AllowTerm("Landratsamt"),))),
])
def test_database_rules_over_the_file_policy(database, rules, terms, expected):
    def change(session):
        for kind, (action, threshold) in rules.items():
            guard_rules.set_rule(session, kind, action, threshold)
        for list_kind, pattern, regex, kind in terms:
            guard_rules.add_term(session, list_kind, pattern, regex, kind, "")
    _store(database, change)
    with Session(database) as session:
        policy = guard_rules.effective_policy(FILE_POLICY, guard_rules.load(session))
    assert policy == expected


def test_cache_rebuilds_only_when_the_version_moves(database, guard):
    cache = PolicyCache(database, guard)
    first = cache.guard()
    assert first is guard, "without rules the loaded guard is used as it is"
    assert cache.guard() is first
    _store(database, lambda s: guard_rules.set_rule(s, "PERSON", "block", None))
    second = cache.guard()
    assert second is not guard and second.policy.action_for("PERSON") is Action.BLOCK
    assert cache.guard() is second, "same version, same guard view"
    assert guard.policy.action_for("PERSON") is Action.PSEUDONYMIZE, "the shared guard is untouched"
    # a row written without a bump is not seen: the version is the signal
    with Session(database) as session:
        session.add(GuardEntityRule(entity_type="EMAIL_ADDRESS", action="allow"))
        session.commit()
    assert cache.guard() is second


def _redact(settings: Settings, text: str, guard=None) -> dict:
    out = io.StringIO()
    run_redact_jsonl(io.StringIO(json.dumps({"id": 1, "text": text}) + "\n"), out, settings=settings, guard=guard)
    return json.loads(out.getvalue())


def test_spielraum_redact_uses_the_database_policy(tmp_path, database):
    settings = Settings(data_dir=tmp_path)    # the same SQLite file as `database`
    text = "Stand zu Projekt Nordlicht bitte."
    assert "Nordlicht" in _redact(settings, text)["redacted_text"]
    _store(database, lambda s: guard_rules.add_term(s, "deny", "Nordlicht", False, "CONFIDENTIAL", ""))
    result = _redact(settings, text)
    assert result["redacted_text"] == "Stand zu Projekt [CONFIDENTIAL_1] bitte."
    assert result["findings"][0]["recognizer"] == "deny_list"


def test_spielraum_redact_creates_no_database(tmp_path):
    settings = Settings(data_dir=tmp_path / "nothing-here")
    assert "[PERSON_1]" in _redact(settings, "Bitte rufen Sie Frau Anna Schmidt an.")["redacted_text"]
    assert not (tmp_path / "nothing-here" / "spielraum.db").exists()


@pytest.mark.postgres
def test_two_apps_on_postgres_see_a_change_at_once(make_env, fake_upstream, pg_schema):  # noqa: F811
    url = f"{SERVER}?options=-csearch_path%3D{pg_schema}"
    first, second = make_env(database_url=url), make_env(database_url=url)
    employee = Employee(second)
    employee.api("Stand zu Projekt Nordlicht bitte.")
    assert "Nordlicht" in fake_upstream.requests[-1]["messages"][-1]["content"]
    assert GuardAdmin(first).rules(IBAN_CODE=("block", "")).status_code == 303
    assert GuardAdmin(first, "ida2").add("deny", "Nordlicht").status_code == 303
    employee.api("Stand zu Projekt Nordlicht bitte.")
    assert "Nordlicht" not in fake_upstream.requests[-1]["messages"][-1]["content"]
    blocked = employee.api("IBAN DE89 3704 0044 0532 0130 00")
    assert blocked.status_code == 400 and blocked.json()["error"]["code"] == "pii_blocked"


def test_the_readme_policy_example_loads(tmp_path):
    """The README's policy file is one `load_policy` accepts, with its thresholds and lists."""
    import re
    from pathlib import Path

    from app.guard_setup import load_policy

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# SPIELRAUM_GUARD_POLICY_FILE\n.*?)```", readme, re.S).group(1)
    path = tmp_path / "policy.yaml"
    path.write_text(example, encoding="utf-8")
    policy = load_policy(Settings(data_dir=tmp_path, guard_policy_file=path))
    assert policy.threshold_for("PHONE_NUMBER") == 0.6 and policy.action_for("IBAN_CODE") is Action.BLOCK
    assert [t.entity_type for t in policy.deny_terms] == ["CONFIDENTIAL", "FILE_NUMBER"]
    assert policy.deny_terms[1].compiled().search("VG-2024-0815")
    assert policy.allow_terms == (AllowTerm("Landratsamt Müller-Stadt"),)

"""Export and import against a real SQLite database: lossless round trip, no secrets, one
transaction with a version bump and an audit entry per changed area."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
import yaml
from sqlmodel import Session, select

from app.admin import config_io
from app.admin.config_yaml import ConfigFileInvalid
from app.storage import config_versions
from app.storage.crud import create_user
from app.storage.tables import (AuditEntry, Group, GuardEntityRule, GuardTermEntry, ModelEntry, UserCreate,
                                UserGroup)
from tests.app.admin.config_support import PLANTED_KEY, SAMPLE, fresh_engine
from tests.app.conftest import PASSWORD

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def engine(tmp_path):
    engine = fresh_engine(tmp_path / "a")
    yield engine
    engine.dispose()


def export(engine) -> str:
    with Session(engine) as session:
        return config_io.export_from(session, NOW)


def do_import(engine, text: str, dry_run: bool = False, actor=config_io.CLI):
    with Session(engine) as session:
        return config_io.import_text(session, text, actor, "sample.yaml", dry_run=dry_run)


def audit_entries(engine) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEntry).order_by(AuditEntry.id)))


def test_export_import_into_a_fresh_database_gives_the_identical_text(engine, tmp_path):
    do_import(engine, SAMPLE)
    first = export(engine)
    other = fresh_engine(tmp_path / "b")
    try:
        plan = do_import(other, first)
        assert set(plan.changed_areas()) == {"models", "guard", "groups"}
        assert export(other) == first
    finally:
        other.dispose()
    # And the export says what the sample said (nothing lost on the way in).
    data, sample = yaml.safe_load(first), yaml.safe_load(SAMPLE)
    assert data["default_model"] == "llama-intern"
    assert [m["id"] for m in data["models"]] == ["llama-intern", "2024", "gpt-4o-mini"]
    llama = data["models"][0]
    for key, value in sample["models"][0].items():
        assert llama[key] == value, key
    assert data["models"][1]["display_name"] == "yes" and data["models"][1]["description"] == "null"
    assert data["models"][1]["enabled"] is False and data["models"][1]["roles"] == ["dpo", "admin"]
    assert data["guard"]["entities"]["IBAN_CODE"] == {"action": "block", "threshold": None}
    assert data["guard"]["score_threshold"] == 0.45
    assert data["guard"]["deny"][0] == sample["guard"]["deny"][0]
    assert {t["pattern"] for t in data["guard"]["allow"]} == {"Landratsamt Musterstadt", "'Zitat'"}
    assert data["groups"] == [{"name": "einkauf", "description": "Einkauf & Vergabe"},
                              {"name": "Ämter & Referate", "description": ""}]


def test_import_export_import_changes_nothing_the_second_time(engine):
    do_import(engine, SAMPLE)
    with Session(engine) as session:
        versions = {area: config_versions.current(session, area) for area in ("models", "guard", "users")}
    entries = len(audit_entries(engine))
    plan = do_import(engine, export(engine))
    assert plan.is_empty and plan.changes == []
    assert config_io.describe(plan) == ["models: no changes", "guard: no changes", "groups: no changes"]
    with Session(engine) as session:
        assert {area: config_versions.current(session, area) for area in versions} == versions
    assert len(audit_entries(engine)) == entries


def test_the_tables_hold_what_the_file_says(engine):
    do_import(engine, SAMPLE)
    with Session(engine) as session:
        models = session.exec(select(ModelEntry).order_by(ModelEntry.position)).all()
        assert [(m.model_id, m.is_default, m.enabled) for m in models] == [
            ("llama-intern", True, True), ("2024", False, False), ("gpt-4o-mini", False, True)]
        assert json.loads(models[0].groups) == ["einkauf", "Ämter & Referate"]
        assert json.loads(models[1].roles) == ["dpo", "admin"] and models[0].requests_per_day == 200
        rules = {r.entity_type: (r.action, r.threshold) for r in session.exec(select(GuardEntityRule))}
        assert rules == {"*": ("pseudonymize", 0.45), "IBAN_CODE": ("block", None), "PERSON": ("pseudonymize", 0.6),
                         "EMAIL_ADDRESS": ("mask", None)}
        terms = {(t.list_kind, t.pattern, t.is_regex, t.entity_type) for t in session.exec(select(GuardTermEntry))}
        assert ("deny", r"AZ-\d{4}/\d+", True, "AKTENZEICHEN") in terms
        assert ("allow", "Landratsamt Musterstadt", False, "CONFIDENTIAL") in terms and len(terms) == 4


def test_a_change_in_each_area_bumps_it_and_is_audited_with_before_and_after(engine):
    do_import(engine, SAMPLE)
    with Session(engine) as session:
        before = {area: config_versions.current(session, area) for area in ("models", "guard", "users")}
    first_new = len(audit_entries(engine))
    changed = SAMPLE.replace("temperature: 0.3", "temperature: 0.5").replace("IBAN_CODE: {action: block}",
                                                                              "IBAN_CODE: {action: mask}")
    plan = do_import(engine, changed)
    assert [(c.area, c.kind, c.label, c.fields) for c in plan.changes] == [
        ("models", "changed", "llama-intern", ("temperature",)), ("guard", "changed", "IBAN_CODE", ("action",))]
    with Session(engine) as session:
        after = {area: config_versions.current(session, area) for area in before}
    assert after == {"models": before["models"] + 1, "guard": before["guard"] + 1, "users": before["users"]}
    entries = audit_entries(engine)[first_new:]
    assert [(e.action, e.actor, e.actor_role, e.target) for e in entries] == [
        ("config.models.import", "cli", "cli", "sample.yaml"), ("config.guard.import", "cli", "cli", "sample.yaml")]
    models = json.loads(entries[0].detail)
    assert models["before"] == {"llama-intern": {"temperature": 0.3}}
    assert models["after"] == {"llama-intern": {"temperature": 0.5}}
    assert json.loads(entries[1].detail)["after"] == {"IBAN_CODE": {"action": "mask"}}


def test_a_stored_key_is_never_exported_or_audited_and_survives_an_import(engine):
    do_import(engine, SAMPLE)
    with Session(engine) as session:
        row = session.exec(select(ModelEntry).where(ModelEntry.model_id == "gpt-4o-mini")).one()
        row.api_key_encrypted = PLANTED_KEY
        session.add(row)
        session.commit()
    text = export(engine)
    assert PLANTED_KEY not in text and "gAAAA" not in text
    assert "Models with a key stored in the database (not in this file): gpt-4o-mini." in text
    # Changing the model keeps its key; removing it deletes the key, audited without it.
    do_import(engine, text.replace("display_name: GPT-4o mini (Cloud)", "display_name: GPT-4o mini"))
    with Session(engine) as session:
        row = session.exec(select(ModelEntry).where(ModelEntry.model_id == "gpt-4o-mini")).one()
        assert row.api_key_encrypted == PLANTED_KEY and row.display_name == "GPT-4o mini"
    without = SAMPLE.split("  - id: gpt-4o-mini")[0] + "guard:" + SAMPLE.split("\nguard:")[1]
    plan = do_import(engine, without, dry_run=True)
    assert "  - gpt-4o-mini (its API key stored in the database is deleted too)" in config_io.describe(plan)
    do_import(engine, without)
    with Session(engine) as session:
        assert session.exec(select(ModelEntry).where(ModelEntry.model_id == "gpt-4o-mini")).first() is None
    log = "\n".join(e.detail for e in audit_entries(engine))
    assert PLANTED_KEY not in log and '"api_key_stored": true' in log


def test_a_dry_run_writes_nothing(engine):
    plan = do_import(engine, SAMPLE, dry_run=True)
    assert plan.counts("models") == {"added": 3, "changed": 0, "removed": 0, "kept": 0}
    assert "  + llama-intern" in config_io.describe(plan)
    with Session(engine) as session:
        assert session.exec(select(ModelEntry)).all() == [] and session.exec(select(Group)).all() == []
        assert config_versions.current(session, "models") == 0
    assert audit_entries(engine) == []


def test_what_the_file_does_not_name_is_removed_but_groups_with_members_stay(engine):
    do_import(engine, SAMPLE)
    with Session(engine) as session:
        user = create_user(session, UserCreate(username="erika", role="employee", password=PASSWORD))
        group = session.exec(select(Group).where(Group.name == "einkauf")).one()
        session.add(UserGroup(user_id=user.id, group_id=group.id))
        session.commit()
    minimal = ("version: 1\ndefault_model: a\nmodels:\n  - {id: a, display_name: A, litellm_model: openai/a}\n"
               "guard:\n  default_action: block\n")
    plan = do_import(engine, minimal)
    kinds = {(c.area, c.label): (c.kind, c.note) for c in plan.changes}
    assert kinds[("groups", "einkauf")] == ("kept", "has_members")
    assert kinds[("groups", "Ämter & Referate")] == ("removed", "")
    assert kinds[("models", "llama-intern")] == ("removed", "")
    with Session(engine) as session:
        assert [m.model_id for m in session.exec(select(ModelEntry))] == ["a"]
        assert [g.name for g in session.exec(select(Group))] == ["einkauf"]
        assert {r.entity_type: r.action for r in session.exec(select(GuardEntityRule))} == {"*": "block"}
        assert session.exec(select(GuardTermEntry)).all() == []
        assert session.exec(select(UserGroup)).all() != []


def test_a_file_with_an_error_changes_nothing(engine):
    do_import(engine, SAMPLE)
    snapshot = export(engine)
    with pytest.raises(ConfigFileInvalid):
        do_import(engine, SAMPLE.replace("temperature: 0.3", "temperature: 9").replace("Projekt Adler", "X"))
    assert export(engine) == snapshot


def test_the_default_model_and_the_order_follow_the_file(engine):
    do_import(engine, SAMPLE)
    reordered = SAMPLE.replace("default_model: llama-intern", "default_model: gpt-4o-mini")
    first, rest = reordered.split("  - id: \"2024\"")
    second, third = ("  - id: \"2024\"" + rest).split("  - id: gpt-4o-mini")
    head, llama = first.split("models:\n")
    swapped = head + "models:\n" + "  - id: gpt-4o-mini" + third.split("guard:")[0] + llama + second + \
        "guard:" + third.split("guard:")[1]
    plan = do_import(engine, swapped)
    assert {(c.label, c.fields) for c in plan.changes} == {
        ("gpt-4o-mini", ("is_default", "position")), ("llama-intern", ("is_default", "position")),
        ("2024", ("position",))}
    assert [m["id"] for m in yaml.safe_load(export(engine))["models"]] == ["gpt-4o-mini", "llama-intern", "2024"]
    assert yaml.safe_load(export(engine))["default_model"] == "gpt-4o-mini"


def test_an_empty_database_exports_a_file_that_imports_as_no_change(engine):
    text = export(engine)
    assert yaml.safe_load(text) == {"version": 1, "default_model": None, "models": [], "groups": [], "guard": {
        "default_action": None, "score_threshold": None, "entities": {}, "deny": [], "allow": []}}
    assert do_import(engine, text).is_empty


# Columns the file leaves out on purpose; a new column must be added to the file or here.
NOT_IN_THE_FILE = {
    # is_default and position are carried too, as `default_model` and the models' order.
    ModelEntry: {"id", "api_key_encrypted", "is_default", "position", "created_at", "updated_at"},
    GuardEntityRule: {"updated_at"},
    GuardTermEntry: {"id", "created_at"},
    Group: {"id", "created_at"},
}


def test_every_column_of_the_configuration_is_in_the_file_or_left_out_on_purpose():
    from app.storage.config_store import MODEL_FIELDS

    carried = {
        ModelEntry: set(MODEL_FIELDS.values()),
        GuardEntityRule: {"entity_type", "action", "threshold"},
        GuardTermEntry: {"list_kind", "pattern", "is_regex", "entity_type", "note"},
        Group: {"name", "description"},
    }
    for table, columns in carried.items():
        all_columns = set(table.__table__.columns.keys())
        assert all_columns - NOT_IN_THE_FILE[table] == columns, table.__name__


def test_rows_as_the_browser_pages_may_write_them_round_trip_too(engine, tmp_path):
    """Empty strings where a field was cleared, no default flag, gaps in the positions."""
    with Session(engine) as session:
        session.add(ModelEntry(model_id="b", display_name="B", litellm_model="openai/b", api_key_env="",
                               api_base="", position=10, requests_per_day=0, timeout_seconds=900))
        session.add(ModelEntry(model_id="a", display_name="A", litellm_model="openai/a", position=5,
                               roles='["curator"]', enabled=False))
        session.add(GuardEntityRule(entity_type="*", action="mask", threshold=None))
        session.add(GuardTermEntry(list_kind="allow", pattern="Rathaus", entity_type="", note=""))
        session.commit()
    first = export(engine)
    assert yaml.safe_load(first)["default_model"] == "b"  # the first enabled model stands in
    other = fresh_engine(tmp_path / "b")
    try:
        do_import(other, first)
        assert export(other) == first
    finally:
        other.dispose()
    plan = do_import(engine, first)  # the same database: only the default flag is set now
    assert [(c.label, c.fields) for c in plan.changes] == [("b", ("is_default",))]
    assert do_import(engine, export(engine)).is_empty


def test_threshold_only_rules_from_the_guard_page_round_trip(engine, tmp_path):
    """The guard page stores a rule with an empty action when IT sets only a threshold: the
    type (or, for "*", every type) keeps following the default action."""
    with Session(engine) as session:
        session.add(GuardEntityRule(entity_type="*", action="", threshold=0.55))
        session.add(GuardEntityRule(entity_type="PERSON", action="", threshold=0.7))
        session.add(GuardEntityRule(entity_type="IBAN_CODE", action="block", threshold=None))
        session.commit()
    first = export(engine)
    guard = yaml.safe_load(first)["guard"]
    assert guard["default_action"] is None and guard["score_threshold"] == 0.55
    assert guard["entities"]["PERSON"] == {"action": None, "threshold": 0.7}
    other = fresh_engine(tmp_path / "b")
    try:
        do_import(other, first)
        with Session(other) as session:
            rows = {r.entity_type: (r.action, r.threshold) for r in session.exec(select(GuardEntityRule))}
        assert rows == {"*": ("", 0.55), "PERSON": ("", 0.7), "IBAN_CODE": ("block", None)}
        assert export(other) == first
    finally:
        other.dispose()
    assert do_import(engine, first).is_empty

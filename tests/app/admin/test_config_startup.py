"""SPIELRAUM_CONFIG_FILE: the real app starts from a configuration file, once per change of
the file, even when several worker processes start at the same moment."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.admin.config_startup import ConfigFileError
from app.storage.tables import AuditEntry, ConfigFileState, Group, GuardEntityRule, GuardTermEntry, ModelEntry
from tests.app.admin.config_support import SAMPLE
from tests.app.test_postgres_storage import SERVER, pg_schema  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parents[3]


def config_audit(session) -> list[tuple[str, str]]:
    return [(e.action, e.actor) for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))
            if e.action.startswith("config.")]


def test_the_app_starts_from_the_file_with_its_models_and_policy(make_env, tmp_path):
    path = tmp_path / "spielraum.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    env = make_env(models=False, config_file=path)
    with env.session() as session:
        assert [m.model_id for m in session.exec(select(ModelEntry).order_by(ModelEntry.position))] == [
            "llama-intern", "2024", "gpt-4o-mini"]
        assert session.get(GuardEntityRule, "IBAN_CODE").action == "block"
        assert session.get(GuardEntityRule, "*").threshold == 0.45
        assert len(session.exec(select(GuardTermEntry)).all()) == 4
        assert {g.name for g in session.exec(select(Group))} == {"einkauf", "Ämter & Referate"}
        assert config_audit(session) == [("config.models.import", "system"), ("config.guard.import", "system"),
                                         ("config.groups.import", "system")]
        assert session.exec(select(AuditEntry)).first().target == "spielraum.yaml"
        assert len(session.get(ConfigFileState, "startup").sha256) == 64


def test_an_unchanged_file_keeps_browser_edits_and_a_changed_file_wins(make_env, tmp_path):
    path = tmp_path / "spielraum.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    env = make_env(models=False, config_file=path)
    with env.session() as session:  # an edit in the browser after the start
        row = session.exec(select(ModelEntry).where(ModelEntry.model_id == "llama-intern")).one()
        row.display_name = "Im Browser umbenannt"
        session.add(row)
        session.commit()
    env = make_env(models=False, config_file=path)  # a restart, same file
    with env.session() as session:
        assert session.exec(select(ModelEntry.display_name).where(ModelEntry.model_id == "llama-intern")).one() \
            == "Im Browser umbenannt"
        entries = len(config_audit(session))
    path.write_text(SAMPLE.replace("temperature: 0.3", "temperature: 0.4"), encoding="utf-8")
    env = make_env(models=False, config_file=path)  # a restart with a changed file
    with env.session() as session:
        row = session.exec(select(ModelEntry).where(ModelEntry.model_id == "llama-intern")).one()
        assert (row.display_name, row.temperature) == ("Llama 3.1 8B (intern)", 0.4)
        audit = config_audit(session)
        assert audit[entries:] == [("config.models.import", "system")]
        detail = json.loads(session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first().detail)
        assert detail["before"] == {"llama-intern": {"display_name": "Im Browser umbenannt", "temperature": 0.3}}


def test_a_broken_file_stops_the_start_with_its_line_and_writes_nothing(make_env, tmp_path):
    path = tmp_path / "spielraum.yaml"
    path.write_text(SAMPLE.replace("    max_tokens: 2048", "    max_tokens: zweitausend"), encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        make_env(models=False, config_file=path)
    line = next(n for n, text in enumerate(SAMPLE.splitlines(), 1) if "max_tokens" in text)
    assert f"{path}:{line}: models[0].max_tokens: Input should be a valid integer" in str(caught.value)
    path.write_text("version: 1\n", encoding="utf-8")
    env = make_env(models=False, config_file=path)
    with env.session() as session:
        assert session.exec(select(ModelEntry)).all() == []
        assert session.get(ConfigFileState, "startup") is not None


_APPLY = ("import sys; from pathlib import Path; from app.admin.config_startup import apply_config_file; "
          "print(apply_config_file(sys.argv[1], Path(sys.argv[2])))")


def _start_together(database_url: str, path: Path, workers: int = 3) -> list[str]:
    processes = [subprocess.Popen([sys.executable, "-c", _APPLY, database_url, str(path)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(workers)]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outputs.append(out.strip().splitlines()[-1])
    return outputs


def _check_applied_once(engine_url: str, outputs: list[str]) -> None:
    from app.settings import Settings
    from app.storage.engine import build_engine

    assert sorted(outputs) == ["None"] * (len(outputs) - 1) + ["['models', 'guard', 'groups']"], outputs
    engine = build_engine(Settings(database_url=engine_url))
    try:
        with Session(engine) as session:
            assert len(session.exec(select(ModelEntry)).all()) == 3
            assert [action for action, _ in config_audit(session)] == [
                "config.models.import", "config.guard.import", "config.groups.import"]
    finally:
        engine.dispose()


def test_workers_starting_at_once_import_the_file_once_on_sqlite(tmp_path):
    from app.storage.schema import upgrade_database

    path = tmp_path / "spielraum.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'spielraum.db'}"
    upgrade_database(url)
    _check_applied_once(url, _start_together(url, path))


@pytest.mark.postgres
def test_workers_starting_at_once_import_the_file_once_on_postgres(tmp_path, pg_schema):
    from app.storage.schema import upgrade_database
    path = tmp_path / "spielraum.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    url = f"{SERVER}?options=-csearch_path%3D{pg_schema}"
    upgrade_database(url)
    _check_applied_once(url, _start_together(url, path))

"""`spielraum config export|import` through a real subprocess, as IT runs it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, select

from app.settings import Settings
from app.storage.engine import build_engine
from app.storage.tables import AuditEntry, ModelEntry
from tests.app.admin.config_support import PLANTED_KEY, SAMPLE

ROOT = Path(__file__).resolve().parents[3]


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SPIELRAUM_DATA_DIR": str(data_dir)}
    env.pop("SPIELRAUM_DATABASE_URL", None)
    env.pop("SPIELRAUM_CONFIG_FILE", None)
    return subprocess.run([sys.executable, "-m", "app.cli", "config", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_import_dry_run_export_and_import_again(tmp_path):
    source = tmp_path / "config.yaml"
    source.write_text(SAMPLE, encoding="utf-8")
    data = tmp_path / "data"

    dry = run(data, "import", str(source), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[:2] == ["models: 3 added", "  + llama-intern"]
    assert dry.stdout.rstrip().endswith("Dry run: nothing was changed.")

    done = run(data, "import", str(source))
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("Imported config.yaml: changed models, guard, groups.")
    engine = build_engine(Settings(data_dir=data))
    with Session(engine) as session:
        assert len(session.exec(select(ModelEntry)).all()) == 3
        row = session.exec(select(ModelEntry).where(ModelEntry.model_id == "llama-intern")).one()
        row.api_key_encrypted = PLANTED_KEY
        session.add(row)
        session.commit()

    exported = run(data, "export")
    assert exported.returncode == 0 and exported.stdout.startswith("# Spielraum configuration (version 1)")
    assert PLANTED_KEY not in exported.stdout
    target = tmp_path / "out.yaml"
    written = run(data, "export", "-o", str(target))
    assert written.returncode == 0 and target.read_text(encoding="utf-8") .split("\n", 1)[1] \
        == exported.stdout.split("\n", 1)[1]  # the first line holds the time

    again = run(data, "import", str(target))
    assert (again.returncode, again.stdout.strip()) == (0, "No changes: the configuration already matches the file.")
    with Session(engine) as session:
        actors = {(e.action, e.actor) for e in session.exec(select(AuditEntry))}
        assert ("config.models.import", "cli") in actors
        assert session.exec(select(ModelEntry.api_key_encrypted).where(
            ModelEntry.model_id == "llama-intern")).one() == PLANTED_KEY
    engine.dispose()


def test_a_file_with_errors_exits_2_with_the_lines_and_changes_nothing(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(SAMPLE.replace("temperature: 0.3", "temperature: 7")
                      .replace("IBAN_CODE: {action: block}", "IBAN_CODE: {action: weg}"), encoding="utf-8")
    result = run(tmp_path / "data", "import", str(broken))
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    temperature = next(n for n, line in enumerate(SAMPLE.splitlines(), 1) if "temperature: 0.3" in line)
    iban = next(n for n, line in enumerate(SAMPLE.splitlines(), 1) if "IBAN_CODE" in line)
    assert lines == [
        f"{broken}:{temperature}: models[0].temperature: Input should be less than or equal to 2",
        f"{broken}:{iban}: guard.entities.IBAN_CODE.action: Input should be 'pseudonymize', 'mask', 'block' or 'allow'",
        f"spielraum: 2 problem(s) in {broken}; nothing was changed.",
    ]
    assert run(tmp_path / "data", "export").stdout.count("models: []") == 1


def test_a_missing_file_exits_1(tmp_path):
    result = run(tmp_path / "data", "import", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1 and "cannot read the configuration file" in result.stderr


def test_serve_stops_before_any_worker_when_the_config_file_is_broken(tmp_path):
    broken = tmp_path / "spielraum.yaml"
    broken.write_text(SAMPLE.replace("default_model: llama-intern", "default_model: fehlt"), encoding="utf-8")
    env = {**os.environ, "SPIELRAUM_DATA_DIR": str(tmp_path / "data"), "SPIELRAUM_CONFIG_FILE": str(broken),
           "SPIELRAUM_ADMIN_PASSWORD": "Tee-Kanne-Fenster-7"}
    env.pop("SPIELRAUM_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "app.cli", "serve", "--port", "1"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"{broken}:2: default_model: names no model in this file" in result.stderr

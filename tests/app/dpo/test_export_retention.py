"""Export (web and command line), retention (job, lease, `spielraum purge`) on real exchanges.

Exchanges are made through the real web chat and the real OpenAI-compatible API; the command
line runs as a subprocess against the same database, as an operator would run it.
"""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from app.dpo import retention
from app.storage.tables import AuditEntry, Exchange, RetentionRun, utcnow
from tests.app.conftest import PII_PROMPT, leaked
from tests.app.dpo.support import chat_as, sign_in_dpo

ROOT = Path(__file__).resolve().parents[3]
PLAIN = "Wie formuliere ich eine höfliche Absage für einen Termin?"


def _actions(env) -> list[tuple[str, dict]]:
    with env.session() as session:
        return [(e.action, json.loads(e.detail)) for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]


def test_web_export_streams_the_filtered_log_as_jsonl_and_csv_and_is_audited(env):
    chat_as(env, "erika", [PII_PROMPT, PLAIN])
    sign_in_dpo(env)
    with env.client.stream("GET", "/dpo/export", params={"format": "jsonl"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        assert "attachment" in response.headers["content-disposition"]
        lines = [json.loads(line) for line in response.iter_lines() if line]
    assert len(lines) == 2
    pii = next(item for item in lines if item["findings"])
    assert "[PERSON_1]" in pii["prompt"] and "[IBAN_CODE_1]" in pii["prompt"]
    assert {f["entity_type"] for f in pii["findings"]} >= {"PERSON", "IBAN_CODE"}
    assert pii["user"].startswith("U-") and "erika" not in json.dumps(lines)
    assert leaked(json.dumps(lines, ensure_ascii=False)) == []

    filtered = env.client.get("/dpo/export", params={"format": "csv", "entity_type": "IBAN_CODE"})
    rows = list(csv.DictReader(io.StringIO(filtered.text)))
    assert len(rows) == 1 and "IBAN_CODE:" in rows[0]["findings"]
    assert env.client.get("/dpo/export", params={"format": "xml"}).status_code == 400
    exports = [detail for action, detail in _actions(env) if action == "export"]
    assert exports == [{"filter": {}, "format": "jsonl"},
                       {"filter": {"entity_type": "IBAN_CODE"}, "format": "csv"}]


def test_export_search_term_is_pseudonymised_in_the_audit_log(env):
    sign_in_dpo(env)
    env.client.get("/dpo/export", params={"format": "jsonl", "q": "Anna Schmidt"})
    detail = [d for action, d in _actions(env) if action == "export"][0]
    assert "Anna Schmidt" not in json.dumps(detail) and "[PERSON_1]" in detail["filter"]["q"]


def test_csv_cells_that_look_like_formulas_are_defused(env):
    chat_as(env, "erika", ["=HYPERLINK(\"http://x\") bitte erklären"])
    sign_in_dpo(env)
    rows = list(csv.DictReader(io.StringIO(env.client.get("/dpo/export", params={"format": "csv"}).text)))
    assert rows[0]["prompt"].startswith("'=")


def _cli(env, *args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SPIELRAUM_DATA_DIR": str(env.settings.data_dir),
                   "SPIELRAUM_SECRET_KEY": env.settings.secret_key, "PYTHONPATH": str(ROOT)}
    environment.pop("SPIELRAUM_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=environment, timeout=120)


def _main(env, monkeypatch, capsys, *args: str) -> tuple[int, str]:
    """The same command in this process (cheaper than a subprocess for the variations)."""
    from app.cli import main

    monkeypatch.setenv("SPIELRAUM_DATA_DIR", str(env.settings.data_dir))
    monkeypatch.setenv("SPIELRAUM_SECRET_KEY", env.settings.secret_key)
    monkeypatch.delenv("SPIELRAUM_DATABASE_URL", raising=False)
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def test_command_line_export_after_the_real_api_then_purge_leaves_nothing(env, monkeypatch, capsys):
    user = env.user("api-nutzerin")
    token = env.token(user)
    for prompt in (PII_PROMPT, PLAIN):
        response = env.client.post("/v1/chat/completions", headers={"authorization": f"Bearer {token}"},
                                   json={"model": "fake", "messages": [{"role": "user", "content": prompt}]})
        assert response.status_code == 200, response.text

    exported = _cli(env, "log", "export", "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(lines) == 2 and {item["channel"] for item in lines} == {"api"}
    pii = next(item for item in lines if item["findings"])
    assert "[PERSON_1]" in pii["prompt"] and "[PERSON_1]" in pii["answer"]
    assert leaked(exported.stdout) == []
    today = utcnow().date().isoformat()
    code, out = _main(env, monkeypatch, capsys, "log", "export", "--since", today, "--until", today)
    assert code == 0 and len(out.splitlines()) == 2
    assert _main(env, monkeypatch, capsys, "log", "export", "--until", "2000-01-01") == (0, "")
    code, out = _main(env, monkeypatch, capsys, "log", "export", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(out)))) == 2

    purged = _cli(env, "purge", "--older-than-days", "0")
    assert purged.returncode == 0, purged.stderr
    assert "Deleted 2 exchange(s)" in purged.stderr
    assert _cli(env, "log", "export").stdout == ""
    code, out = _main(env, monkeypatch, capsys, "log", "export", "--format", "csv")
    assert out.splitlines()[1:] == []
    purges = [d for action, d in _actions(env) if action == "retention_purge" and d["deleted_exchanges"]]
    assert purges and purges[-1]["deleted_exchanges"] == 2 and purges[-1]["older_than_days"] == 0
    assert [a for a, _ in _actions(env)].count("export") == 6


def test_retention_keeps_recent_exchanges_and_deletes_old_ones(env):
    chat_as(env, "erika", [PLAIN, PII_PROMPT])
    engine = env.app.state.engine
    with env.session() as session:
        old = session.exec(select(Exchange).order_by(Exchange.id)).first()
        old.created_at = utcnow() - timedelta(days=91)
        session.add(old)
        session.commit()
        old_id = old.id
    run = retention.purge(engine, 90, "cli")
    assert run.deleted_exchanges == 1
    with env.session() as session:
        remaining = [e.id for e in session.exec(select(Exchange))]
    assert old_id not in remaining and len(remaining) == 1


def test_the_lease_lets_exactly_one_of_many_workers_run_per_interval(make_env):
    # The app's own job is off here: it would race the workers below for the same lease.
    env = make_env(retention_job=False)
    engine = env.app.state.engine
    winners: list[str] = []
    barrier = threading.Barrier(6)

    def worker(n: int) -> None:
        barrier.wait()
        if retention.run_if_due(engine, 90, 3600, f"worker-{n}") is not None:
            winners.append(f"worker-{n}")

    with env.session() as session:
        runs_before = len(session.exec(select(RetentionRun)).all())
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1
    assert retention.run_if_due(engine, 90, 3600, "late-worker") is None
    with env.session() as session:
        assert len(session.exec(select(RetentionRun)).all()) == runs_before + 1


def test_the_app_runs_the_retention_job_on_start(make_env):
    env = make_env(retention_days=0)
    import time
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with env.session() as session:
            if session.exec(select(RetentionRun).where(RetentionRun.trigger == "job")).first():
                return
        time.sleep(0.1)
    raise AssertionError("the retention job did not run")


def test_command_line_rejects_bad_dates_and_days(env, monkeypatch, capsys):
    import pytest

    with pytest.raises(SystemExit) as exited:
        _main(env, monkeypatch, capsys, "log", "export", "--since", "morgen")
    assert exited.value.code == 2
    assert _main(env, monkeypatch, capsys, "purge", "--older-than-days", "-1")[0] == 2
    assert _main(env, monkeypatch, capsys, "log", "export", "--since", "2026-02-01", "--until", "2026-01-01")[0] == 2

"""The `spielraum` command line: accounts, tokens, serve's first start, and the redact contract."""
from __future__ import annotations

import io
import json
import re
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from app.accounts.api_tokens import hash_token
from app.accounts.auth import authenticate
from app.cli import main
from app.storage.engine import build_engine
from app.storage.tables import ApiToken
from app.settings import Settings
from tests.app.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
# `python -m app.cli` from the checkout is what the `spielraum` script runs; started from the
# repository root it does not depend on how the editable install mapped the packages.
CLI = [sys.executable, "-m", "app.cli"]


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SPIELRAUM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SPIELRAUM_DATABASE_URL", raising=False)
    return tmp_path


def engine_for(data_dir: Path):
    return build_engine(Settings(data_dir=data_dir))


def test_user_add_prints_a_generated_password_once(data_dir, capsys):
    assert main(["user", "add", "dora", "--role", "dpo"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    password = out[-1]
    assert len(password) >= 12
    with Session(engine_for(data_dir)) as session:
        user = authenticate(session, "dora", password)
        assert user is not None and user.role == "dpo"
        assert authenticate(session, "dora", password + "x") is None
    assert main(["user", "add", "dora"]) == 1  # exists already
    assert "already exists" in capsys.readouterr().err


def test_account_commands_are_audited_without_the_password(data_dir, capsys, monkeypatch):
    from sqlmodel import select

    from app.storage.tables import AuditEntry

    assert main(["user", "add", "fritz", "--role", "dpo"]) == 0
    password = capsys.readouterr().out.strip().splitlines()[-1]
    monkeypatch.setattr(sys, "stdin", io.StringIO("Ein-neues-langes-Passwort-7\n"))
    assert main(["user", "password", "fritz", "--password-stdin"]) == 0
    assert main(["user", "deactivate", "fritz"]) == 0
    with Session(engine_for(data_dir)) as session:
        entries = list(session.exec(select(AuditEntry).order_by(AuditEntry.id)))
    assert [e.action for e in entries] == ["config.users.create", "config.users.password_reset",
                                           "config.users.deactivate"]
    assert {e.actor for e in entries} == {"cli"} and len({e.target for e in entries}) == 1
    details = " ".join(e.detail for e in entries)
    assert password not in details and "Ein-neues-langes-Passwort-7" not in details
    assert '"is_active": false' in details and '"role": "dpo"' in details


def test_user_add_reads_the_password_from_stdin_and_does_not_print_it(data_dir, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("ein-langes-Passwort\n"))
    assert main(["user", "add", "erika", "--password-stdin"]) == 0
    assert "ein-langes-Passwort" not in capsys.readouterr().out
    with Session(engine_for(data_dir)) as session:
        assert authenticate(session, "erika", "ein-langes-Passwort").role == "employee"


def test_token_create_prints_the_token_as_last_line_and_stores_its_hash(data_dir, capsys, guard):
    from fastapi.testclient import TestClient

    from app.factory import create_app

    assert main(["user", "add", "erika"]) == 0
    capsys.readouterr()
    assert main(["token", "create", "erika", "--label", "laptop"]) == 0
    token = capsys.readouterr().out.rstrip("\n").splitlines()[-1]
    assert token.startswith("sr-")
    with Session(engine_for(data_dir)) as session:
        row = session.exec(select(ApiToken)).one()
    assert row.token_hash == hash_token(token) and row.name == "laptop"
    app = create_app(Settings(data_dir=data_dir, secret_key="x"), guard=guard)
    with TestClient(app) as client:
        assert client.get("/v1/models", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert main(["token", "create", "nobody"]) == 1


def _cli_env(data_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPIELRAUM_")}
    env.update({"SPIELRAUM_DATA_DIR": str(data_dir), **extra})
    return env


def test_redact_jsonl_contract(tmp_path):
    lines = [
        {"id": "a", "text": "Bitte rufen Sie Frau Anna Schmidt unter 0171 2345678 zurück.", "language": "de"},
        {"id": "b", "text": "Keine personenbezogenen Daten hier."},
    ]
    result = subprocess.run(
        [*CLI, "redact", "--jsonl"],
        input="\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n",
        capture_output=True, text=True, timeout=240, env=_cli_env(tmp_path), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    first = out[0]
    assert set(first) == {"id", "redacted_text", "findings"}
    found = {lines[0]["text"][f["start"]:f["end"]]: f["entity_type"] for f in first["findings"]}
    assert found.get("0171 2345678") == "PHONE_NUMBER"
    for value in found:
        assert value not in first["redacted_text"]
    assert out[1]["redacted_text"] == lines[1]["text"] and out[1]["findings"] == []


def test_serve_creates_the_admin_once_and_answers_health(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        # The local demo model (where its extra is installed) has its own serve test.
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env=_cli_env(tmp_path, SPIELRAUM_LOCAL_MODEL="off"), cwd=ROOT)
    try:
        first_lines = [process.stdout.readline(), process.stdout.readline()]
        password = first_lines[0].rsplit(": ", 1)[-1].strip()
        assert "admin" in first_lines[0] and len(password) >= 12
        deadline = time.monotonic() + 120
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None, "server did not come up"
                time.sleep(0.5)
        assert response.json()["catalogue"]["models"] == 1  # the built-in demo model
        chosen = _newcomer_chats_with_the_demo_model(f"http://127.0.0.1:{port}", password)
    finally:
        process.terminate()
        process.wait(timeout=30)
    with Session(engine_for(tmp_path)) as session:
        assert authenticate(session, "admin", password) is None, "the printed password was replaced"
        assert authenticate(session, "admin", chosen).role == "admin"
    # A second start finds users and prints no password.
    from app.accounts.provisioning import ensure_admin

    assert ensure_admin(engine_for(tmp_path), Settings(data_dir=tmp_path)) is None


def _newcomer_chats_with_the_demo_model(base_url: str, password: str) -> str:
    """What a person does after the first command: sign in, choose an own password, send a
    prompt, read the answer. Returns the chosen password."""
    chosen = "Gelbe-Giraffe-im-Amt-7"
    with httpx.Client(base_url=base_url, timeout=60, follow_redirects=True) as client:
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
        page = client.post("/login", data={"username": "admin", "password": password, "csrf": csrf})
        # The printed password was generated: an own one comes first, then the Grundlagen.
        assert page.status_code == 200 and 'id="password-first-notice"' in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        page = client.post("/account/password", data={"current_password": password, "new_password": chosen,
                                                       "new_password_again": chosen, "csrf": csrf})
        # First sign-in: the Grundlagen come first and are confirmed once.
        assert page.status_code == 200 and 'id="basics-form"' in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        page = client.post("/learning/basics", data={"understood": "yes", "csrf": csrf})
        assert page.status_code == 200 and "Demo: Echo" in page.text
        csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)
        response = client.post("/chat/stream", json={
            "model_id": "demo-echo", "csrf": csrf,
            "prompt": "Bitte schreiben Sie an Frau Aylin Öztürk, IBAN DE89 3704 0044 0532 0130 00."})
        events = [json.loads(line) for line in response.text.splitlines()]
    sent = next(e for e in events if e["type"] == "sent")
    answer = "".join(e["text"] for e in events if e["type"] == "delta")
    assert events[-1]["type"] == "done", events
    assert "Öztürk" not in sent["sent_text"] and "DE89" not in sent["sent_text"]
    assert "Aylin Öztürk" in answer and "DE89 3704 0044 0532 0130 00" in answer
    return chosen


def test_admin_password_from_the_environment(tmp_path):
    from app.accounts.provisioning import ensure_admin

    from app.storage.engine import create_tables

    settings = Settings(data_dir=tmp_path, admin_password="vom-Betrieb-gesetzt")
    create_tables(engine_for(tmp_path))
    assert ensure_admin(engine_for(tmp_path), settings) is None
    with Session(engine_for(tmp_path)) as session:
        assert authenticate(session, "admin", "vom-Betrieb-gesetzt") is not None


def test_redact_jsonl_reports_a_bad_line_on_its_own_line_and_goes_on(guard):
    from app.redact_command import run_redact_jsonl

    lines = [
        '{"id": 1, "text": "Frau Anna Schmidt ruft an."}',
        '{"id": 2, "text": "kaputt"',                      # not JSON
        '{"id": 3}',                                       # no text
        '["keine", "Zeile"]',                              # not an object
        '{"id": 5, "text": 42}',
        '{"id": 6, "text": "Hallo", "language": "fr"}',
        '',
        '{"id": 7, "text": "Keine Daten."}',
    ]
    stdout = io.StringIO()
    status = run_redact_jsonl(io.StringIO("\n".join(lines) + "\n"), stdout, guard=guard)
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert status == 1
    assert [o.get("id") for o in out] == [1, None, 3, None, 5, 6, 7]
    assert [o.get("error") for o in out] == [None, "invalid_json", "missing_text", "not_an_object",
                                             "text_not_a_string", "invalid_language", None]
    assert "[PERSON_1]" in out[0]["redacted_text"] and out[6]["redacted_text"] == "Keine Daten."
    assert out[1]["message"] == "line 2: not valid JSON"


def test_redact_help_documents_the_formats(capsys):
    with pytest.raises(SystemExit):
        main(["redact", "--help"])
    text = capsys.readouterr().out
    for expected in ('"redacted_text"', '"findings"', '"language"', '"error": "invalid_json"', "exit status"):
        assert expected in text


def test_serve_gives_busy_workers_half_a_minute_before_the_supervisor_replaces_them(data_dir, monkeypatch):
    """uvicorn kills a worker that misses its health check; 5 s (its default) is too short for a
    worker that is merely busy on a small, loaded machine, and killing it drops its requests."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("SPIELRAUM_ADMIN_PASSWORD", "Weidenkaetzchen-Uferweg-42")
    # serve writes its own URL into os.environ for its workers; monkeypatch puts it back afterwards.
    monkeypatch.setenv("SPIELRAUM_SELF_URL", "http://127.0.0.1:8000")
    # Only the worker settings matter here: no local model server (it would outlive the fake run).
    monkeypatch.setenv("SPIELRAUM_LOCAL_MODEL", "off")
    monkeypatch.delenv("SPIELRAUM_LOCAL_MODEL_URL", raising=False)
    assert main(["serve", "--workers", "2", "--port", str(free_port())]) == 0
    assert calls and calls[0]["workers"] == 2
    assert calls[0]["timeout_worker_healthcheck"] >= 30
    assert calls[0]["access_log"] is False

"""The local demo model (llama.cpp + SmolLM2): catalogued next to the echo demo, started once by
`spielraum serve`, and a real chat through the guard where the optional extra is installed.

The end-to-end tests use the real llama.cpp server as a child process on 127.0.0.1 (no fake);
they skip with the install command as the reason where the extra or the model file is missing.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.chat.demo_model import DEMO_MODEL_ID
from app.chat.local_model import LOG_FILENAME, configured_local_model, local_model_wanted, start_local_model
from app.chat.web_service import ChatTurn
from app.cli import main
from app.factory import create_app, load_models
from app.settings import Settings
from providers import LOCAL_MODEL_ID, LocalModelError, local_model_installed
from tests.app.conftest import PII_PROMPT, AppEnv, collect_turn, dump_database, free_port, leaked

ROOT = Path(__file__).resolve().parents[2]
INSTALLED = local_model_installed()
needs_local_model = pytest.mark.skipif(
    not INSTALLED, reason="the local-model extra or its model file is not installed "
    "(README, 'Lokales Demo-Modell': requirements-local-model.lock and requirements-local-model-file.lock)")


def _settings(tmp_path: Path, **overrides) -> Settings:
    return Settings(data_dir=tmp_path / "data", secret_key="test", first_steps_on_login=False, **overrides)


def test_the_running_local_model_is_catalogued_after_the_echo_demo(tmp_path):
    settings = _settings(tmp_path, self_url="http://127.0.0.1:1", local_model_url="http://127.0.0.1:2/v1")
    models = load_models(settings).models
    assert [m.id for m in models] == [DEMO_MODEL_ID, LOCAL_MODEL_ID]
    assert models[1].api_base == "http://127.0.0.1:2/v1" and models[1].location == "lokal (dieser Server)"


def test_the_local_model_joins_a_configured_catalogue_too(tmp_path, fake_upstream):
    from tests.app.conftest import write_catalogue

    catalogue = write_catalogue(tmp_path / "models.yaml", fake_upstream.base_url)
    settings = _settings(tmp_path, models_file=catalogue, local_model_url="http://127.0.0.1:2/v1")
    assert [m.id for m in load_models(settings).models] == ["fake", "fake-short", "fake-dpo", LOCAL_MODEL_ID]


def test_no_local_model_without_a_server_or_when_switched_off(tmp_path):
    assert configured_local_model(_settings(tmp_path)) is None
    off = _settings(tmp_path, local_model="off", local_model_url="http://127.0.0.1:2/v1")
    assert configured_local_model(off) is None
    assert not local_model_wanted(off)
    assert local_model_wanted(_settings(tmp_path, local_model="on"))
    assert local_model_wanted(_settings(tmp_path)) is INSTALLED  # "auto"


def test_the_settings_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("SPIELRAUM_LOCAL_MODEL", "on")
    monkeypatch.setenv("SPIELRAUM_LOCAL_MODEL_PORT", "8765")
    settings = Settings()
    assert settings.local_model == "on" and settings.local_model_port == 8765
    monkeypatch.setenv("SPIELRAUM_LOCAL_MODEL", "maybe")
    with pytest.raises(ValueError, match="auto"):
        Settings()


@pytest.mark.skipif(INSTALLED, reason="checks the refusal where the extra is missing")
def test_serve_asked_for_a_missing_local_model_stops_with_the_install_command(tmp_path, monkeypatch, capsys):
    for name in [n for n in os.environ if n.startswith("SPIELRAUM_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SPIELRAUM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SPIELRAUM_ADMIN_PASSWORD", "Tee-Kanne-Fenster-7")
    monkeypatch.setenv("SPIELRAUM_LOCAL_MODEL", "on")
    assert main(["serve", "--port", str(free_port())]) == 2
    error = capsys.readouterr().err
    assert "spielraum:" in error and "requirements-local-model" in error and "Traceback" not in error


@needs_local_model
def test_a_busy_port_stops_an_explicit_local_model_and_only_warns_in_auto_mode(tmp_path, capsys, monkeypatch):
    import socket

    from app.cli import _start_local_model

    monkeypatch.delenv("SPIELRAUM_LOCAL_MODEL_URL", raising=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(LocalModelError, match=f"port {port} on 127.0.0.1 is already in use"):
            _start_local_model(_settings(tmp_path, local_model="on", local_model_port=port))
        auto = _settings(tmp_path, local_model_port=port)
        assert _start_local_model(auto) is None
    assert "the local demo model is not offered: port" in capsys.readouterr().err
    assert auto.local_model_url is None and "SPIELRAUM_LOCAL_MODEL_URL" not in os.environ


@needs_local_model
def test_chat_end_to_end_with_the_local_model_through_the_guard(tmp_path, guard):
    settings = _settings(tmp_path, local_model="on")
    server = start_local_model(settings)
    try:
        settings.local_model_url = server.base_url
        app = create_app(settings, guard=guard)
        assert LOCAL_MODEL_ID in app.state.models.catalogue()
        user = AppEnv(app, None, settings).user("newcomer")
        started = time.monotonic()
        events = collect_turn(app, ChatTurn(user=user, model_id=LOCAL_MODEL_ID, conversation_id=None, vault={},
                                            prompt=PII_PROMPT))
        seconds = time.monotonic() - started
    finally:
        server.stop()
    assert events[-1]["type"] == "done", events
    sent = next(e for e in events if e["type"] == "sent")["sent_text"]
    assert leaked(sent) == [] and "[PERSON_1]" in sent, sent
    answer = "".join(e["text"] for e in events if e["type"] == "delta")
    assert answer.strip(), "the local model gave an empty answer"
    # What the model's server wrote (start-up, requests) holds none of the originals either.
    server_log = (settings.data_dir / LOG_FILENAME).read_text(encoding="utf-8", errors="replace")
    assert leaked(server_log) == []
    assert leaked(dump_database(app.state.engine, text_only=True)) == [], "originals stored"
    # No time limit asserted: on a shared 2-core machine one answer took 30 s to almost 3 minutes.
    print(f"\nlocal model: {len(answer)} characters in {seconds:.1f} s")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            out.append(child)
            todo.append(child)
    return out


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@needs_local_model
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="counts child processes through Linux /proc")
def test_serve_starts_one_local_model_for_all_workers_and_stops_it(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPIELRAUM_")}
    env.update({"SPIELRAUM_DATA_DIR": str(tmp_path), "SPIELRAUM_ADMIN_PASSWORD": "Tee-Kanne-Fenster-7",
                "SPIELRAUM_LOCAL_MODEL": "on"})
    process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()
                break
            except (httpx.TransportError, ValueError):
                assert time.monotonic() < deadline and process.poll() is None, "server did not come up"
                time.sleep(0.5)
        assert health["catalogue"]["models"] == 2  # the echo demo and the local model
        servers = [pid for pid in _descendants(process.pid) if "llama_cpp.server" in _command_line(pid)]
        assert len(servers) == 1, [_command_line(pid) for pid in servers]
        assert _children(process.pid).count(servers[0]) == 1  # started by serve itself, not by a worker
        # A newcomer's first real answer, through a worker, with no key and no network outside.
        token = subprocess.run([sys.executable, "-m", "app.cli", "token", "create", "admin"], env=env, cwd=ROOT,
                               capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()[-1]
        response = httpx.post(f"http://127.0.0.1:{port}/v1/chat/completions", timeout=180,
                              headers={"Authorization": f"Bearer {token}"},
                              json={"model": LOCAL_MODEL_ID, "max_tokens": 32,
                                    "messages": [{"role": "user", "content": "Say hello to Anna Schmidt."}]})
        assert response.status_code == 200, response.text
        assert response.json()["choices"][0]["message"]["content"].strip()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert process.returncode == 0
    time.sleep(0.2)
    assert _command_line(servers[0]) == "" or "llama_cpp.server" not in _command_line(servers[0])

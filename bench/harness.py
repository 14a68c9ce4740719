"""Shared set-up for the HTTP benchmarks: a fake upstream and a real `spielraum serve`, both subprocesses.

Everything listens on 127.0.0.1 only. The fake upstream (tests/support/fake_upstream.py) runs
in a process of its own so that it never competes with the load generator for the GIL; it
answers after `delay` seconds like an OpenAI-compatible model and records every request, so
the benchmark can count planted personal values that reached "the model" (must be 0).
Spielraum is started the way an operator starts it: a fresh data folder, a catalogue file,
`spielraum user add`, `spielraum token create`, `spielraum serve --workers N`.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SPIELRAUM = [PYTHON, "-m", "app.cli"]

# About 1 kB of German with personal data planted in it; none of these may reach the model.
PLANTED = ["Bogdan Nowicki", "Hafenstraße 27", "C01X00T47", "0176 23456789", "Aylin Öztürk",
           "DE89 3704 0044 0532 0130 00", "aylin.oeztuerk@example.org", "Johanna Lindqvist"]
PROMPT = (
    "Vermerk zur Vorsprache am Dienstag: Herr Bogdan Nowicki, wohnhaft Hafenstraße 27, 48153 Münster, "
    "erkundigte sich nach dem Stand seines Einbürgerungsantrags. Er legte den Reisepass C01X00T47 und die "
    "Meldebescheinigung vor. Rückruf erbeten unter 0176 23456789. Außerdem meldete sich Frau Aylin Öztürk "
    "(E-Mail: aylin.oeztuerk@example.org) wegen ihres Antrags auf Kinderzuschlag; ihre IBAN lautet "
    "DE89 3704 0044 0532 0130 00. Die Familienkasse hat im Oktober geschrieben, dass die Einkommensnachweise "
    "nicht ausreichen. Bitte formulieren Sie für beide Anliegen eine freundliche, kurze Antwort in einfacher "
    "Sprache, ohne Paragraphen, mit den nächsten Schritten in zwei oder drei Sätzen und einem Hinweis auf "
    "unsere Sprechzeiten. Mit freundlichen Grüßen, im Auftrag Johanna Lindqvist, Bürgerbüro."
)

_UPSTREAM_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from tests.support.fake_upstream import FakeUpstream
up = FakeUpstream(); up.start(); up.behaviour = "slow"; up.delay_seconds = {delay}
print(up.base_url, flush=True)
planted = {planted!r}
for line in sys.stdin:
    if line.strip() == "count":
        text = up.all_text().casefold()
        print(sum(text.count(v.casefold()) for v in planted), len(up.requests), flush=True)
up.stop()
"""


class Upstream:
    """The fake model server in a subprocess; `planted_seen()` asks it what it received."""

    def __init__(self, delay: float) -> None:
        script = _UPSTREAM_SCRIPT.format(root=str(ROOT), delay=delay, planted=PLANTED)
        self.process = subprocess.Popen([PYTHON, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, cwd=ROOT)
        self.base_url = self.process.stdout.readline().strip()

    def planted_seen(self) -> tuple[int, int]:
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        seen, requests = self.process.stdout.readline().split()
        return int(seen), int(requests)

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Spielraum:
    process: subprocess.Popen
    base_url: str
    token: str
    startup_seconds: float
    data_dir: tempfile.TemporaryDirectory = field(repr=False)

    def pids(self) -> list[int]:
        return process_tree(self.process.pid)

    def rss_mb(self) -> dict[int, float]:
        return {pid: rss_mb(pid) for pid in self.pids()}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.data_dir.cleanup()


def start_spielraum(upstream_url: str, *, workers: int = 1, extra_env: dict | None = None,
                    log_path: str | None = None) -> Spielraum:
    data = tempfile.TemporaryDirectory(prefix="spielraum-bench-")
    models = Path(data.name) / "models.yaml"
    models.write_text(json.dumps({"models": [{
        "id": "bench", "display_name": "Bench", "litellm_model": "openai/fake-model", "api_base": upstream_url,
        "api_key_env": None, "timeout_seconds": 30}]}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPIELRAUM_")}
    env.update({"SPIELRAUM_DATA_DIR": data.name, "SPIELRAUM_MODELS_FILE": str(models),
                "SPIELRAUM_SECRET_KEY": "bench", "SPIELRAUM_ADMIN_PASSWORD": "bench-admin-passwort",
                "SPIELRAUM_LOG_LEVEL": "WARNING", **(extra_env or {})})
    run = dict(env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=300)
    subprocess.run([*SPIELRAUM, "user", "add", "bench"], **run)
    token = subprocess.run([*SPIELRAUM, "token", "create", "bench"], **run).stdout.strip().splitlines()[-1]
    port = free_port()
    started = time.monotonic()
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen([*SPIELRAUM, "serve", "--port", str(port), "--workers", str(workers)],
                               env=env, cwd=ROOT, stdout=log, stderr=log)
    base_url = f"http://127.0.0.1:{port}"
    _wait_healthy(base_url, process, workers)
    return Spielraum(process, base_url, token, time.monotonic() - started, data)


def _wait_healthy(base_url: str, process: subprocess.Popen, workers: int) -> None:
    deadline = time.monotonic() + 300
    while True:
        assert process.poll() is None, "spielraum serve exited"
        assert time.monotonic() < deadline, "spielraum serve did not come up"
        try:
            if httpx.get(f"{base_url}/healthz", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    if workers > 1:  # every worker must have loaded its guard, not just the first one
        while sum(rss_mb(p) >= 150 for p in process_tree(process.pid)[1:]) < workers:
            assert time.monotonic() < deadline, "workers did not come up"
            time.sleep(0.2)
        time.sleep(2)


def process_tree(pid: int) -> list[int]:
    pids = [pid]
    for child in _children(pid):
        pids += process_tree(child)
    return pids


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def open_fds(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])

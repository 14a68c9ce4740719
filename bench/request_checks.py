"""Cost of the per-request security checks: the session lookup and the JSON depth scan.

    .venv/bin/python bench/request_checks.py

The session check runs on every page request and the depth scan on every JSON body, so
both must stay far below a millisecond for ordinary requests. Prints p50/p95 in µs for a
live-session lookup on SQLite (with 10,000 sessions in the table) and the depth scan of a
typical chat body and of a 1 MiB body (the size limit).
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session  # noqa: E402

from app.accounts.user_sessions import live_user, open_session  # noqa: E402
from app.request_limits import json_depth  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.storage.crud import create_user  # noqa: E402
from app.storage.engine import build_engine, create_tables  # noqa: E402
from app.storage.tables import UserCreate  # noqa: E402


def timed(function, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = build_engine(Settings(data_dir=Path(folder)))
        create_tables(engine)
        with Session(engine) as session:
            user = create_user(session, UserCreate(username="bench", password="Bench-Passwort-lang-1"))
            ids = [open_session(session, user, 3600) for _ in range(10_000)]

        def lookup() -> None:
            with Session(engine) as session:
                assert live_user(session, ids[5000]) is not None

        p50, p95 = timed(lookup, 2000)
        print(f"session lookup (10,000 sessions): p50 {p50:.0f} µs, p95 {p95:.0f} µs")
        engine.dispose()

    chat = json.dumps({"model_id": "x", "prompt": "Bitte fassen Sie zusammen. " * 200,
                       "vault": {f"[PERSON_{i}]": "Name" for i in range(50)}}).encode()
    big = json.dumps({"messages": [{"role": "user", "content": "x" * 1_000_000}]}).encode()
    for name, body, runs in (("typical chat body", chat, 2000), ("1 MiB body", big, 50)):
        p50, p95 = timed(lambda: json_depth(body), runs)
        print(f"json depth scan, {name} ({len(body):,} bytes): p50 {p50:.0f} µs, p95 {p95:.0f} µs")


if __name__ == "__main__":
    main()

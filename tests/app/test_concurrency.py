"""Many requests at once against a real uvicorn server: nothing freezes, nothing is lost.

Real server (uvicorn in a thread), real HTTP, real guard, the fake upstream answering after
a delay so requests truly overlap; SQLite, and PostgreSQL where one is reachable. On main
these froze the process at ~20 concurrent requests (a database call on the event loop while
request-scoped sessions held the pool's connections for whole streams).
"""
from __future__ import annotations

import time

import anyio
import httpx
import pytest

from tests.app.conftest import PII_PROMPT, ServerThread, leaked, run_async
from tests.app.test_pages import chat_csrf, login
from tests.app.test_postgres_storage import pg_schema  # noqa: F401 - a fixture, shared

QUESTION = "Bitte erklären Sie Herrn Bernd Krüger kurz, was ein Widerspruchsbescheid ist."


async def _burst(base_url: str, token: str, count: int) -> tuple[list[tuple[int, str]], list[float]]:
    """`count` API requests at once (every other one streamed) while /healthz is polled."""
    results: list[tuple[int, str]] = []
    health_ms: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=count + 5, max_keepalive_connections=count + 5)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        async def one(index: int) -> None:
            body = {"model": "fake", "stream": index % 2 == 1, "messages": [{"role": "user", "content": QUESTION}]}
            response = await client.post("/v1/chat/completions", json=body, headers=headers)
            results.append((response.status_code, response.text))

        async def poll_health(stop: anyio.Event) -> None:
            while not stop.is_set():
                started = time.perf_counter()
                response = await client.get("/healthz", timeout=10)
                health_ms.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
                await anyio.sleep(0.1)

        stop = anyio.Event()
        async with anyio.create_task_group() as outer:
            outer.start_soon(poll_health, stop)
            async with anyio.create_task_group() as group:
                for index in range(count):
                    group.start_soon(one, index)
            stop.set()
    return results, health_ms


def _run_burst(env, fake_upstream, count: int) -> None:
    fake_upstream.behaviour = "slow"
    fake_upstream.delay_seconds = 0.5
    token = env.token(env.user())
    with ServerThread(env.app) as server:
        started = time.monotonic()
        results, health_ms = run_async(_burst, server.base_url, token, count)
        elapsed = time.monotonic() - started
        pool = httpx.get(f"{server.base_url}/healthz", timeout=10).json()["database"]["pool"]
    statuses = [status for status, _ in results]
    assert statuses == [200] * count, [text[:200] for status, text in results if status != 200]
    streamed = [text for status, text in results if "data: " in text]
    assert len(streamed) == count // 2 and all(text.rstrip().endswith("data: [DONE]") for text in streamed)
    assert all("Bernd Krüger" in text for _, text in results)  # restored for the client
    assert leaked(fake_upstream.all_text()) == []
    assert health_ms and max(health_ms) < 3000, health_ms  # health kept answering during the burst
    assert pool["in_use"] == 0  # no connection outlived its request
    assert elapsed < 60


@pytest.mark.parametrize("count", [20, 40])
def test_concurrent_requests_on_sqlite(make_env, fake_upstream, count):
    _run_burst(make_env(), fake_upstream, count)


@pytest.mark.postgres
@pytest.mark.parametrize("count", [20, 40])
def test_concurrent_requests_on_postgres(make_env, fake_upstream, pg_schema, count):
    from tests.app.test_postgres_storage import SERVER

    _run_burst(make_env(database_url=f"{SERVER}?options=-csearch_path%3D{pg_schema}"), fake_upstream, count)


def _wait_until(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def test_saturated_guard_says_busy_instead_of_freezing(make_env, fake_upstream):
    """One guard slot, one place in the queue: the third request is told to retry, at once."""
    env = make_env(guard_slots=1, guard_queue_limit=1, guard_queue_seconds=30)
    user = env.user()
    token = env.token(user)
    long_prompt = (PII_PROMPT + " ") * 60     # ~16,000 characters: a scan takes a while
    headers = {"Authorization": f"Bearer {token}"}
    body = {"model": "fake", "messages": [{"role": "user", "content": long_prompt}]}
    with ServerThread(env.app) as server, httpx.Client(base_url=server.base_url, timeout=60) as client:
        assert login(client).status_code == 303
        csrf = chat_csrf(client)

        def health() -> dict:
            return client.get("/healthz", timeout=5).json()["guard"]["load"]

        async def fill() -> list[int]:
            async with httpx.AsyncClient(base_url=server.base_url, timeout=120) as filler:
                statuses: list[int] = []

                async def one() -> None:
                    statuses.append((await filler.post("/v1/chat/completions", json=body, headers=headers)).status_code)
                async with anyio.create_task_group() as group:
                    for _ in range(2):  # one scanning, one queued
                        group.start_soon(one)
                        await anyio.sleep(0.05)
                return statuses

        import concurrent.futures
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            filling = pool.submit(run_async, fill)
            _wait_until(lambda: (lambda load: load["in_flight"] == 1 and load["queued"] == 1)(health()))

            started = time.perf_counter()
            busy = client.post("/v1/chat/completions", json=body, headers=headers)
            web = client.post("/chat/stream", json={"model_id": "fake", "prompt": "Hallo", "csrf": csrf},
                              headers={"accept": "application/x-ndjson"})
            health_started = time.perf_counter()
            load = health()
            health_ms = (time.perf_counter() - health_started) * 1000
            refused_ms = (time.perf_counter() - started) * 1000
            statuses = filling.result(timeout=120)

    assert busy.status_code == 503 and busy.headers["retry-after"] == str(env.settings.guard_retry_after_seconds)
    error = busy.json()["error"]
    assert error["code"] == "guard_busy" and "erneut" in error["message"]
    event = [line for line in web.text.splitlines() if line.strip()][-1]
    assert '"code":"guard_busy"' in event and "ausgelastet" in event
    assert load["rejected"] >= 2 and health_ms < 2000
    assert refused_ms < 5000   # refused at once, not after the queue's 30 s
    assert statuses == [200, 200]  # the ones that got in were served

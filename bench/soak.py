"""Soak: N concurrent streamed chats for T minutes against `spielraum serve` and a fake model.

Reports, per interval and at the end: completed chats, errors, p95 latency, the server's RSS,
open file descriptors and threads, and what /healthz says about the database pool and the
guard. At the end nothing may be left over ("leaks"): no pool connection in use, no guard
scan in flight or queued, and descriptors/threads back near where they started. RSS should
stay flat after warm-up. Run from the repository root:

    .venv/bin/python bench/soak.py [--clients 50] [--minutes 10] [--workers 1]

`run_soak()` is what the bounded 60-second variant in the test suite calls.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PLANTED, PROMPT, Spielraum, Upstream, load_average, open_fds, start_spielraum  # noqa: E402


@dataclass
class Sample:
    at_s: float
    completed: int
    errors: int
    p95_ms: float
    rss_mb: float
    fds: int
    threads: int


@dataclass
class SoakReport:
    completed: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    planted_upstream: int = 0
    final_health: dict = field(default_factory=dict)

    @property
    def rss_growth_mb(self) -> float:
        """RSS growth after warm-up: the last sample against the first one past the first quarter."""
        if len(self.samples) < 2:
            return 0.0
        base = self.samples[max(1, len(self.samples) // 4)] if len(self.samples) > 4 else self.samples[0]
        return self.samples[-1].rss_mb - base.rss_mb


def _threads(pid: int) -> int:
    try:
        return len(list(Path(f"/proc/{pid}/task").iterdir()))
    except OSError:
        return 0


def _server_stats(server: Spielraum) -> tuple[float, int, int]:
    pids = server.pids()
    return sum(server.rss_mb().values()), sum(open_fds(p) for p in pids), sum(_threads(p) for p in pids)


async def _soak(server: Spielraum, clients: int, seconds: float, interval: float, report: SoakReport,
                verbose: bool) -> None:
    headers = {"Authorization": f"Bearer {server.token}"}
    body = {"model": "bench", "stream": True, "messages": [{"role": "user", "content": PROMPT}]}
    latencies: list[float] = []
    started = time.monotonic()
    end = started + seconds
    limits = httpx.Limits(max_connections=clients + 2, max_keepalive_connections=clients + 2)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=120, limits=limits) as client:
        async def chat() -> None:
            while time.monotonic() < end:
                t0 = time.perf_counter()
                try:
                    response = await client.post("/v1/chat/completions", json=body, headers=headers)
                    ok = response.status_code == 200 and response.text.rstrip().endswith("data: [DONE]")
                    ok = ok and "Bogdan Nowicki" in response.text  # restored for the client
                    kind = str(response.status_code)
                except httpx.HTTPError as exc:
                    ok, kind = False, type(exc).__name__
                if ok:
                    report.completed += 1
                    latencies.append((time.perf_counter() - t0) * 1000)
                else:
                    report.errors += 1
                    report.error_kinds[kind] = report.error_kinds.get(kind, 0) + 1

        async def sample() -> None:
            while time.monotonic() < end:
                await asyncio.sleep(min(interval, max(0.0, end - time.monotonic())))
                rss, fds, threads = _server_stats(server)
                recent = sorted(latencies[-500:])
                p95 = recent[int(0.95 * (len(recent) - 1))] if recent else float("nan")
                point = Sample(round(time.monotonic() - started, 1), report.completed, report.errors, p95, rss, fds, threads)
                report.samples.append(point)
                if verbose:
                    print(f"{point.at_s:>7.0f} s  done {point.completed:>6}  errors {point.errors:>4}  p95 {p95:>7.0f} ms  "
                          f"RSS {rss:>6.0f} MB  fds {fds:>4}  threads {threads:>4}", flush=True)

        await asyncio.gather(sample(), *(chat() for _ in range(clients)))


def run_soak(clients: int, seconds: float, *, workers: int = 1, interval: float = 10.0, delay: float = 0.05,
             verbose: bool = False) -> SoakReport:
    report = SoakReport()
    upstream = Upstream(delay)
    server = start_spielraum(upstream.base_url, workers=workers)
    try:
        _, fds_before, threads_before = _server_stats(server)
        asyncio.run(_soak(server, clients, seconds, interval, report, verbose))
        time.sleep(1.0)  # let the last streams' bookkeeping finish
        health = httpx.get(f"{server.base_url}/healthz", timeout=10).json()
        report.final_health = health
        pool, load = health["database"]["pool"], health["guard"].get("load", {})
        if pool["in_use"]:
            report.leaks.append(f"{pool['in_use']} database connections still in use")
        if load.get("in_flight") or load.get("queued"):
            report.leaks.append(f"guard still busy: {load}")
        _, fds_after, threads_after = _server_stats(server)
        # Keep-alive sockets and pooled connections may stay open; a leak grows with the load.
        if fds_after > fds_before + clients + 20:
            report.leaks.append(f"file descriptors {fds_before} -> {fds_after}")
        if threads_after > threads_before + 80:
            report.leaks.append(f"threads {threads_before} -> {threads_after}")
        report.planted_upstream, _ = upstream.planted_seen()
    finally:
        server.stop()
        upstream.stop()
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--interval", type=float, default=30, help="seconds between samples")
    args = parser.parse_args()
    print(f"load average before: {load_average()}; {args.clients} clients, {args.minutes} min, "
          f"{args.workers} worker(s); planted values checked: {len(PLANTED)}")
    report = run_soak(args.clients, args.minutes * 60, workers=args.workers, interval=args.interval, verbose=True)
    print(f"completed {report.completed}, errors {report.errors} {report.error_kinds or ''}, "
          f"RSS growth after warm-up {report.rss_growth_mb:+.0f} MB, planted values upstream {report.planted_upstream}")
    print("leaks: " + ("; ".join(report.leaks) if report.leaks else "none"))
    print(f"load average after: {load_average()}")
    return 0 if not report.errors and not report.leaks and not report.planted_upstream else 1


if __name__ == "__main__":
    sys.exit(main())

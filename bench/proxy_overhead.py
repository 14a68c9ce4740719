"""What Spielraum's guarded path costs: direct to the model vs through `spielraum serve`, same load.

A fake OpenAI-compatible model answers after 50 ms (subprocess, 127.0.0.1); the same ~1 kB
German prompt with planted personal data is sent directly to it and through Spielraum (real
`spielraum serve --workers N`, API token), by 1, 16 and 64 concurrent clients, plain and
streamed. Prints p50/p95 latency, throughput, errors (any non-200, a 503 included, or a stream
without [DONE]) and how many planted values the model received (must be 0 through Spielraum;
the direct rows show what an unguarded call leaks), and the CPU time per request of each party
(this load generator, the fake model, Spielraum's processes; all share the machine's cores, so
the figures show who ate what). Direct and Spielraum take turns in `--rounds` slices (A B B A),
so on a machine shared with other work both rows see the same background load. Run from the
repository root:

    .venv/bin/python bench/proxy_overhead.py [--workers 2] [--clients 1 16 64] [--requests 200]

Targets on a 2-core machine: p50 overhead <= 15 ms at 1 client; at 16 clients >= 0.55 x the
direct throughput (with --workers 2); 0 errors at 64 clients; 0 planted values upstream.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PROMPT, Upstream, cpu_seconds, load_average, start_spielraum  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def run_load(url: str, headers: dict, model: str, *, clients: int, requests: int, stream: bool) -> dict:
    """One slice of load: raw latencies (ms), errors by kind, wall time (s)."""
    latencies: list[float] = []
    error_kinds: dict[str, int] = {}
    body = {"model": model, "stream": stream, "messages": [{"role": "user", "content": PROMPT}]}
    remaining = requests
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                try:
                    response = await client.post(url, json=body, headers=headers)
                    ok = response.status_code == 200 and (not stream or response.text.rstrip().endswith("[DONE]"))
                    kind = str(response.status_code)
                except httpx.HTTPError as exc:
                    ok, kind = False, type(exc).__name__
                if ok:
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    error_kinds[kind] = error_kinds.get(kind, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - started
    return {"latencies": latencies, "error_kinds": error_kinds, "wall": wall}


def summary(slices: list[dict]) -> dict:
    latencies = [ms for part in slices for ms in part["latencies"]]
    error_kinds: dict[str, int] = {}
    for part in slices:
        for kind, count in part["error_kinds"].items():
            error_kinds[kind] = error_kinds.get(kind, 0) + count
    wall = sum(part["wall"] for part in slices)
    return {"p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95),
            "rps": len(latencies) / wall, "ok": len(latencies), "errors": sum(error_kinds.values()),
            "error_kinds": error_kinds}


def cpu_use(upstream: Upstream, spielraum) -> dict[str, float]:
    """CPU seconds used so far by the load generator (this process), the fake model and Spielraum."""
    return {"client": time.process_time(), "upstream": cpu_seconds(upstream.process.pid),
            "spielraum": sum(cpu_seconds(pid) for pid in spielraum.pids())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--requests", type=int, default=200, help="per row (at least 4 per client)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="slices per row; direct and Spielraum alternate A B B A (1: one block each)")
    parser.add_argument("--delay", type=float, default=0.05, help="the fake model's answer delay (s)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON lines too")
    parser.add_argument("--modes", nargs="+", default=["plain", "stream"], choices=["plain", "stream"])
    parser.add_argument("--server-log", help="append the server's log lines to this file")
    args = parser.parse_args()

    print(f"load average before: {load_average()}")
    upstream = Upstream(args.delay)
    spielraum = start_spielraum(upstream.base_url, workers=args.workers, log_path=args.server_log)
    rss = spielraum.rss_mb()
    print(f"spielraum serve --workers {args.workers}: up in {spielraum.startup_seconds:.1f} s; RSS MB per process: "
          + ", ".join(f"{mb:.0f}" for mb in rss.values()))
    targets = {
        "direct": (f"{upstream.base_url}/chat/completions", {"Authorization": "Bearer x"}, "fake-model"),
        "spielraum": (f"{spielraum.base_url}/v1/chat/completions",
                      {"Authorization": f"Bearer {spielraum.token}"}, "bench"),
    }
    rows = []
    try:
        for name, (url, headers, model) in targets.items():  # warm-up: connections, litellm, caches
            asyncio.run(run_load(url, headers, model, clients=4, requests=20, stream=False))
        print(f"load average after start-up: {load_average()}")
        print(f"{'mode':<8} {'clients':>7} {'target':<10} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'errors':>6}")
        for stream in [mode == "stream" for mode in args.modes]:
            for clients in args.clients:
                count = max(args.requests, clients * 4)
                # Direct and Spielraum take turns in slices (A B B A …), so both see the same
                # background load of a shared machine instead of whatever came at their moment.
                order = [name for r in range(args.rounds) for name in (list(targets) if r % 2 == 0 else list(targets)[::-1])]
                slices: dict[str, list[dict]] = {name: [] for name in targets}
                cpu = {name: dict.fromkeys(("client", "upstream", "spielraum"), 0.0) for name in targets}
                planted = dict.fromkeys(targets, 0)
                for name in order:
                    url, headers, model = targets[name]
                    leak_before, _ = upstream.planted_seen()
                    cpu_before = cpu_use(upstream, spielraum)
                    slices[name].append(asyncio.run(run_load(url, headers, model, clients=clients,
                                                             requests=max(clients, count // args.rounds), stream=stream)))
                    cpu_after = cpu_use(upstream, spielraum)
                    leak_after, _ = upstream.planted_seen()
                    planted[name] += leak_after - leak_before
                    for part in cpu_before:
                        cpu[name][part] += cpu_after[part] - cpu_before[part]
                pair = {}
                for name in targets:
                    result = summary(slices[name])
                    done = max(1, result["ok"] + result["errors"])
                    result.update(mode="stream" if stream else "plain", clients=clients, target=name,
                                  planted_upstream=planted[name], load_average=load_average(),
                                  cpu_ms_per_request={part: round(seconds * 1000 / done, 1)
                                                      for part, seconds in cpu[name].items()})
                    pair[name] = result
                    rows.append(result)
                    print(f"{result['mode']:<8} {clients:>7} {name:<10} {result['p50_ms']:>8.1f} "
                          f"{result['p95_ms']:>8.1f} {result['rps']:>7.1f} {result['errors']:>6}"
                          + (f"  planted values upstream: {result['planted_upstream']}" if name == "spielraum" else "")
                          + (f"  {result['error_kinds']}" if result["errors"] else ""))
                    print(f"{'':<8} {'':>7} {'':<10} CPU ms per request: "
                          + ", ".join(f"{part} {ms:.1f}" for part, ms in result["cpu_ms_per_request"].items()))
                d, s = pair["direct"], pair["spielraum"]
                print(f"{'':<8} {'':>7} overhead p50 {s['p50_ms'] - d['p50_ms']:+.1f} ms, "
                      f"p95 {s['p95_ms'] - d['p95_ms']:+.1f} ms, throughput ratio {s['rps'] / d['rps']:.2f}")
    finally:
        rss = spielraum.rss_mb()
        spielraum.stop()
        upstream.stop()
    print("RSS MB per process after the run: " + ", ".join(f"{mb:.0f}" for mb in rss.values()))
    print(f"load average after: {load_average()}")
    if args.json:
        for row in rows:
            print(json.dumps(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())

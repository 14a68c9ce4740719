"""Where one worker's CPU goes per request: py-spy samples `spielraum serve --workers 1` under load.

Starts the fake upstream and one worker (as `proxy_overhead.py` does), puts `--clients`
concurrent clients on `/v1/chat/completions` (plain or streamed) for `--seconds`, and lets
py-spy (not a dependency of the project: `pip install py-spy` into a scratch venv) record
the worker meanwhile. Writes a speedscope/flamegraph/raw file and prints the CPU seconds the
worker used per request (from /proc), which is the figure the throughput targets hinge on:

    .venv/bin/python bench/profile_worker.py --mode stream --clients 8 --seconds 20 --out bench/results/stream.txt
"""
from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PROMPT, Upstream, cpu_seconds, load_average, start_spielraum  # noqa: E402


async def load(url: str, token: str, clients: int, seconds: float, stream: bool) -> int:
    body = {"model": "bench", "stream": stream, "messages": [{"role": "user", "content": PROMPT}]}
    headers = {"Authorization": f"Bearer {token}"}
    done = 0
    end = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        async def worker() -> None:
            nonlocal done
            while time.monotonic() < end:
                response = await client.post(url, json=body, headers=headers)
                assert response.status_code == 200, response.text[:200]
                done += 1
        await asyncio.gather(*(worker() for _ in range(clients)))
    return done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["plain", "stream"], default="plain")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--out", default="bench/results/profile.txt", help="where py-spy writes (git ignores bench/results/)")
    parser.add_argument("--format", default="raw", choices=["raw", "flamegraph", "speedscope"])
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"))
    args = parser.parse_args()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    upstream = Upstream(0.05)
    server = start_spielraum(upstream.base_url, workers=1)
    try:
        url = f"{server.base_url}/v1/chat/completions"
        asyncio.run(load(url, server.token, 4, 3, args.mode == "stream"))  # warm-up
        pid = server.pids()[-1]
        recorder = subprocess.Popen([args.py_spy, "record", "--pid", str(pid), "--format", args.format,
                                     "--output", args.out, "--duration", str(int(args.seconds)), "--nonblocking"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        before = cpu_seconds(pid)
        done = asyncio.run(load(url, server.token, args.clients, args.seconds, args.mode == "stream"))
        used = cpu_seconds(pid) - before
        recorder.wait(timeout=120)
        print(f"{args.mode}, {args.clients} clients, {args.seconds:.0f} s: {done} requests, "
              f"worker CPU {used:.1f} s = {used / max(1, done) * 1000:.1f} ms per request; "
              f"load average {load_average()}; profile in {args.out}")
    finally:
        server.stop()
        upstream.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

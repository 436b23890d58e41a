"""Load test of `biofm serve` on loopback: valid requests from C concurrent clients, hostile ones mixed in.

    python benchmarks/serve_load.py RUN_DIR [--requests 2000] [--concurrency 32] [--hostile 40] [--time-limit 180]

Starts the real command (`python -m biofm serve RUN --token …`) on 127.0.0.1 at a free port, fires
the valid requests with httpx and, at the same time, hostile ones: chunked 100 MB bodies with and
without the token, lone surrogates, 100,000-deep JSON, a bare token without ``Bearer``.  Reports
throughput, p50/p99 latency, valid requests that failed, what each hostile kind got back, and the
server's resident memory idle and at its peak (sampled from /proc while the load runs).  Only
loopback traffic; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ITEMS = ["CCO", "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "CC(C)Cc1ccc(C(C)C(=O)O)cc1", "NCCc1ccc(O)c(O)c1"]
TOKEN = "load-test-secret"
HUGE = 100 * 2**20  # bytes a hostile chunked upload offers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class BackgroundServer:
    """uvicorn in a thread of this process (the browser test's server), stopped cleanly on exit."""

    def __init__(self, app, port: int):
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> BackgroundServer:
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class ServerProcess:
    """`biofm serve` as its own process, so its memory is its own; stopped on exit."""

    def __init__(self, run_dir: str | Path, port: int):
        self.command = [sys.executable, "-m", "biofm", "serve", str(run_dir), "--port", str(port), "--token", TOKEN]
        self.url = f"http://127.0.0.1:{port}"
        self.peak = 0.0
        self._sampling = False

    def __enter__(self) -> ServerProcess:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        deadline = time.time() + 90
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.time() > deadline:
                raise RuntimeError("server did not start in 90 s")
            time.sleep(0.2)

    def sample_while(self, work):
        """Run ``work()``, sampling the server's RSS every 20 ms; the peak lands in ``self.peak``."""
        self._sampling = True

        def sample():
            while self._sampling:
                self.peak = max(self.peak, rss_mb(self.process.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            return work()
        finally:
            self._sampling = False
            sampler.join()

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def _chunks(total: int, size: int = 2**20):
    block = b"C" * size
    for _ in range(total // size):
        yield block


def hostile_requests(url: str) -> dict[str, dict]:
    """Each kind of hostile request: how to send it, and what a correct server answers."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    raw = {"Content-Type": "application/json"}
    return {
        "chunked_100mb_no_token": {"kwargs": {"content": _chunks, "headers": raw}, "expect": 401},
        "chunked_100mb_with_token": {"kwargs": {"content": _chunks, "headers": {**raw, **auth}}, "expect": 413},
        "lone_surrogate": {"kwargs": {"content": b'{"items": ["C\\ud800"]}', "headers": {**raw, **auth}},
                           "expect": 422},
        "deep_json": {"kwargs": {"content": b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                                 "headers": {**raw, **auth}}, "expect": (400, 413, 422)},
        "bare_token": {"kwargs": {"json": {"items": ["CCO"]}, "headers": {"Authorization": TOKEN}}, "expect": 401},
    }


async def _fire(url: str, n: int, concurrency: int, hostile: int, time_limit: float) -> dict:
    latencies: list[float] = []
    failed = 0
    outcomes: dict[str, Counter] = {}
    counter = iter(range(n))
    deadline = time.perf_counter() + time_limit
    auth = {"Authorization": f"Bearer {TOKEN}"}

    async def valid(http: httpx.AsyncClient) -> None:
        nonlocal failed
        for i in counter:
            if time.perf_counter() > deadline:
                return
            start = time.perf_counter()
            try:
                response = await http.post(f"{url}/predict", json={"items": [ITEMS[i % len(ITEMS)]]}, headers=auth)
                failed += response.status_code != 200
            except httpx.HTTPError:
                failed += 1
            latencies.append(time.perf_counter() - start)

    async def attack(http: httpx.AsyncClient, kind: str, spec: dict) -> None:
        tally = outcomes.setdefault(kind, Counter())
        for _ in range(hostile):
            if time.perf_counter() > deadline:
                return
            kwargs = dict(spec["kwargs"])
            if callable(kwargs.get("content")):
                kwargs["content"] = kwargs["content"](HUGE)  # a fresh generator: sent chunked
            try:
                response = await http.post(f"{url}/predict", **kwargs)
                expected = spec["expect"] if isinstance(spec["expect"], tuple) else (spec["expect"],)
                tally[str(response.status_code) + ("" if response.status_code in expected else " (unexpected)")] += 1
            except httpx.HTTPError:  # the server closed the upload after refusing it: refused too
                tally["closed while sending"] += 1

    limits = httpx.Limits(max_connections=concurrency + 8)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        attacks = [attack(http, kind, spec) for kind, spec in hostile_requests(url).items()] if hostile else []
        await asyncio.gather(*(valid(http) for _ in range(concurrency)), *attacks)
    return {"latencies": latencies, "failed": failed, "hostile": {k: dict(v) for k, v in outcomes.items()}}


def load_test(run_dir: str | Path, requests: int = 2000, concurrency: int = 32, hostile: int = 0,
              time_limit: float = 180) -> dict:
    with ServerProcess(run_dir, free_port()) as server:
        time.sleep(1)  # let the freshly loaded server settle before reading its idle memory
        idle = rss_mb(server.process.pid)
        start = time.perf_counter()
        fired = server.sample_while(lambda: asyncio.run(_fire(server.url, requests, concurrency, hostile, time_limit)))
        wall = time.perf_counter() - start
    ordered = sorted(fired["latencies"])
    return {
        "requests": len(ordered),
        "errors": fired["failed"],
        "concurrency": concurrency,
        "seconds": round(wall, 2),
        "throughput_rps": round(len(ordered) / wall, 1),
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p99_ms": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 2),
        "hostile": fired["hostile"],
        "server_rss_mb": {"idle": round(idle, 1), "peak": round(server.peak, 1),
                          "growth": round(server.peak - idle, 1)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run_dir")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--hostile", type=int, default=40, help="requests of each hostile kind")
    parser.add_argument("--time-limit", type=float, default=180)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = load_test(args.run_dir, args.requests, args.concurrency, args.hostile, args.time_limit)
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

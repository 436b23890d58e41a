"""Load test of `biofm serve` on loopback: N requests from C concurrent clients, bounded in time.

    python benchmarks/serve_load.py RUN_DIR [--requests 2000] [--concurrency 32] [--time-limit 120]

Starts a real uvicorn server on 127.0.0.1 (a free port) in this process's thread, fires requests
with httpx, and prints/returns throughput, p50/p99 latency and the error count.  Only loopback
traffic; the loop stops at the request count or the time limit, whichever comes first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from biofm.serve import create_app

ITEMS = ["CCO", "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "CC(C)Cc1ccc(C(C)C(=O)O)cc1", "NCCc1ccc(O)c(O)c1"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BackgroundServer:
    """uvicorn in a thread, stopped cleanly on exit."""

    def __init__(self, app, port: int):
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


async def _fire(url: str, n: int, concurrency: int, time_limit: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(n))
    deadline = time.perf_counter() + time_limit

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in counter:
            if time.perf_counter() > deadline:
                return
            start = time.perf_counter()
            response = await http.post(f"{url}/predict", json={"items": [ITEMS[i % len(ITEMS)]]})
            latencies.append(time.perf_counter() - start)
            errors += response.status_code != 200

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
    return latencies, errors


def load_test(run_dir: str | Path, requests: int = 2000, concurrency: int = 32, time_limit: float = 120) -> dict:
    app = create_app({"model": run_dir})
    with BackgroundServer(app, free_port()) as server:
        start = time.perf_counter()
        latencies, errors = asyncio.run(_fire(server.url, requests, concurrency, time_limit))
        wall = time.perf_counter() - start
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "concurrency": concurrency,
        "seconds": round(wall, 2),
        "throughput_rps": round(len(latencies) / wall, 1),
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p99_ms": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run_dir")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--time-limit", type=float, default=120)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = load_test(args.run_dir, args.requests, args.concurrency, args.time_limit)
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Single-unit evaluation requests against uvicorn on loopback: requests/s and p50/p99 latency.

    python bench/api_bench.py [--requests 3000] [--concurrency 4] [--workers 1]
    python bench/api_bench.py --load [--seconds 60] [--editors 25] [--appraisers 25] [--workers 2]

The second form is the load mode on PostgreSQL (bench/api_load.py: editors and appraisers saving at once,
lost updates and server errors counted, p99); its database is made anew beside the one of --postgres
(default: CERTIFY_TEST_POSTGRES_URL).

Starts `uvicorn` with the stateless app (`stateless_app` below: no database) on 127.0.0.1
(a free port) in a subprocess, waits
until it answers, fires POST /api/evaluate with a bundled sample unit from a few threads, each
with its own keep-alive httpx client, then stops the server. Target on 2 cores: ≥ 500 req/s,
p99 < 50 ms. Loopback only.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "assessments" / "2024-xa-my-loc.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def body() -> dict[str, Any]:
    def plain(v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        return v.isoformat() if hasattr(v, "isoformat") else v

    data: dict[str, Any] = plain(yaml.safe_load(SAMPLE.read_text(encoding="utf-8")))
    return data


def stateless_app() -> Any:
    """The web app without a database: /api/evaluate needs none."""
    from api.app import create_app

    return create_app(store=None)


def start(port: int, workers: int) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(Path(__file__).parent),
        "api_bench:stateless_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/frameworks", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("uvicorn did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process (Linux /proc): how much the server itself costs,
    apart from the Python load generator that shares the machine's two cores."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(url: str, payload: dict[str, Any], total: int, concurrency: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        mine = []
        with httpx.Client(timeout=10) as client:
            for _ in counter:  # shared iterator: the threads split the bounded count between them
                t0 = time.perf_counter()
                r = client.post(url, json=payload)
                mine.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    raise SystemExit(f"HTTP {r.status_code}: {r.text[:200]}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--load", action="store_true", help="editors and appraisers saving on PostgreSQL")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--editors", type=int, default=25)
    parser.add_argument("--appraisers", type=int, default=25)
    parser.add_argument("--units", type=int, default=20, help="units saved to (half drafts, half submitted)")
    parser.add_argument("--postgres", default=os.environ.get("CERTIFY_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    if args.load:
        import api_load

        if not args.postgres:
            raise SystemExit("--load needs --postgres URL (or CERTIFY_TEST_POSTGRES_URL)")
        workers = args.workers if args.workers > 1 else 2
        api_load.main(args.postgres, args.seconds, args.editors, args.appraisers, workers, args.units, free_port())
        return
    port = free_port()
    proc = start(port, args.workers)
    try:
        url = f"http://127.0.0.1:{port}/api/evaluate"
        payload = body()
        run(url, payload, args.warmup, args.concurrency)
        cpu0 = cpu_seconds(proc.pid) if args.workers == 1 else None
        latencies, elapsed = run(url, payload, args.requests, args.concurrency)
        server_cpu = cpu_seconds(proc.pid) - cpu0 if cpu0 is not None else None
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    latencies.sort()
    ms = [x * 1000 for x in latencies]
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(
        f"POST /api/evaluate ({SAMPLE.stem}, 38 criteria), {len(ms)} requests, {args.concurrency} clients, "
        f"{args.workers} uvicorn worker(s)"
    )
    print(
        f"  {len(ms) / elapsed:,.0f} requests/s   p50 {statistics.median(ms):.1f} ms   p99 {p99:.1f} ms   "
        f"max {ms[-1]:.1f} ms"
    )
    if server_cpu:
        print(
            f"  server CPU {server_cpu * 1000 / len(ms):.2f} ms per request "
            f"(≈ {len(ms) / server_cpu:,.0f} requests/s per core if the load generator were elsewhere)"
        )


if __name__ == "__main__":
    main()

"""`certify serve` start-up to its first answer, and each main page of the web app on the demo province.

    python bench/web_bench.py [--requests 60] [--starts 3] [--no-serve] [--no-pages]

Start-up: `certify serve` as a whole process (`python -m certify serve` on a free loopback port), timed from
launch until `GET /` answers 200 — first in a new empty folder (it creates ./data/certify.sqlite, loads the
administrative units and the demo province) with a new empty framework cache (CERTIFY_CACHE_DIR), as on a
fresh install, then again on the same folder (a later start). Beside it, in the same run, the baseline:
uvicorn serving a one-line ASGI app, polled the same way. Medians of --starts runs each.
Goal on this machine: ready ≤ 3 s, first start and later.

Pages: in-process (the ASGI app through Starlette's test client: no network), one account per role, on a fresh
copy of the demo province. Printed beside a baseline measured in the same run (the generated stylesheet, the
cheapest page) so that the ratios compare across machines, with the CPU time the process spent per request (client
and app: what the page costs, whatever else the machine runs). Goal on this machine: dashboard ≤ 100 ms p50 (wall).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api_bench import free_port  # noqa: E402  (this folder: the script's own)

from tests.api.demo_site import OWN, build  # noqa: E402
from tests.api.store_fixtures import login, make_app  # noqa: E402

UNIT = f"/cycles/1/units/{OWN}"
PAGES = [
    ("baseline: /assets/levels.css", None, "/assets/levels.css"),
    ("public home", None, "/"),
    ("public dashboard", None, "/dashboard"),
    ("province dashboard", "admin", "/dashboard"),
    ("editor home", "editor", "/"),
    ("self-assessment form", "editor", f"{UNIT}/edit"),
    ("unit page", "editor", UNIT),
    ("appraiser queue", "appraiser", "/"),
    ("appraisal page", "appraiser", f"{UNIT}/appraise"),
    ("province home", "admin", "/"),
    ("recognition", "admin", "/recognition?year=2024"),
]
GOAL_MS = {"public dashboard": 100.0, "province dashboard": 100.0}
GOAL_READY_S = 3.0  # issue 13: `certify serve` ready ≤ 3 s
HELLO = "async def app(scope, receive, send):\n    if scope['type'] != 'http':\n        return\n" + (
    "    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
    "    await send({'type': 'http.response.body', 'body': b'ok'})\n"
)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_ready(cmd: list[str], cwd: Path, env: dict[str, str], port: int) -> tuple[float, float]:
    """Seconds from launch until `GET /` answers 200, and the CPU seconds the process spent by then."""
    import httpx

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with httpx.Client(timeout=30) as client:
            while True:
                try:
                    if client.get(f"http://127.0.0.1:{port}/").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None:
                    raise SystemExit(f"{' '.join(cmd)} ended: {proc.stderr.read().decode() if proc.stderr else ''}")
                if time.perf_counter() - t0 > 120:
                    raise SystemExit(f"{' '.join(cmd)}: no answer in 120 s")
                time.sleep(0.02)
        return time.perf_counter() - t0, cpu_seconds(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def serve_rows(starts: int) -> list[tuple[str, float, float, float | None]]:
    """(what, median seconds to ready, median CPU seconds, goal) for the baseline, a first and a later start."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CERTIFY_")}  # the defaults a user gets
    base, first, later = [], [], []
    for _ in range(starts):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "hello_app.py").write_text(HELLO)
            port = free_port()
            hello = [sys.executable, "-m", "uvicorn", "hello_app:app", "--port", str(port), "--log-level", "warning"]
            base.append(time_to_ready(hello, folder, env, port))
            run_env = env | {"CERTIFY_CACHE_DIR": str(folder / "cache")}  # a new install: no framework cache yet
            port = free_port()
            serve = [sys.executable, "-m", "certify", "serve", "--port", str(port)]
            first.append(time_to_ready(serve, folder, run_env, port))
            assert (folder / "data" / "certify.sqlite").exists()
            later.append(time_to_ready(serve, folder, run_env, port))

    def med(runs: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)

    return [
        ("baseline: uvicorn, one-line app", *med(base), None),
        ("certify serve, first start", *med(first), GOAL_READY_S),
        ("certify serve, later start", *med(later), GOAL_READY_S),
    ]


def print_serve(starts: int) -> None:
    rows = serve_rows(starts)
    base = rows[0][1]
    print(f"start-up until GET / answers 200 (median of {starts}; whole processes)")
    print(f"{'':34} {'ready s':>8} {'CPU s':>7} {'× baseline':>11}  goal")
    for name, ready, cpu, goal in rows:
        verdict = "" if goal is None else (f"≤ {goal:.0f} s: " + ("met" if ready <= goal else "NOT met"))
        print(f"{name:34} {ready:8.2f} {cpu:7.2f} {ready / base:11.1f}  {verdict}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--starts", type=int, default=3, help="start-ups timed of each kind (median)")
    parser.add_argument("--no-serve", action="store_true", help="leave out the start-up timing")
    parser.add_argument("--no-pages", action="store_true", help="leave out the page timing")
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    if not args.no_serve:
        print_serve(args.starts)
    if args.no_pages:
        return
    from fastapi.testclient import TestClient

    with tempfile.TemporaryDirectory() as tmp:
        db = build(Path(tmp) / "certify.sqlite")
        app = make_app(db)
        rows = []
        with TestClient(app) as client:
            for name, role, url in PAGES:
                login(client, role)
                assert client.get(url).status_code == 200, (name, url)  # warm caches once
                times, cpu = [], []
                for _ in range(args.requests):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    r = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                    cpu.append((time.process_time() - start_cpu) * 1000)
                    assert r.status_code == 200
                times.sort()
                p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
                rows.append((name, statistics.median(times), p99, statistics.median(cpu)))
    base = rows[0][1]
    print(f"{'page':28} {'p50 ms':>9} {'p99 ms':>9} {'CPU p50':>8} {'× baseline':>11}  goal")
    for name, p50, p99, cpu_p50 in rows:
        goal = GOAL_MS.get(name)
        verdict = "" if goal is None else (f"≤ {goal:.0f} ms p50: " + ("met" if p50 <= goal else "NOT met"))
        print(f"{name:28} {p50:9.1f} {p99:9.1f} {cpu_p50:8.1f} {p50 / base:11.1f}  {verdict}")


if __name__ == "__main__":
    main()

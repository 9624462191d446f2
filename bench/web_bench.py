"""Each main page of the web app on the demo province, as its role sees it: p50 and p99 latency.

    python bench/web_bench.py [--requests 60]

In-process (the ASGI app through Starlette's test client: no network), one account per role, on a fresh copy of
the demo province. Printed beside a baseline measured in the same run (the generated stylesheet, the cheapest
page) so that the ratios compare across machines. Goal on this machine: dashboard ≤ 100 ms p50.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    with tempfile.TemporaryDirectory() as tmp:
        db = build(Path(tmp) / "certify.sqlite")
        app = make_app(db)
        rows = []
        with TestClient(app) as client:
            for name, role, url in PAGES:
                login(client, role)
                assert client.get(url).status_code == 200, (name, url)  # warm caches once
                times = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    r = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                    assert r.status_code == 200
                times.sort()
                rows.append((name, statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]))
    base = rows[0][1]
    print(f"{'page':28} {'p50 ms':>9} {'p99 ms':>9} {'× baseline':>11}  goal")
    for name, p50, p99 in rows:
        goal = GOAL_MS.get(name)
        verdict = "" if goal is None else (f"≤ {goal:.0f} ms p50: " + ("met" if p50 <= goal else "NOT met"))
        print(f"{name:28} {p50:9.1f} {p99:9.1f} {p50 / base:11.1f}  {verdict}")


if __name__ == "__main__":
    main()

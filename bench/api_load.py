"""Load on the stored app: editors and appraisers saving at once against `certify serve --workers N` on
PostgreSQL, on loopback. Prints saves/s, p50/p99, conflicts told (409), server errors and lost updates, beside
a baseline measured in the same run (one editor alone). Run through `python bench/api_bench.py --load`.

Setup: a database of its own (`<name>_load` on the server of the URL, dropped and made anew), migrated, the
demo province, then the 2025 commune cycle given `--units` units (the demo's values); half the units stay
drafts for the editors, the other half are submitted for the appraisers; one account per actor, actors spread
over the units (several per unit, so that writes of one unit collide). Each actor logs in, reads the form's
version and saves one criterion again and again; a 409 (someone saved first) makes it read the page again.

Lost update: for each unit, the value stored at the end must be the one of the save the server acknowledged
last (the highest version it answered), and no two acknowledged saves of a unit may share a version.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "tai-khoan-do-tai-2025"
CRITERION = "CQS-08"
SAMPLE = "2025-xa-*.yaml"
HANG = 600.0  # a guard against a server that never answers, not a speed limit


def load_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_load").render_as_string(hide_password=False)


def fresh_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


@dataclass
class Plan:
    cycle: int
    drafts: list[str]
    submitted: list[str]


def prepare(url: str, units: int, editors: int, appraisers: int) -> Plan:
    import yaml
    from sqlalchemy import select

    from certify.catalog import default_catalog
    from certify.paths import bundled_root
    from certify.store.accounts import add_user
    from certify.store.demo import load_demo
    from certify.store.engine import transaction
    from certify.store.migrate import ready_engine
    from certify.store.models import AdminUnit, Cycle
    from certify.store.submissions import SELF, ensure_submission, set_values, transition, value_inputs

    fresh_database(url)
    engine = ready_engine(url)
    catalog = default_catalog()
    samples = bundled_root("samples") / "assessments"
    load_demo(engine, catalog, samples)
    doc = yaml.safe_load(sorted(samples.glob(SAMPLE))[0].read_text(encoding="utf-8"))
    values = value_inputs({k: v for k, v in doc["values"].items() if k != CRITERION})
    with transaction(engine, write=True) as s:
        cycle = s.scalars(
            select(Cycle).where(Cycle.year == 2025, Cycle.framework_id == doc["framework"].split("@")[0])
        ).one()
        found = s.scalars(
            select(AdminUnit)
            .where(AdminUnit.map == cycle.unit_map, AdminUnit.tier == cycle.tier)
            .order_by(AdminUnit.code)
        ).all()[:units]
        codes = []
        for i, unit in enumerate(found):
            sub = ensure_submission(s, cycle, unit, "bench")
            set_values(s, sub, SELF, values, "bench", expected_version=sub.version)
            if i % 2:
                transition(s, sub, "submitted", "bench", expected_version=sub.version)
            codes.append(unit.code)
        drafts, submitted = codes[0::2], codes[1::2]
        for i in range(editors):
            add_user(s, f"bien-tap-{i}", "unit_editor", PASSWORD, unit_code=drafts[i % len(drafts)], actor="bench")
        for i in range(appraisers):
            add_user(s, f"tham-dinh-{i}", "province_appraiser", PASSWORD, actor="bench")
        plan = Plan(cycle.id, drafts, submitted)
    engine.dispose()
    return plan


def serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = os.environ | {"CERTIFY_DATABASE_URL": url}
    cmd = [sys.executable, "-m", "certify", "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    give_up = time.monotonic() + HANG
    while time.monotonic() < give_up:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=HANG).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("the server did not start")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    acks: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))  # unit → (version, value)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    if not found:
        raise RuntimeError(f"no {name} on the page")
    return found.group(1)


def actor(
    base: str, username: str, page: str, extra: dict[str, str], values: range, clock: Clock, tally: Tally
) -> None:
    unit = page.rstrip("/").split("/")[-2]
    form_page = page.removesuffix("/save") + "/edit" if page.endswith("/save") else page  # where the form is
    with httpx.Client(base_url=base, timeout=HANG) as client:
        token = _field(client.get("/login").text, "csrf_token")
        r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        if r.status_code != 303:
            raise RuntimeError(f"{username}: login answered {r.status_code}")

        def read() -> tuple[str, str]:
            html = client.get(form_page).text
            return _field(html, "csrf_token"), _field(html, "version")

        token, version = read()
        stop = clock.ready()  # every actor logged in and on its page: the timed part starts together
        n = 0
        while time.monotonic() < stop:
            value = values[n % len(values)]
            n += 1
            data = {"csrf_token": token, "version": version, f"v:{CRITERION}": str(value)} | extra
            t0 = time.perf_counter()
            r = client.post(page + ".json", data=data)
            took = time.perf_counter() - t0
            with tally.lock:
                tally.latencies.append(took)
                if r.status_code == 200:
                    version = str(r.json()["version"])
                    tally.acks[unit].append((int(version), value))
                elif r.status_code == 409:
                    tally.conflicts += 1
                else:
                    tally.errors.append(f"{r.status_code} {r.text[:120]}")
            if r.status_code != 200:
                token, version = read()


def stored(url: str, cycle: int) -> dict[tuple[str, str], Any]:
    """(unit, kind) → the stored value of the bench's criterion."""
    from sqlalchemy import create_engine, select

    from certify.store.models import AdminUnit, EntryValue, Submission

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(AdminUnit.code, EntryValue.kind, EntryValue.value)
            .join(Submission, Submission.unit_id == AdminUnit.id)
            .join(EntryValue, EntryValue.submission_id == Submission.id)
            .where(Submission.cycle_id == cycle, EntryValue.criterion == CRITERION)
        )
        found = {(code, kind): value for code, kind, value in rows}
    engine.dispose()
    return found


class Clock:
    """Starts the timed part once every actor is ready (logins and first page reads are not timed)."""

    def __init__(self, actors: int, seconds: float) -> None:
        self.seconds = seconds
        self.stop = 0.0
        self.barrier = threading.Barrier(actors, action=self._start, timeout=HANG)

    def _start(self) -> None:
        self.stop = time.monotonic() + self.seconds

    def ready(self) -> float:
        self.barrier.wait()
        return self.stop


def run_actors(base: str, plan: Plan, editors: int, appraisers: int, seconds: float) -> Tally:
    tally = Tally()
    threads = []
    for i in range(editors):
        page = f"/cycles/{plan.cycle}/units/{plan.drafts[i % len(plan.drafts)]}/save"
        extra = {"action": "draft"}
        threads.append((f"bien-tap-{i}", page, extra, range(10 + i % 7, 90, 7)))
    for i in range(appraisers):
        page = f"/cycles/{plan.cycle}/units/{plan.submitted[i % len(plan.submitted)]}/appraise"
        extra = {f"c:{CRITERION}": f"thẩm định viên {i}", "decision": "save"}
        threads.append((f"tham-dinh-{i}", page, extra, range(11 + i % 5, 95, 5)))

    clock = Clock(len(threads), seconds)

    def guarded(*args: Any) -> None:
        try:
            actor(*args)
        except Exception as exc:  # an actor that stopped is reported, never silently a quieter run
            clock.barrier.abort()
            with tally.lock:
                tally.errors.append(f"{args[1]} stopped: {exc!r}"[:200])

    started = [
        threading.Thread(target=guarded, args=(base, name, page, extra, values, clock, tally))
        for name, page, extra, values in threads
    ]
    for t in started:
        t.start()
    for t in started:
        t.join()
    return tally


def lost_updates(tally: Tally, values: dict[tuple[str, str], Any], plan: Plan) -> list[str]:
    lost = []
    for unit, acks in tally.acks.items():
        versions = [v for v, _ in acks]
        if len(set(versions)) != len(versions):
            lost.append(f"{unit}: two acknowledged saves share a version")
        last = max(acks)[1]
        kind = "self" if unit in plan.drafts else "appraised"
        if values.get((unit, kind)) != last:
            lost.append(f"{unit}: stored {values.get((unit, kind))!r}, last acknowledged {last}")
    return lost


def summary(label: str, tally: Tally, seconds: float) -> str:
    ms = sorted(x * 1000 for x in tally.latencies)
    if not ms:
        return f"{label}: no request answered"
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    saved = sum(len(a) for a in tally.acks.values())
    return (
        f"{label}: {len(ms)} saves in {seconds:g} s ({len(ms) / seconds:,.1f}/s), {saved} stored, "
        f"{tally.conflicts} told «someone saved first» (409), p50 {statistics.median(ms):.0f} ms, p99 {p99:.0f} ms"
    )


def main(url: str, seconds: float, editors: int, appraisers: int, workers: int, units: int, port: int) -> None:
    url = load_url(url)
    print(f"preparing {url.rsplit('/', 1)[-1]}: demo province, {units} units, {editors + appraisers} accounts …")
    plan = prepare(url, units, editors, appraisers)
    proc = serve(url, port, workers)
    base = f"http://127.0.0.1:{port}"
    try:
        baseline = run_actors(base, Plan(plan.cycle, plan.drafts[:1], plan.submitted), 1, 0, min(10.0, seconds))
        loaded = run_actors(base, plan, editors, appraisers, seconds)
    finally:
        proc.terminate()
        proc.wait(timeout=HANG)
    values = stored(url, plan.cycle)
    lost = lost_updates(loaded, values, plan)  # the baseline's unit was saved again under load: checked there
    print(summary("baseline, 1 editor alone          ", baseline, min(10.0, seconds)))
    print(summary(f"{editors} editors + {appraisers} appraisers, {workers} workers", loaded, seconds))
    print(f"server errors: {len(loaded.errors) + len(baseline.errors)}   lost updates: {len(lost)}")
    for line in (loaded.errors + baseline.errors)[:5] + lost[:5]:
        print("  " + line)

"""kill -9 loops, SQLite and PostgreSQL: `certify import`, `certify dti import --replace` and `certify cycle certify`
killed at random moments at least 20 times each leave the database exactly as it was before, or exactly as a
whole run leaves it — never anything in between.

The database is Vĩnh Long only (its units of both maps and their mergers) and the forms are one district's
communes (Vũng Liêm, 20 communes: what a district sends), so that a trial is short and the database is put back
cheaply between two trials: SQLite by copying the prepared file back (sqlite3's backup API), PostgreSQL with
`certify.store.backup` (ids and sequences included); every trial starts from the same state. A state is every row
of every table; only the moments (DateTime columns) differ from one run to another.
The commands run in children forked by tests/store/zygote.py: real `certify …` processes without Python's
start-up each time.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import DateTime, Engine, delete, or_, select

from certify.catalog import bundled_root
from certify.intake.importer import import_files
from certify.store.backup import backup, restore, tables
from certify.store.cycles import open_cycle
from certify.store.dti_results import import_dti
from certify.store.engine import transaction
from certify.store.models import AdminUnit, UnitMerger
from certify.store.submissions import find_submission, transition
from certify.store.units import units_of_province
from tests.intake.helpers import FW, ROOT
from tests.store.helpers import province_form

KILLS = 20
PROVINCE = "86"
DISTRICT = "859"  # pre-2025 district of Vĩnh Long with 20 communes


State = dict[str, list[tuple[Any, ...]]]


def state(engine: Engine) -> State:
    """Every row of every table, the moments left out."""
    out: State = {}
    with engine.connect() as conn:
        for t in tables():
            keep = [c for c in t.columns if not isinstance(c.type, DateTime)]
            out[t.name] = [tuple(r) for r in conn.execute(select(*keep).order_by(*t.primary_key.columns))]
    return out


class Zygote:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.store.zygote"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer: dict[str, Any] = json.loads(self.proc.stdout.readline())
        return answer

    def start(self, args: list[str], env: dict[str, str]) -> int:
        return int(self._ask({"run": args, "env": env})["pid"])

    def wait(self, pid: int) -> int:
        return int(self._ask({"wait": pid})["status"])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=600)


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    z = Zygote()
    yield z
    z.close()


@pytest.fixture
def province(loaded: Engine) -> Engine:
    """Vĩnh Long alone: its units of both maps and the mergers among them."""
    with transaction(loaded, write=True) as s:
        keep = select(AdminUnit.id).where(AdminUnit.province_code == PROVINCE)
        s.execute(
            delete(UnitMerger).where(or_(UnitMerger.old_unit_id.not_in(keep), UnitMerger.new_unit_id.not_in(keep)))
        )
        s.execute(delete(AdminUnit).where(AdminUnit.province_code != PROVINCE))
    return loaded


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _communes(engine: Engine) -> list[tuple[str, str]]:
    """The pre-2025 communes of one district of the province."""
    with transaction(engine) as s:
        district = {u.id for u in units_of_province(s, "pre2025", PROVINCE, "district") if u.code == DISTRICT}
        communes = [
            (u.code, u.name) for u in units_of_province(s, "pre2025", PROVINCE, "commune") if u.parent_id in district
        ]
    assert len(communes) >= 10
    return communes


class Snapshot:
    """The database's rows, taken once and put back before every trial."""

    def __init__(self, engine: Engine, tmp: Path) -> None:
        self.engine = engine
        self.file = tmp / ("base.sqlite" if engine.dialect.name == "sqlite" else "base.certify-backup")
        if engine.dialect.name == "sqlite":
            self._copy(self._database(), self.file)
        else:
            backup(engine, self.file)

    def _database(self) -> Path:
        assert self.engine.url.database
        return Path(self.engine.url.database)

    @staticmethod
    def _copy(source: Path, target: Path) -> None:
        with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
            src.backup(dst)

    def restore(self) -> None:
        if self.engine.dialect.name == "sqlite":
            self._copy(self.file, self._database())
        else:
            restore(self.engine, self.file)


def kill_loop(engine: Engine, zygote: Zygote, args: list[str], tmp: Path, seed: int) -> tuple[int, int]:
    """Put the database back, start the command, kill it at a random moment of a whole run; ≥ KILLS kills.
    Returns (killed while the database was still as before, killed or ended with the whole run's result)."""
    env = {"CERTIFY_DATABASE_URL": _url(engine), "CERTIFY_USER": "kill-loop", "CERTIFY_BUSY_TIMEOUT": "600"}
    base = Snapshot(engine, tmp)
    before = state(engine)

    started = time.monotonic()
    pid = zygote.start(args, env)
    assert zygote.wait(pid) == 0, f"certify {' '.join(args)} failed on its own"
    whole = time.monotonic() - started
    after = state(engine)
    assert after != before, "the command changed nothing: nothing to kill"

    rng = random.Random(seed)
    kills = outcomes_before = outcomes_after = 0
    for _ in range(KILLS * 5):
        if kills >= KILLS:
            break
        base.restore()
        pid = zygote.start(args, env)
        time.sleep(rng.uniform(0.05, 1.0) * whole)
        with contextlib.suppress(ProcessLookupError):  # ended already (not yet reaped): its status tells
            os.kill(pid, signal.SIGKILL)
        status = zygote.wait(pid)
        assert status in (0, -signal.SIGKILL), f"status {status}"
        kills += status == -signal.SIGKILL
        if status == 0:  # the first run was slower than this one (a loaded machine): aim within a shorter run
            whole *= 0.8
        now = state(engine)
        if now == before:
            outcomes_before += 1
        else:
            assert now == after, "a killed run left a state that is neither before nor after"
            outcomes_after += 1
    assert kills >= KILLS
    print(f"certify {args[0]}: {kills} kills; database as before {outcomes_before}, as after {outcomes_after}")
    base.restore()
    return outcomes_before, outcomes_after


def test_import_killed(province: Engine, zygote: Zygote, tmp_path: Path) -> None:
    with transaction(province, write=True) as s:
        cycle = open_cycle(s, year=2024, framework=FW, actor="so").id
    form = province_form(tmp_path, _communes(province), "tinh.xlsx")
    before, _ = kill_loop(province, zygote, ["import", str(form), "--cycle", str(cycle)], tmp_path, 1)
    assert before >= 1  # some kills landed before the commit


def test_dti_replace_killed(province: Engine, zygote: Zygote, tmp_path: Path) -> None:
    sample = bundled_root("samples") / "dti" / "vinh-long-2025-communes.csv"
    with transaction(province, write=True) as s:
        cycle = open_cycle(s, year=2025, framework="vinh-long-2554-commune", actor="so").id
        import_dti(s, cycle, sample, actor="so")
    rows = list(csv.reader(sample.read_text(encoding="utf-8").splitlines()))
    corrected = tmp_path / "corrected.csv"
    with corrected.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(rows[0])
        for row in rows[1:]:
            out.writerow(row[:2] + [f"{float(v) * 0.9:.4f}" if v else v for v in row[2:]])
    args = ["dti", "import", str(corrected), "--cycle", str(cycle), "--replace", "--yes"]
    before, _ = kill_loop(province, zygote, args, tmp_path, 2)
    assert before >= 1


def test_cycle_certify_killed(province: Engine, zygote: Zygote, tmp_path: Path) -> None:
    communes = _communes(province)
    with transaction(province, write=True) as s:
        cycle = open_cycle(s, year=2024, framework=FW, actor="so").id
    form = province_form(tmp_path, communes, "tinh.xlsx")
    with transaction(province, write=True) as s:
        assert import_files(s, cycle, [form], "so").ok
        for code, _ in communes:
            sub = find_submission(s, cycle, code, for_update=True)
            for target in ("submitted", "under_appraisal", "appraised"):
                transition(s, sub, target, "so", expected_version=sub.version)
    before, _ = kill_loop(province, zygote, ["cycle", "certify", str(cycle)], tmp_path, 3)
    assert before >= 1

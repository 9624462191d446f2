"""A process killed (SIGKILL) in the middle of a large import leaves no partial import behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import Engine

from certify.intake import layout as L
from certify.intake.importer import import_files
from certify.intake.template import write_province_sheet
from certify.store.cycles import open_cycle
from certify.store.engine import transaction
from certify.store.units import units_of_province
from tests.intake.helpers import FW, ROOT, levels, resolved, sample_values
from tests.store.helpers import counts

SCRIPT = """
import sys, time
from pathlib import Path
from certify.intake.importer import import_files
from certify.store.engine import make_engine, transaction

url, cycle_id, form, marker = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])

def progress(stage, done, total):
    if stage == "write" and done >= 50:
        marker.write_text(f"{done}/{total}")  # half written, not committed: the test kills us now
        time.sleep(120)

with transaction(make_engine(url)) as s:
    import_files(s, cycle_id, [form], "killed", progress=progress)
"""


def _province_form(tmp: Path, units: list[tuple[str, str]]) -> Path:
    r = resolved()
    fw = levels(r)
    path = write_province_sheet(r, tmp / "tinh.xlsx", units, year=2024, unit_map="pre2025")
    wb = load_workbook(path)
    ws = wb[L.PROVINCE_SHEET]
    codes = L.measured(fw)
    values: dict[str, Any] = sample_values()
    for row in range(L.PROVINCE_FIRST_ROW, L.PROVINCE_FIRST_ROW + len(units)):
        for col, code in enumerate(codes, start=len(L.PROVINCE_FIXED) + 1):
            v = values.get(code)
            if isinstance(v, dict):
                v = v["numerator"] / v["denominator"] if "numerator" in v else v.get("value")
            ws.cell(row=row, column=col, value=(L.YES if v else L.NO) if isinstance(v, bool) else v)
    wb.save(path)
    return path


def test_killed_import_leaves_nothing(loaded: Engine, tmp_path: Path) -> None:
    with transaction(loaded) as s:
        cycle = open_cycle(s, year=2024, framework=FW, actor="test")
        units = [(u.code, u.name) for u in units_of_province(s, "pre2025", "86", "commune")]
    assert len(units) > 100
    form = _province_form(tmp_path, units)
    before = counts(loaded)
    marker = tmp_path / "half-written"
    url = loaded.url.render_as_string(hide_password=False)
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, url, str(cycle.id), str(form), str(marker)], cwd=ROOT)
    deadline = time.monotonic() + 600  # a guard against a hang, not a speed test
    while not marker.exists():
        assert proc.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline, "the import never reached the middle"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=600)
    assert proc.returncode == -signal.SIGKILL
    assert counts(loaded) == before  # nothing of the killed import is visible
    # …and the database is usable: the same import now goes through whole.
    with transaction(loaded) as s:
        result = import_files(s, cycle.id, [form], "again")
    assert result.ok and result.units_written == len(units)
    assert counts(loaded)["submission"] == before["submission"] + len(units)

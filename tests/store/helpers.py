"""Small helpers shared by the storage and intake tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from certify.store.models import AuditEvent, Certification, EntryValue, ImportBatch, Submission


def counts(engine: Engine) -> dict[str, int]:
    """Row counts of every table an import or a workflow step writes: 'database unchanged' means these equal."""
    with engine.connect() as conn:
        return {
            m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Submission, EntryValue, Certification, ImportBatch, AuditEvent)
        }


def province_form(tmp: Path, units: list[tuple[str, str]], name: str, overrides: dict[str, Any] | None = None) -> Path:
    """A filled province sheet (one row per unit) of the sample commune framework, 2024, pre-2025 map.

    Every unit gets the sample commune's values, with `overrides` (criterion → value) on top, so that two
    forms of the same units can be told apart in the database afterwards.
    """
    from openpyxl import load_workbook

    from certify.intake import layout as L
    from certify.intake.template import write_province_sheet
    from tests.intake.helpers import levels, resolved, sample_values

    r = resolved()
    fw = levels(r)
    path = write_province_sheet(r, tmp / name, units, year=2024, unit_map="pre2025")
    wb = load_workbook(path)
    ws = wb[L.PROVINCE_SHEET]
    values: dict[str, Any] = sample_values() | (overrides or {})
    for row in range(L.PROVINCE_FIRST_ROW, L.PROVINCE_FIRST_ROW + len(units)):
        for col, code in enumerate(L.measured(fw), start=len(L.PROVINCE_FIXED) + 1):
            v = values.get(code)
            if isinstance(v, dict):
                v = v["numerator"] / v["denominator"] if "numerator" in v else v.get("value")
            ws.cell(row=row, column=col, value=(L.YES if v else L.NO) if isinstance(v, bool) else v)
    wb.save(path)
    return path


def self_values(engine: Engine, cycle_id: int, criterion: str) -> dict[str, Any]:
    """Unit code → the unit's own stored value of `criterion` in the cycle."""
    from certify.store.models import AdminUnit

    with engine.connect() as conn:
        rows = conn.execute(
            select(AdminUnit.code, EntryValue.value)
            .join(Submission, Submission.unit_id == AdminUnit.id)
            .join(EntryValue, EntryValue.submission_id == Submission.id)
            .where(Submission.cycle_id == cycle_id, EntryValue.criterion == criterion, EntryValue.kind == "self")
        )
        return {code: value for code, value in rows}


def run_cli(monkeypatch: Any, capsys: Any, *args: str, answer: str | None = None) -> tuple[int, str, str]:
    """Run the command line in-process; `answer` is typed at a terminal (None: no terminal, as in a script).
    Returns the exit code, stdout and stderr."""
    import io

    import pytest

    from certify.cli.app import main

    monkeypatch.setattr("certify.cli.common.interactive", lambda: answer is not None)
    monkeypatch.setattr("sys.stdin", io.StringIO(answer or ""))
    monkeypatch.setattr("sys.argv", ["certify", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err

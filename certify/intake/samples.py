"""Filling a form the way a unit would, from an assessment's values: for demos, tests and the import benchmark."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from certify.intake import layout as L
from certify.levels.model import LevelFramework


def cells_for(value: Any) -> dict[str, Any]:
    """An assessment-file value → the form's input cells (value, numerator, denominator, na, evidence …)."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        if value.get("not_applicable"):
            out.update(na=L.YES, explanation=value.get("reason"))
        if "numerator" in value:
            out.update(numerator=value["numerator"], denominator=value.get("denominator"))
        if "value" in value:
            out.update(cells_for(value["value"]))
        ev = value.get("evidence") or {}
        out.update({k: ev[k] for k in ("document", "date", "summary", "file") if ev.get(k) is not None})
        return out
    if isinstance(value, bool):
        return {"value": L.YES if value else L.NO}
    return {"value": value}


def fill_unit_form(
    template: Path,
    out: Path,
    fw: LevelFramework,
    *,
    unit_code: str,
    values: Mapping[str, Any],
    unit_name: str | None = None,
) -> Path:
    wb = load_workbook(template)
    ws = wb[L.UNIT_SHEET]
    ws[L.UNIT_CODE_CELL] = unit_code
    if unit_name:
        ws[L.UNIT_NAME_CELL] = unit_name
    cols = L.input_columns(fw)
    rows = {ws.cell(row=r, column=1).value: r for r in range(L.UNIT_HEADER_ROW + 1, ws.max_row + 1)}
    for code, value in values.items():
        for key, cell_value in cells_for(value).items():
            ws.cell(row=rows[code], column=cols[key], value=cell_value)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out

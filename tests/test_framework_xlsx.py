"""Excel round trip: a province officer edits a framework in Excel; export → import gives the same content
hash for every shipped framework; a broken workbook is refused with sheet, row and column."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from certify.catalog import Catalog, bundled_root
from certify.framework_xlsx import INFO, export_workbook, import_workbook
from certify.levels.model import LevelFramework
from tests.test_cli import run

SHIPPED = Catalog([bundled_root("frameworks")])


@pytest.mark.parametrize("entry", SHIPPED.entries(), ids=lambda e: f"{e.id}@{e.version}")
def test_export_then_import_gives_the_same_content_hash(entry: object, tmp_path: Path) -> None:
    resolved = SHIPPED.load_path(entry.path)  # type: ignore[attr-defined]
    book = tmp_path / "x.xlsx"
    book.write_bytes(export_workbook(resolved))
    text, back, _ = import_workbook(book, SHIPPED)
    assert back.content_hash == resolved.content_hash
    fw = resolved.framework
    out = tmp_path / "roots" / fw.id / f"{fw.version}.yaml"
    out.parent.mkdir(parents=True)
    out.write_text(text, encoding="utf-8")
    written = Catalog([tmp_path / "roots", bundled_root("frameworks")]).load_path(out)
    assert written.content_hash == resolved.content_hash
    if fw.extends:  # a localisation stays one: only what differs from its parent is written
        assert yaml.safe_load(text)["extends"] == fw.extends
        assert len(text) < 1.2 * len(entry.path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]


def _book(ref: str = "sample-2361-commune") -> Workbook:
    return load_workbook(io.BytesIO(export_workbook(SHIPPED.load(ref))))


def _col(ws: Worksheet, key: str) -> str:
    for cell in ws[1]:
        if cell.value == key:
            return str(cell.column_letter)
    raise KeyError(key)


def _row(ws: Worksheet, code: str) -> int:
    return next(c.row for c in ws["A"] if c.value == code)


def _info_row(wb: Workbook, key: str) -> int:
    return next(c.row for c in wb[INFO]["A"] if c.value == key)


def test_an_officer_edits_a_threshold_as_a_percentage_and_gets_a_localisation(tmp_path: Path, capsys: object) -> None:
    wb = _book()
    ws = wb["criteria"]
    ws[f"{_col(ws, 'requirements.nang-cao.threshold')}{_row(ws, 'CQS-02')}"] = "85%"
    ws[f"{_col(ws, 'requirements.nang-cao.rationale')}{_row(ws, 'CQS-02')}"] = "Kế hoạch của tỉnh"
    info = wb[INFO]
    info[f"B{_info_row(wb, 'version')}"] = 1.1  # Excel turns a typed 1.1 into a number
    assert any("ratio" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)  # drop-down lists
    book = tmp_path / "x.xlsx"
    wb.save(book)
    out = tmp_path / "sample-2361-commune" / "1.1.yaml"
    code, printed = run("frameworks", "import", str(book), "-o", str(out), capsys=capsys)
    assert code == 0, printed
    fw = Catalog([tmp_path, bundled_root("frameworks")]).load_path(out).framework
    assert isinstance(fw, LevelFramework) and fw.version == "1.1"
    assert fw.criterion_by_code["CQS-02"].requirements["nang-cao"].threshold == 0.85
    code, printed = run("frameworks", "export", "sample-2361-commune", "-o", str(book), capsys=capsys)
    assert code == 2 and "--force" in printed  # an existing file is not overwritten unasked


Mutation = Callable[[Workbook], tuple[str, int | None, str | None]]


def _set(sheet: str, key: str, code: str, value: object) -> Mutation:
    def mutate(wb: Workbook) -> tuple[str, int | None, str | None]:
        ws = wb[sheet]
        row, col = _row(ws, code), _col(ws, key)
        ws[f"{col}{row}"] = value
        return sheet, row, col

    return mutate


def _info(key: str, value: object) -> Mutation:
    def mutate(wb: Workbook) -> tuple[str, int | None, str | None]:
        row = _info_row(wb, key)
        wb[INFO][f"B{row}"] = value
        return INFO, row, "B"

    return mutate


def _header(sheet: str, key: str, new: str) -> Mutation:
    def mutate(wb: Workbook) -> tuple[str, int | None, str | None]:
        ws = wb[sheet]
        col = _col(ws, key)
        ws[f"{col}1"] = new
        return sheet, 1, col

    return mutate


def _rename_info_key(key: str, new: str) -> Mutation:
    def mutate(wb: Workbook) -> tuple[str, int | None, str | None]:
        row = _info_row(wb, key)
        wb[INFO][f"A{row}"] = new
        return INFO, row, "A"

    return mutate


def _merge(wb: Workbook) -> tuple[str, int | None, str | None]:
    ws = wb["criteria"]
    ws.merge_cells("C4:D4")
    return "criteria", 4, "C"


def _duplicate(wb: Workbook) -> tuple[str, int | None, str | None]:
    ws = wb["criteria"]
    row = _row(ws, "CQS-05")
    ws[f"A{row}"] = "CQS-04"
    return "criteria", row, "A"


# Workbooks broken in one cell each: written by tests/hostile/corpus/framework/make.py as workbook-<name>.xlsx and
# refused at their sheet, row and column through `certify frameworks import` by tests/hostile/test_corpus.py.
BROKEN: dict[str, tuple[Mutation, str]] = {
    "column-misspelt": (_header("criteria", "agency", "agnecy"), "unknown-column"),
    "indicator-type-not-in-list": (_set("criteria", "indicator.type", "CQS-04", "percent"), "not-in-list"),
    "threshold-not-a-number": (_set("criteria", "requirements.co-ban.threshold", "CQS-06", "nhiều"), "schema:"),
    "percent-for-bandwidth": (_set("criteria", "requirements.co-ban.threshold", "CQS-08", "100%"), "schema:"),
    "mandatory-not-yes-no": (_set("criteria", "mandatory", "CQS-07", "có lẽ"), "bad-yes-no"),
    "formula-in-a-name": (_set("criteria", "name", "CQS-05", "=A1&B1"), "formula"),
    "unknown-pillar": (_set("criteria", "pillar", "CQS-09", "chinh-quyen"), "unknown-pillar"),
    "weaker-threshold-above": (_set("criteria", "requirements.nang-cao.threshold", "CQS-12", 0.5), "weakening"),
    "unknown-prerequisite": (_set("criteria", "requires", "CQS-11", "CQS-09\nCQS-99"), "bad-prerequisite"),
    "kind-misspelt": (_info("kind", "level"), "unknown-kind"),
    "info-key-misspelt": (_rename_info_key("title", "titel"), "unknown-key"),
    "date-not-a-date": (_info("source.date", "ba mươi mốt"), "schema:"),
    "level-rule-not-in-list": (_info("rules.level_rule", "tat-ca"), "not-in-list"),
    "merged-cells": (_merge, "merged-cells"),
    "duplicate-code": (_duplicate, "duplicate-code"),
}

"""`certify evaluate --batch SHEET.csv --framework …`: the province sheet of `certify template` saved as CSV (Excel's
«CSV UTF-8», with commas, or with semicolons and decimal commas under Vietnamese settings) certifies its units as
the filled workbook and the units' assessment files do — the same levels and the same gap reports — and a sheet
with a mistake is refused with what the workbook path says, naming file, row and column, expected and found."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rich.console import Console

from certify import batch as B
from certify.catalog import default_catalog
from certify.cli.app import app
from certify.cli.common import run_guarded
from certify.errors import CertifyError
from certify.intake import layout as L
from certify.intake.province_csv import read_province_csv, sheet_text
from certify.intake.template import write_province_sheet
from certify.levels.model import IndicatorType, LevelFramework

FW = "sample-2361-commune"
CORPUS = Path(__file__).resolve().parent / "hostile" / "corpus" / "province_csv"
Values = dict[str, Any]


def framework() -> LevelFramework:
    fw = default_catalog().load(FW).framework
    assert isinstance(fw, LevelFramework)
    return fw


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    err = Console(record=True, width=400)
    code = run_guarded(app, err, list(args))
    return code, capsys.readouterr().out, err.export_text()


# --- the three ways in, for the same units --------------------------------------------------------------------


def write_csv(tmp: Path, units: list[tuple[str, str, Values]], vietnamese: bool = False) -> Path:
    path = tmp / ("cohort-vi.csv" if vietnamese else "cohort.csv")
    path.write_text(sheet_text(framework(), units, 2025, vietnamese=vietnamese), encoding="utf-8")
    return path


def write_workbook(tmp: Path, units: list[tuple[str, str, Values]]) -> Path:
    """The province sheet of `certify template`, filled in a spreadsheet (yes/no from the dropdown)."""
    resolved = default_catalog().load(FW)
    path = write_province_sheet(resolved, tmp / "template.xlsx", [(c, n) for c, n, _ in units], year=2025)
    wb = load_workbook(path)
    ws = wb[L.PROVINCE_SHEET]
    codes = L.measured(framework())
    for r, (_, _, values) in enumerate(units, start=L.PROVINCE_FIRST_ROW):
        for k, code in enumerate(codes, start=len(L.PROVINCE_FIXED) + 1):
            value = values.get(code)
            if value is not None:
                ws.cell(row=r, column=k, value=(L.YES if value else L.NO) if isinstance(value, bool) else value)
    out = tmp / "filled.xlsx"
    wb.save(out)
    return out


def write_folder(tmp: Path, units: list[tuple[str, str, Values]]) -> Path:
    folder = tmp / "units"
    folder.mkdir()
    fw = framework()
    for i, (code, name, values) in enumerate(units):
        record = {"unit": code, "unit_name": name, "tier": fw.tier.value, "year": 2025, "framework": fw.ref}
        record["values"] = {k: v for k, v in values.items() if v is not None}
        (folder / f"{i:05d}.yaml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return folder


def seen(batch: B.Batch) -> tuple[list[dict[str, Any]], list[Any]]:
    """What a person reads: every level row and every full gap report, without where each unit came from."""
    rows = [{k: v for k, v in row.items() if k != "source"} for row in batch.level_rows()]
    reports = [
        json.loads(json.dumps({k: v for k, v in r.items() if k != "source"}, default=str)) for r in batch.reports()
    ]
    return rows, reports


def spreadsheet(x: float) -> float:
    """A figure as a spreadsheet keeps it: 15 significant digits."""
    return float(f"{x:.15g}")


def value_of(kind: IndicatorType, most: float | None) -> st.SearchStrategy[Any]:
    """A value as a commune reports it (a ratio 0–1, a whole count, a figure, yes/no), within the indicator's max."""
    top = 1e6 if most is None else float(most)
    if kind is IndicatorType.BOOLEAN:
        return st.booleans()
    if kind is IndicatorType.RATIO:
        return st.one_of(st.integers(0, 1000).map(lambda k: k / 1000), st.floats(1e-6, 1.0).map(spreadsheet))
    if kind is IndicatorType.COUNT:
        return st.integers(0, int(min(top, 10**6)))
    figures = st.floats(1e-6, top).map(spreadsheet).filter(lambda x: not _groups_thousands(x))
    return st.one_of(st.integers(0, int(min(top, 10**6))).map(float), figures)


def _groups_thousands(x: float) -> bool:
    """A figure whose text in a CSV («1.125») the one number rule refuses as ambiguous (1125 or 1,125?), as it
    refuses the same text typed anywhere (docs/numbers.md); the workbook and the YAML file hold it as a number."""
    head, _, tail = np.format_float_positional(x, trim="-").partition(".")
    return 1 <= len(head) <= 3 and len(tail) == 3 and head != "0"


def units_of(fw: LevelFramework) -> st.SearchStrategy[list[tuple[str, str, Values]]]:
    crits = [c for c in fw.criteria if c.indicator is not None]
    one = st.fixed_dictionaries(
        {c.code: st.one_of(st.none(), value_of(c.indicator.type, c.indicator.max)) for c in crits if c.indicator}
    )
    return st.lists(one, min_size=1, max_size=8).map(
        lambda rows: [(f"{29600 + i:05d}", f"Xã thử {i}", values) for i, values in enumerate(rows)]
    )


@settings(deadline=None, max_examples=10)  # a workbook written and read per example: a second each
@given(units=units_of(framework()))
def test_a_csv_certifies_as_the_workbook_and_the_assessment_files(
    units: list[tuple[str, str, Values]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("cohort")
    catalog = default_catalog()
    from_files = seen(B.from_folder(write_folder(tmp, units), catalog))
    from_workbook = seen(B.from_workbook(write_workbook(tmp, units), catalog))
    assert from_workbook == from_files
    for vietnamese in (False, True):
        assert seen(B.from_csv(write_csv(tmp, units, vietnamese), catalog, FW)) == from_files


def test_the_command_writes_each_units_level_and_what_is_missing_for_the_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fw = framework()
    full: Values = {}  # every criterion at the top level's requirement
    for crit in fw.criteria:
        thresholds = [r.threshold for r in crit.requirements.values() if r.threshold is not None]
        if crit.indicator is not None and thresholds:
            top = thresholds[-1]
            full[crit.code] = top if isinstance(top, bool) else float(top)
    units = [("29602", "Xã Một", full), ("29605", "Xã Hai", {}), ("29608", "Xã, Ba", {"CQS-01": 0.5})]
    path = write_csv(tmp_path, units, vietnamese=True)
    out = tmp_path / "levels.csv"
    code, _, err = run("evaluate", "--batch", str(path), "--framework", FW, "-o", str(out), capsys=capsys)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["source"], r["unit"], r["unit_name"], r["year"]) for r in rows] == [
        (f"{path}:5", "29602", "Xã Một", "2025"),
        (f"{path}:6", "29605", "Xã Hai", "2025"),
        (f"{path}:7", "29608", "Xã, Ba", "2025"),  # a quoted cell (a comma in the name)
    ]
    assert rows[0]["level"] == fw.level_ids[-1] and rows[0]["items_to_next"] == "0"
    assert rows[1]["level"] == "" and rows[1]["next_level"] == fw.level_ids[0] and int(rows[1]["items_to_next"]) > 0


# --- mistakes: what the person reads ---------------------------------------------------------------------------

NUMBERS = "85,5 · 85,5% · 0,855 · 1.234 · 1 234 · 1.234,5"
EXPECTED = {
    "wrong_header.csv": "{path}, dòng/row 3, cột/column D: Cột bị di chuyển, chèn hoặc xóa (Columns were moved, "
    "inserted or deleted) — cần/expected: CQS-02; có/found: CQS-03",
    "unknown_unit.csv": "{path}, dòng/row 8, cột/column A: Chưa ghi mã đơn vị (The unit code is missing) — "
    "cần/expected: mã thống kê (GSO code); có/found: (trống/empty)",
    "bad_number.csv": "{path}, dòng/row 6, cột/column S: Đơn vị 29605, tiêu chí CQS-17: không phải là số (Unit 29605, "
    f"criterion CQS-17: Not a number) — cần/expected: {NUMBERS}; có/found: ba",
    "vi_english_number.csv": "{path}, dòng/row 7, cột/column J: Đơn vị 29608, tiêu chí CQS-08: số viết kiểu tiếng Anh "
    "(1,234.5): ghi 1.234,5 hoặc 1234,5 (Unit 29608, criterion CQS-08: An English-style number (1,234.5): write "
    f"1.234,5 or 1234,5) — cần/expected: {NUMBERS}; có/found: 1,234.5",
    "duplicate_unit.csv": "{path}, dòng/row 8, cột/column A: Đơn vị 29602 xuất hiện hai lần (Unit 29602 appears "
    "twice) — cần/expected: một lần (once); có/found: cũng có ở / also in {path} dòng/row 5",
    "too_many_rows.csv": "{path}, dòng/row 7, cột/column A: Trang tính quá lớn (tối đa 6 dòng, 1.000 cột) (The sheet "
    "is too large (at most 6 rows, 1,000 columns)) — cần/expected: ≤ 6 dòng/rows, ≤ 1000 cột/columns; "
    "có/found: dòng/row 7, cột/column 1",
    "too_large.csv": "{path}: Tệp quá lớn (File too large) — cần/expected: ≤ 4,096 byte; có/found: {size:,} byte",
}
LIMITS = {"too_many_rows.csv": ("CERTIFY_SHEET_MAX_ROWS", "6"), "too_large.csv": ("CERTIFY_TABLE_MAX_BYTES", "4096")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_mistake_is_one_line_naming_file_row_column_expected_and_found(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if name in LIMITS:
        monkeypatch.setenv(*LIMITS[name])
    path = CORPUS / name
    out = tmp_path / "levels.csv"
    code, stdout, err = run("evaluate", "--batch", str(path), "--framework", FW, "-o", str(out), capsys=capsys)
    told = (stdout + err).replace("\n", "")
    assert code == 2 and not out.exists() and "source,unit" not in told  # nothing written
    line = EXPECTED[name].format(path=path, size=path.stat().st_size)
    assert f"LỖI/ERROR {line}" in told, told


def test_a_bad_cell_is_told_in_the_words_of_the_workbook_path(tmp_path: Path) -> None:
    fw = framework()
    units: list[tuple[str, str, Values]] = [("29602", "Xã Một", {"CQS-17": 3}), ("29605", "Xã Hai", {"CQS-17": 2})]
    book = write_workbook(tmp_path, units)
    wb = load_workbook(book)
    column = len(L.PROVINCE_FIXED) + L.measured(fw).index("CQS-17") + 1
    for text in ("ba", "2,5", "-1", "1.234,5%"):
        wb[L.PROVINCE_SHEET].cell(row=6, column=column, value=text)
        wb.save(book)
        sheet = tmp_path / "sheet.csv"
        typed: list[tuple[str, str, Values]] = [units[0], ("29605", "Xã Hai", {"CQS-17": text})]
        sheet.write_text(sheet_text(fw, typed, 2025), encoding="utf-8")
        with pytest.raises(CertifyError) as from_book:
            B.from_workbook(book, default_catalog())
        with pytest.raises(CertifyError) as from_csv:
            read_province_csv(sheet, fw)
        (p,) = from_book.value.problems
        (q,) = from_csv.value.problems
        assert (q.code, q.vi, q.en, q.row, q.column, q.expected, q.found) == (
            p.code,
            p.vi,
            p.en,
            p.row,
            p.column,
            p.expected,
            p.found,
        ), text
        assert (p.file, p.sheet, q.file, q.sheet) == (str(book), L.PROVINCE_SHEET, str(sheet), None)


def test_a_csv_needs_its_framework_named(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run("evaluate", "--batch", str(CORPUS / "bad_number.csv"), capsys=capsys)
    assert code == 2
    assert "A CSV file does not name its framework: add --framework ID@VERSION" in (out + err).replace("\n", "")


def test_a_unit_twice_or_values_without_a_unit_are_refused_by_the_workbook_as_by_its_csv(tmp_path: Path) -> None:
    fw = framework()
    units: list[tuple[str, str, Values]] = [
        ("29602", "Xã Một", {"CQS-01": 0.5}),
        ("29605", "Xã Hai", {"CQS-01": 0.25}),
        ("29602", "Xã Một", {"CQS-01": 0.75}),
    ]
    book = write_workbook(tmp_path, units)
    wb = load_workbook(book)
    wb[L.PROVINCE_SHEET].cell(row=9, column=3, value=0.4)  # a value typed on a row with no unit
    wb.save(book)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(sheet_text(fw, [*units, ("", "", {}), ("", "", {"CQS-01": 0.4})], 2025), encoding="utf-8")
    with pytest.raises(CertifyError) as from_book:
        B.from_workbook(book, default_catalog())
    with pytest.raises(CertifyError) as from_csv:
        B.from_csv(sheet, default_catalog(), FW)
    told = [(p.code, p.vi, p.en, p.row, p.column, p.expected) for p in from_csv.value.problems]
    assert told == [
        ("duplicate-unit", "Đơn vị 29602 xuất hiện hai lần", "Unit 29602 appears twice", 7, "A", "một lần (once)"),
        ("no-unit-code", "Chưa ghi mã đơn vị", "The unit code is missing", 9, "A", "mã thống kê (GSO code)"),
    ]
    assert sorted(told, key=str) == sorted(
        ((p.code, p.vi, p.en, p.row, p.column, p.expected) for p in from_book.value.problems), key=str
    )
    assert from_csv.value.problems[0].found == f"cũng có ở / also in {sheet} dòng/row 5"


TYPED = st.sampled_from(["85%", "85,5%", "0,5", " 0,5", "0.5 ", "1.234", "1.234,5", "12", "abc", "", "  ", "Có"])


@settings(deadline=None, max_examples=40)
@given(
    units=units_of(framework()),
    typed=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 40), TYPED), max_size=6),
    vietnamese=st.booleans(),
)
def test_a_sheet_read_from_its_bytes_is_read_as_the_same_sheet_read_as_text(
    units: list[tuple[str, str, Values]],
    typed: list[tuple[int, int, str]],
    vietnamese: bool,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The usual file is cut from its bytes (`certify.csv_grid`); a file with a quoted cell below the names row is
    split as text. Both give the same levels, or the same problems, whatever people typed in the cells."""
    from unittest import mock

    from certify.intake import province_csv

    fw = framework()
    crits = [c.code for c in fw.criteria if c.indicator is not None]
    rows = [(code, name, dict(values)) for code, name, values in units]
    for u, c, text in typed:  # cells as people type them, some of them wrong
        if u < len(rows):
            rows[u][2][crits[c % len(crits)]] = text
    path = write_csv(tmp_path_factory.mktemp("sheet"), rows, vietnamese)
    catalog = default_catalog()

    def outcome() -> Any:
        try:
            return seen(B.from_csv(path, catalog, FW))
        except CertifyError as exc:
            return [(p.code, p.vi, p.en, p.row, p.column, p.expected, p.found) for p in exc.problems]

    from_bytes = outcome()
    with mock.patch.object(province_csv, "_grid", return_value=None):
        assert outcome() == from_bytes


def test_a_row_with_a_cell_too_many_is_one_problem_not_a_shifted_row(tmp_path: Path) -> None:
    """«12,5» unquoted in a comma-separated sheet splits into two cells: the row is refused once, by its row, instead
    of every later cell being read one column off (and the last one dropped), whether the file is cut from its bytes
    (every row one cell longer) or split as text (one row longer)."""
    fw = framework()
    units: list[tuple[str, str, Values]] = [("29602", "Xã Một", {}), ("29605", "Xã Hai", {}), ("29608", "Xã Ba", {})]
    text = sheet_text(fw, units, 2025)
    lines = text.split("\r\n")
    one = [*lines[:5], lines[5] + ",12", *lines[6:]]  # row 6 only: split as text
    every = [*lines[:4], *(line + ",5" if line else line for line in lines[4:])]  # every unit row: cut from bytes
    for name, rows, bad in (("one.csv", one, [6]), ("every.csv", every, [5, 6, 7])):
        path = tmp_path / name
        path.write_text("\r\n".join(rows), encoding="utf-8")
        with pytest.raises(CertifyError) as refused:
            read_province_csv(path, fw)
        problems = refused.value.problems
        assert [(p.code, p.row, p.found) for p in problems] == [("extra-cells", r, "41") for r in bad], name
        assert "a cell holding the separator" in problems[0].en

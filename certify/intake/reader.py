"""Reading filled forms back, checking every cell: dropdowns and number formats in Excel are advice only.

Nothing here touches the database: a file yields units with values, or problems naming file, sheet, row,
column, expected and found. The same value checks as a YAML assessment (`bind`) run on every unit.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl.utils import get_column_letter

from certify.errors import CertifyError, Problem
from certify.framework_base import Tier
from certify.intake import layout as L
from certify.intake.province_csv import no_unit_code
from certify.intake.safety import merged_ranges
from certify.levels.assessment import Assessment, Bad, FrameworkRef, Rule, bind, yes_no
from certify.levels.model import Criterion, IndicatorType, LevelFramework
from certify.store.submissions import ValueInput
from certify.xlsx_read import Book, Cell, SheetTooLarge, check_xlsx_file, formula_problem, sheet_too_large

CODE_WIDTH = {Tier.COMMUNE: 5, Tier.DISTRICT: 3, Tier.PROVINCE: 2}


@dataclass
class ParsedUnit:
    file: str
    sheet: str
    row: int | None  # the unit's row in a province sheet; None in a unit form
    code: str
    name: str | None
    values: dict[str, ValueInput]
    where: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (criterion, key) → (row, col)

    def problem(self, code: str, vi: str, en: str, **extra: Any) -> Problem:
        return Problem(code=code, vi=vi, en=en, file=self.file, sheet=self.sheet, **extra)


@dataclass
class ParsedFile:
    path: Path
    units: list[ParsedUnit]
    problems: list[Problem]
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Expect:
    """What the forms must match: the cycle's frozen framework and its year."""

    fw: LevelFramework
    framework_hash: str
    year: int | None
    max_bytes: int
    max_unzipped: int


def _shown(raw: Any) -> str:
    return repr(raw)[:60] if not isinstance(raw, str) else raw[:60]


def _bad_date_in_number(cell: Cell) -> Bad:
    day = _serial_date(cell.value)
    return Bad(
        "date-in-number",
        "ô số chứa ngày tháng (Excel lưu ngày dưới dạng số sê-ri)",
        "a date in a number cell (Excel keeps a date as its serial number)",
        "một số / a number",
        f"«{day.strftime('%d/%m/%Y') if day else cell.value}»",
    )


def _number(cell: Cell, rule: Rule, whole: bool) -> float | int:
    """A count, numerator or denominator: the core's rule reads it (text by `parse_number`)."""
    if cell.data_type == "d":
        raise _bad_date_in_number(cell)
    value = rule.number(cell.value, (), whole=whole, most=rule.value_max)
    return int(value) if whole or value == int(value) else value


def _value(cell: Cell, crit: Criterion, rule: Rule) -> Any:
    """A criterion's value as it is stored, read by the same rule as an assessment file."""
    assert crit.indicator is not None
    kind = crit.indicator.type
    raw = cell.value
    if cell.data_type == "d" and kind is not IndicatorType.BOOLEAN:
        raise _bad_date_in_number(cell)
    if kind is IndicatorType.BOOLEAN:
        return yes_no(raw)
    if kind is IndicatorType.RATIO and isinstance(raw, str):
        typed = rule.typed(raw, (), whole=False, percent=True)
        rule.scalar(crit, raw, ())  # range: 0–1, or 0 %–100 %
        return f"{typed.value:g}%" if typed.percent else typed.value
    value = rule.scalar(crit, raw, ())
    assert value is not None
    return int(value) if kind is IndicatorType.COUNT or value == int(value) else value


def _serial_date(raw: Any) -> dt.date | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2958466:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))  # an Excel date serial
    return None


def _date(raw: Any) -> dt.date:
    day = _serial_date(raw)
    if day is not None:
        return day
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise Bad("bad-date", "ngày không hợp lệ", "invalid date", "dd/mm/yyyy", raw)


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None


def _is_formula(cell: Any) -> bool:
    return getattr(cell, "data_type", None) == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))


def _unit_code(raw: Any, tier: Tier) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool) and raw == int(raw):
        # Typed as a number, Excel dropped the leading zeros of the code: put them back.
        return str(int(raw)).zfill(CODE_WIDTH.get(tier, 0))
    return str(raw).strip()


def _meta(wb: Book, file: str) -> tuple[dict[str, Any], list[Problem]]:
    if L.META_SHEET not in wb.sheetnames:
        return {}, [
            Problem(
                code="not-a-form",
                vi="Tệp không phải phiếu do certify tạo (thiếu trang _meta)",
                en="Not a form made by certify (no _meta sheet)",
                file=file,
                sheet=L.META_SHEET,
                expected="phiếu tạo bằng «certify template»",
                found=", ".join(wb.sheetnames),
            )
        ]
    meta = {
        str(r[0].value): (r[1].value if len(r) > 1 and r[1] is not None else None)
        for r in wb.rows(L.META_SHEET)
        if r and r[0] is not None
    }
    return meta, []


def _check_meta(meta: dict[str, Any], exp: Expect, file: str) -> list[Problem]:
    fw = exp.fw
    if (
        meta.get("framework_id") != fw.id
        or str(meta.get("framework_version")) != fw.version
        or meta.get("framework_hash") != exp.framework_hash
    ):
        return [
            Problem(
                code="other-framework-version",
                vi="Phiếu được tạo cho bộ tiêu chí hoặc phiên bản khác với kỳ đánh giá",
                en="The form was made for another framework or version than the cycle's",
                file=file,
                sheet=L.META_SHEET,
                expected=f"{fw.ref} ({exp.framework_hash[:19]}…)",
                found=f"{meta.get('framework_id')}@{meta.get('framework_version')} "
                f"({str(meta.get('framework_hash'))[:19]}…)",
            )
        ]
    if exp.year is not None and meta.get("year") not in (None, exp.year):
        return [
            Problem(
                code="other-year",
                vi=f"Phiếu được tạo cho năm {meta.get('year')}, kỳ đánh giá là năm {exp.year}",
                en=f"The form was made for {meta.get('year')}, the cycle is for {exp.year}",
                file=file,
                sheet=L.META_SHEET,
                expected=str(exp.year),
                found=str(meta.get("year")),
            )
        ]
    return []


def _unreadable(path: Path, exc: Exception) -> ParsedFile:
    problem = Problem(
        code="unreadable",
        vi="Không đọc được tệp Excel",
        en="The Excel file cannot be read",
        file=str(path),
        expected="Excel .xlsx",
        found=f"{type(exc).__name__}: {exc}"[:120],
    )
    return ParsedFile(path, [], [problem])


def read_form(path: Path, exp: Expect) -> ParsedFile:
    file = str(path)
    problems = check_xlsx_file(path, exp.max_bytes, exp.max_unzipped)
    if problems:
        return ParsedFile(path, [], problems)
    try:
        wb = Book(path)
    except Exception as exc:  # a damaged zip or XML can fail in many ways
        return _unreadable(path, exc)
    try:
        return _read_book(path, wb, exp)
    except SheetTooLarge as big:
        return ParsedFile(path, [], [sheet_too_large(file, big.sheet, big.row, big.column)])
    except (ET.ParseError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        return _unreadable(path, exc)
    finally:
        wb.close()


def form_meta(path: Path, max_bytes: int, max_unzipped: int) -> tuple[dict[str, Any], list[Problem]]:
    """What a filled form says of itself (its `_meta` sheet: framework, version, content hash, year), read
    before its framework is known; the file's size and content are checked first, as for `read_form`."""
    problems = check_xlsx_file(path, max_bytes, max_unzipped)
    if problems:
        return {}, problems
    try:
        wb = Book(path)
    except Exception as exc:  # a damaged zip or XML can fail in many ways
        return {}, _unreadable(path, exc).problems
    try:
        return _meta(wb, str(path))
    except (ET.ParseError, KeyError, ValueError, zipfile.BadZipFile, SheetTooLarge) as exc:
        return {}, _unreadable(path, exc).problems
    finally:
        wb.close()


def _read_book(path: Path, wb: Book, exp: Expect) -> ParsedFile:
    file = str(path)
    meta, problems = _meta(wb, file)
    if not problems:
        problems = _check_meta(meta, exp, file)
    if problems:
        return ParsedFile(path, [], problems, meta)
    form = meta.get("form")
    sheet = L.PROVINCE_SHEET if form == "province" else L.UNIT_SHEET
    if sheet not in wb.sheetnames:
        return ParsedFile(
            path,
            [],
            [
                Problem(
                    code="sheet-missing",
                    vi=f"Không có trang tính «{sheet}» (bị đổi tên hoặc xóa)",
                    en=f"Sheet '{sheet}' is missing (renamed or deleted)",
                    file=file,
                    sheet=sheet,
                    expected=sheet,
                    found=", ".join(n for n in wb.sheetnames if n != L.META_SHEET),
                )
            ],
            meta,
        )
    merged = merged_ranges(path, wb.sheets[sheet])
    if merged:
        return ParsedFile(
            path,
            [],
            [
                Problem(
                    code="merged-cells",
                    vi="Phiếu có ô bị gộp",
                    en="The form has merged cells",
                    file=file,
                    sheet=sheet,
                    expected="không gộp ô (no merged cells)",
                    found=", ".join(merged[:5]),
                )
            ],
            meta,
        )
    rows: list[list[Any]] = list(wb.rows(sheet))
    if form == "province":
        units, problems = _read_province(rows, exp, file)
    else:
        units, problems = _read_unit(rows, exp, file)
    for unit in units:
        problems += _bind_check(unit, exp)
    return ParsedFile(path, units, problems, meta)


def _filled_cell(
    rows: list[list[Any]], r: int, col: int, file: str, sheet: str, problems: list[Problem]
) -> tuple[Any | None, str]:
    """The cell at (r, col) if it holds a typed value; None for a blank cell, or for a formula
    (reported: forms must carry values, a formula's cached result may be stale or absent)."""
    cell = _cell_at(rows, r, col)
    letter = get_column_letter(col)
    if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
        return None, letter
    if _is_formula(cell):
        problems.append(formula_problem(file, sheet, r, letter, _shown(cell.value)))
        return None, letter
    return cell, letter


def _filled(cell: Any) -> bool:
    return cell is not None and cell.value is not None and not (isinstance(cell.value, str) and not cell.value.strip())


def _cell_at(rows: list[list[Any]], r: int, c: int) -> Any:
    if r - 1 < len(rows) and c - 1 < len(rows[r - 1]):
        return rows[r - 1][c - 1]
    return None


def _header_problems(rows: list[list[Any]], row: int, expected: list[str], file: str, sheet: str) -> list[Problem]:
    found = [
        (_cell_at(rows, row, c + 1).value if _cell_at(rows, row, c + 1) is not None else None)
        for c in range(len(expected))
    ]
    for c, (want, got) in enumerate(zip(expected, found, strict=True)):
        if (str(got).strip() if got is not None else None) != want:
            return [
                Problem(
                    code="columns-moved",
                    vi="Cột bị di chuyển, chèn hoặc xóa",
                    en="Columns were moved, inserted or deleted",
                    file=file,
                    sheet=sheet,
                    row=row,
                    column=get_column_letter(c + 1),
                    expected=want,
                    found=_shown(got) if got is not None else "(trống/empty)",
                )
            ]
    return []


def _read_unit(rows: list[list[Any]], exp: Expect, file: str) -> tuple[list[ParsedUnit], list[Problem]]:
    fw, sheet = exp.fw, L.UNIT_SHEET
    problems = _header_problems(rows, L.UNIT_HEADER_ROW, L.unit_headers(fw), file, sheet)
    if problems:
        return [], problems
    code_cell = _cell_at(rows, 3, 3)
    code = _unit_code(code_cell.value if code_cell is not None else None, fw.tier)
    name_cell = _cell_at(rows, 4, 3)
    if code is None:
        problems.append(
            Problem(
                code="no-unit-code",
                vi="Chưa ghi mã đơn vị",
                en="The unit code is missing",
                file=file,
                sheet=sheet,
                row=3,
                column="C",
                expected="mã thống kê (GSO code)",
                found="(trống/empty)",
            )
        )
    problems += _year_problems(_cell_at(rows, 5, 3), exp, file, sheet)
    cols = L.input_columns(fw)
    rule = Rule.of(fw, exp.year or dt.date.today().year)
    unit = ParsedUnit(file, sheet, None, code or "", _text(name_cell.value if name_cell is not None else None), {})
    seen: dict[str, int] = {}
    for r in range(L.UNIT_HEADER_ROW + 1, len(rows) + 1):
        first = _cell_at(rows, r, 1)
        crit_code = _text(first.value if first is not None else None)
        if crit_code is None:
            continue
        crit = fw.criterion_by_code.get(crit_code)
        if crit is None or crit.indicator is None:
            problems.append(
                Problem(
                    code="unknown-criterion",
                    vi="Mã tiêu chí không có trong bộ tiêu chí",
                    en="Unknown criterion code",
                    file=file,
                    sheet=sheet,
                    row=r,
                    column="A",
                    expected=f"mã của {fw.ref}",
                    found=crit_code,
                )
            )
            continue
        if crit_code in seen:
            problems.append(
                Problem(
                    code="duplicate-criterion",
                    vi="Tiêu chí bị lặp",
                    en="Criterion repeated",
                    file=file,
                    sheet=sheet,
                    row=r,
                    column="A",
                    expected=f"một dòng (dòng {seen[crit_code]})",
                    found=crit_code,
                )
            )
            continue
        seen[crit_code] = r
        cells: dict[str, Any] = {}
        for key, col in cols.items():
            cell, letter = _filled_cell(rows, r, col, file, sheet, problems)
            unit.where[(crit_code, key)] = (r, letter)
            if cell is None:
                continue
            try:
                if key == "value":
                    cells[key] = _value(cell, crit, rule)
                elif key in ("numerator", "denominator"):
                    cells[key] = _number(cell, rule, whole=True)
                elif key == "na":
                    cells[key] = yes_no(cell.value)
                elif key == "date":
                    cells[key] = _date(cell.value)
                else:
                    cells[key] = _text(cell.value)
            except Bad as bad:
                problems.append(
                    Problem(
                        code=bad.code,
                        vi=f"Tiêu chí {crit_code}: {bad.vi}",
                        en=f"Criterion {crit_code}: {bad.en}",
                        file=file,
                        sheet=sheet,
                        row=r,
                        column=letter,
                        expected=bad.expected,
                        found=_shown(bad.found),
                    )
                )
        raw: Any = None
        counts = {k: cells[k] for k in ("numerator", "denominator") if k in cells}
        if cells.get("na") is True:
            # a value typed beside «not applicable» is kept, so that the check names the contradiction
            raw = {"not_applicable": True, "reason": cells.get("explanation")} | counts
            if "value" in cells:
                raw["value"] = cells["value"]
        elif counts:
            raw = counts | ({"value": cells["value"]} if "value" in cells else {})
        elif "value" in cells:
            raw = cells["value"]
        if raw is None and not any(k in cells for k in ("explanation", "document", "summary", "file", "date")):
            continue
        unit.values[crit_code] = ValueInput(
            raw,
            cells.get("explanation"),
            cells.get("document"),
            cells.get("date"),
            cells.get("summary"),
            cells.get("file"),
        )
    return ([unit] if code else []), problems


def _read_province(rows: list[list[Any]], exp: Expect, file: str) -> tuple[list[ParsedUnit], list[Problem]]:
    fw, sheet = exp.fw, L.PROVINCE_SHEET
    codes = L.measured(fw)
    problems = _header_problems(rows, L.PROVINCE_HEADER_ROW, [*L.PROVINCE_FIXED, *codes], file, sheet)
    if problems:
        return [], problems
    units: list[ParsedUnit] = []
    rule = Rule.of(fw, exp.year or dt.date.today().year)
    for r in range(L.PROVINCE_FIRST_ROW, len(rows) + 1):
        first = _cell_at(rows, r, 1)
        code = _unit_code(first.value if first is not None else None, fw.tier)
        if code is None:
            if any(_filled(_cell_at(rows, r, c)) for c in range(2, len(L.PROVINCE_FIXED) + len(codes) + 1)):
                problems.append(no_unit_code(file, sheet, r))  # values on a row without a unit: refused, not dropped
            continue
        name = _cell_at(rows, r, 2)
        unit = ParsedUnit(file, sheet, r, code, _text(name.value if name is not None else None), {})
        for c, crit_code in enumerate(codes, start=len(L.PROVINCE_FIXED) + 1):
            crit = fw.criterion_by_code[crit_code]
            assert crit.indicator is not None
            cell, letter = _filled_cell(rows, r, c, file, sheet, problems)
            unit.where[(crit_code, "value")] = (r, letter)
            if cell is None:
                continue
            try:
                unit.values[crit_code] = ValueInput(_value(cell, crit, rule))
            except Bad as bad:
                problems.append(
                    Problem(
                        code=bad.code,
                        vi=f"Đơn vị {code}, tiêu chí {crit_code}: {bad.vi}",
                        en=f"Unit {code}, criterion {crit_code}: {bad.en}",
                        file=file,
                        sheet=sheet,
                        row=r,
                        column=letter,
                        expected=bad.expected,
                        found=_shown(bad.found),
                    )
                )
        units.append(unit)
    return units, problems


# Where a problem found by `bind` inside an entry is shown on the form: its key → the form's input column.
_COLUMN_OF = {"not_applicable": "na", "reason": "explanation", "evidence": "document"}


def _entry(v: ValueInput) -> Any:
    """A form row as an assessment entry, evidence and explanation included, so `bind` checks all of it."""
    entry: dict[str, Any] = dict(v.value) if isinstance(v.value, dict) else {"value": v.value}
    if v.explanation is not None and "reason" not in entry:
        entry["reason"] = v.explanation
    evidence = {
        k: x
        for k, x in (
            ("document", v.evidence_document),
            ("date", v.evidence_date),
            ("summary", v.evidence_summary),
            ("file", v.evidence_file),
        )
        if x is not None
    }
    if evidence:
        entry["evidence"] = evidence
    return entry


def unit_assessment(unit: ParsedUnit, exp: Expect) -> Assessment:
    """A form's unit as the assessment file that would hold it (evidence and explanations included)."""
    fw = exp.fw
    return Assessment(
        unit=unit.code or "?",
        unit_name=unit.name,
        tier=fw.tier,
        year=exp.year or dt.date.today().year,
        framework=FrameworkRef(id=fw.id, version=fw.version),
        values={k: _entry(v) for k, v in unit.values.items()},
    )


def _bind_check(unit: ParsedUnit, exp: Expect) -> list[Problem]:
    """The assessment-file checks (numerator ≤ denominator, value beside counts, not applicable with a reason,
    evidence dates, text lengths …), reported at the form's cells."""
    fw = exp.fw
    a = unit_assessment(unit, exp)
    try:
        bind(fw, a, name=unit.file)
    except CertifyError as exc:
        out = []
        for p in exc.problems:
            crit = str(p.path[1]) if len(p.path) > 1 else ""
            key = str(p.path[-1]) if len(p.path) > 3 else str(p.path[2]) if len(p.path) > 2 else "value"
            key = _COLUMN_OF.get(key, key)
            row, col = unit.where.get((crit, key), unit.where.get((crit, "value"), (unit.row or 0, "")))
            if p.path[:1] == ("unit_name",):
                row, col = (unit.row, "B") if unit.row else (4, "C")
            out.append(
                Problem(
                    code=p.code,
                    vi=p.vi,
                    en=p.en,
                    file=unit.file,
                    sheet=unit.sheet,
                    row=row or None,
                    column=col or None,
                    expected=p.expected,
                    found=p.found,
                )
            )
        return out
    return []


def _year_problems(cell: Cell | None, exp: Expect, file: str, sheet: str) -> list[Problem]:
    """The year typed on the form (C5) must be the cycle's: a 2024 form does not go into the 2025 cycle."""
    if (
        cell is None
        or cell.value is None
        or exp.year is None
        or (isinstance(cell.value, str) and not cell.value.strip())
    ):
        return []
    typed = cell.value
    if isinstance(typed, str) and typed.strip().isdigit():
        typed = int(typed.strip())
    if isinstance(typed, int | float) and not isinstance(typed, bool) and typed == exp.year:
        return []
    return [
        Problem(
            code="other-year",
            vi=f"Năm đánh giá ghi trên phiếu (ô {L.YEAR_CELL}) khác năm của kỳ đánh giá ({exp.year})",
            en=f"The assessment year on the form (cell {L.YEAR_CELL}) differs from the cycle's year ({exp.year})",
            file=file,
            sheet=sheet,
            row=5,
            column="C",
            expected=str(exp.year),
            found=_shown(cell.value),
        )
    ]

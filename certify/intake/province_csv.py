"""A province sheet saved as CSV, read a column at a time straight into a cohort's arrays.

What an officer gets with Excel's «Save as CSV UTF-8» of the sheet «Tổng hợp đơn vị» of `certify template
--units`: the same rows as the sheet (a title on row 1, the header on row 3 — unit code, unit name, then one
column per measured criterion —, the criteria's names on row 4, one unit per row from row 5), the separator a
comma, or a semicolon where Excel writes decimal commas (Vietnamese regional settings), a byte-order mark first.
A CSV has no `_meta` sheet: the framework is named on the command line (`--framework`), the year is read from the
title («… — năm 2025»), else it is this year's, as for a workbook without one.

Every cell is checked as the workbook reader (`certify.intake.reader`) checks the sheet's cells, with the same
rule (`certify.levels.rule.Rule`) and the one number reader (`certify.numbers`): a column whose cells are all
written plainly (numbers, yes/no) is read and checked at once with numpy; only the cells a column does not accept
go through the rule one by one, and each refusal names the file, row and column (as the spreadsheet shows
them), what was expected and what was found, in the words of the workbook path.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from certify.cellsafe import neutralise_row
from certify.csv_grid import PAD, Grid, delimiter_of, grid_of_lines, padded
from certify.errors import CertifyError, Problem, column_letter, csv_refusal, extra_cells
from certify.intake import layout as L
from certify.levels.assessment import BoundCohort, cohort_of_columns
from certify.levels.model import IndicatorType, LevelFramework
from certify.levels.rule import Bad, Rule, yes_no
from certify.limits import current
from certify.numbers import BoolArray, FloatArray, plain_cells, plain_numbers
from certify.xlsx_read import sheet_too_large

_YEAR = re.compile(r"năm\s+(\d{4})\s*$")
EXCEL_BOOLEANS = {"TRUE": True, "FALSE": False}  # a yes/no cell Excel holds as a boolean, as its CSV writes it


@dataclass
class ProvinceCsv:
    """The units of a province sheet's CSV: their bound values, the row of each and the year they are for."""

    cohort: BoundCohort
    rows: list[int]
    year: int


def no_unit_code(file: str, sheet: str | None, row: int) -> Problem:
    """A row of a province sheet with values and no unit code (refused, never dropped): CSV and workbook alike."""
    return Problem(
        code="no-unit-code",
        vi="Chưa ghi mã đơn vị",
        en="The unit code is missing",
        file=file,
        sheet=sheet,
        row=row,
        column="A",
        expected="mã thống kê (GSO code)",
        found="(trống/empty)",
    )


def duplicate_unit(file: str, sheet: str | None, row: int, code: str, first: int) -> Problem:
    """A unit on a second row of a province sheet (the words of `certify import`): CSV and workbook alike."""
    return Problem(
        code="duplicate-unit",
        vi=f"Đơn vị {code} xuất hiện hai lần",
        en=f"Unit {code} appears twice",
        file=file,
        sheet=sheet,
        row=row,
        column="A",
        expected="một lần (once)",
        found=f"cũng có ở / also in {file} dòng/row {first}",
    )


def _yes_no(cell: str) -> float:
    """A yes/no cell by the rule's words (`certify.levels.rule.yes_no`), Excel's TRUE/FALSE included."""
    return 1.0 if yes_no(EXCEL_BOOLEANS.get(cell.strip(), cell)) else 0.0


def _yes_no_answers(cells: Iterable[str]) -> dict[str, float]:
    """Each distinct cell of a yes/no column that the rule accepts, read once; the others are checked one by one."""
    answers: dict[str, float] = {}
    for cell in set(cells):
        with contextlib.suppress(Bad):
            answers[cell] = _yes_no(cell)
    return answers


def _kind(fw: LevelFramework, code: str) -> IndicatorType:
    indicator = fw.criterion_by_code[code].indicator
    assert indicator is not None  # a measured criterion (`certify.intake.layout.measured`)
    return indicator.type


def _shown(raw: Any) -> str:
    return raw[:60] if isinstance(raw, str) else repr(raw)[:60]


def _refuse(code: str, vi: str, en: str, file: str, **where: Any) -> CertifyError:
    return CertifyError([Problem(code=code, vi=vi, en=en, file=file, **where)])


def _text(path: Path) -> tuple[bytes, str]:
    """The file's bytes (after its byte-order mark) and text, after its size is checked (nothing past the limit is
    read)."""
    file = str(path)
    if not path.is_file():
        raise _refuse(
            "no-file", "Không tìm thấy tệp", "File not found", file, expected="tệp .csv", found="không có (missing)"
        )
    size, most = path.stat().st_size, current().table_max_bytes
    if size == 0:
        raise _refuse("empty-file", "Tệp rỗng", "The file is empty", file, expected="tệp CSV", found="0 byte")
    if size > most:
        raise _refuse(
            "file-too-large", "Tệp quá lớn", "File too large", file, expected=f"≤ {most:,} byte", found=f"{size:,} byte"
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(
            "bad-encoding",
            "Tệp CSV không phải UTF-8: trong Excel chọn Lưu thành «CSV UTF-8 (Comma delimited)»",
            "The CSV file is not UTF-8 text: in Excel, Save as 'CSV UTF-8 (Comma delimited)'",
            file,
            row=data[: exc.start].count(b"\n") + 1,
            expected="CSV UTF-8",
            found=f"byte {data[exc.start : exc.start + 1]!r}",
        ) from None
    return data.removeprefix(codecs.BOM_UTF8), text


def _too_large(file: str, row: int, column: int) -> CertifyError:
    """Past the row or column limit at (row, column), the first cell beyond it, as the workbook reader stops."""
    return CertifyError([sheet_too_large(file, None, row, column)])


class _Columns:
    """The unit rows' columns: cut from the file's bytes (`certify.csv_grid.Grid`, the usual file) or split as text
    (a file with quotes below the names row, or rows of unequal length). Columns past a row's end are empty."""

    def __init__(
        self,
        n: int,
        grid: Grid | None = None,
        texts: list[list[str]] | None = None,
        extra: dict[int, int] | None = None,
    ) -> None:
        self.n = n
        self._grid = grid
        self._texts = texts or []
        self._extra = extra or {}  # split as text: the rows with a cell past the header's, and their cells

    def extra(self, width: int) -> dict[int, int]:
        """The rows (by position) holding a cell past the header's `width` cells, and how many cells each holds:
        refused, never dropped (a decimal comma in a comma-separated file, unquoted, splits a cell in two)."""
        if self._grid is None or self._grid.n_columns <= width:
            return self._extra
        beyond = [self._grid.texts(k) for k in range(width, self._grid.n_columns)]
        return {i: self._grid.n_columns for i in range(self.n) if any(col[i] for col in beyond)}

    def _width(self) -> int:
        return self._grid.n_columns if self._grid is not None else len(self._texts)

    def text(self, k: int) -> list[str]:
        """Column `k`'s cells as the file holds them (not trimmed)."""
        if k >= self._width():
            return [""] * self.n
        return self._grid.texts(k, trim=False) if self._grid is not None else self._texts[k]

    def numbers(self, ks: list[int]) -> tuple[FloatArray, BoolArray, BoolArray]:
        """Columns `ks`' cells written plainly, read at once (`certify.numbers.plain_cells`, a trailing «%» allowed):
        values, plain and percent, each (units × len(ks))."""
        shape = (self.n, len(ks))
        inside = [k for k in ks if k < self._width()]
        if self._grid is not None and inside == ks:
            g = self._grid
            values, plain, percent = plain_cells(g.buf, g.starts[:, ks].ravel(), g.ends[:, ks].ravel(), percent=True)
            return values.reshape(shape), plain.reshape(shape), percent.reshape(shape)
        values, plain, percent = np.full(shape, np.nan), np.ones(shape, np.bool_), np.zeros(shape, np.bool_)
        for j, k in enumerate(inside):
            values[:, j], plain[:, j], percent[:, j] = plain_numbers(self.text(k), percent=True)
        return values, plain, percent

    def labels(self, k: int) -> tuple[list[str], npt.NDArray[np.intp]]:
        """Column `k` as its distinct cells (as the file holds them) and each cell's index among them."""
        if self._grid is not None and k < self._width():
            found = self._grid.distinct(k, trim=False)
            if found is not None:
                return found
        index: dict[str, int] = {}
        cells = self.text(k)
        at = np.fromiter((index.setdefault(c, len(index)) for c in cells), np.intp, len(cells))
        return list(index), at


Table = tuple[list[list[str]], _Columns, list[int]]  # the rows above the units; the units' columns; their rows


def _columns(rows: list[list[str]], width: int) -> _Columns:
    """The first `width` columns of `rows` (short rows padded with empty cells), and the rows with more."""
    padded = [r[:width] + [""] * (width - len(r)) if len(r) != width else r for r in rows]
    columns = [list(c) for c in zip(*padded, strict=True)] if padded else [[] for _ in range(width)]
    extra = {i: len(r) for i, r in enumerate(rows) if len(r) > width and any(c.strip() for c in r[width:])}
    return _Columns(len(rows), texts=columns, extra=extra)


def _top(lines: list[str], body: list[str], delimiter: str) -> list[list[str]] | None:
    """The rows above the units, when no quote below them can join lines or hide a separator (the usual file: Excel
    quotes only cells holding a separator, a quote or a line break); else None."""
    head = L.PROVINCE_FIRST_ROW - 1
    if any('"' in line for line in body):
        return None
    if not any('"' in line for line in lines[:head]):
        return [line.split(delimiter) for line in lines[:head]]
    try:
        top = list(csv.reader(io.StringIO("\n".join(lines[:head]), newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    return top if len(top) == min(head, len(lines)) else None  # a quoted line break: rows counted by the csv module


def _grid(data: bytes, delimiter: str) -> Grid | None:
    """The unit rows cut from the file's bytes, when they hold no quote and as many cells each (`certify.csv_grid`)."""
    at = 0
    for _ in range(L.PROVINCE_FIRST_ROW - 1):
        at = data.find(b"\n", at) + 1
        if not at:
            return None
    buf = padded(data[at:])
    return None if buf is None else grid_of_lines(buf, PAD, delimiter)


def _plain_table(data: bytes, text: str, delimiter: str, width: int, file: str) -> Table | None:
    """The table split line by line, when no quote below the header rows can join lines or hide a separator; else
    None. When every unit row has as many cells as the others (as Excel writes them), the columns are cut from the
    file's bytes, or from one split of the rows."""
    head = L.PROVINCE_FIRST_ROW - 1
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()  # the file's last line break
    body = lines[head:]
    top = _top(lines, body, delimiter)
    if top is None:
        return None
    lim = current()
    if len(lines) > lim.sheet_max_rows:
        raise _too_large(file, lim.sheet_max_rows + 1, 1)
    wide = [k for k, cells in enumerate(len(r) for r in top) if cells > lim.sheet_max_columns]
    grid = _grid(data, delimiter) if not wide and body else None
    if grid is not None and grid.n_columns <= lim.sheet_max_columns:
        return top, _Columns(grid.n_rows, grid=grid), list(range(head + 1, head + 1 + grid.n_rows))
    counts = [line.count(delimiter) for line in body]
    if wide or (counts and max(counts) >= lim.sheet_max_columns):
        row = wide[0] + 1 if wide else head + 1 + next(k for k, n in enumerate(counts) if n >= lim.sheet_max_columns)
        raise _too_large(file, row, lim.sheet_max_columns + 1)
    numbers = list(range(head + 1, head + 1 + len(body)))
    if counts and min(counts) == max(counts):
        cells = counts[0] + 1
        flat = delimiter.join(body).split(delimiter)
        columns = [flat[k::cells] if k < cells else [""] * len(body) for k in range(width)]
        beyond = [flat[k::cells] for k in range(width, cells)]
        extra = {i: cells for i in range(len(body)) if any(col[i].strip() for col in beyond)}
        return top, _Columns(len(body), texts=columns, extra=extra), numbers
    return top, _columns([line.split(delimiter) for line in body], width), numbers


def _table(data: bytes, text: str, file: str, width: int) -> Table:
    """The rows above the units, the units' first `width` columns and the row of each (a quoted cell may span
    lines: rows are counted as the spreadsheet counts them); refused at the first row or column past the limits
    (certify.limits), as the workbook reader stops."""
    delimiter = delimiter_of("\n".join(text.split("\n", 3)[:3]))
    plain = _plain_table(data, text, delimiter, width, file)
    if plain is not None:
        return plain
    lim = current()
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            records.append(cells)
            if len(records) > lim.sheet_max_rows:
                raise _too_large(file, len(records), 1)
            if len(cells) > lim.sheet_max_columns:
                raise _too_large(file, len(records), lim.sheet_max_columns + 1)
    except csv.Error as exc:
        raise csv_refusal(exc, file, len(records) + 1) from None
    first = L.PROVINCE_FIRST_ROW - 1
    body = records[first:]
    numbers = list(range(first + 1, first + 1 + len(body)))
    return records[:first], _columns(body, width), numbers


def _header_problem(top: list[list[str]], expected: list[str], file: str) -> Problem | None:
    """The header row as the template wrote it (`certify.intake.reader._header_problems`, the same words)."""
    row = L.PROVINCE_HEADER_ROW
    cells = top[row - 1] if len(top) >= row else []
    for c, want in enumerate(expected):
        got = cells[c] if c < len(cells) else ""
        if got.strip() != want:
            return Problem(
                code="columns-moved",
                vi="Cột bị di chuyển, chèn hoặc xóa",
                en="Columns were moved, inserted or deleted",
                file=file,
                row=row,
                column=column_letter(c + 1),
                expected=want,
                found=_shown(got) if got.strip() else "(trống/empty)",
            )
    return None


def year_of(top: list[list[str]]) -> int:
    """The year the title names («TỔNG HỢP SỐ LIỆU ĐÁNH GIÁ — … — năm 2025»), else this year."""
    title = top[0][0].strip() if top and top[0] else ""
    found = _YEAR.search(title)
    return int(found.group(1)) if found else dt.date.today().year


def read_province_csv(path: Path, fw: LevelFramework) -> ProvinceCsv:
    """The units of a province sheet saved as CSV, checked and bound for `fw`; every problem at once."""
    file = str(path)
    codes = L.measured(fw)
    fixed = len(L.PROVINCE_FIXED)
    width = fixed + len(codes)
    data, text = _text(path)
    top, columns, numbers = _table(data, text, file, width)
    moved = _header_problem(top, [*L.PROVINCE_FIXED, *codes], file)
    if moved is not None:
        raise CertifyError([moved])
    year = year_of(top)
    rule = Rule.of(fw, year)
    lim = current()
    problems: list[tuple[int, int, Problem]] = []  # (row, column, problem): told in reading order

    def at(row: int, column: int, problem: Problem) -> None:
        problems.append((row, column, problem))

    # the units: one per row with a code; a row with values and no code is refused, never dropped
    units = [c.strip() for c in columns.text(0)]
    names = [n.strip() or None for n in columns.text(1)]
    rows = numbers
    keep: list[int] | None = None  # the rows kept, where some are not
    extra = columns.extra(width)
    if "" in units or len(set(units)) != len(units) or extra:
        keep = []
        seen: dict[str, int] = {}
        texts = [columns.text(k) for k in range(1, width)]
        for i, (r, code) in enumerate(zip(numbers, units, strict=True)):
            if i in extra:  # its cells are shifted: this one problem, not one per cell
                at(r, width + 1, extra_cells(file, None, r, width, extra[i]))
                continue
            if not code:
                if any(col[i].strip() for col in texts):
                    at(r, 1, no_unit_code(file, None, r))
                continue
            first = seen.get(code)
            if first is not None:
                at(r, 1, duplicate_unit(file, None, r, code, first))
                continue
            seen[code] = r
            keep.append(i)
        rows = [numbers[i] for i in keep]
        units = [units[i] for i in keep]
        names = [names[i] for i in keep]
    for u, name in enumerate(names):
        if name is not None and len(name) > lim.unit_name_max_chars:
            at(
                rows[u],
                2,
                Problem(
                    code="text-too-long",
                    vi="Tên đơn vị quá dài",
                    en="The unit name is too long",
                    file=file,
                    row=rows[u],
                    column="B",
                    expected=f"≤ {lim.unit_name_max_chars} ký tự/characters",
                    found=f"{len(name)} ký tự/characters",
                ),
            )

    # the values, a column at a time: the cells written plainly at once, the others by the rule one by one
    n = len(rows)
    index = {c.code: i for i, c in enumerate(fw.criteria)}
    value = np.full((n, len(fw.criteria)), np.nan)
    given = np.zeros((n, len(fw.criteria)), dtype=np.bool_)
    measured = [fixed + k for k, code in enumerate(codes) if _kind(fw, code) is not IndicatorType.BOOLEAN]
    numbers_read, numbers_plain, numbers_percent = columns.numbers(measured)
    at_number = {j: m for m, j in enumerate(measured)}
    for k, crit_code in enumerate(codes):
        crit = fw.criterion_by_code[crit_code]
        kind = _kind(fw, crit_code)
        j = fixed + k
        c = index[crit_code]
        if kind is IndicatorType.BOOLEAN:
            texts_of, at_text = columns.labels(j)
            answers = _yes_no_answers(texts_of)
            read = np.array([answers.get(t, np.nan) for t in texts_of], dtype=np.float64)[at_text]
            ok = ~np.isnan(read)
            blank = np.array([not t.strip() for t in texts_of], dtype=np.bool_)[at_text]
        else:
            m = at_number[j]
            read, ok, percent = numbers_read[:, m], numbers_plain[:, m].copy(), numbers_percent[:, m]
            blank = ok & np.isnan(read)
            if kind is IndicatorType.RATIO:
                read = np.where(percent, read / 100, read)
            else:
                ok &= ~percent  # «%» is for ratios: the rule says so, one by one
            with np.errstate(invalid="ignore"):
                if kind is IndicatorType.RATIO:
                    ok &= read <= 1.0
                else:
                    ok &= read <= rule.limit(crit)
                    if kind is IndicatorType.COUNT:
                        ok &= read == np.floor(read)
            ok &= ~blank
        if keep is not None:
            read, ok, blank = read[keep], ok[keep], blank[keep]
        value[ok, c] = read[ok]
        given[ok, c] = True
        others = np.flatnonzero(~ok & ~blank).tolist()  # to be read and checked one by one
        col = columns.text(j) if others else []
        for u in others:
            cell = col[u if keep is None else keep[u]]
            if not cell.strip():
                continue
            try:
                if kind is IndicatorType.BOOLEAN:
                    checked: float | None = _yes_no(cell)
                else:
                    checked = rule.scalar(crit, cell, ())
            except Bad as bad:
                r = rows[u]
                at(
                    r,
                    j + 1,
                    Problem(
                        code=bad.code,
                        vi=f"Đơn vị {units[u]}, tiêu chí {crit_code}: {bad.vi}",
                        en=f"Unit {units[u]}, criterion {crit_code}: {bad.en}",
                        file=file,
                        row=r,
                        column=column_letter(j + 1),
                        expected=bad.expected,
                        found=_shown(bad.found),
                    ),
                )
                continue
            assert checked is not None
            value[u, c] = checked
            given[u, c] = True
    if problems:
        problems.sort(key=lambda p: (p[0], p[1]))
        raise CertifyError([p for _, _, p in problems])
    return ProvinceCsv(cohort_of_columns(fw, units, names, year, value, given, file), rows, year)


def sheet_text(
    fw: LevelFramework,
    units: Iterable[tuple[str, str | None, Mapping[str, float | bool | str | None]]],
    year: int | None = None,
    *,
    vietnamese: bool = False,
) -> str:
    """What Excel writes on «Save as CSV UTF-8» of a filled province sheet of `fw` (the template's title, header
    and names rows, then one row per unit: code, name, a value per measured criterion, yes/no as «Có»/«Không»);
    `vietnamese`: Vietnamese regional settings, a semicolon between cells and a decimal comma. A text is written as
    it is (a cell as typed)."""
    crits = [c for c in fw.criteria if c.indicator is not None]
    delimiter = ";" if vietnamese else ","

    def number(x: float | bool | str | None) -> str:
        if x is None:
            return ""
        if isinstance(x, str):
            return x
        if isinstance(x, bool):
            return L.YES if x else L.NO
        text = np.format_float_positional(float(x), trim="-")  # as a spreadsheet shows it: no exponent
        return text.replace(".", ",") if vietnamese else text

    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    blank = [""] * (len(L.PROVINCE_FIXED) + len(crits))
    out.writerow([f"TỔNG HỢP SỐ LIỆU ĐÁNH GIÁ — {fw.title}" + (f" — năm {year}" if year else ""), *blank[1:]])
    out.writerow(blank)
    out.writerow([*L.PROVINCE_FIXED, *(c.code for c in crits)])
    out.writerow(["", "", *(f"{c.name or ''} [{L.TYPE_VI[c.indicator.type.value]}]" for c in crits if c.indicator)])
    for code, name, values in units:
        out.writerow(neutralise_row([code, name or "", *(number(values.get(c.code)) for c in crits)]))
    return "\ufeff" + buffer.getvalue()

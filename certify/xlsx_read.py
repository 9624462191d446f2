"""A small, fast reader for the cells of a workbook, straight from the .xlsx XML, within limits.

openpyxl spends most of an import building objects (styles, descriptors) that a form does not need: reading
1,000 forms with it took ~15 s. This reads only sheet names, shared strings, which cell styles are dates, and
cell values, keeping what the checks need (formulas are reported as formulas, never evaluated; a number
formatted as a date is marked as a date, so a date typed in a number cell is told, not read as its serial).

Used for Excel forms (certify.intake) and DTI workbooks (certify.dti.table). Sheets are streamed: a sheet past the
row or column limit (certify.limits) stops reading at the first cell beyond it, so a 1,000,000-row file costs
nothing; rows and cells written without their optional `r` reference are numbered as the format says (one after
the other), never skipped. A formula keeps the result the spreadsheet last saved (`Cell.result`).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from certify.errors import Problem, column_letter
from certify.limits import current, thousands

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# The tags compared on every XML event of a sheet, made once (a form's sheet is thousands of events).
_ROW, _C, _F, _V, _T, _IS, _SI = (f"{M}{tag}" for tag in ("row", "c", "f", "v", "t", "is", "si"))

# Built-in number formats that show a date or time (ECMA-376 §18.8.30).
DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_DATE_CODE = re.compile(r"[dmyhs]", re.I)
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


XLSX_REQUIRED = ("[Content_Types].xml", "xl/workbook.xml")


def check_xlsx_file(path: Path, max_bytes: int, max_unzipped: int) -> list[Problem]:
    """Problems that make the file unreadable; checked from the zip central directory, nothing inflated."""
    name = str(path)

    def bad(code: str, vi: str, en: str, expected: str, found: str) -> list[Problem]:
        return [Problem(code=code, vi=vi, en=en, file=name, expected=expected, found=found)]

    if not path.is_file():
        return bad("no-file", "Không tìm thấy tệp", "File not found", "tệp .xlsx", "không có (missing)")
    size = path.stat().st_size
    if size == 0:
        return bad("empty-file", "Tệp rỗng", "The file is empty", "tệp Excel .xlsx", "0 byte")
    if size > max_bytes:
        return bad("too-large", "Tệp quá lớn", "The file is too large", f"≤ {max_bytes:,} byte", f"{size:,} byte")
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != b"PK\x03\x04" or not zipfile.is_zipfile(path):
        kind = "tệp .xls cũ (old .xls)" if magic == b"\xd0\xcf\x11\xe0" else f"{path.suffix or 'không rõ'} {magic!r}"
        return bad("not-xlsx", "Không phải tệp Excel .xlsx", "Not an Excel .xlsx file", "Excel .xlsx", kind)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        return bad("not-xlsx", "Tệp .xlsx bị hỏng", "The .xlsx file is damaged", "Excel .xlsx", str(exc)[:80])
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > max_unzipped or (total / packed > 200 and total > 10 * 1024 * 1024):
        return bad(
            "zip-bomb",
            "Nội dung giải nén quá lớn (nghi tệp «bom nén»)",
            "The uncompressed content is too large (suspected zip bomb)",
            f"≤ {max_unzipped:,} byte",
            f"{total:,} byte",
        )
    names = {i.filename for i in infos}
    missing = [n for n in XLSX_REQUIRED if n not in names]
    if missing:
        return bad(
            "not-xlsx",
            "Không phải tệp Excel .xlsx",
            "Not an Excel .xlsx file",
            "Excel .xlsx",
            f"zip thiếu {', '.join(missing)}",
        )
    return []


@dataclass(frozen=True, slots=True)
class Cell:
    value: Any
    data_type: str  # "f" formula, "s" text, "n" number, "d" number shown as a date, "b" boolean, "e" error
    result: Cell | None = None  # a formula's result as last saved by the spreadsheet (None: never calculated)


def formula_problem(
    file: str, sheet: str, row: int, column: str, formula: str, *, without_result: bool = False
) -> Problem:
    """A formula where a value must be. An Excel form takes no formula at all (its saved result may be stale);
    a DTI workbook reads a formula by its saved result and refuses only one never calculated (`without_result`)."""
    if without_result:
        code = "formula-without-value"
        vi = "Ô chứa công thức chưa có kết quả: hãy mở bằng Excel và lưu lại, hoặc dán giá trị"
        en = "The cell holds a formula without a result: open and save it in Excel, or paste values"
    else:
        code, vi, en = "formula", "Ô chứa công thức thay vì giá trị", "The cell holds a formula instead of a value"
    return Problem(
        code=code,
        vi=vi,
        en=en,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        expected="giá trị (a value)",
        found=formula[:80],
    )


class SheetTooLarge(Exception):
    """The sheet goes past the row or column limit; `row`/`column` is the first cell beyond it."""

    def __init__(self, sheet: str, row: int, column: int, max_rows: int, max_columns: int) -> None:
        super().__init__(f"{sheet}: row {row}, column {column}")
        self.sheet, self.row, self.column, self.max_rows, self.max_columns = sheet, row, column, max_rows, max_columns


def sheet_too_large(file: str, sheet: str | None, row: int, column: int) -> Problem:
    """A sheet (or a CSV read as one) past the row or column limit; (row, column) is the first cell beyond it."""
    lim = current()
    most_rows, most_columns = lim.sheet_max_rows, lim.sheet_max_columns
    return Problem(
        code="sheet-too-large",
        vi=f"Trang tính quá lớn (tối đa {thousands(most_rows)[0]} dòng, {thousands(most_columns)[0]} cột)",
        en=f"The sheet is too large (at most {most_rows:,} rows, {most_columns:,} columns)",
        file=file,
        sheet=sheet,
        row=row,
        column=column_letter(max(column, 1)),
        expected=f"≤ {most_rows} dòng/rows, ≤ {most_columns} cột/columns",
        found=f"dòng/row {row}, cột/column {column}",
    )


def _col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if ch.isalpha():
            n = n * 26 + (ord(ch.upper()) - 64)
        else:
            break
    return n


def _row_index(ref: str) -> int:
    digits = "".join(filter(str.isdigit, ref))
    return int(digits) if digits else 0


def _text(el: ET.Element) -> str:
    return "".join(t.text or "" for t in el.iter(_T))


def is_date_format(code: str) -> bool:
    """A custom number format that shows a date or time («dd/mm/yyyy», «[$-42A]d mmmm yyyy»), not «0.00%»."""
    return bool(_DATE_CODE.search(_QUOTED.sub("", code)))


def _date_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indices of the cell styles (`s="…"`) whose number format is a date."""
    try:
        root = ET.fromstring(zf.read("xl/styles.xml"))
    except KeyError:
        return frozenset()
    custom = {
        int(f.get("numFmtId", "-1")): f.get("formatCode", "")
        for f in root.iter(f"{M}numFmt")
        if f.get("numFmtId", "").isdigit()
    }
    xfs = root.find(f"{M}cellXfs")
    out = set()
    for i, xf in enumerate(xfs if xfs is not None else ()):
        fmt = xf.get("numFmtId", "0")
        fid = int(fmt) if fmt.isdigit() else 0
        if fid in DATE_FORMAT_IDS or (fid in custom and is_date_format(custom[fid])):
            out.add(i)
    return frozenset(out)


class Book:
    def __init__(self, path: Path) -> None:
        self.zf = zipfile.ZipFile(path)
        wb = ET.fromstring(self.zf.read("xl/workbook.xml"))
        rels = ET.fromstring(self.zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{PR}Relationship")}
        self.sheets: dict[str, str] = {}
        for sh in wb.iter(f"{M}sheet"):
            target = targets.get(sh.get(f"{R}id"), "")
            path_in_zip = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            self.sheets[sh.get("name", "")] = path_in_zip
        self.shared: list[str] = []
        if "xl/sharedStrings.xml" in self.zf.namelist():
            with self.zf.open("xl/sharedStrings.xml") as fh:
                for _, el in ET.iterparse(fh):
                    if el.tag == _SI:
                        self.shared.append(_text(el))
                        el.clear()
        self.date_styles = _date_styles(self.zf)

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    def close(self) -> None:
        self.zf.close()

    def rows(self, name: str, max_rows: int | None = None, max_columns: int | None = None) -> list[list[Cell | None]]:
        """Dense rows (1-based positions map to index + 1); empty cells are None. Raises `SheetTooLarge`."""
        lim = current()
        max_rows = lim.sheet_max_rows if max_rows is None else max_rows
        max_columns = lim.sheet_max_columns if max_columns is None else max_columns
        cells: dict[tuple[int, int], Cell] = {}
        row_no = col_no = 0  # the row open now and its last cell: `r` is optional in the format
        with self.zf.open(self.sheets[name]) as fh:
            for event, el in ET.iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == _ROW:
                        row_no = _row_index(el.get("r", "")) or row_no + 1
                        col_no = 0
                        if row_no > max_rows:
                            raise SheetTooLarge(name, row_no, 1, max_rows, max_columns)
                    continue
                if tag == _ROW:
                    el.clear()  # its cells are read: keep memory flat however long the sheet
                    continue
                if tag != _C:
                    continue
                ref = el.get("r")
                r, col = (_row_index(ref), _col_index(ref)) if ref else (row_no, col_no + 1)
                col_no = col
                if r > max_rows or col > max_columns:
                    raise SheetTooLarge(name, r, col, max_rows, max_columns)
                cell = self._cell(el)
                if cell is not None:
                    cells[(r, col)] = cell
        if not cells:
            return []
        max_row = max(r for r, _ in cells)
        max_col = max(col for _, col in cells)
        dense: list[list[Cell | None]] = [[None] * max_col for _ in range(max_row)]
        for (r, col), cell in cells.items():
            dense[r - 1][col - 1] = cell
        return dense

    def _cell(self, c: ET.Element) -> Cell | None:
        t = c.get("t", "n")
        f = c.find(_F)
        v = c.find(_V)
        raw = v.text if v is not None else None
        if f is not None:
            result = self._value(c, t, raw) if raw is not None else None
            return Cell("=" + (f.text or ""), "f", result)
        return self._value(c, t, raw)

    def _value(self, c: ET.Element, t: str, raw: str | None) -> Cell | None:
        if t == "s" and raw is not None:
            index = int(raw) if raw.isdigit() else -1
            return Cell(self.shared[index] if 0 <= index < len(self.shared) else "", "s")
        if t == "inlineStr":
            is_ = c.find(_IS)
            return Cell(_text(is_) if is_ is not None else "", "s")
        if t == "b":
            return Cell(raw == "1", "b")
        if t in ("str", "e"):
            return Cell(raw, "s" if t == "str" else "e")
        if raw is None:
            return None
        try:
            num = float(raw)
        except ValueError:
            return Cell(raw, "s")
        style = c.get("s", "0")
        if style.isdigit() and int(style) in self.date_styles:
            return Cell(num, "d")
        return Cell(int(num) if num.is_integer() and "." not in raw and "E" not in raw.upper() else num, "n")

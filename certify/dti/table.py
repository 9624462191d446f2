"""Reading a cohort table (CSV or XLSX, one row per unit) as text cells with their row numbers.

Row numbers are those a user sees in a spreadsheet: the header is row 1. CSV files saved by
Excel start with a byte-order mark and may use `;` as separator; both are accepted.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from certify.errors import CertifyError, Problem
from certify.limits import Limits, current, thousands

SUFFIXES = {".csv", ".xlsx"}


@dataclass(frozen=True)
class Table:
    file: str
    sheet: str | None
    header: list[str]
    rows: list[list[str]]  # every row padded to the header's length
    row_numbers: list[int]

    def where(self, row: int | None = None, column: str | None = None) -> dict[str, Any]:
        """Location keywords for a Problem: file, sheet, row number and column of `rows[row]`."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": 1 if row is None else self.row_numbers[row],
            "column": column,
        }


def _problem(code: str, vi: str, en: str, file: str, **extra: Any) -> CertifyError:
    return CertifyError([Problem(code=code, vi=vi, en=en, file=file, **extra)])


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _from_rows(file: str, sheet: str | None, raw: list[tuple[int, list[str]]]) -> Table:
    if not raw:
        raise _problem("empty-table", "Tệp không có dòng tiêu đề", "The file has no header row", file, row=1)
    header_cells = raw[0][1]
    while header_cells and header_cells[-1] == "":
        header_cells.pop()  # trailing empty columns of spreadsheets
    header = [h.strip() for h in header_cells]
    width = len(header)
    rows: list[list[str]] = []
    numbers: list[int] = []
    extra: list[Problem] = []
    for number, cells in raw[1:]:
        if not any(c.strip() for c in cells):
            continue  # blank line
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            extra.append(
                Problem(
                    code="extra-cells",
                    vi="Dòng có nhiều ô hơn dòng tiêu đề",
                    en="The row has more cells than the header",
                    file=file,
                    sheet=sheet,
                    row=number,
                    expected=f"{width} cột/columns",
                    found=f"{len(cells)}",
                )
            )
            continue
        rows.append([c.strip() for c in cells[:width]] + [""] * (width - len(cells)))
        numbers.append(number)
    if extra:
        raise CertifyError(extra)
    return Table(file, sheet, header, rows, numbers)


def _within_limits(file: str, sheet: str | None, row: int, cells: list[str], lim: Limits) -> None:
    """Stop reading at the first row past the limits (certify.limits), before the machine is exhausted."""
    where: dict[str, Any] = {"sheet": sheet, "row": row}
    if row > lim.sheet_max_rows + 1:  # + the header
        most, what = lim.sheet_max_rows, ("rows", "dòng")
    elif len(cells) > lim.sheet_max_columns:
        most, what = lim.sheet_max_columns, ("columns", "cột")
    else:
        long = next((k for k, cell in enumerate(cells) if len(cell) > lim.text_max_chars), None)
        if long is None:
            return
        most, what = lim.text_max_chars, ("characters", "ký tự")
        where["column"] = f"#{long + 1}"
    vi, en = thousands(most)
    raise _problem(
        "text-too-long" if what[0] == "characters" else f"too-many-{what[0]}",
        f"Vượt giới hạn: tối đa {vi} {what[1]}",
        f"Past the limit: at most {en} {what[0]}",
        file,
        expected=f"≤ {most} {what[1]}/{what[0]}",
        **where,
    )


def _read_csv(path: Path) -> Table:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _problem("bad-encoding", "Tệp CSV không phải UTF-8", "The CSV file is not UTF-8 text", name) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Rows are numbered by record, as a spreadsheet shows them (a quoted cell may span lines).
    raw: list[tuple[int, list[str]]] = []
    lim = current()
    try:
        for cells in reader:
            raw.append((len(raw) + 1, cells))
            _within_limits(name, None, len(raw), cells, lim)
    except csv.Error as exc:
        raise _problem("bad-csv", f"Tệp CSV lỗi: {exc}", f"Malformed CSV: {exc}", name, row=len(raw) + 1) from None
    return _from_rows(name, None, raw)


def _read_xlsx(path: Path) -> Table:
    # openpyxl is imported only here: CSV users need nothing beyond the standard library.
    import openpyxl

    name = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException …
        raise _problem(
            "bad-xlsx", f"Không đọc được tệp XLSX: {exc}", f"Cannot read the XLSX file: {exc}", name
        ) from None
    try:
        sheet = book.worksheets[0]
        raw: list[tuple[int, list[str]]] = []
        lim = current()
        for k, row in enumerate(sheet.iter_rows(values_only=True)):
            raw.append((k + 1, [_cell_text(v) for v in row]))
            _within_limits(name, sheet.title, k + 1, raw[-1][1], lim)
        return _from_rows(name, sheet.title, raw)
    finally:
        book.close()


def read_table(path: Path) -> Table:
    name = str(path)
    if not path.is_file():
        raise _problem("no-file", "Không tìm thấy tệp", "File not found", name)
    if path.suffix.lower() not in SUFFIXES:
        raise _problem(
            "bad-file-type",
            "Loại tệp không được hỗ trợ",
            "Unsupported file type",
            name,
            expected=".csv hoặc/or .xlsx",
            found=path.suffix or "(không có đuôi/no suffix)",
        )
    size, most = path.stat().st_size, current().table_max_bytes
    if size > most:
        raise _problem(
            "file-too-large",
            "Tệp quá lớn",
            "File too large",
            name,
            expected=f"≤ {most} bytes",
            found=f"{size} bytes",
        )
    return _read_csv(path) if path.suffix.lower() == ".csv" else _read_xlsx(path)

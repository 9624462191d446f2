"""Reading a cohort table (CSV or XLSX, one row per unit) as text cells with their row numbers.

Row numbers are those a user sees in a spreadsheet: the header is row 1. CSV files saved by
Excel start with a byte-order mark and may use `;` as separator; both are accepted.

A table is held by column (a scoring method reads a whole column at once). A CSV file without
quotes whose every line holds the header's number of cells, the usual export of a spreadsheet, is
held as its bytes and the byte range of every cell (`Grid`): no Python object per cell; a column
becomes text only where it is asked for, and a column of numbers is read straight from the bytes
(`certify.dti.cells.plain_columns`). Any other file without quotes is split in a few passes over the
whole text; a file with quoted cells goes through the `csv` module. All give the same cells, the
same row numbers and the same errors.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from certify.csv_grid import PAD, Grid, delimiter_of, grid_of_lines, padded
from certify.errors import CertifyError, Problem, csv_refusal, extra_cells
from certify.limits import Limits, current, thousands

SUFFIXES = {".csv", ".xlsx"}


class Cells(Sequence[str]):
    """A grid column's cells, made text on first use."""

    def __init__(self, grid: Grid, k: int) -> None:
        self._grid = grid
        self._k = k

    @cached_property
    def _texts(self) -> list[str]:
        return self._grid.texts(self._k)

    def __len__(self) -> int:
        return len(self._grid.starts)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        return self._texts[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)


class Table:
    """Header, cells by column (every column as long as the others) and the spreadsheet row of each row."""

    def __init__(
        self,
        file: str,
        sheet: str | None,
        header: list[str],
        columns: Sequence[Sequence[str]],
        row_numbers: list[int],
        texts: dict[int, str] | None = None,
        grid: Grid | None = None,
    ) -> None:
        self.file = file
        self.sheet = sheet
        self.header = header
        self._columns: list[Sequence[str]] = list(columns)
        self.row_numbers = row_numbers
        self._texts = texts or {}  # column position → its cells joined by line breaks, where known
        self.grid = grid

    @classmethod
    def from_grid(cls, file: str, header: list[str], grid: Grid) -> Table:
        """From the byte ranges of a CSV file's cells, the header being its row 1 and every line a row."""
        columns = [Cells(grid, k) for k in range(len(header))]
        return cls(file, None, header, columns, list(range(2, len(grid.starts) + 2)), grid=grid)

    @property
    def columns(self) -> list[list[str]]:
        """Every column's cells as text (a grid's columns made text here)."""
        return [_listed(c) for c in self._columns]

    def cells(self, k: int) -> Sequence[str]:
        """Column `k`'s cells; a grid's column becomes text when a cell is first read."""
        return self._columns[k]

    def distinct(self, k: int) -> tuple[list[str], npt.NDArray[np.intp]] | None:
        """Column `k` as its distinct cells and each cell's index among them, where found from a grid's bytes."""
        return None if self.grid is None else self.grid.distinct(k)

    @classmethod
    def from_rows(
        cls, file: str, sheet: str | None, header: list[str], rows: Sequence[Sequence[str]], row_numbers: list[int]
    ) -> Table:
        """From rows already padded to the header's length."""
        columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in header]
        return cls(file, sheet, header, columns, row_numbers)

    @property
    def n_rows(self) -> int:
        return len(self.row_numbers)

    @cached_property
    def rows(self) -> list[list[str]]:
        """Row by row, for callers that need a whole record (built on first use)."""
        columns = self.columns
        return [list(r) for r in zip(*columns, strict=True)] if columns else [[] for _ in self.row_numbers]

    @cached_property
    def position(self) -> dict[str, int]:
        """Column name → position; the first of two columns with the same name."""
        out: dict[str, int] = {}
        for k, name in enumerate(self.header):
            out.setdefault(name, k)
        return out

    def column_text(self, k: int) -> str:
        """The cells of column `k` joined by line breaks (what a whole-column check reads)."""
        text = self._texts.get(k)
        if text is None:
            text = self._texts[k] = "\n".join(self._columns[k])
        return text

    def column(self, name: str) -> list[str] | None:
        k = self.position.get(name)
        return None if k is None else _listed(self._columns[k])

    def where(self, row: int | None = None, column: str | None = None) -> dict[str, Any]:
        """Location keywords for a Problem: file, sheet, row number and column of `rows[row]`."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": 1 if row is None else self.row_numbers[row],
            "column": column,
        }


def _listed(cells: Sequence[str]) -> list[str]:
    return cells if isinstance(cells, list) else list(cells)


def _problem(code: str, vi: str, en: str, file: str, **extra: Any) -> CertifyError:
    return CertifyError([Problem(code=code, vi=vi, en=en, file=file, **extra)])


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # Excel's TRUE/FALSE: yes/no where the column is yes/no, «not a number» elsewhere
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(file: str, cells: list[str]) -> list[str]:
    while cells and cells[-1].strip() == "":
        cells = cells[:-1]  # trailing empty columns of spreadsheets
    return [h.strip() for h in cells]


def _from_rows(file: str, sheet: str | None, raw: list[tuple[int, list[str]]]) -> Table:
    if not raw:
        raise _problem("empty-table", "Tệp không có dòng tiêu đề", "The file has no header row", file, row=1)
    header = _header(file, raw[0][1])
    width = len(header)
    rows: list[list[str]] = []
    numbers: list[int] = []
    extra: list[Problem] = []
    for number, cells in raw[1:]:
        if not any(c.strip() for c in cells):
            continue  # blank line
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            extra.append(extra_cells(file, sheet, number, width, len(cells)))
            continue
        rows.append([c.strip() for c in cells[:width]] + [""] * (width - len(cells)))
        numbers.append(number)
    if extra:
        raise CertifyError(extra)
    return Table.from_rows(file, sheet, header, rows, numbers)


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


def _csv_records(name: str, text: str, delimiter: str) -> Table:
    # strict: a quote left open swallows every later row into one cell; refused instead of read so
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    # Rows are numbered by record, as a spreadsheet shows them (a quoted cell may span lines).
    raw: list[tuple[int, list[str]]] = []
    lim = current()
    try:
        for cells in reader:
            raw.append((len(raw) + 1, cells))
            _within_limits(name, None, len(raw), cells, lim)
    except csv.Error as exc:
        raise csv_refusal(exc, name, len(raw) + 1) from None
    return _from_rows(name, None, raw)


def _blank(line: str, delimiter: str) -> bool:
    """Nothing but separators and spaces (a line of an Excel export whose cells are all empty)."""
    first = line[:1]
    if first and first != delimiter and not first.isspace():
        return False  # the usual data line starts with its unit id
    return not line.replace(delimiter, "").strip()


def _fixed_width(name: str, lines: list[str], delimiter: str, width: int, lim: Limits) -> tuple[list[str], list[int]]:
    """The data lines with exactly `width` cells each (blank lines dropped, short lines padded) and their rows."""
    kept: list[str] = []
    numbers: list[int] = []
    extra: list[Problem] = []
    gaps = width - 1
    for k, line in enumerate(lines[1:], start=2):
        if _blank(line, delimiter):
            continue
        n = line.count(delimiter)
        if n == gaps:
            kept.append(line)
        else:
            cells = line.split(delimiter)
            _within_limits(name, None, k, cells, lim)
            if n > gaps and any(c.strip() for c in cells[width:]):
                extra.append(extra_cells(name, None, k, width, len(cells)))
                continue
            kept.append(delimiter.join(cells[:width] + [""] * (width - len(cells))))
        numbers.append(k)
    if extra:
        raise CertifyError(extra)
    return kept, numbers


_ASCII_SPACE = (" ", "\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def _trimmed(cells: list[str], spaced: bool) -> tuple[list[str], str | None]:
    """Cells trimmed as a spreadsheet shows them, and, when none needed it, the cells joined by line breaks
    (`Table.column_text`). `spaced`: whether the file holds any ASCII space at all; a column with none (numbers,
    codes) and a column of a few labels with nothing to trim («có», «không») are kept as they are."""
    joined = "\n".join(cells)
    if joined.isascii():
        if not spaced or not any(ch in joined for ch in _ASCII_SPACE):
            return cells, joined
    elif all(c == c.strip() for c in set(cells)):  # every distinct cell looked at once
        return cells, joined
    return [c.strip() for c in cells], None


def _columns_within_limits(
    name: str, lines: list[str], columns: list[list[str]], numbers: list[int], lim: Limits
) -> None:
    """The text-length limit: no cell is longer than its line, so only a file with a line past the limit is
    looked at column by column (the longest cell of a column is found in one pass)."""
    if not lines or max(map(len, lines)) <= lim.text_max_chars:
        return
    for col in columns:
        if col and max(map(len, col)) > lim.text_max_chars:
            i = next(i for i, cell in enumerate(col) if len(cell) > lim.text_max_chars)
            _within_limits(name, None, numbers[i], [c[i] for c in columns], lim)


def _split_plain(name: str, text: str, delimiter: str) -> Table:
    """A CSV text without quotes: one record per line, split for the whole file at once."""
    lim = current()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()  # the file's last line break
    if len(lines) > lim.sheet_max_rows + 1:
        _within_limits(name, None, lim.sheet_max_rows + 2, [], lim)
    header_cells = lines[0].split(delimiter)
    _within_limits(name, None, 1, header_cells, lim)
    header = _header(name, header_cells)
    width = len(header)
    if width == 0:
        raise _problem("empty-table", "Tệp không có dòng tiêu đề", "The file has no header row", name, row=1)
    kept, numbers = _fixed_width(name, lines, delimiter, width, lim)
    body = delimiter.join(kept)
    spaced = any(ch in body for ch in _ASCII_SPACE if ch != delimiter)
    flat = body.split(delimiter) if kept else []
    trimmed = [_trimmed(flat[k::width], spaced) for k in range(width)]
    columns = [cells for cells, _ in trimmed]
    _columns_within_limits(name, kept, columns, numbers, lim)
    texts = {k: joined for k, (_, joined) in enumerate(trimmed) if joined is not None}
    return Table(name, None, header, columns, numbers, texts)


def _grid(data: bytes, lim: Limits) -> tuple[list[str], Grid] | None:
    """The cells of a CSV text (UTF-8 bytes, no quotes) as byte ranges, when every line after the header holds
    exactly the header's cells and none can be blank; None for any other file, read as text (`_split_plain`)."""
    buf = padded(data)
    if buf is None:
        return None
    head = buf[PAD : buf.index(b"\n", PAD)].decode()
    delimiter = delimiter_of(head)
    header_cells = head.split(delimiter)
    header = _header("", header_cells)
    width = len(header)
    if not 0 < width == len(header_cells) <= lim.sheet_max_columns:
        return None  # trailing empty header cells, or past the limit: as text
    grid = grid_of_lines(buf, PAD + len(head.encode()) + 1, delimiter, width)
    if grid is None or grid.n_rows > lim.sheet_max_rows:
        return None
    longest = max(len(head.encode()), int((grid.ends[:, -1] - grid.starts[:, 0]).max()))  # without the line break
    return None if longest > lim.text_max_chars else (header, grid)


def _read_csv(path: Path) -> Table:
    name = str(path)
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = None if data.isascii() else data.decode()
    except UnicodeDecodeError:
        raise _problem("bad-encoding", "Tệp CSV không phải UTF-8", "The CSV file is not UTF-8 text", name) from None
    grid = _grid(data, current())
    if grid is not None:
        return Table.from_grid(name, *grid)
    # universal newlines, as a file read as text
    text = (data.decode() if text is None else text).replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    delimiter = delimiter_of(first)
    if not text.strip():
        raise _problem("empty-table", "Tệp không có dòng tiêu đề", "The file has no header row", name, row=1)
    return _csv_records(name, text, delimiter) if '"' in text else _split_plain(name, text, delimiter)


def _read_xlsx(path: Path) -> Table:
    """The first sheet, streamed by the project's one workbook reader (certify.xlsx_read): a sheet past the row or
    column limit stops at its first cell beyond, however the file was written."""
    from certify.settings import get_settings
    from certify.xlsx_read import Book, SheetTooLarge, check_xlsx_file, formula_problem

    name = str(path)
    lim = current()
    unreadable = check_xlsx_file(path, lim.table_max_bytes, get_settings().max_unzipped_bytes)  # zip bomb …
    if unreadable:
        raise CertifyError(unreadable)
    try:
        book = Book(path)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, ParseError …
        raise _problem(
            "bad-xlsx", f"Không đọc được tệp XLSX: {exc}", f"Cannot read the XLSX file: {exc}", name
        ) from None
    try:
        sheet = book.sheetnames[0] if book.sheetnames else None
        if sheet is None:
            raise _problem("empty-table", "Tệp không có dòng tiêu đề", "The file has no header row", name, row=1)
        try:
            rows = book.rows(sheet, max_rows=lim.sheet_max_rows + 1)  # + the header
        except SheetTooLarge as big:
            _within_limits(name, sheet, big.row, [""] * big.column, lim)
            raise
    except Exception as exc:
        if isinstance(exc, CertifyError):
            raise
        raise _problem(
            "bad-xlsx", f"Không đọc được tệp XLSX: {exc}", f"Cannot read the XLSX file: {exc}", name
        ) from None
    finally:
        book.close()
    raw: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    header: list[str] = []
    for k, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            if cell is not None and cell.data_type == "f" and cell.result is None:
                problems.append(
                    formula_problem(name, sheet, k + 1, _column_name(header, j), cell.value, without_result=True)
                )
            cells.append(_xlsx_text(cell))
        raw.append((k + 1, cells))
        _within_limits(name, sheet, k + 1, cells, lim)
        if k == 0:
            header = cells
    if problems:
        raise CertifyError(problems)
    return _from_rows(name, sheet, raw)


def _column_name(header: list[str], j: int) -> str:
    from openpyxl.utils import get_column_letter

    return header[j] if j < len(header) and header[j] else get_column_letter(j + 1)


def _xlsx_text(cell: Any) -> str:
    """A cell as the text a CSV of it would hold: a formula by its saved result, a number shown as a date as that
    date (so a number column says «not a number: 2024-05-01» instead of reading the date's serial 45413)."""
    if cell is None:
        return ""
    if cell.data_type == "f":
        return _xlsx_text(cell.result)
    if cell.data_type == "d":
        day = dt.datetime(1899, 12, 30) + dt.timedelta(days=float(cell.value))
        return day.date().isoformat() if day.time() == dt.time() else day.isoformat(sep=" ")
    return _cell_text(cell.value)


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

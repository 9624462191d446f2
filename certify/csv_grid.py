"""A CSV file's cells as byte ranges of its bytes: the usual spreadsheet export read without a Python object per cell.

Excel saves a sheet as CSV with a byte-order mark, `,` or `;` (or a tab) between cells, and quotes only a cell that
holds a separator, a quote or a line break. A part of such a file without quotes, whose every line holds the same
number of cells, is held as its bytes and the start and end of every cell (`Grid`): a column becomes text only where
it is asked for, a column of numbers is read straight from the bytes (`certify.numbers.plain_cells`), and a column of
a few labels is looked at once per distinct label (`Grid.distinct`). Any other file is read as text by its reader
(the DTI table, `certify.dti.table`; the province sheet, `certify.intake.province_csv`), which gives the same cells.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

DELIMITERS = (",", ";", "\t")  # what a spreadsheet puts between cells, by the locale it runs in
PAD = 32  # bytes held before a grid's first cell: a cell's last 32 bytes (`tail_words`, k ≤ 4) are always there
MAX_DISTINCT = 64  # distinct cells of a column of labels (yes/no, options) looked at one by one

IntArray = npt.NDArray[np.int64]
WordArray = npt.NDArray[np.uint64]
_WORD = np.dtype("<u8")  # little-endian: the first byte of a word is the first character
_EACH_BYTE = np.uint64(0x0101010101010101)
_KEEP = np.array([(2**64 - 1) ^ (2 ** (8 * (8 - m)) - 1) for m in range(9)], np.uint64)  # the last m bytes of a word
_NL = ord("\n")


def delimiter_of(line: str) -> str:
    """The separator a spreadsheet wrote on `line` (the one it holds most of; `,` when it holds none)."""
    return max(DELIMITERS, key=line.count)


def tail_words(buf: bytes, ends: IntArray, lens: IntArray, k: int, fill: int = 0) -> WordArray:
    """The last 8k bytes of each cell `buf[ends[i] - lens[i]:ends[i]]` as k little-endian words (n, k), bytes before
    the cell read as `fill`. `buf` holds at least 8k bytes before the first cell."""
    at = np.ndarray((len(buf) - 7,), _WORD, buf, strides=(1,))  # the 8 bytes from every position
    words = np.empty((len(ends), k), _WORD)
    for j in range(k):
        keep = _KEEP[np.clip(lens - 8 * (k - 1 - j), 0, 8)]
        words[:, j] = (at[ends - 8 * (k - j)] & keep) | (np.uint64(fill) * _EACH_BYTE & ~keep)
    return words


class Grid:
    """The cells of a CSV file as byte ranges of its bytes `buf`: `starts` and `ends` (rows × columns)."""

    def __init__(self, buf: bytes, starts: IntArray, ends: IntArray) -> None:
        self.buf = buf
        self.starts = starts
        self.ends = ends

    @property
    def n_rows(self) -> int:
        return len(self.starts)

    @property
    def n_columns(self) -> int:
        return int(self.starts.shape[1])

    def texts(self, k: int, *, trim: bool = True) -> list[str]:
        """Column `k` as text, each cell trimmed as a spreadsheet shows it (`trim=False`: as the file holds it)."""
        buf, starts, ends = self.buf, self.starts[:, k].tolist(), self.ends[:, k].tolist()
        cells = b"\n".join([buf[i:j] for i, j in zip(starts, ends, strict=True)]).decode().split("\n")
        return [cell.strip() for cell in cells] if trim else cells

    def distinct(self, k: int, *, trim: bool = True) -> tuple[list[str], npt.NDArray[np.intp]] | None:
        """Column `k` as its distinct cells (trimmed texts; `trim=False`: as the file holds them) and the index of each
        cell's among them, found from the bytes; None for a column with a cell longer than 32 bytes or more than
        `MAX_DISTINCT` distinct cells."""
        starts, ends = self.starts[:, k], self.ends[:, k]
        lens = ends - starts
        k_words = max(1, (int(lens.max()) + 7) // 8) if len(lens) else 1
        if k_words > 4:
            return None
        words = tail_words(self.buf, ends, lens, k_words)  # no NUL byte in a grid: a cell is its words
        key = words[:, 0]
        for j in range(1, k_words):
            key = key * np.uint64(0x9E3779B97F4A7C15) + words[:, j]
        ordered = np.sort(key)
        keys = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
        if len(keys) > MAX_DISTINCT:
            return None
        index = np.searchsorted(keys, key)
        first = np.array([np.argmax(index == j) for j in range(len(keys))], np.intp)
        if (words[first[index]] != words).any():
            return None  # two cells with one key
        buf = self.buf
        texts = [buf[starts[i] : ends[i]].decode() for i in first.tolist()]
        return [t.strip() for t in texts] if trim else texts, index


def padded(data: bytes) -> bytes | None:
    """A file's bytes (after its byte-order mark) as a grid holds them: `PAD` zero bytes first, `\\r\\n` as `\\n`,
    a last line break; None for a file a grid cannot hold (a lone `\\r`, a NUL byte, a quote)."""
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
    if b"\r" in data or b"\0" in data or b'"' in data:
        return None
    if not data.endswith(b"\n"):
        data += b"\n"
    return bytes(PAD) + data


def grid_of_lines(buf: bytes, first: int, delimiter: str, width: int | None = None) -> Grid | None:
    """The lines of `buf` (see `padded`) from byte `first` (the start of a line) to its end as a grid, when every one
    holds `width` cells (`None`: as many as the first of them) and starts with a cell that cannot be blank (a unit's
    code); None for any other lines, which their reader reads as text."""
    b = np.frombuffer(buf, np.uint8)
    sep = ord(delimiter)
    body = b[first:]
    bounds = np.flatnonzero((body == sep) | (body == _NL)) + first
    lines = np.flatnonzero(body == _NL)
    rows = len(lines)
    if not rows:
        return None
    if width is None:
        width = int(np.searchsorted(bounds, lines[0] + first)) + 1
    if len(bounds) != rows * width:
        return None
    ends = bounds.reshape(rows, width)
    if not (b[ends[:, -1]] == _NL).all():
        return None  # a line with more or fewer cells than the others
    starts = np.concatenate(([first], bounds[:-1] + 1)).reshape(rows, width)
    lead = b[starts[:, 0]]
    if not ((lead > ord(" ")) & (lead < 127) & (lead != sep)).all():
        return None  # a line that may be blank (or a unit code that starts oddly): as text
    return Grid(buf, starts, ends)

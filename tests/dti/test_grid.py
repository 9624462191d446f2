"""A quote-free CSV file read from its bytes (`Grid`: no Python object per cell; numbers and labels read at once)
gives exactly what reading it as text gives: the same header, cells and rows, the same cohort, the same errors with
their file, row, column, expected and found, in both languages."""

from __future__ import annotations

import codecs
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.dti import table as table_module
from certify.dti.cells import plain_columns
from certify.dti.cohort import Cohort, cohort_from_table
from certify.dti.model import DtiFramework
from certify.dti.table import Table, read_table
from certify.errors import CertifyError
from tests.dti.conftest import load

# What people type, and what a hostile file holds: numbers plain and not, labels, formulas, spaces, other digits.
CELLS = [
    "",
    "0",
    "12",
    "0.75",
    "85.5",
    "0.0",
    "1.234",
    "0.123",
    "1234.5",
    "75%",
    "0,6",
    "1.234,5",
    "-3",
    "1e5",
    ".5",
    "5.",
    "1.2.3",
    "9" * 15,
    "9" * 16,
    "9" * 20,
    "1234567.891",
    "0.8552631578947368",
    "có",
    "không",
    "Có",
    "x",
    "khac",
    "bi-thu-chu-tich",
    "pho-bi-thu-pho-chu-tich",
    "maybe",
    " 3 ",
    "có ",
    "\u00a08",
    "a b",
    "Xã Tân Mỹ",
    "\x1f7",
    "١٢",
    "=1+2",
    "@SUM(A1)",
    "+84",
    "\t=cmd",
    "a\x00b",
    "không-phải-một-lựa-chọn-nào-cả-dài-hơn-32-byte",
    "1" * 40,
]
IDS = st.sampled_from(["u1", "u2", "u3", "xa-a", "Phường 1", "", " u4", "=u5", "u1 "])
NEWLINES = st.sampled_from(["\n", "\r\n"])
ANY_NEWLINE = st.sampled_from(["\n", "\r\n", "\r"])  # a lone CR: an old Mac file, read as text
DELIMITERS = st.sampled_from([",", ";", "\t"])


def _file(tmp: Path, lines: list[str], newline: str, bom: bool, last_newline: bool) -> Path:
    text = newline.join(lines) + (newline if last_newline else "")
    path = tmp / "cohort.csv"
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode())
    return path


def _as_text(path: Path) -> Table:
    with mock.patch.object(table_module, "_grid", return_value=None):
        return read_table(path)


def _read(path: Path, text: bool) -> tuple[object, ...]:
    try:
        t = _as_text(path) if text else read_table(path)
    except CertifyError as exc:
        return ("error", exc.problems)
    return (t.header, t.columns, t.row_numbers, t.rows)


@settings(max_examples=200, deadline=None)
@given(
    width=st.integers(1, 5),
    data=st.data(),
    delimiter=DELIMITERS,
    newline=ANY_NEWLINE,
    bom=st.booleans(),
    last_newline=st.booleans(),
)
def test_the_grid_reads_what_the_text_reads(
    tmp_path_factory: pytest.TempPathFactory,
    width: int,
    data: st.DataObject,
    delimiter: str,
    newline: str,
    bom: bool,
    last_newline: bool,
) -> None:
    header = ["unit", *[f"c{k}" for k in range(1, width)]]
    rows = data.draw(st.lists(st.lists(st.sampled_from(CELLS), min_size=width - 1, max_size=width - 1), max_size=6))
    ids = data.draw(st.lists(IDS, min_size=len(rows), max_size=len(rows)))
    lines = [delimiter.join(header), *(delimiter.join([u, *r]) for u, r in zip(ids, rows, strict=True))]
    if data.draw(st.booleans()):  # now and then a blank line, an empty row of an Excel export, a short or long row
        k = data.draw(st.integers(1, len(lines)))
        lines.insert(k, data.draw(st.sampled_from(["", delimiter * (width - 1), "u9", delimiter.join(["u9"] * 9)])))
    tmp = tmp_path_factory.mktemp("grid")
    path = _file(tmp, lines, newline, bom, last_newline)
    assert _read(path, text=False) == _read(path, text=True)


def test_a_spreadsheet_export_is_read_as_a_grid(tmp_path: Path) -> None:
    path = _file(tmp_path, ["unit,1.3.a,1.2.du-hop-ubqg", "u1,12,có", "u2,0.5,không"], "\r\n", True, True)
    t = read_table(path)
    assert t.grid is not None
    assert t.columns == [["u1", "u2"], ["12", "0.5"], ["có", "không"]] == _as_text(path).columns
    assert [v.tolist() for v in plain_columns(t.grid, [1]).values()] == [[12.0, 0.5]]
    assert plain_columns(t.grid, [2]) == {}  # words are not numbers: read as labels
    found = t.distinct(2)
    assert found is not None and [found[0][i] for i in found[1]] == ["có", "không"]


# A cohort of the Vĩnh Long framework: counts, a ratio, yes/no and an option, with the meta columns.
COLUMNS = {
    "1.3.a": ["", "3", "12", "0.5", "1.234", "0.123", "-3", "75%", "1,5", "9" * 16, "9" * 20, "x", " 4 ", "="],
    "1.3.b": ["", "10", "12", "100", "1234.5", "0.0", "2"],
    "6.21": ["", "0", "0.5", "1", "1.5", "50%", "0.855", "0.8552631578947368", "có"],
    "1.2.du-hop-ubqg": ["", "có", "không", "Có", "1", "0", "x", "maybe", " có", "có "],
    "1.1": ["", "khac", "bi-thu-chu-tich", "pho-bi-thu-pho-chu-tich", "KHAC", "other", "y" * 30, "x" * 40],
    "name": ["", "Xã A", "=HYPERLINK()", "Phường 1"],
    "group": ["", "xa", "phuong"],
    "not_ranked": ["", "không", "có", "đặc thù"],
    "no_subordinates": ["", "có", "không", "x", "?"],
}


def _cohort(t: Table, fw: DtiFramework) -> tuple[object, ...]:
    try:
        c = cohort_from_table(t, fw.plan)
    except CertifyError as exc:
        return ("error", exc.problems)
    assert isinstance(c, Cohort)
    columns = {k: [None if np.isnan(x) else x for x in v.tolist()] for k, v in c.columns.items()}
    conditions = {k: v.tolist() for k, v in c.conditions.items()}
    return (c.units, columns, c.names, c.groups, conditions, c.not_ranked, c.province, c.year)


@settings(max_examples=120, deadline=None)
@given(data=st.data(), newline=NEWLINES, delimiter=DELIMITERS)
def test_the_grid_gives_the_same_cohort_and_errors(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, newline: str, delimiter: str
) -> None:
    fw = _vl()
    chosen = data.draw(st.lists(st.sampled_from(list(COLUMNS)), min_size=1, max_size=6, unique=True))
    n = data.draw(st.integers(1, 8))
    clean = data.draw(st.booleans())  # half the cohorts hold only what is valid: no error hides a difference
    rows = []
    for i in range(n):
        cells = [f"u{i}"]
        for col in chosen:
            choices = [c for c in (COLUMNS[col][:3] if clean else COLUMNS[col]) if delimiter not in c]
            cells.append(data.draw(st.sampled_from(choices)))
        rows.append(delimiter.join(cells))
    tmp = tmp_path_factory.mktemp("cohort")
    path = _file(tmp, [delimiter.join(["unit", *chosen]), *rows], newline, False, True)
    assert read_table(path).grid is not None
    assert _cohort(read_table(path), fw) == _cohort(_as_text(path), fw)


def test_numbers_read_from_the_bytes_equal_float(tmp_path: Path) -> None:
    rng = np.random.default_rng(2554)
    decimals = rng.choice([0, 1, 2, 4, 7, 9, 12], 5000)  # not 3: «1.234» is ambiguous, read cell by cell
    values = [
        f"{x:.{d}f}" for x, d in zip(rng.uniform(0, 10**6, 5000) ** rng.uniform(0, 1, 5000), decimals, strict=True)
    ]
    lines = ["unit,1.3.a", *(f"u{i},{v}" for i, v in enumerate(values))]
    got = plain_columns(read_table(_file(tmp_path, lines, "\n", False, True)).grid, [1]).get(1)
    assert got is not None and got.tolist() == [float(v) for v in values]


_VL: list[DtiFramework] = []


def _vl() -> DtiFramework:
    if not _VL:
        _VL.append(load("vinh-long-2554-province"))
    return _VL[0]

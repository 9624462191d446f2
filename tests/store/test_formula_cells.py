"""A unit named `=HYPERLINK(…)` never becomes a formula in any CSV or XLSX the project writes (one rule,
`certify.cellsafe`), numbers stay numbers; `certify export` carries the sample banner, names levels as people read
them and refuses to overwrite a file without --force."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from certify.catalog import bundled_root
from certify.cellsafe import formula_like, neutralise, neutralise_column, neutralise_row
from certify.store.engine import transaction
from certify.store.migrate import ready_engine
from certify.store.models import AdminUnit, Cycle, Submission
from tests.store.helpers import run_cli

NASTY = '=HYPERLINK("http://x","y")'
OWN = "29602"  # a commune of the demo's 2025 cycle (cycle 1)


def test_the_rule() -> None:
    for text in ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", NASTY):
        assert formula_like(text) and neutralise(text) == "'" + text
    for value in ("Xã An", "", "12,5", "-0,0310", "+84", "-3", "85%", 5, -2.5, None):
        assert not formula_like(value) and neutralise(value) == value  # plain numbers, as text or not, stay
    assert neutralise_row([NASTY, -1.5, "-1,5"]) == ["'" + NASTY, -1.5, "-1,5"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["Xã An", "", "-3", "12.50", "x\n=1", "\r=1", "\t", NASTY]), st.text())))
def test_a_column_is_neutralised_as_each_cell_alone(column: list[str]) -> None:
    """The CSV writers treat a whole column at once (certify score --csv): the same cells as one by one."""
    assert neutralise_column(column) == [neutralise(v) for v in column]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.api.demo_site import build

    path = build(tmp_path_factory.mktemp("demo") / "certify.sqlite")
    url = f"sqlite:///{path}"
    with transaction(ready_engine(url), write=True) as s:
        s.execute(update(AdminUnit).where(AdminUnit.map == "current", AdminUnit.code == OWN).values(name=NASTY))
        one_2024 = s.scalars(
            select(Submission.unit_id).join(Cycle).where(Cycle.id == _certified(s)).order_by(Submission.id)
        ).first()
        s.execute(update(AdminUnit).where(AdminUnit.id == one_2024).values(name=NASTY))
    return url


def _certified(s: Session) -> int:
    """The demo's 2024 commune cycle: recognised and published."""
    return int(s.scalars(select(Cycle.id).where(Cycle.year == 2024, Cycle.framework_id == "sample-2361-commune")).one())


def _nasty_cells(path: Path) -> list[object]:
    book = load_workbook(path)
    found = [c for ws in book for row in ws.iter_rows() for c in row if c.value == NASTY]
    assert all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)  # no formula anywhere
    return found


def test_export_banner_level_names_force_and_text_cells(
    demo: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from certify.store.cycles import frozen_framework, get_cycle

    monkeypatch.setenv("CERTIFY_DATABASE_URL", demo)
    out = tmp_path / "ky-1.xlsx"
    code, _, err = run_cli(monkeypatch, capsys, "export", "--cycle", "1", "-o", str(out))
    assert code == 0, err
    cells = _nasty_cells(out)
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)  # shown as typed, stays text
    book = load_workbook(out)
    with transaction(ready_engine(demo)) as s:
        fw = frozen_framework(get_cycle(s, 1))[1]
    for name in ("Kết quả", "Khoảng cách", "Kiểm chứng", "Thông tin"):
        assert (
            book[name]["A1"].value
            == "⚠ Bộ tiêu chí mẫu — không phải ngưỡng chính thức (Sample criteria — not official thresholds)"
        )
        assert "Bộ tiêu chí mẫu" in book[name].oddHeader.center.text  # printed on every page too
    with transaction(ready_engine(demo)) as s:  # the 2024 cycle of the demo is certified: levels and gaps
        certified = _certified(s)
    code, _, err = run_cli(monkeypatch, capsys, "export", "--cycle", str(certified), "-o", str(tmp_path / "2024.xlsx"))
    assert code == 0, err
    book = load_workbook(tmp_path / "2024.xlsx")
    rows = list(book["Kết quả"].iter_rows(min_row=3, values_only=True))
    ids, names = set(fw.level_by_id), {fw.level_name(i) for i in fw.level_by_id} | {fw.level_name(None)}
    assert rows and all(r[3] in names for r in rows) and all(r[4] in names for r in rows if r[4])
    assert {r[3] for r in rows} - {fw.level_name(None)}  # some unit holds a level, named
    assert not {v for r in rows for v in r if isinstance(v, str)} & ids  # no level id anywhere
    gaps = list(book["Khoảng cách"].iter_rows(min_row=3, values_only=True))
    assert gaps and all(g[2] in names for g in gaps)
    info = {r[0]: r[1] for r in book["Thông tin"].iter_rows(min_row=2, values_only=True)}
    assert info["Cấp"] == "cấp xã" and info["Tình trạng bộ tiêu chí"] == "mẫu, không chính thức"

    before = out.read_bytes()
    code, _, err = run_cli(monkeypatch, capsys, "export", "--cycle", "1", "-o", str(out))
    assert code == 2 and "--force" in err and "đã tồn tại" in err and out.read_bytes() == before
    code, _, err = run_cli(monkeypatch, capsys, "export", "--cycle", "1", "-o", str(out), "--force")
    assert code == 0, err


def test_province_report_xlsx_keeps_the_name_as_text(
    demo: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", demo)
    out = tmp_path / "tinh.xlsx"
    with transaction(ready_engine(demo)) as s:
        certified = _certified(s)
    code, _, err = run_cli(monkeypatch, capsys, "report", "province", "--cycle", str(certified), "-o", str(out))
    assert code == 0, err
    cells = _nasty_cells(out)
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_score_csv_neutralises_the_name_and_keeps_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io

    source = bundled_root("samples") / "dti" / "vinh-long-2025-communes.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    first = next(csv.reader([lines[1]]))
    first[header.index("name")] = NASTY
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(first)
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("\n".join([lines[0], buf.getvalue().rstrip("\n"), *lines[2:]]) + "\n", encoding="utf-8")
    code, out, err = run_cli(
        monkeypatch, capsys, "score", str(cohort), "--framework", "vinh-long-2554-commune", "--index-level", "--csv"
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    [row] = [r for r in rows if r["unit"] == first[header.index("unit")]]
    assert row["name"] == "'" + NASTY and not any(formula_like(v) for r in rows for v in r.values())
    assert float(row["value"]) >= 0 and float(row["points"]) >= 0  # numbers stay numbers


def test_dashboard_downloads_keep_the_name_as_text(demo: str, tmp_path: Path) -> None:
    import csv
    import io

    from fastapi.testclient import TestClient

    from tests.api.store_fixtures import login, make_app

    app = make_app(Path(demo.removeprefix("sqlite:///")))
    with TestClient(app) as client:
        login(client, "appraiser")
        query = "year=2025&tier=commune&per=200&page=1"
        text = client.get(f"/dashboard/ranking.csv?{query}").content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        [row] = [r for r in rows if r[1] == OWN]
        assert row[2] == "'" + NASTY and not any(formula_like(v) for r in rows for v in r)
        change = rows[0].index("Thay đổi")
        assert any(r[change].startswith("-") for r in rows[1:])  # a fall stays a plain number
        book = load_workbook(io.BytesIO(client.get(f"/dashboard/ranking.xlsx?{query}").content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value == NASTY]  # type: ignore[union-attr]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_every_csv_and_xlsx_writer_uses_the_one_rule() -> None:
    """A new writer (csv.writer, an openpyxl Workbook) must go through certify.cellsafe or reports.xlsx_common."""
    import re

    root = Path(__file__).resolve().parents[2]
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(\)")
    safe = re.compile(r"from certify\.cellsafe import|from reports\.xlsx_common import")
    unsafe = [
        str(path.relative_to(root))
        for folder in ("certify", "reports", "api")
        for path in sorted((root / folder).rglob("*.py"))
        if writers.search(text := path.read_text(encoding="utf-8")) and not safe.search(text)
    ]
    assert unsafe == []

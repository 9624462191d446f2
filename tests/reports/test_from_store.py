"""Reports read from a stored cycle (SQLite): province PDF/XLSX and the decision DOCX, through the CLI too;
the DTI ranking table with shared ranks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pypdf
import pytest
import yaml
from sqlalchemy import Engine

from certify.cli.app import app
from certify.cli.common import console, run_guarded
from certify.store.certification import certify_cycle
from certify.store.cycles import open_cycle
from certify.store.engine import make_engine, transaction
from certify.store.migrate import upgrade
from certify.store.models import AdminUnit, Cycle
from certify.store.recognition import recognise
from certify.store.submissions import ValueInput, ensure_submission, find_submission, set_values, transition
from certify.store.unit_sources import read_sources
from certify.store.units import get_unit, load_units
from reports.decision import Signed, render_decision
from reports.from_store import StoredCycle, read_cycle
from reports.inputs import load_folder
from reports.province import score_dti, summarise
from reports.province_pdf import render_province_pdf
from reports.province_xlsx import render_province_xlsx
from tests.reports.conftest import BANNER, SAMPLES

COMMUNES = [
    "2024-xa-cai-nhum",
    "2024-xa-hoa-ninh",
    "2024-xa-my-loc",
    "2024-xa-tan-my",
    "2024-xa-tan-quoi-trung",
    "2024-xa-trung-nghia",
]
DISTRICTS = [
    "2024-huyen-binh-minh",
    "2024-huyen-long-ho",
    "2024-huyen-tam-binh",
    "2024-huyen-tra-on",
    "2024-huyen-vung-liem",
]
RECOGNISED = {"29641", "29584", "29746", "29839"}  # Cái Nhum, Hòa Ninh, Mỹ Lộc, Tân Mỹ
NUMBER, SIGNER, DATE = "2554/QĐ-UBND", "Nguyễn Thị Ánh Tuyết", dt.date(2025, 3, 15)
DTI_FW = "vinh-long-2554-province"
DTI_COHORT = SAMPLES.parent / "dti" / "vinh-long-2554-demo.csv"


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _inputs(values: dict[str, Any]) -> dict[str, ValueInput]:
    out = {}
    for code, raw in values.items():
        ev: dict[str, Any] = {}
        if isinstance(raw, dict):
            raw = dict(raw)
            ev = raw.pop("evidence", None) or {}
            raw = raw["value"] if set(raw) == {"value"} else raw
        out[code] = ValueInput(
            raw, evidence_document=ev.get("document"), evidence_date=ev.get("date"), evidence_summary=ev.get("summary")
        )
    return out


def _fill(
    engine: Engine,
    framework: str,
    files: list[str],
    recognised: set[str],
    year: int = 2024,
    codes: dict[str, str] | None = None,
) -> int:
    """A cycle with the sample units' values (`codes`: file → another unit to give them to)."""
    with transaction(engine) as s:
        cycle_id = open_cycle(s, year=year, framework=framework, actor="so-khcn").id
        cycle = s.get(Cycle, cycle_id)
        assert cycle is not None
        for name in files:
            data = yaml.safe_load((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
            code = (codes or {}).get(name, str(data["unit"]))
            sub = ensure_submission(s, cycle, get_unit(s, "pre2025", code), "van-thu")
            set_values(s, sub, "self", _inputs(data["values"]), "xa", expected_version=sub.version)
            for state in ("submitted", "under_appraisal", "appraised"):
                transition(s, sub, state, "so-khcn", expected_version=sub.version)
    with transaction(engine) as s:
        certify_cycle(s, cycle_id, "so-khcn")
        for code in sorted(recognised):
            sub = find_submission(s, cycle_id, code)
            recognise(
                s,
                sub,
                decision_number=NUMBER,
                decision_date=DATE,
                signer=SIGNER,
                actor="ubnd-tinh",
                expected_version=sub.version,
            )
        if recognised:
            sub = find_submission(s, cycle_id, sorted(recognised)[0])
            transition(s, sub, "published", "so-khcn", expected_version=sub.version)
    return cycle_id


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, int]]:
    """A SQLite database with the 2024 commune cycle (four units recognised) and district cycle (appraised only)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'certify.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as s:
        load_units(s, read_sources())
    communes = _fill(engine, "sample-2361-commune", COMMUNES, RECOGNISED)
    districts = _fill(engine, "sample-2361-district", DISTRICTS, set())
    # 2023: Tân Mỹ held Thị trấn Cái Nhum's figures (Nâng cao), so it went down a level in 2024.
    _fill(engine, "sample-2361-commune", ["2024-xa-cai-nhum"], set(), year=2023, codes={"2024-xa-cai-nhum": "29839"})
    yield url, communes, districts
    engine.dispose()


def _read(url: str, cycle_id: int) -> StoredCycle:
    engine = make_engine(url)
    try:
        with transaction(engine) as s:
            return read_cycle(s, cycle_id)
    finally:
        engine.dispose()


def test_stored_cycle_evaluates_like_the_files(store: tuple[str, int, int]) -> None:
    url, communes, _ = store
    stored = _read(url, communes)
    assert stored.province == "Vĩnh Long" and stored.cycle.year == 2024
    from_files = {e.unit.assessment.unit: e.level for e in load_folder(SAMPLES) if e.unit.assessment.year == 2024}
    assert {e.unit.assessment.unit: e.level for e in stored.evaluations} == {
        code: from_files[code] for code in stored.units
    }
    assert all(u.certified_level == from_files[code] for code, u in stored.units.items())
    # District from the stored parent (pre-2025 map), not from the name («Thị trấn Cái Nhum» says none).
    assert stored.units["29641"].name == "Thị trấn Cái Nhum" and stored.units["29641"].district == "Huyện Mang Thít"
    assert stored.units["29839"].district == "Huyện Trà Ôn"
    assert {e.unit.assessment.unit for e in stored.recognised()} == RECOGNISED


def test_province_pdf_and_xlsx_from_cycle(store: tuple[str, int, int]) -> None:
    url, communes, _ = store
    stored = _read(url, communes)
    assert [(e.unit.assessment.unit, e.unit.assessment.year) for e in stored.previous] == [("29839", 2023)]
    s = summarise(
        stored.evaluations + stored.previous, stored.cycle.year, districts=stored.districts, province=stored.province
    )
    assert s.previous_year == 2023
    assert s.tiers[0].changes == [{"name": "Xã Tân Mỹ", "before": "Nâng cao", "after": "Cơ bản", "delta": -1}]
    pdf = pypdf.PdfReader(io.BytesIO(render_province_pdf(s)))
    text = _flat(" ".join(p.extract_text() for p in pdf.pages))
    assert "Báo cáo tổng hợp mức độ chuyển đổi số tỉnh Vĩnh Long năm 2024" in text
    for name in ("Thị trấn Cái Nhum", "Xã Tân Quới Trung", "Xã Trung Nghĩa", "Huyện Mang Thít", "Huyện Vũng Liêm"):
        assert name in text
    assert BANNER in text
    wb = openpyxl.load_workbook(io.BytesIO(render_province_xlsx(s)))
    rows = {r[0]: r for r in wb["Đơn vị cấp xã"].iter_rows(min_row=5, values_only=True)}
    assert rows["29839"][1:4] == ("Xã Tân Mỹ", "Huyện Trà Ôn", "Cơ bản")
    assert rows["29641"][2] == "Huyện Mang Thít"
    counts: dict[str, int] = {}
    for r in wb["Mức độ cấp xã"].iter_rows(min_row=5, values_only=True):
        if r[0] is None:
            break
        counts[str(r[0])] = int(str(r[1]))
    assert sum(counts.values()) == len(COMMUNES) and counts["Cơ bản"] >= 1


def test_decision_from_recognised_units(store: tuple[str, int, int]) -> None:
    url, communes, _ = store
    stored = _read(url, communes)
    chosen = stored.for_decision()
    decision = stored.decision(chosen)
    assert decision is not None and decision.number == NUMBER
    out = render_decision(
        chosen,
        stored.province,
        districts=stored.districts,
        signed=Signed(decision.number, decision.date, decision.signer),
    )
    d = docx.Document(io.BytesIO(out))
    head = d.tables[0].rows[0].cells
    assert f"Số: {NUMBER}" in head[0].text and "TỈNH VĨNH LONG" in head[0].text
    assert "Vĩnh Long, ngày 15 tháng 03 năm 2025" in head[1].text
    assert SIGNER in "\n".join(c.text for c in d.tables[1].rows[0].cells)
    annex = d.tables[2]
    rows = {row.cells[2].text: row.cells for row in annex.rows[1:]}
    levelled = {e.unit.assessment.unit for e in chosen if e.level is not None}
    assert set(rows) == levelled and levelled <= RECOGNISED and "29839" in levelled
    assert rows["29839"][1].text == "Xã Tân Mỹ" and rows["29839"][4].text == "Huyện Trà Ôn"
    assert rows["29839"][5].text == "Cơ bản"
    body = "\n".join(p.text for p in d.paragraphs)
    assert f"Kèm theo Quyết định số {NUMBER} ngày 15/03/2025" in body


def test_decision_placeholders_before_recognition(store: tuple[str, int, int]) -> None:
    url, _, districts = store
    stored = _read(url, districts)
    chosen = stored.for_decision()
    held = {e.unit.assessment.unit for e in stored.evaluations if e.level is not None}
    assert not stored.recognised() and stored.decision(chosen) is None
    # a district at «Chưa đạt mức nào» is never offered for recognition (certify.store.recognition)
    assert {e.unit.assessment.unit for e in chosen} == held and len(held) == len(DISTRICTS) - 1
    d = docx.Document(io.BytesIO(render_decision(chosen, stored.province, districts=stored.districts)))
    assert "Số: …/QĐ-UBND" in d.tables[0].rows[0].cells[0].text
    names = [row.cells[1].text for row in d.tables[2].rows[1:]]
    assert "Huyện Long Hồ" in names and "Thị xã Bình Minh" in names
    assert all(row.cells[1].text == row.cells[4].text for row in d.tables[2].rows[1:])  # a district is its own


def _tied_cohort(tmp: Path) -> Path:
    """The sample cohort plus a copy of Trà Vinh under another code: the two share rank 1, the next is 3."""
    with DTI_COHORT.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    twin = next(r for r in rows if r[0] == "tra-vinh")
    out = tmp / "cohort.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([*rows, ["tra-vinh-2", "Tỉnh Trà Vinh (bản sao)", *twin[2:]]])
    return out


def test_dti_table_shared_ranks(tmp_path: Path, store: tuple[str, int, int]) -> None:
    dti = score_dti(_tied_cohort(tmp_path), DTI_FW)
    ranks = [(r.unit, r.rank) for r in dti.rows]
    assert ranks[:3] == [("tra-vinh", 1), ("tra-vinh-2", 1), ("ben-tre", 3)]
    url, communes, _ = store
    stored = _read(url, communes)
    s = summarise(stored.evaluations, dti=dti, districts=stored.districts, province=stored.province)
    wb = openpyxl.load_workbook(io.BytesIO(render_province_xlsx(s)))
    table = [r for r in wb["DTI"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert [(r[2], r[1]) for r in table[:3]] == ranks[:3]
    assert table[0][3] == "Tỉnh Trà Vinh" and "Tỉnh Đồng Tháp" in {r[3] for r in table}
    assert DTI_FW in (wb["DTI"]["A3"].value or "")
    text = _flat(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render_province_pdf(s))).pages))
    assert "Xếp hạng DTI" in text and "Tỉnh Trà Vinh (bản sao)" in text and "Thành phố Cần Thơ" in text


def run(*args: str) -> int:
    return run_guarded(app, console, list(args))


def test_cli_reads_the_cycle(tmp_path: Path, store: tuple[str, int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    url, communes, districts = store
    monkeypatch.setenv("CERTIFY_DATABASE_URL", url)
    pdf, xlsx, decision = tmp_path / "p.pdf", tmp_path / "p.xlsx", tmp_path / "d.docx"
    assert (
        run(
            "report",
            "province",
            "--cycle",
            str(communes),
            "-o",
            str(xlsx),
            "--dti",
            str(DTI_COHORT),
            "--dti-framework",
            DTI_FW,
        )
        == 0
    )
    assert run("report", "province", "--cycle", str(districts), "-o", str(pdf)) == 0
    assert "Huyện Long Hồ" in _flat(" ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages))
    wb = openpyxl.load_workbook(xlsx)
    assert [r[1] for r in wb["DTI"].iter_rows(min_row=5, values_only=True) if r[0]] == [1, 2, 3, 4, 5, 6]
    assert run("report", "decision", "--cycle", str(communes), "-o", str(decision)) == 0
    assert f"Số: {NUMBER}" in docx.Document(str(decision)).tables[0].rows[0].cells[0].text
    gap = tmp_path / "g.md"
    assert run("report", "gap", "--cycle", str(communes), "--unit", "29839", "--format", "md", "-o", str(gap)) == 0
    assert "Xã Tân Mỹ" in gap.read_text(encoding="utf-8")
    # Wrong uses: both sources, neither, an unknown cycle, a unit not in the cycle, --dti alone.
    assert run("report", "province", "--cycle", str(communes), "--assessments", str(SAMPLES), "-o", str(pdf)) == 2
    assert run("report", "decision", "-o", str(decision)) == 2
    assert run("report", "province", "--cycle", "999", "-o", str(pdf)) == 2
    assert run("report", "gap", "--cycle", str(communes), "--unit", "00000", "-o", str(gap)) == 2
    assert run("report", "province", "--cycle", str(communes), "--dti", str(DTI_COHORT), "-o", str(pdf)) == 2
    assert run("report", "decision", "--cycle", str(communes), "--year", "2023", "-o", str(decision)) == 2


def test_unit_names_stored_with_diacritics(store: tuple[str, int, int]) -> None:
    url, communes, _ = store
    engine = make_engine(url)
    with transaction(engine) as s:
        unit = s.get(AdminUnit, find_submission(s, communes, "29662").unit_id)
        assert unit is not None and unit.name == "Xã Tân Quới Trung"
    engine.dispose()

"""The recognition decision draft cites the law from the frameworks' own source data, never a sample set, and for
the communes formed on 1/7/2025 the framework the province adopted for them."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from certify.catalog import Catalog, bundled_root
from certify.levels.evaluate import Evaluation, evaluate
from certify.levels.intake import load_unit
from reports.decision import citations, render_decision
from reports.inputs import load_folder

SAMPLES = bundled_root("samples") / "assessments"
FULL_2361 = (
    "Căn cứ Quyết định số 2361/QĐ-BTTTT ngày 31/12/2024 của Bộ Thông tin và Truyền thông ban hành Khung tiêu chí "
    "và phương pháp đánh giá, xét công nhận mức độ chuyển đổi số cấp huyện và cấp xã (phiên bản 1.0);"
)
PROVINCE = """\
kind: levels
id: vinh-long-xa-2025
version: "1.0"
extends: sample-2361-commune
title: Bộ tiêu chí đánh giá mức độ chuyển đổi số cấp xã áp dụng cho các xã, phường sau sắp xếp
tier: commune
status: localized
source:
  issuer: Ủy ban nhân dân tỉnh Vĩnh Long
  decision: 1234/QĐ-UBND
  date: 2025-08-15
  title: Quyết định ban hành Bộ tiêu chí đánh giá mức độ chuyển đổi số cấp xã sau sắp xếp
  status: verified
"""


def _bases(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.startswith("Căn cứ")]


@pytest.fixture(scope="module")
def evaluations() -> list[Evaluation]:
    return load_folder(SAMPLES, Catalog([bundled_root("frameworks")]))


def test_2361_is_cited_with_its_title_date_and_issuer(evaluations: list[Evaluation]) -> None:
    chosen = [e for e in evaluations if e.unit.assessment.year == 2024]
    bases = _bases(render_decision(chosen))
    assert FULL_2361 in bases
    assert not any("mẫu" in b or "sample" in b for b in bases)  # the sample set is no legal basis
    assert not any("Bộ tiêu chí đánh giá mức độ chuyển đổi số (cấp" in b for b in bases)  # the old made-up title
    annex = docx.Document(io.BytesIO(render_decision(chosen))).tables[2]
    assert annex.rows[1].cells[6].text == "sample-2361-commune@1.0 — bộ mẫu, khung QĐ 2361/QĐ-BTTTT"


def test_new_communes_without_a_province_framework_get_a_placeholder(evaluations: list[Evaluation]) -> None:
    chosen = [e for e in evaluations if e.unit.assessment.year == 2025]
    d = docx.Document(io.BytesIO(render_decision(chosen)))
    bases = [p for p in d.paragraphs if p.text.startswith("Căn cứ")]
    adoption = next(p for p in bases if "hình thành từ ngày 01/7/2025" in p.text)
    assert "sample-2361-commune@1.0" in adoption.text
    assert any(r.font.highlight_color is not None for r in adoption.runs)  # a blank for the official


def test_new_communes_cite_the_framework_the_province_adopted(tmp_path: Path) -> None:
    folder = tmp_path / "frameworks" / "vinh-long-xa-2025"
    folder.mkdir(parents=True)
    (folder / "1.0.yaml").write_text(PROVINCE, encoding="utf-8")
    catalog = Catalog([tmp_path / "frameworks", bundled_root("frameworks")])
    assessment = tmp_path / "2025-xa-long-ho.yaml"
    text = (SAMPLES / "2025-xa-long-ho.yaml").read_text(encoding="utf-8")
    assessment.write_text(text.replace("framework: sample-2361-commune", "framework: vinh-long-xa-2025"))
    resolved, bound = load_unit(assessment, catalog)
    ev = evaluate(resolved, bound)
    assert [c.decision for c in citations(ev)] == ["2361/QĐ-BTTTT", "1234/QĐ-UBND"]  # national first
    bases = _bases(render_decision([ev]))
    assert bases[1] == FULL_2361
    assert bases[2] == (
        "Căn cứ Quyết định số 1234/QĐ-UBND ngày 15/08/2025 của Ủy ban nhân dân tỉnh Vĩnh Long ban hành Bộ tiêu chí "
        "đánh giá mức độ chuyển đổi số cấp xã sau sắp xếp;"
    )
    assert not any("hình thành từ ngày 01/7/2025" in b for b in bases)  # adopted: no blank to fill
    annex = docx.Document(io.BytesIO(render_decision([ev]))).tables[2]
    assert ev.level == "toan-dien"  # recognised, so listed in the annex with its framework
    assert annex.rows[1].cells[6].text == "QĐ 1234/QĐ-UBND (vinh-long-xa-2025@1.0)"


def test_a_missing_date_is_a_blank_to_fill(tmp_path: Path) -> None:
    folder = tmp_path / "frameworks" / "vinh-long-xa-2025"
    folder.mkdir(parents=True)
    (folder / "1.0.yaml").write_text(PROVINCE.replace("  date: 2025-08-15\n", ""), encoding="utf-8")
    catalog = Catalog([tmp_path / "frameworks", bundled_root("frameworks")])
    assessment = tmp_path / "a.yaml"
    text = (SAMPLES / "2025-xa-long-ho.yaml").read_text(encoding="utf-8")
    assessment.write_text(text.replace("framework: sample-2361-commune", "framework: vinh-long-xa-2025"))
    d = docx.Document(io.BytesIO(render_decision([evaluate(*load_unit(assessment, catalog))])))
    own = next(p for p in d.paragraphs if "1234/QĐ-UBND" in p.text)
    assert "[ngày … tháng … năm …]" in own.text
    assert any(r.font.highlight_color is not None and "ngày" in r.text for r in own.runs)

"""The province summary compares like with like across the 1/7/2025 merger, in one colour per level, with
charts only where they show a difference."""

from __future__ import annotations

import io
import re

import openpyxl
import pypdf

from certify.catalog import Catalog
from certify.labels import level_colour
from reports.charts.province import blockers_svg, levels_by_district_svg
from reports.inputs import load_folder
from reports.merger import package_formers
from reports.province import summarise
from reports.province_pdf import render_province_pdf
from reports.province_xlsx import render_province_xlsx
from tests.reports.conftest import SAMPLES
from tests.reports.test_plan_documents import nfc


def test_2025_compares_its_3_communes_with_their_former_communes_of_2024(report_catalog: Catalog) -> None:
    s = summarise(load_folder(SAMPLES, report_catalog), 2025)
    (t,) = s.tiers
    assert len(t.units) == 3 and s.previous_year == 2024
    # Xã Trà Côn (29836) was formed from Tân Mỹ (29839, assessed in 2024) and others that were not assessed;
    # Long Hồ and Quới Thiện have no former commune among the 2024 files: not compared, and said so.
    assert "29839" in package_formers()["29836"]
    assert sum(t.previous.values()) == 1 and t.previous["Cơ bản"] == 1 and t.previous_missing == 2  # type: ignore[union-attr]
    assert t.changes == [
        {
            "name": "Xã Trà Côn, tỉnh Vĩnh Long (xã sau sắp xếp, từ 01/7/2025)",
            "before": "Cơ bản (đơn vị cũ: Xã Tân Mỹ)",
            "after": "Kết nối",
            "delta": -1,
        }
    ]
    text = nfc(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render_province_pdf(s))).pages))
    assert "Năm 2024 (cùng đơn vị)" in text and "Không có kết quả năm 2024 để so sánh" in text
    assert "mức năm trước của một đơn vị mới là mức thấp nhất trong các đơn vị cũ hợp thành" in text
    assert "1/3 đơn vị có kết quả năm trước để so sánh" in text
    wb = openpyxl.load_workbook(io.BytesIO(render_province_xlsx(s)))
    cells = [c for row in wb["Mức độ cấp xã"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Năm 2024 (cùng đơn vị)" in cells and any(c.startswith("Năm 2024 quy về 3 đơn vị cấp xã") for c in cells)


def test_same_map_years_compare_the_same_units_only(report_catalog: Catalog) -> None:
    evs = [e for e in load_folder(SAMPLES, report_catalog) if e.unit.assessment.tier.value == "commune"]
    moved = [e.unit.assessment.model_copy(update={"year": 2023}) for e in evs if e.unit.assessment.year == 2024][:2]
    from certify.levels.assessment import bind
    from certify.levels.evaluate import evaluate_many

    resolved = evs[0].compiled.resolved
    earlier = evaluate_many(resolved, [bind(resolved.framework, a, name="x") for a in moved])  # type: ignore[arg-type]
    s = summarise([*[e for e in evs if e.unit.assessment.year == 2024], *earlier], 2024)
    (t,) = s.tiers
    assert sum(t.previous.values()) == 2 and t.previous_missing == 4  # type: ignore[union-attr]
    assert t.previous_basis == "So sánh cùng đơn vị: 2/6 đơn vị cấp xã năm nay có kết quả năm 2023."


def test_level_colours_are_the_palette_and_charts_need_a_difference(report_catalog: Catalog) -> None:
    s = summarise(load_folder(SAMPLES, report_catalog), 2024)
    districts = next(t for t in s.tiers if t.tier == "district")
    # every district is one unit: a chart would be six bars of 1
    assert levels_by_district_svg(districts) is None
    communes = next(t for t in s.tiers if t.tier == "commune")
    ids = ["khoi-dong", "ket-noi", "co-ban", "nang-cao", "toan-dien"]
    assert communes.colours == [*(level_colour(ids, lv).background for lv in ids), level_colour(ids, None).background]
    svg = blockers_svg(districts)
    assert svg is not None and len({b["count"] for b in districts.blockers}) > 1
    flat = blockers_svg(
        type(districts)(**{**districts.__dict__, "blockers": [dict(b, count=1) for b in districts.blockers]})
    )
    assert flat is None  # every bar would be 1: no chart
    pdf = render_province_pdf(summarise(load_folder(SAMPLES, report_catalog), 2025))
    text = nfc(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    assert "Mỗi tiêu chí chặn số đơn vị như nhau: bảng trên đủ, không vẽ biểu đồ." in text
    assert re.search(r"Huyện / khu vực", text)

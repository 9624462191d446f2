"""The gap report as a planning sheet: gaps grouped by agency and sortable, labelled bars, names every year."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import openpyxl

from certify.formats import gap_formats
from certify.levels.gap import GapReport
from tests.api.live_server import needs_chromium


def test_html_gap_table_is_grouped_by_agency_with_labelled_bars(tan_my: GapReport) -> None:
    html = gap_formats()["html"].render(tan_my)
    assert isinstance(html, str)
    table = html[html.index('<table class="gaps sortable">') : html.index("</table>", html.index("gaps sortable"))]
    groups = re.findall(r'<th colspan="8" scope="rowgroup">Cơ quan chủ trì: ([^<]+) — ([0-9]+) tiêu chí</th>', table)
    assert sum(int(n) for _, n in groups) == 26
    assert len({g for g, _ in groups}) == len(groups)  # one group per agency
    assert table.count("<tbody>") == len(groups)
    # every bar is a <meter> (no inline style) labelled with the value and the target
    assert table.count("<meter ") == 26
    assert '<span class="pct">88,4% / ≥ 100%</span>' in table
    assert 'data-sort="num"><button type="button">Thời hạn</button>' in table
    assert " onclick" not in html and "javascript:" not in html


@needs_chromium
def test_html_table_sorts_in_chromium_within_each_agency(tan_my: GapReport, chromium: Any, tmp_path: Path) -> None:
    path = tmp_path / "gap.html"
    rendered = gap_formats()["html"].render(tan_my)
    assert isinstance(rendered, str)
    path.write_text(rendered, encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    page.goto(path.as_uri())
    body = page.locator("table.gaps tbody").nth(1)  # Văn phòng HĐND và UBND xã: 9 tasks
    before = body.locator("tr:not(.group) td:nth-child(2)").all_inner_texts()
    page.get_by_role("button", name="Khoảng cách").click()
    header = page.locator("table.gaps thead th").nth(5)
    assert header.get_attribute("aria-sort") == "ascending"
    after = body.locator("tr:not(.group) td:nth-child(2)").all_inner_texts()
    assert sorted(after) == sorted(before) and after != before  # same tasks, same group, new order
    # the gap column sorts by the share of the way still to go (1 − progress), smallest first
    keys = [
        float(v or 0)
        for v in body.locator("tr:not(.group) td:nth-child(6)").evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-value'))"
        )
    ]
    assert keys == sorted(keys)
    page.get_by_role("button", name="Khoảng cách").click()
    assert header.get_attribute("aria-sort") == "descending"
    page.close()


def test_docx_and_xlsx_carry_the_groups_quarters_and_signature(tan_my: GapReport) -> None:
    d = docx.Document(io.BytesIO(gap_formats()["docx"].render(tan_my)))  # type: ignore[arg-type]
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert any(c.startswith("Cơ quan chủ trì: Bộ phận Một cửa UBND xã — 5 tiêu chí") for c in cells)
    assert "Quý III/2025" in cells and "88%: 88,4% / ≥ 100%" in cells
    assert any("THỦ TRƯỞNG ĐƠN VỊ" in c and "ngày …… tháng …… năm ……" in c for c in cells)
    wb = openpyxl.load_workbook(io.BytesIO(gap_formats()["xlsx"].render(tan_my)))  # type: ignore[arg-type]
    road = list(wb["Lộ trình"].iter_rows(min_row=5, values_only=True))
    assert all(row[5] for row in road)  # a name on every roadmap row
    assert {row[0] for row in road} == {2025}
    assert wb["Khoảng cách"].auto_filter.ref == "A4:R30"


def test_markdown_names_every_roadmap_year(tan_my_top: GapReport) -> None:
    md = gap_formats()["md"].render(tan_my_top)
    assert isinstance(md, str)
    years = re.findall(r"^### Năm (20[0-9]{2})", md, flags=re.M)
    assert years == ["2025", "2026", "2027", "2028", "2029", "2030"]
    assert "**XHS-07** Tỷ lệ người dân có hồ sơ sức khỏe điện tử (mức Toàn diện)" in md
    assert "### Cơ quan chủ trì: Bộ phận Một cửa UBND xã — 5 tiêu chí" in md

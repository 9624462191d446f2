"""The dashboard's DTI ranking as a table a person sorts and pages through, its CSV/XLSX downloads holding exactly
the rows shown, and the units per level year on year in the level colours; drafts only for the province, labelled."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
from urllib.parse import parse_qsl

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from certify.labels import LEVEL_COLOURS, NO_LEVEL_COLOUR
from tests.api.store_fixtures import login

BASE = "/dashboard?year=2025&tier=commune"


def _params(url: str) -> dict[str, str]:
    return dict(parse_qsl(html_lib.unescape(url).split("?")[-1]))


def _shown(html: str) -> list[str]:
    return re.findall(r'<tr data-unit="([^"]+)"', html.split('id="dti-ranking"')[1].split("</table>")[0])


def test_sort_by_any_column_either_way(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    up = sclient.get("/dashboard.json?year=2025&sort=value&order=asc&per=200").json()["dti"]
    values = [r["value"] for r in up["rows"]]
    assert len(values) == 124 and values == sorted(values)
    html = sclient.get(f"{BASE}&sort=value&order=asc&per=200").text
    assert _shown(html) == [r["unit"] for r in up["rows"]]
    assert 'aria-sort="ascending"><a href="/dashboard?' in html
    # the column's link turns the order round; another column starts from its own way (levels from the top)
    assert re.search(r'id="sort-value"[^>]*>Giá trị DTI <span aria-hidden="true">▲', html)
    link = re.search(r'<a href="([^"]+)" id="sort-value"', html)
    assert link and _params(link.group(1)) == {
        "year": "2025",
        "tier": "commune",
        "sort": "value",
        "order": "desc",
        "per": "200",
    }
    other = re.search(r'<a href="([^"]+)" id="sort-level"', html)
    assert other and "order" not in _params(other.group(1)) and _params(other.group(1))["sort"] == "level"
    down = sclient.get("/dashboard.json?year=2025&sort=change&per=200").json()["dti"]
    changes = [r["change"] for r in down["rows"]]
    known = [c for c in changes if c is not None]
    assert down["order"] == "desc" and known == sorted(known, reverse=True)
    assert changes[len(known) :] == [None] * (len(changes) - len(known))  # no figure: last, either way
    changes_up = [
        r["change"]
        for r in sclient.get("/dashboard.json?year=2025&sort=change&order=asc&per=200").json()["dti"]["rows"]
    ]
    assert changes_up[-1] is None and changes_up[0] == min(known)
    names = [r["name"] for r in sclient.get("/dashboard.json?year=2025&sort=name&per=200").json()["dti"]["rows"]]
    assert (
        names.index("Phường Bến Tre")
        < names.index("Phường Duyên Hải")
        < names.index("Phường Đông Thành")
        < names.index("Phường Hòa Thuận")
        < names.index("Xã An Bình")
    )


def test_pages_through_the_ranking(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    first = sclient.get(f"{BASE}&per=25").text
    assert "Đơn vị 1–25 trong 124 — trang 1/5" in first and 'id="page-prev"' not in first
    assert len(_shown(first)) == 25 and 'id="page-next"' in first
    second = sclient.get(f"{BASE}&per=25&page=2")
    assert "Đơn vị 26–50 trong 124 — trang 2/5" in second.text and len(_shown(second.text)) == 25
    assert set(_shown(first)).isdisjoint(_shown(second.text))
    last = sclient.get(f"{BASE}&per=25&page=99").text  # past the end: the last page
    assert "Đơn vị 101–124 trong 124 — trang 5/5" in last and len(_shown(last)) == 24
    assert sclient.get(f"{BASE}&per=0").status_code == 422 and sclient.get(f"{BASE}&per=500").status_code == 422
    assert sclient.get(f"{BASE}&sort=secret").status_code == 422


def test_downloads_hold_exactly_the_rows_shown(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    query = "year=2025&tier=commune&district=Huyện Long Hồ&sort=points&order=asc&per=10&page=1"
    html = sclient.get(f"/dashboard?{query}").text
    shown = _shown(html)
    assert 0 < len(shown) <= 10
    link = re.search(r'id="download-csv" href="/dashboard/ranking.csv\?([^"]+)"', html)
    assert link and _params(link.group(1)) == _params(query)
    r = sclient.get(f"/dashboard/ranking.csv?{query}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:7] == ["Hạng", "Mã đơn vị", "Đơn vị", "Huyện (trước 01/7/2025)", "Mức", "Điểm", "Giá trị DTI"]
    assert [row[1] for row in rows[1:]] == shown
    for row in rows[1:]:  # the figure the page shows, with the decimal point of a file
        cell = re.search(rf'<tr data-unit="{row[1]}">.*?data-label="Giá trị DTI">([^<]+)<', html, re.S)
        assert cell, row
        assert cell.group(1) == row[6].replace(".", ",") and "Huyện Long Hồ" in row[3]
    book = load_workbook(io.BytesIO(sclient.get(f"/dashboard/ranking.xlsx?{query}").content))
    sheet = book.active
    assert sheet is not None
    lines = [str(c[0]) for c in sheet.iter_rows(values_only=True) if c[0] is not None]
    assert "Bộ lọc: huyện «Huyện Long Hồ», mức «Tất cả»" in lines
    assert f"Đơn vị 1–{len(shown)} trong {len(shown)}; sắp xếp theo «Điểm», tăng dần" in lines
    assert any(line.startswith("⚠ Bộ chỉ số chưa đầy đủ") for line in lines)  # the framework's warning too
    header = next(i for i, c in enumerate(sheet.iter_rows(values_only=True)) if c[0] == "Hạng")
    codes = [c[1] for c in sheet.iter_rows(min_row=header + 2, values_only=True)]
    assert codes == shown
    english = sclient.get(f"/dashboard/ranking.csv?{query}&lang=en").content.decode("utf-8-sig")
    assert english.startswith("Rank,Unit code,Unit,District (before 1 July 2025),Level,Points,DTI value")


def test_levels_year_on_year_in_the_level_colours(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    data = sclient.get("/dashboard.json?year=2025").json()
    years = {y["year"]: y for y in data["trend"]["years"]}
    assert set(years) == {2024, 2025}
    assert sum(c["units"] for c in years[2025]["by_level"]) == len(data["units"]) == years[2025]["units"]
    before = sclient.get("/dashboard.json?year=2024").json()
    assert years[2024]["units"] == len(before["units"])
    html = sclient.get("/dashboard?year=2025").text
    trend = html.split('id="trend"')[1].split("</section>")[0]
    assert "Số đơn vị theo mức qua các năm" in trend and 'class="barchart trend"' in trend
    assert '<tr data-year="2024"><th scope="row">2024</th>' in trend
    colours = set(re.findall(r'fill="(#[0-9a-f]{6})"', trend))
    assert colours <= {c.background for c in LEVEL_COLOURS} | {NO_LEVEL_COLOUR.background, "#fff"}
    assert "gồm hồ sơ chưa công bố" in trend  # the province's view counts drafts, and says so


def test_drafts_only_for_the_province_and_labelled(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    html = sclient.get("/dashboard?year=2025").text
    units = html.split('id="units"')[1]
    assert re.search(r'data-state="draft">bản nháp</span>\s*<span class="tag draft-tag">chưa công bố</span>', units)
    assert not re.search(r'data-state="published">[^<]*</span>\s*<span class="tag draft-tag">', units)
    login(sclient, None)
    public = sclient.get("/dashboard").text
    assert "gồm hồ sơ chưa công bố" not in public and "draft-tag" not in public
    assert "Chỉ hiển thị kết quả đã công bố." in public
    data = sclient.get("/dashboard.json").json()
    assert all(y["units"] == sum(c["units"] for c in y["by_level"]) for y in data["trend"]["years"])
    published = sum(y["units"] for y in data["trend"]["years"] if y["year"] == data["year"])
    assert published == len(data["units"]) and all(u["state"] == "published" for u in data["units"])

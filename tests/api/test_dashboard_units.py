"""The dashboard's list of the cycle's units with a province's 124 communes: sorted by a click on a column's
header (either way), filtered by state, 50 to a page with «Trước / Sau», the sort and filter kept from page to
page; the JSON twin holds the same rows in the same order; a wrong parameter leaves the page at the list's first
page with a message and is refused by the twin."""

from __future__ import annotations

import html as html_lib
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.many_units import add_units
from tests.api.store_fixtures import login, make_app

YEAR = "/dashboard?year=2025"
LEVELS = ["khoi-dong", "ket-noi", "co-ban", "nang-cao", "toan-dien"]  # sample-2361-commune, lowest first


@pytest.fixture(scope="module")
def province(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The appraiser on a copy of the demo with every commune of the province in 2025 (nothing here changes it)."""
    db = tmp_path_factory.mktemp("province") / "certify.sqlite"
    shutil.copy(template_db, db)
    add_units(db, 121)
    with TestClient(make_app(db)) as client:
        login(client, "appraiser")
        yield client


def _list(html: str) -> str:
    return html.split('id="unit-list"')[1].split("</section>")[0]


def _rows(html: str) -> list[tuple[str, str, str, str]]:
    """(code, name, state, level) of each row of the unit list, as shown."""
    table = _list(html).split('id="units"')[1].split("</table>")[0]
    found = re.findall(
        r'<tr data-code="([^"]+)">.*?<a href="[^"]+">([^<]+)</a>.*?data-state="([^"]+)".*?data-label="Mức">(.*?)</td>',
        table,
        re.S,
    )
    out = []
    for code, name, state, cell in found:
        level = re.search(r'data-level="([^"]*)"', cell)
        out.append((code, html_lib.unescape(name), state, level.group(1) if level else "not-assessed"))
    return out


def _link(html: str, link_id: str) -> str:
    found = re.search(rf'<a href="([^"]+)" id="{link_id}"', html) or re.search(
        rf'<a class="[^"]*" id="{link_id}" href="([^"]+)"', html
    )
    assert found, f"no link #{link_id}"
    return html_lib.unescape(found.group(1))


def _count_line(html: str) -> str:
    found = re.search(r'<p id="units-count">(.*?)</p>', html, re.S)
    assert found
    return html_lib.unescape(found.group(1))


def _vietnamese(name: str) -> str:
    base = unicodedata.normalize("NFD", name.replace("Đ", "D~").replace("đ", "d~"))
    return "".join(ch for ch in base if not unicodedata.combining(ch)).casefold()


def test_a_click_on_a_header_sorts_the_units_and_a_second_click_turns_the_order_round(province: TestClient) -> None:
    page = province.get(YEAR).text
    assert _count_line(page) == "Hiển thị 1–50 / 124 đơn vị — trang 1/3"
    codes = [int(r[0]) for r in _rows(page)]
    assert len(codes) == 50 and codes == sorted(codes)  # by code to start with
    assert re.search(r'<th scope="col" aria-sort="ascending"><a [^>]*id="units-sort-code"', page)

    by_name = province.get(_link(page, "units-sort-name")).text
    names = [r[1] for r in _rows(by_name)]
    assert names == sorted(names, key=_vietnamese) and len(names) == 50
    assert re.search(r'<th scope="col" aria-sort="ascending"><a [^>]*id="units-sort-name"', by_name)
    assert by_name.count("aria-sort=") - by_name.split('id="unit-list"')[0].count("aria-sort=") == 1
    assert "sắp xếp theo «Đơn vị», tăng dần</caption>" in by_name

    backwards = province.get(_link(by_name, "units-sort-name")).text
    names_down = [r[1] for r in _rows(backwards)]
    assert names_down == sorted(names_down, key=_vietnamese, reverse=True)
    assert re.search(r'<th scope="col" aria-sort="descending"><a [^>]*id="units-sort-name"', backwards)
    assert set(names_down).isdisjoint(names[:24])  # the other end of the list, not the same page turned round


def test_levels_sort_in_the_frameworks_order_with_units_not_assessed_last(province: TestClient) -> None:
    every = province.get("/dashboard.json?year=2025&units_sort=level&units_order=asc").json()
    shown = []
    for n in (1, 2, 3):
        html = province.get(f"{YEAR}&units_sort=level&units_order=asc&units_page={n}").text
        shown += [r[3] for r in _rows(html)]
    assert len(shown) == 124
    assessed = [lv for lv in shown if lv != "not-assessed"]
    rank = [0 if lv == "" else LEVELS.index(lv) + 1 for lv in assessed]  # «no level yet» below Khởi động
    assert rank == sorted(rank) and set(rank) >= {0, 3, 5}
    assert shown[len(assessed) :] == ["not-assessed"] * (124 - len(assessed)) and len(assessed) < 124
    assert [u["level"] or "" for u in every["units"]] == [lv for lv in shown[:50] if lv != "not-assessed"]
    # from the top: the highest level first, still those not assessed at the end
    top = province.get(f"{YEAR}&units_sort=level").text
    assert _rows(top)[0][3] == "toan-dien" and 'aria-sort="descending"><a' in _list(top)
    last = province.get(f"{YEAR}&units_sort=level&units_page=3").text
    assert _rows(last)[-1][3] == "not-assessed"
    assert "chưa đánh giá" in _list(last)


def test_the_state_filter_keeps_the_sort_and_the_pages_keep_both(province: TestClient) -> None:
    by_name = province.get(f"{YEAR}&units_sort=name&units_order=desc").text
    form = _list(by_name).split('id="units-filters"')[1].split("</form>")[0]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    assert hidden == {"year": "2025", "units_sort": "name", "units_order": "desc"}
    options = re.findall(r'<option value="([^"]*)" ?(?:selected)?>([^<]+)</option>', form)
    assert options == [
        ("", "Tất cả (124)"),
        ("draft", "bản nháp (44)"),
        ("submitted", "đã gửi (20)"),
        ("returned", "trả lại (20)"),
        ("under_appraisal", "đang thẩm định (20)"),
        ("appraised", "đã thẩm định (20)"),
    ]
    drafts = province.get("/dashboard", params=hidden | {"units_state": "draft"}).text
    assert _count_line(drafts) == "Hiển thị 1–44 / 44 đơn vị — trạng thái «bản nháp», trong 124 đơn vị"
    rows = _rows(drafts)
    assert {r[2] for r in rows} == {"draft"} and len(rows) == 44
    names = [r[1] for r in rows]
    assert names == sorted(names, key=_vietnamese, reverse=True)
    assert '<option value="draft" selected>' in drafts and 'id="units-pager"' not in drafts

    submitted = province.get("/dashboard", params=hidden | {"units_state": "submitted"}).text
    assert {r[2] for r in _rows(submitted)} == {"submitted"}

    first = province.get(f"{YEAR}&units_sort=state").text  # 124 units: three pages
    assert 'id="units-prev"' not in first
    second = province.get(_link(first, "units-next")).text
    assert _count_line(second) == "Hiển thị 51–100 / 124 đơn vị — trang 2/3"
    assert re.search(r'aria-sort="ascending"><a [^>]*id="units-sort-state"', second)
    third = province.get(_link(second, "units-next")).text
    assert _count_line(third) == "Hiển thị 101–124 / 124 đơn vị — trang 3/3" and 'id="units-next"' not in third
    back = province.get(_link(third, "units-prev")).text
    assert _rows(back) == _rows(second)
    states = [r[2] for r in _rows(first) + _rows(second) + _rows(third)]
    order = ["draft", "submitted", "returned", "under_appraisal", "appraised"]
    assert [order.index(s) for s in states] == sorted(order.index(s) for s in states)
    assert len({r[0] for r in _rows(first) + _rows(second) + _rows(third)}) == 124  # every unit once
    # the pager's links say where they lead, and keep the filter
    pager = second.split('id="units-pager"')[1].split("</nav>")[0]
    assert '‹</span> Trước<span class="sr-only">: đơn vị 1–50</span>' in pager
    assert 'Sau<span class="sr-only">: đơn vị 101–124</span>' in pager
    filtered = province.get(f"{YEAR}&units_state=draft&units_sort=name").text
    assert "units_state=draft" in _link(filtered, "units-sort-code")


def test_page_and_twin_show_the_same_rows_in_the_same_order(province: TestClient) -> None:
    for query in (
        "",
        "&units_sort=name",
        "&units_sort=name&units_order=desc&units_page=2",
        "&units_sort=level&units_page=3",
        "&units_sort=state&units_order=desc&units_state=returned",
        "&units_state=appraised&units_sort=code&units_order=desc",
        "&units_page=3",
    ):
        twin = province.get(f"/dashboard.json?year=2025{query}").json()
        page = province.get(f"{YEAR}{query}").text
        assert [r[0] for r in _rows(page)] == [u["unit"] for u in twin["units"]], query
        assert [r[2] for r in _rows(page)] == [u["state"] for u in twin["units"]], query
        paging = twin["unit_list"]["paging"]
        assert _count_line(page).startswith(f"Hiển thị {paging['first']}–{paging['last']} / {paging['total']} đơn vị")


def test_a_wrong_parameter_gives_the_first_page_with_a_message_and_the_twin_refuses_it(province: TestClient) -> None:
    first = [r[0] for r in _rows(province.get(YEAR).text)]
    for query, said in (
        ("units_sort=secret", "Không sắp xếp danh sách đơn vị theo «secret» được"),
        ("units_page=abc", "Số trang «abc» không hợp lệ"),
        ("units_page=0", "Số trang «0» không hợp lệ"),
        ("units_page=-3", "Số trang «-3» không hợp lệ"),
        ("units_page=2&units_order=sideways", "Thứ tự «sideways» không có"),
        ("units_state=lost", "Không có trạng thái «lost»"),
        ("units_page=" + "9" * 40, "không hợp lệ"),
    ):
        r = province.get(f"{YEAR}&{query}")
        assert r.status_code == 200, query
        shown = _list(r.text)
        assert 'role="alert" id="units-problems"' in shown and said in html_lib.unescape(shown), query
        assert "đang hiển thị trang đầu của danh sách" in shown
        assert [row[0] for row in _rows(r.text)] == first, query
        twin = province.get(f"/dashboard.json?year=2025&{query}")
        assert twin.status_code == 422, query
        (problem,) = twin.json()["errors"]
        assert problem["code"] == "bad-query" and problem["path"].startswith("query.units_"), query
    past = province.get(f"{YEAR}&units_page=99").text  # past the end: the last page, as the ranking does
    assert _count_line(past) == "Hiển thị 101–124 / 124 đơn vị — trang 3/3" and "units-problems" not in past
    english = province.get(f"{YEAR}&units_sort=secret&lang=en").text
    assert "The unit list cannot be sorted by &#39;secret&#39;" in english
    assert "showing the first page of the list" in english


def test_in_english(province: TestClient) -> None:
    page = province.get(f"{YEAR}&units_page=2&units_state=draft&units_sort=name&lang=en").text
    assert "Showing 1–44 of 44 units — state «draft», out of 124 units" in page
    first = province.get(f"{YEAR}&lang=en").text
    assert _count_line(first) == "Showing 1–50 of 124 units — page 1/3"
    assert 'Next<span class="sr-only">: units 51–100</span>' in first
    assert "Units of 2025, sorted by «Code», ascending</caption>" in first


def test_the_public_sees_published_units_only(template_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "certify.sqlite"
    shutil.copy(template_db, db)
    add_units(db, 60)
    with TestClient(make_app(db)) as client:
        html = client.get("/dashboard?year=2024").text
        twin = client.get("/dashboard.json?year=2024").json()
        assert {u["state"] for u in twin["units"]} == {"published"}
        assert [s["state"] for s in twin["unit_list"]["states"]] == ["published"]
        assert [r[0] for r in _rows(html)] == [u["unit"] for u in twin["units"]]
        assert client.get("/dashboard.json?year=2025").json()["units"] == []  # 2025: drafts, nothing published

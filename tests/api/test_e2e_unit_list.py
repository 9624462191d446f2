"""The dashboard's unit list with the province's 124 communes, in Chromium: a click on a header (or Enter on it)
re-sorts the list in place (HTMX swaps the list alone: the page is not reloaded, the address follows), the state
filter and «Sau» do the same; without JavaScript the same links load the page. At 1366 px the page does not scroll
sideways; at 390 px the list is a stack of cards with the sort links as buttons above it. axe-core finds nothing
serious either way. Screenshots land in $CERTIFY_SCREENSHOTS when set, for a person to look at."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.live_server import live_server, needs_chromium, open_page
from tests.api.many_units import add_units
from tests.api.site_survey import axe_violations

pytestmark = needs_chromium

LIST = "/dashboard?year=2025"


@pytest.fixture(scope="module")
def province_server(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("province-site")
    db = folder / "certify.sqlite"
    shutil.copy(template_db, db)
    add_units(db, 121)
    env = {
        "CERTIFY_DATABASE_URL": f"sqlite:///{db}",
        "CERTIFY_SECRET_KEY": "browser-tests",
        "CERTIFY_EVIDENCE_DIR": str(folder / "evidence"),
    }
    with live_server("/dashboard.json", env) as base:
        yield base


def _names(page: Any) -> list[str]:
    return [str(n) for n in page.locator("#units tbody tr td:nth-child(2) a").all_inner_texts()]


def test_sorting_filtering_and_paging_in_place_at_1366(province_server: str, chromium: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    shots = Path(os.environ.get("CERTIFY_SCREENSHOTS", tmp_path))
    page = open_page(chromium, province_server, "appraiser", 1366, height=900)
    page.goto(province_server + LIST)
    count = page.locator("#units-count")
    expect(count).to_have_text("Hiển thị 1–50 / 124 đơn vị — trang 1/3")
    page.evaluate("window.stillHere = true")  # gone if the page were loaded again

    page.click("#units-sort-name")
    expect(page.locator("#units-sort-name").locator("xpath=..")).to_have_attribute("aria-sort", "ascending")
    assert "units_sort=name" in page.url and page.evaluate("window.stillHere") is True
    first = _names(page)
    assert len(first) == 50 and first[0].startswith("Phường")

    sorter = page.locator("#units-sort-name")
    sorter.focus()
    page.keyboard.press("Enter")  # the keyboard does what the mouse does
    expect(sorter.locator("xpath=..")).to_have_attribute("aria-sort", "descending")
    expect(page.locator("#units-sort-name")).to_be_focused()  # focus stays on the header after the swap
    assert _names(page)[0].startswith("Xã") and set(_names(page)).isdisjoint(first)

    page.locator("#units-state").select_option("submitted")
    expect(count).to_have_text("Hiển thị 1–20 / 20 đơn vị — trạng thái «đã gửi», trong 124 đơn vị")
    assert set(page.locator("#units tbody .state").all_inner_texts()) == {"đã gửi"}
    assert "units_state=submitted" in page.url and "units_sort=name" in page.url

    page.locator("#units-state").select_option("")
    expect(count).to_contain_text("Hiển thị 1–50 / 124 đơn vị")
    page.click("#units-next")
    expect(count).to_have_text("Hiển thị 51–100 / 124 đơn vị — trang 2/3")
    expect(page.locator("#units-sort-name").locator("xpath=..")).to_have_attribute("aria-sort", "descending")
    assert page.evaluate("window.stillHere") is True
    expect(page.locator("#units-sort-bar")).to_be_hidden()  # the headers sort on a desktop
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert axe_violations(page) == []
    page.locator("#unit-list").screenshot(path=str(shots / "dashboard-units-1366.png"))
    page.screenshot(path=str(shots / "dashboard-1366-full.png"), full_page=True)
    page.context.close()


def test_a_stack_of_cards_on_a_phone(province_server: str, chromium: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    shots = Path(os.environ.get("CERTIFY_SCREENSHOTS", tmp_path))
    page = open_page(chromium, province_server, "appraiser", 390, height=844)
    page.goto(province_server + LIST + "&units_sort=level")
    expect(page.locator("#units-count")).to_contain_text("Hiển thị 1–50 / 124 đơn vị")
    row = page.locator("#units tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"  # a card, its cells one under another
    box = row.bounding_box()
    assert box is not None and box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#units tbody tr td").first.evaluate("c => getComputedStyle(c, '::before').content") == '"Mã: "'
    # the headers are out of sight: the same sort links stand above the cards as buttons, the keyboard reaches them
    expect(page.locator("#units thead")).to_be_hidden()
    by_name = page.locator("#units-by-name")
    expect(by_name).to_be_visible()
    by_name.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#units-by-name")).to_have_attribute("aria-current", "true")
    expect(page.locator("#units-by-name")).to_be_focused()
    expect(page.locator("#units-sort-name").locator("xpath=..")).to_have_attribute("aria-sort", "ascending")
    names = _names(page)
    assert names[0].startswith("Phường") and len(names) == 50
    assert axe_violations(page) == []
    page.locator("#unit-list").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "dashboard-units-390.png"))
    page.locator("#units-pager").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "dashboard-units-390-pager.png"))
    page.context.close()


def test_without_javascript_the_links_load_the_page(province_server: str, chromium: Any) -> None:
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.goto(province_server + "/login")
    page.fill("#username", "appraiser")
    page.fill("#password", "mat-khau-thu")
    page.click("form.login button[type=submit]")
    page.goto(province_server + LIST)
    page.click("#units-sort-state")
    expect(page.locator("#units-sort-state").locator("xpath=..")).to_have_attribute("aria-sort", "ascending")
    page.locator("#units-state").select_option("returned")
    page.click("#units-filters button[type=submit]")  # the «Lọc» button inside <noscript>
    expect(page.locator("#units-count")).to_have_text(
        "Hiển thị 1–20 / 20 đơn vị — trạng thái «trả lại», trong 124 đơn vị"
    )
    assert "units_sort=state" in page.url
    context.close()

"""The dashboard's unit list with the province's 124 communes, in Chromium: a click on a header (or Enter on it)
re-sorts the list in place (HTMX swaps the list alone: the page is not reloaded, the address follows), the state
filter and «Sau» do the same; without JavaScript the same links load the page. At 1366 px the page does not scroll
sideways; at 390 px the list is a stack of cards with the sort links as buttons above it, and so is the DTI ranking (the
buttons re-sort the ranking alone, in place or, without JavaScript, by loading the page); Tab lands on nothing out of
sight. axe-core finds nothing serious either way. Screenshots land in $CERTIFY_SCREENSHOTS when set, for a person to
look at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.live_server import needs_chromium, open_page, served_copy
from tests.api.many_units import add_units
from tests.api.site_survey import axe_violations

pytestmark = needs_chromium

LIST = "/dashboard?year=2025"


@pytest.fixture(scope="module")
def province_server(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_copy(template_db, tmp_path_factory.mktemp("province-site"), lambda db: add_units(db, 121)) as base:
        yield base


def _names(page: Any) -> list[str]:
    return [str(n) for n in page.locator("#units tbody tr td:nth-child(2) a").all_inner_texts()]


def _ranked(page: Any) -> list[str]:
    """The DTI ranking's unit names in the order shown (each cell: the name, then the unit's code in small print)."""
    return [
        str(n)
        for n in page.locator("#dti-ranking tbody tr td:nth-child(2)").evaluate_all(
            "cells => cells.map(c => c.firstChild.textContent.trim())"
        )
    ]


# Every control Tab can land on, focused in turn: those that are then still out of sight (outside the page, no size,
# hidden) — a header link moved off-screen with its table's headers, say. The skip link shows itself on focus.
UNSEEN_TAB_STOPS = """() => {
    const found = [];
    for (const e of document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')) {
        if (e.type === 'hidden' || e.disabled || e.tabIndex < 0 || !e.getClientRects().length) continue;
        e.focus();
        const r = e.getBoundingClientRect(), left = r.left + window.scrollX;
        const seen = r.width > 1 && r.height > 1 && left + r.width > 0
            && left < document.documentElement.scrollWidth && e.checkVisibility({visibilityProperty: true});
        if (!seen) found.push(e.outerHTML.slice(0, 120));
    }
    document.activeElement.blur();
    return found;
}"""


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
    expect(page.locator("#dti-sort-bar")).to_be_hidden()
    expect(page.locator("#sort-name")).to_be_visible()
    assert page.evaluate(UNSEEN_TAB_STOPS) == []
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

    page = open_page(chromium, province_server, "appraiser", width=1366, height=900, javascript=False)
    context = page.context
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


def test_the_dti_ranking_on_a_phone_sorts_with_buttons_above_its_cards(
    province_server: str, chromium: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    shots = Path(os.environ.get("CERTIFY_SCREENSHOTS", tmp_path))
    page = open_page(chromium, province_server, "appraiser", 390, height=844)
    page.goto(province_server + LIST + "&per=200")  # the whole ranking on one page: the same names in a new order
    page.evaluate("window.stillHere = true")  # gone if the page were loaded again
    # the ranking's headers are out of sight on a phone: its sort links stand above the cards as buttons instead
    expect(page.locator("#dti-ranking thead")).to_be_hidden()
    bar = page.locator("#dti-sort-bar")
    expect(bar).to_be_visible()
    assert [" ".join(t.split()) for t in bar.locator("a").all_text_contents()] == [
        "Hạng ▲ (tăng dần)",
        "Đơn vị",
        "Huyện (trước 01/7/2025)",
        "Mức",
        "Điểm",
        "Giá trị DTI",
        "Thay đổi",
    ]
    expect(page.locator("#dti-by-rank")).to_have_attribute("aria-current", "true")
    for button in bar.locator("a").all():
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    by_rank = _ranked(page)
    assert len(by_rank) == 124

    by_name = page.locator("#dti-by-name")
    by_name.focus()
    page.keyboard.press("Enter")  # the keyboard does what a tap does
    expect(page.locator("#dti-by-name")).to_have_attribute("aria-current", "true")
    expect(page.locator("#dti-by-name")).to_contain_text("(tăng dần)")
    expect(page.locator("#dti-by-rank")).not_to_have_attribute("aria-current", "true")
    expect(page.locator("#dti-by-name")).to_be_focused()  # focus stays on the button after the swap
    names = _ranked(page)
    assert names != by_rank and sorted(names) == sorted(by_rank)
    assert names[0].startswith("Phường")  # «Phường …» before «Xã …»
    assert "sort=name" in page.url and page.evaluate("window.stillHere") is True
    expect(page.locator("#sort-name").locator("xpath=..")).to_have_attribute("aria-sort", "ascending")

    page.locator("#dti-by-name").click()  # again: the other way round
    expect(page.locator("#dti-by-name")).to_contain_text("(giảm dần)")
    assert _ranked(page) == names[::-1]
    assert page.evaluate("window.stillHere") is True

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(UNSEEN_TAB_STOPS) == []  # neither list's header links are reachable out of sight
    assert axe_violations(page) == []
    page.locator("#dti").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('#dti').scrollIntoView()")
    page.screenshot(path=str(shots / "dashboard-dti-390.png"))
    page.context.close()


def test_without_javascript_the_ranking_buttons_load_the_page(province_server: str, chromium: Any) -> None:
    from playwright.sync_api import expect

    page = open_page(chromium, province_server, "appraiser", width=390, height=844, javascript=False)
    context = page.context
    page.goto(province_server + LIST + "&per=200")
    by_rank = _ranked(page)
    page.click("#dti-by-name")
    expect(page.locator("#dti-by-name")).to_have_attribute("aria-current", "true")
    assert "sort=name" in page.url
    names = _ranked(page)
    assert names != by_rank and sorted(names) == sorted(by_rank) and names[0].startswith("Phường")
    context.close()

"""End to end in a real headless Chromium (Debian's, driven by Playwright with its executable path).

The self-assessment form: type values, watch the level badge change (HTMX live update). Screenshots
of the unit page and the form land in $CERTIFY_SCREENSHOTS when set, for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.api.live_server import WAIT_MS, needs_chromium, open_page

pytestmark = needs_chromium


def test_level_badge_follows_typing(demo_server: str, chromium: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    shots = Path(os.environ.get("CERTIFY_SCREENSHOTS", tmp_path))
    server = demo_server
    page = open_page(chromium, server)
    page.goto(f"{server}/units/2024-xa-my-loc")
    expect(page.locator("#level-badge")).to_be_visible()
    page.screenshot(path=str(shots / "unit.png"), full_page=False)

    page.goto(f"{server}/assess/sample-2361-commune")
    badge = page.locator("#result [data-level]").first
    expect(badge).to_have_attribute("data-level", "")
    page.goto(f"{server}/assess/sample-2361-commune?from=2024-xa-my-loc")
    before = page.locator("#level-badge").get_attribute("data-level")
    page.locator('select[name="v:CQS-04"]').select_option("không")  # steering committee: no
    expect(page.locator("#level-badge")).not_to_have_attribute("data-level", before or "", timeout=WAIT_MS)
    page.locator('select[name="v:CQS-04"]').select_option("có")
    expect(page.locator("#level-badge")).to_have_attribute("data-level", before or "", timeout=WAIT_MS)
    page.screenshot(path=str(shots / "form.png"), full_page=False)
    page.locator('input[name="n:CQS-01"]').fill("")  # the percentage alone, without counts beside it
    page.locator('input[name="d:CQS-01"]').fill("")
    page.locator("#field-CQS-01").fill("150")  # a ratio above 100%: shown in place, the field marked
    expect(page.locator("#result")).to_contain_text("CQS-01: tỷ lệ phần trăm phải từ 0% đến 100%", timeout=WAIT_MS)
    expect(page.locator("#crit-CQS-01")).to_have_class("crit bad")
    page.context.close()


def test_on_a_phone_the_level_stays_in_sight_while_scrolling_the_form(
    demo_server: str, chromium: Any, tmp_path: Path
) -> None:
    """At 390 px the result sits above the form: scrolled down to the last criterion, the officer still sees the
    level at the bottom of the screen, it follows typing, and a tap on it leads back to the result."""
    from playwright.sync_api import expect

    shots = Path(os.environ.get("CERTIFY_SCREENSHOTS", tmp_path))
    page = open_page(chromium, demo_server, None, 390, height=844)
    page.goto(f"{demo_server}/assess/sample-2361-commune?from=2024-xa-my-loc")
    level = page.locator("#level-badge").get_attribute("data-level")
    bar = page.locator("#live-bar")
    page.locator('select[name="v:CQS-04"]').scroll_into_view_if_needed()
    page.mouse.wheel(0, 100_000)  # to the end of the form: the result above is far out of sight
    expect(page.locator("#level-badge")).not_to_be_in_viewport()
    expect(bar).to_be_in_viewport()
    expect(bar.locator("[data-level]")).to_have_attribute("data-level", level or "")
    box = bar.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844 + 1 and box["width"] >= 389  # along the bottom
    page.screenshot(path=str(shots / "form-390-bottom.png"), full_page=False)

    page.locator('select[name="v:CQS-04"]').select_option("không")  # steering committee: no — the level drops
    expect(bar.locator("[data-level]")).not_to_have_attribute("data-level", level or "", timeout=WAIT_MS)
    assert bar.locator("[data-level]").get_attribute("data-level") == page.locator("#level-badge").get_attribute(
        "data-level"
    )
    bar.click()
    expect(page.locator("#level-badge")).to_be_in_viewport()
    page.context.close()

    desktop = open_page(chromium, demo_server, None, 1366, height=900)
    desktop.goto(f"{demo_server}/assess/sample-2361-commune?from=2024-xa-my-loc")
    expect(desktop.locator("#live-bar")).to_be_hidden()  # beside the form on a desktop: no bar needed
    desktop.context.close()

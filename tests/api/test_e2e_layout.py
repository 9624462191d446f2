"""In Chromium at 390 px (a phone): no page of any role is wider than the screen; at 1366 px the header is one
line. Pages are every role's crawl (tests/api/site_pages.py); one live server and one browser for all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.demo_site import PASSWORD
from tests.api.live_server import launch_chromium, live_server, needs_chromium
from tests.api.site_pages import ROLES, crawl

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import shutil

    folder = tmp_path_factory.mktemp("layout")
    db = folder / "certify.sqlite"
    shutil.copy(template_db, db)
    env = {
        "CERTIFY_DATABASE_URL": f"sqlite:///{db}",
        "CERTIFY_SECRET_KEY": "layout",
        "CERTIFY_EVIDENCE_DIR": str(folder / "evidence"),
    }
    with live_server("/dashboard.json", env) as base:
        yield base


def test_no_page_wider_than_a_phone_and_one_line_header(site: str) -> None:
    from playwright.sync_api import sync_playwright

    too_wide: dict[str, int] = {}
    header_lines: dict[str, float] = {}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        for role in ROLES:
            for width in (390, 1366):
                page = browser.new_context(viewport={"width": width, "height": 844}, locale="vi-VN").new_page()
                if role != "anonymous":
                    page.goto(f"{site}/login")
                    page.fill("#username", role)
                    page.fill("#password", PASSWORD)
                    page.click("form.login button[type=submit]")
                    page.wait_for_selector("#whoami")

                def get(url: str, page: object = page) -> str:
                    page.goto(site + url)  # type: ignore[attr-defined]
                    html: str = page.content()  # type: ignore[attr-defined]
                    return html

                for url in crawl(get, role) if width == 390 else ["/"]:
                    page.goto(site + url)
                    if width == 390:
                        scroll = page.evaluate("document.documentElement.scrollWidth")
                        if scroll > width:
                            too_wide[f"{role} {url}"] = scroll
                    else:
                        height = page.evaluate("document.querySelector('header.top').getBoundingClientRect().height")
                        header_lines[role] = height
                page.context.close()
        browser.close()
    assert too_wide == {}, f"pages wider than 390 px: {too_wide}"
    assert all(h < 60 for h in header_lines.values()), header_lines  # one line of links (≈ 46 px)

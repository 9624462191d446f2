"""End to end in headless Chromium on a stored app: a commune editor fills and submits, an appraiser changes a
value and approves, the admin recognises and publishes, and the public page shows the result."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.live_server import WAIT_MS, launch_chromium, live_server, needs_chromium
from tests.api.store_fixtures import OWN, PASSWORD

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def stored_server(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("e2e") / "certify.sqlite"
    shutil.copy(template_db, db)
    env = {"CERTIFY_DATABASE_URL": f"sqlite:///{db}", "CERTIFY_SECRET_KEY": "e2e-secret"}
    with live_server("/dashboard.json", env) as base:
        yield base


def test_submit_appraise_recognise_publish(stored_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import Browser, Page, expect, sync_playwright

    shots = Path(os.environ.get("CERTIFY_SCREENSHOTS", tmp_path))
    unit_url = f"{stored_server}/cycles/1/units/{OWN}"

    def session(browser: Browser, username: str) -> Page:
        page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN").new_page()
        page.goto(f"{stored_server}/login")
        page.fill('input[name="username"]', username)
        page.fill('input[name="password"]', PASSWORD)
        page.click("form.login button[type=submit]")
        expect(page.locator("#whoami")).to_contain_text(username)
        return page

    with sync_playwright() as pw:
        browser = launch_chromium(pw)

        # a commune editor: the level follows the typing, then the submission goes in
        editor = session(browser, "editor")
        editor.goto(f"{unit_url}/edit")
        badge = editor.locator("#level-badge")
        before = badge.get_attribute("data-level") or ""
        editor.locator('select[name="v:CQS-04"]').select_option("không")
        expect(badge).not_to_have_attribute("data-level", before, timeout=WAIT_MS)
        editor.locator('select[name="v:CQS-04"]').select_option("có")
        expect(badge).to_have_attribute("data-level", before, timeout=WAIT_MS)
        editor.screenshot(path=str(shots / "stored-form.png"))
        editor.click("#submit")
        expect(editor.locator("#confirm-question")).to_contain_text("Xã Long Hồ")
        editor.click("#confirm")
        expect(editor.locator("#state")).to_have_attribute("data-state", "submitted")

        # the appraiser changes a value (with a comment) and approves
        appraiser = session(browser, "appraiser")
        appraiser.goto(f"{unit_url}/appraise")
        appraiser.fill('input[name="v:CQS-08"]', "250")
        appraiser.fill('input[name="c:CQS-08"]', "Theo biên bản kiểm tra thực tế")
        appraiser.screenshot(path=str(shots / "appraisal.png"))
        appraiser.click("#approve")
        expect(appraiser.locator("#confirm-question")).to_contain_text("Xã Long Hồ")
        appraiser.click("#confirm")
        expect(appraiser.locator("#state")).to_have_attribute("data-state", "appraised")

        # the admin records the decision and publishes
        admin = session(browser, "admin")
        admin.goto(f"{stored_server}/recognition")
        admin.check(f'input[name="unit"][value="1:{OWN}"]')
        admin.fill('input[name="decision_number"]', "15/QĐ-UBND")
        admin.fill('input[name="signer"]', "Chủ tịch UBND tỉnh")
        admin.click("#recognise")
        expect(admin.locator("#confirm-banner")).to_contain_text("không phải ngưỡng chính thức")
        admin.click("#confirm")  # not acknowledged: refused, the box marked
        expect(admin.locator("#error-summary")).to_be_visible()
        admin.check("#field-acknowledge")
        admin.click("#confirm")
        expect(admin.locator(".flash")).to_contain_text("15/QĐ-UBND")
        admin.check(f'input[name="unit"][value="1:{OWN}"]')
        admin.click("#publish")
        admin.click("#confirm")
        expect(admin.locator(".flash")).to_contain_text("Đã công bố")

        # anyone: the public page shows the result
        public = browser.new_context(locale="vi-VN").new_page()
        public.goto(unit_url)
        expect(public.locator("#state")).to_have_attribute("data-state", "published")
        expect(public.locator("#level-badge")).to_have_attribute("data-level", before)
        public.goto(f"{stored_server}/dashboard")
        expect(public.locator("#units")).to_contain_text(OWN)
        public.screenshot(path=str(shots / "public.png"))
        browser.close()

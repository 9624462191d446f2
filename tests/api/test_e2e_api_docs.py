"""In Chromium, under the site's Content-Security-Policy: the API reference (Swagger UI at /api/docs, ReDoc at
/api/redoc) shows the operations from the vendored files only, and the pages raise no CSP violation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.api.live_server import WAIT_MS, live_server, needs_chromium

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with live_server("/api/frameworks") as base:
        yield base


def _watch(page: Any, host: str) -> tuple[list[str], list[str]]:
    """Console messages about the Content-Security-Policy, and requests to any other host."""
    violations: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname not in {host, None} else None)
    return violations, outside


def test_api_reference_works_offline_under_the_csp(server: str, chromium: Any) -> None:
    from playwright.sync_api import expect

    host = urlsplit(server).hostname
    context = chromium.new_context(viewport={"width": 1366, "height": 900})  # the run's one browser
    try:
        page = context.new_page()
        violations, outside = _watch(page, host or "")
        page.goto(f"{server}/docs")  # the old address leads to the reference
        assert urlsplit(page.url).path == "/api/docs"
        expect(page.locator(".opblock-summary-path", has_text="/api/evaluate").first).to_be_visible(timeout=WAIT_MS)
        page.goto(f"{server}/api/redoc")
        expect(page.get_by_text("/api/evaluate").first).to_be_attached(timeout=WAIT_MS)
        page.goto(f"{server}/assess/sample-2361-commune?from=2024-xa-my-loc")  # htmx live result
        before = page.locator("#level-badge").get_attribute("data-level")
        page.locator('select[name="v:CQS-04"]').select_option("không")
        expect(page.locator("#level-badge")).not_to_have_attribute("data-level", before or "", timeout=WAIT_MS)
        page.goto(f"{server}/dashboard")
    finally:
        context.close()
    # ReDoc's sidebar credit shows Redocly's logo from their site: the policy blocks it (ReDoc then hides the
    # image), and it is the only thing the policy stops and the only address outside this site asked for.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert [v for v in violations if logo not in v] == []
    assert set(outside) <= {logo}
    assert not outside or any(logo in v for v in violations)

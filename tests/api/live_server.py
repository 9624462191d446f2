"""A real uvicorn server on a free loopback port, and the one Chromium of a test process (each pytest-xdist worker
has its own), for the browser tests.

Playwright's synchronous API runs one event loop per thread and cannot be started twice: every browser test takes
the session's `chromium` fixture (tests/conftest.py) and opens its own contexts in it, never its own Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Guards against a hang, never speed tests: two shared cores run several suites at once.
HANG_SECONDS = 600
WAIT_MS = 60_000  # what a browser test waits for a page to change (Playwright's own default is 5 s)
ROOT = Path(__file__).resolve().parents[2]
# Without the background-networking flags Chromium keeps dialling out, and this machine refuses it.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium not installed (apt-get install chromium)"
)


@contextmanager
def live_server(ready_path: str, env: dict[str, str] | None = None) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ | (env or {}),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # A guard against a server that never comes up, not a speed test: on two shared cores a first start
        # can take tens of seconds.
        give_up = time.monotonic() + HANG_SECONDS
        while True:
            assert proc.poll() is None, "the server stopped before answering"
            try:
                if httpx.get(base + ready_path, timeout=HANG_SECONDS).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < give_up, f"the server did not answer within {HANG_SECONDS} s"
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=HANG_SECONDS)


def launch_chromium(pw: Any) -> Any:
    """Debian's Chromium through Playwright (no downloaded browser)."""
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, chromium_sandbox=False)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One Chromium for the whole run of this process (a context per page or person is cheap; a browser is not)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)  # what a page may take to change on two shared cores (not a speed test)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        yield browser
        browser.close()


def open_page(
    browser: Any, base: str, username: str | None = None, width: int = 1366, height: int = 900, javascript: bool = True
) -> Any:
    """A new person at a screen `width` px wide, in Vietnamese, logged in as `username` (None: the public);
    `javascript=False`: a browser with JavaScript turned off."""
    from playwright.sync_api import expect

    viewport = {"width": width, "height": height}
    page = browser.new_context(viewport=viewport, locale="vi-VN", java_script_enabled=javascript).new_page()
    page.set_default_timeout(WAIT_MS)
    if username is not None:
        from tests.api.store_fixtures import PASSWORD

        page.goto(f"{base}/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("form.login button[type=submit]")
        expect(page.locator("#whoami")).to_contain_text(username, timeout=WAIT_MS)
    return page


@contextmanager
def served_copy(template_db: Path, folder: Path, prepare: Callable[[Path], None] | None = None) -> Iterator[str]:
    """A live server on a copy of the demo database in `folder`, changed first by `prepare(db)` where given."""
    import shutil

    db = folder / "certify.sqlite"
    shutil.copy(template_db, db)
    if prepare is not None:
        prepare(db)
    env = {
        "CERTIFY_DATABASE_URL": f"sqlite:///{db}",
        "CERTIFY_SECRET_KEY": "browser-tests",
        "CERTIFY_EVIDENCE_DIR": str(folder / "evidence"),
    }
    with live_server("/dashboard.json", env) as base:
        yield base


@pytest.fixture(scope="session")
def demo_server(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One live server on a copy of the demo province for every browser test of the run that uses it: the pages of
    every role (layout, accessibility) and the year's walk, which moves units through the workflow — so a test that
    reads the pages holds in every state a unit can be in, whichever ran first."""
    with served_copy(template_db, tmp_path_factory.mktemp("demo-site")) as base:
        yield base

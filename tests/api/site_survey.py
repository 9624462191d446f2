"""Every page of every role (tests/api/site_pages.py) opened once in Chromium at 390 px and once at 1366 px, with
what the layout and accessibility tests check read during that one visit: the page's width, the header's height,
axe-core's serious and critical violations and the controls the keyboard cannot reach. One survey per width and
test run (`survey_at(width)`, a session fixture), so the layout and accessibility tests together cost one walk
through the site at each width. The tests of one width are in one xdist group (`survey_group`), so the two walks
run at the same time on the two workers, each walk once.

axe-core is the copy packaged by axe-playwright-python (its version and licence travel with the package)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest

from tests.api.live_server import open_page
from tests.api.site_pages import ROLES, crawl

WIDTHS = (390, 1366)
SEVERE = ("serious", "critical")


@dataclass
class Survey:
    width: int
    pages: dict[str, list[str]] = field(default_factory=dict)  # role → the pages it reaches
    too_wide: dict[str, int] = field(default_factory=dict)  # "role url" → its width in px, wider than the window
    header: dict[str, float] = field(default_factory=dict)  # "role url" → the header's height in px
    violations: dict[str, list[str]] = field(default_factory=dict)  # "role width url" → what axe found
    off_keyboard: dict[str, list[str]] = field(default_factory=dict)  # "role width url" → controls Tab skips


@cache
def axe_script() -> str:
    """axe-core's source (572 kB): sent to Chromium once per context by the survey, not once per page."""
    from axe_playwright_python.sync_playwright import Axe

    return str(Axe().axe_script)


# What axe_playwright_python's `Axe().run(page)` runs once it has injected axe-core: every rule, violations only.
RUN_AXE = "axe.run({resultTypes: ['violations']})"


def axe_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each: rule, element, fix.
    axe-core is injected into the page first unless the page's context already loads it (`load_axe`)."""
    if page.evaluate("typeof window.axe === 'undefined'"):
        page.evaluate(axe_script())
    found = page.evaluate(RUN_AXE)["violations"]
    return [
        f"{v['id']} ({v['impact']}): {' '.join(map(str, n['target']))} — {v['help']}"
        for v in found
        if v["impact"] in SEVERE
        for n in v["nodes"]
    ]


def load_axe(page: Any) -> None:
    """Every page the context opens from now on comes with axe-core loaded (Chromium compiles it with the page,
    instead of Playwright sending the whole script again with each check)."""
    page.context.add_init_script(script=axe_script())


# Links, buttons and fields shown on the page that Tab never reaches (tabindex="-1" or below).
OFF_KEYBOARD = """() => Array.from(document.querySelectorAll('a[href], button, input, select, textarea, summary'))
    .filter(e => e.type !== 'hidden' && !e.disabled && e.tabIndex < 0 && e.getClientRects().length)
    .map(e => e.outerHTML.slice(0, 120))"""


def survey_site(browser: Any, base: str, width: int) -> Survey:
    out = Survey(width)
    for role in ROLES:
        user = None if role == "anonymous" else role
        page = open_page(browser, base, user, width, height=844)
        load_axe(page)
        # the links of each page, read without drawing it (the context's cookies: the person's session)
        out.pages[role] = crawl(lambda url, page=page: page.request.get(base + url).text(), role)
        for url in out.pages[role]:
            page.goto(base + url)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                out.too_wide[f"{role} {url}"] = scroll
            out.header[f"{role} {url}"] = page.evaluate(
                "document.querySelector('header.top').getBoundingClientRect().height"
            )
            found = axe_violations(page)
            if found:
                out.violations[f"{role} {width} {url}"] = found
            skipped = page.evaluate(OFF_KEYBOARD)
            if skipped:
                out.off_keyboard[f"{role} {width} {url}"] = skipped
        page.context.close()
    return out


def survey_group(width: int) -> Any:
    """A test parameter for one width, in that width's xdist group: a worker walks the site at one width only."""
    return pytest.param(width, id=f"{width}px", marks=pytest.mark.xdist_group(f"site-survey-{width}"))


@pytest.fixture(scope="session")
def survey_at(chromium: Any, demo_server: str) -> Callable[[int], Survey]:
    """The survey at a width, walked the first time a test of this worker asks for it."""
    walked: dict[int, Survey] = {}

    def at(width: int) -> Survey:
        if width not in walked:
            walked[width] = survey_site(chromium, demo_server, width)
        return walked[width]

    return at

"""In Chromium at 390 px (a phone): no page of any role is wider than the screen; at 1366 px the header is one
line on every page. Pages are every role's crawl (tests/api/site_pages.py), read in the session's one survey of the
site (tests/api/site_survey.py): one live server, one browser."""

from __future__ import annotations

import pytest

from tests.api.live_server import needs_chromium
from tests.api.site_pages import ROLES
from tests.api.site_survey import Survey
from tests.api.store_fixtures import OWN

# one worker reads the session's survey for both (tests/parallel.py)
pytestmark = [needs_chromium, pytest.mark.xdist_group("site-survey")]


def test_no_page_wider_than_a_phone_and_one_line_header(survey: Survey) -> None:
    assert set(survey.pages) == set(ROLES)
    # pages a person uses in any state of the walk: a missing one means a link is gone, not that the test got faster
    assert {"/", "/dashboard", "/login"} <= set(survey.pages["anonymous"])
    assert {"/", f"/cycles/1/units/{OWN}"} <= set(survey.pages["editor"])
    assert "/recognition" in survey.pages["admin"] and "/admin/users" in survey.pages["admin"]
    assert survey.too_wide == {}, f"pages wider than 390 px: {survey.too_wide}"
    two_lines = {page: h for page, h in survey.header.items() if h >= 60}  # one line of links is ≈ 46 px
    assert two_lines == {}, f"header on more than one line at 1366 px: {two_lines}"

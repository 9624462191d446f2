"""In Chromium at 390 px (a phone): no page of any role is wider than the screen; at 1366 px the header is one
line on every page. Pages are every role's crawl (tests/api/site_pages.py), read in the session's survey of the
site at each width (tests/api/site_survey.py): one live server, one browser, one walk per width."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.api.live_server import needs_chromium
from tests.api.site_pages import ROLES
from tests.api.site_survey import Survey, survey_group
from tests.api.store_fixtures import OWN

pytestmark = [needs_chromium]


def pages_a_person_uses(survey: Survey) -> None:
    """Pages a person uses in any state of the walk: a missing one means a link is gone, not a faster test."""
    assert set(survey.pages) == set(ROLES)
    assert {"/", "/dashboard", "/login"} <= set(survey.pages["anonymous"])
    assert {"/", f"/cycles/1/units/{OWN}"} <= set(survey.pages["editor"])
    assert "/recognition" in survey.pages["admin"] and "/admin/users" in survey.pages["admin"]


@pytest.mark.parametrize("width", [survey_group(390)])
def test_no_page_wider_than_a_phone(survey_at: Callable[[int], Survey], width: int) -> None:
    survey = survey_at(width)
    pages_a_person_uses(survey)
    assert survey.too_wide == {}, f"pages wider than {width} px: {survey.too_wide}"


@pytest.mark.parametrize("width", [survey_group(1366)])
def test_one_line_header_and_no_sideways_scroll_on_a_desktop(survey_at: Callable[[int], Survey], width: int) -> None:
    survey = survey_at(width)
    pages_a_person_uses(survey)
    assert survey.too_wide == {}, f"pages wider than {width} px: {survey.too_wide}"
    two_lines = {page: h for page, h in survey.header.items() if h >= 60}  # one line of links is ≈ 46 px
    assert two_lines == {}, f"header on more than one line at {width} px: {two_lines}"

"""axe-core in Chromium on every page of every role (tests/api/site_pages.py), at 1366 px and at 390 px: no serious
or critical violation (contrast, names and labels, landmarks, keyboard-reachable scrolling regions, ARIA). The pages
are read in the session's survey of the site at each width (tests/api/site_survey.py); the states a page reaches
only by typing — a form with errors, the live result, a confirmation — are checked by the year's walk
(tests/api/test_e2e_workflow.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.api.live_server import needs_chromium
from tests.api.site_pages import ROLES
from tests.api.site_survey import WIDTHS, Survey, survey_group

pytestmark = [needs_chromium]


@pytest.mark.parametrize("width", [survey_group(w) for w in WIDTHS])
def test_no_serious_accessibility_violation_on_any_page(survey_at: Callable[[int], Survey], width: int) -> None:
    survey = survey_at(width)
    assert set(survey.pages) == set(ROLES) and WIDTHS == (390, 1366)
    assert sum(len(p) for p in survey.pages.values()) >= 40  # the crawl reached the site, not just a login page
    report = "\n".join(f"{page}\n    " + "\n    ".join(found) for page, found in sorted(survey.violations.items()))
    assert survey.violations == {}, f"axe-core, serious or critical, at {width} px:\n{report}"
    assert survey.off_keyboard == {}, f"controls that Tab never reaches at {width} px: {survey.off_keyboard}"

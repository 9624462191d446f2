"""The cohort's gap reports computed at once (`GapTable`) are, to the character, the JSON each unit's own
`gap_report(ev).to_dict()` gives (what `certify gap --format json` writes): on the bundled sample units, and on
random cohorts of every complete framework (the Yên Bái share rule, lower-is-better indicators, not-applicable
claims, missing values, counts, target levels and years set by the unit)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certify.catalog import Catalog, Resolved
from certify.errors import CertifyError
from certify.levels.assessment import BoundAssessment
from certify.levels.evaluate import Evaluation, evaluate_many
from certify.levels.gap import gap_report
from certify.levels.gap_table import GapTable, _dense
from certify.levels.intake import load_unit
from certify.paths import bundled_root
from tests.levels.helpers import bound
from tests.levels.test_properties import REFS, level_framework, values_for

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, default=str)


def assert_same(evaluations: list[Evaluation], start_year: int | None = None) -> None:
    table = GapTable.of(evaluations, start_year=start_year)
    for ev, new in zip(evaluations, table.reports(), strict=True):
        assert as_json(new) == as_json(gap_report(ev, start_year=start_year).to_dict()), ev.unit.assessment.unit


def test_sample_units_give_the_same_json_as_their_own_gap_reports(catalog: Catalog) -> None:
    groups: dict[str, list[BoundAssessment]] = defaultdict(list)
    frameworks: dict[str, Resolved] = {}
    for path in sorted((bundled_root("samples") / "assessments").glob("*.yaml")):
        resolved, unit = load_unit(path, catalog)
        frameworks[resolved.framework.ref] = resolved
        groups[resolved.framework.ref].append(unit)
    assert sum(len(units) for units in groups.values()) >= 15
    for ref, units in groups.items():
        evaluations = evaluate_many(frameworks[ref], units)
        assert_same(evaluations)
        assert_same(evaluations, start_year=2027)
    # what a reader sees in one of them: items with texts, a roadmap by year with named quarters
    ref = next(ref for ref in groups if ref.startswith("sample-2361-commune"))
    reports = GapTable.of(evaluate_many(frameworks[ref], groups[ref])).reports()
    item = next(r for r in reports if r["items"])["items"][0]
    assert item["gap_text"] and item["current_text"] and item["quarter_text"].startswith("Quý ")


@pytest.fixture(params=REFS)
def framework(request: pytest.FixtureRequest, catalog: Catalog) -> Resolved:
    return catalog.load(request.param)


@SETTINGS
@given(data=st.data())
def test_random_cohorts_give_the_same_json_as_unit_by_unit(framework: Resolved, data: st.DataObject) -> None:
    fw = level_framework(framework)
    n = data.draw(st.integers(1, 6))
    units = []
    for i in range(n):
        extra: dict[str, Any] = {}
        if data.draw(st.booleans()):
            extra["target_level"] = data.draw(st.sampled_from(fw.level_ids))
        if data.draw(st.integers(0, 3)) == 0:
            extra["target_year"] = data.draw(st.integers(2025, 2032))
        units.append(bound(framework, data.draw(values_for(fw)), unit=f"X{i}", **extra))
    assert_same(evaluate_many(framework, units))


EVIDENCE = {"document": "15/BC-UBND", "date": "2025-03-01", "summary": "Báo cáo của UBND xã"}


def with_evidence(value: Any) -> Any:
    """The value as a mapping with the document that proves it."""
    if isinstance(value, dict):
        return value | {"evidence": EVIDENCE}
    return {"value": value, "evidence": EVIDENCE}


@settings(SETTINGS, max_examples=10)
@given(data=st.data())
def test_larger_random_cohorts_with_evidence_and_a_plan_year_give_the_same_json(
    framework: Resolved, data: st.DataObject
) -> None:
    """Cohorts large enough that many units share a value, a count or a gap text (each composed once for all of
    them), some values with their evidence, and sometimes a plan year of their own."""
    fw = level_framework(framework)
    n = data.draw(st.integers(7, 30))
    shared = data.draw(values_for(fw))  # many units alike: texts and prerequisite sets shared across units
    units = []
    for i in range(n):
        values = shared if data.draw(st.integers(0, 2)) == 0 else data.draw(values_for(fw))
        values = {code: with_evidence(v) if data.draw(st.integers(0, 5)) == 0 else v for code, v in values.items()}
        extra: dict[str, Any] = {}
        if data.draw(st.integers(0, 3)) == 0:
            extra["target_level"] = data.draw(st.sampled_from(fw.level_ids))
        if data.draw(st.integers(0, 3)) == 0:
            extra["target_year"] = data.draw(st.integers(2025, 2034))
        units.append(bound(framework, values, unit=f"X{i}", **extra))
    start_year = data.draw(st.one_of(st.none(), st.integers(2026, 2031)))
    assert_same(evaluate_many(framework, units), start_year=start_year)


@settings(max_examples=200, deadline=None)
@given(
    columns=st.integers(1, 4).flatmap(
        lambda k: st.integers(0, 60).flatmap(
            lambda n: st.lists(
                st.lists(st.one_of(st.integers(-3, 3), st.integers(-(2**40), 2**40)), min_size=n, max_size=n),
                min_size=k,
                max_size=k,
            )
        )
    )
)
def test_rows_with_the_same_combination_share_one_index(columns: list[list[int]]) -> None:
    arrays = [np.array(col, dtype=np.int64) for col in columns]
    where, one = _dense(*arrays)
    rows = list(zip(*columns, strict=True))
    assert len(where) == len(rows)
    assert len(one) == len(set(rows))  # one index per distinct combination
    for r, row in enumerate(rows):
        assert rows[one[where[r]]] == row  # the row kept for its combination has the same values
    assert len({rows[i] for i in one}) == len(one)


def test_a_plan_year_not_after_the_data_is_refused(catalog: Catalog) -> None:
    resolved = catalog.load("sample-2361-commune")
    evaluations = evaluate_many(resolved, [bound(resolved, {})])
    with pytest.raises(CertifyError) as err:
        GapTable.of(evaluations, start_year=2025)
    assert err.value.problems[0].code == "bad-plan-year"

"""The dashboard's «what blocks the next level» counts, read from a cohort's status arrays, equal what the units'
gap reports list one by one (all shipped complete frameworks and the Yên Bái share rule), in the same order."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from certify.catalog import Resolved
from certify.levels.evaluate import evaluate_many, next_level_blockers
from certify.levels.gap import gap_report
from tests.levels.helpers import bound
from tests.levels.test_properties import SETTINGS, framework, level_framework, values_for

__all__ = ["framework"]  # the fixture, parametrised over the frameworks


@settings(SETTINGS, max_examples=25)
@given(data=st.data())
def test_blockers_from_arrays_equal_the_gap_reports(framework: Resolved, data: st.DataObject) -> None:
    fw = level_framework(framework)
    n = data.draw(st.integers(0, 8))
    units = [bound(framework, data.draw(values_for(fw)), unit=f"X{i}") for i in range(n)]
    evaluations = evaluate_many(framework, units) if units else []
    expected: Counter[str] = Counter()
    for ev in evaluations:  # the former way: a gap report per unit
        report = gap_report(ev)
        if report.next_level:
            for item in report.next_level.items:
                expected[item.criterion.code] += 1
    got = next_level_blockers(evaluations)
    assert got == dict(expected)
    assert list(got.items()) == expected.most_common()  # the same order on the dashboard, ties included

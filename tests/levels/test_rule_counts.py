"""A ratio given as two counts and nothing else is measured as the general checks measure it (the rule takes that
usual case first): the same value, numerator and denominator, or the same refusal."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.catalog import Catalog, bundled_root
from certify.levels.model import IndicatorType, LevelFramework
from certify.levels.rule import Bad, Rule

COUNTS = st.one_of(
    st.integers(min_value=-3, max_value=10**10),
    st.sampled_from([0, 1, 2**53 - 1, 2**53, 2**53 + 1, 10**9, 10**9 + 1, 10**400, True, False]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.text(max_size=4),
)


def _ratio_rule(value_max: float | None = None) -> tuple[Rule, Any]:
    fw = Catalog([bundled_root("frameworks")]).load("sample-2361-commune").framework
    assert isinstance(fw, LevelFramework)
    crit = next(c for c in fw.criteria if c.indicator is not None and c.indicator.type is IndicatorType.RATIO)
    rule = Rule.of(fw, 2024)
    if value_max is not None:
        rule = Rule(rule.year, value_max, rule.lengths, rule.earliest, rule.latest, rule.reason_required)
    return rule, crit


def _outcome(rule: Rule, crit: Any, raw: dict[str, Any]) -> Any:
    try:
        return rule.measure(crit, raw)
    except Bad as exc:
        return ("refused", exc.code, exc.sub)


@pytest.mark.parametrize("value_max", [None, 5.0, float("inf")])
@settings(deadline=None, max_examples=300)
@given(numerator=COUNTS, denominator=COUNTS)
def test_two_counts_are_measured_as_the_general_checks_measure_them(
    value_max: float | None, numerator: Any, denominator: Any
) -> None:
    rule, crit = _ratio_rule(value_max)
    plain = _outcome(rule, crit, {"numerator": numerator, "denominator": denominator})
    general = _outcome(rule, crit, {"numerator": numerator, "denominator": denominator, "note": None})
    assert plain == general

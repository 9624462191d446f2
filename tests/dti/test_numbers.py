"""Display rounding is HALF-UP on the decimal digits shown; traces end with the points scored."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.dti.cohort import cohort_from_records
from certify.dti.model import DtiFramework
from certify.dti.numbers import fmt, half_up, parse_fraction
from certify.dti.ranking import competition_ranks
from certify.dti.scoring import score_cohort


def test_half_up_is_not_bankers_rounding() -> None:
    assert half_up(0.125, 2) == Decimal("0.13")  # round(0.125, 2) == 0.12
    assert half_up(2.675, 2) == Decimal("2.68")  # the float is 2.67499999…; its shown digits round up
    assert half_up(0.71625, 4) == Decimal("0.7163")
    assert half_up(0.1 + 0.2, 4) == Decimal("0.3000")
    assert fmt(15.142857142857142) == "15.1429" and fmt(10.0) == "10" and fmt(7.5) == "7.5"


def test_fractions_as_written_in_decisions() -> None:
    assert parse_fraction("1/5") == 0.2 and parse_fraction("80%") == 0.8 and parse_fraction("0.25%") == 0.0025


@settings(deadline=None)  # no wall-clock limit in a test: the machine is shared
@given(st.lists(st.integers(0, 20), min_size=1, max_size=30))
def test_competition_ranks(scores: list[int]) -> None:
    ranks = competition_ranks(np.array(scores, dtype=float) / 20)
    for s, r in zip(scores, ranks, strict=True):
        assert r == 1 + sum(1 for t in scores if t > s)


@settings(deadline=None)
@given(a=st.integers(0, 500), extra=st.integers(0, 500))
def test_ratio_trace_ends_with_the_points(vl: DtiFramework, a: int, extra: int) -> None:
    b = a + extra
    if b == 0:
        return
    r = score_cohort(vl, cohort_from_records([{"unit": "x", "6.12.a": b, "6.12.b": a, "6.12.c": 0}], vl.plan))
    assert r.detail is not None
    pts = float(r.detail.points["6.12"][0])
    assert 0 <= pts <= 20
    assert r.detail.explain(0, "6.12").endswith(fmt(pts))


def test_a_column_of_points_or_values_reads_as_each_one_alone() -> None:
    """`points_texts`/`value_texts` (the CSV writes whole columns) give exactly `points_text`/`value_text`, ties
    and the 9-decimal snap included (49.54604999952492 is 49.5461 at four decimals)."""
    import numpy as np

    from certify.dti.numbers import points_text, points_texts, value_text, value_texts

    rng = np.random.default_rng(7)
    ties = rng.integers(-(10**6), 10**6, 20_000) / 2000  # x.xxx5 at 2 decimals
    near = rng.integers(-(10**8), 10**8, 20_000) / 10**8 * 60 + rng.normal(0, 1e-10, 20_000)
    special = np.array([0.0, -0.0, -0.001, 0.005, -0.005, 2.675, -2.675, 0.125, 49.54604999952492, 1e13, -1e-12])
    values = np.concatenate([rng.normal(0, 300, 20_000), ties, near, special])
    assert points_texts(values) == [points_text(float(v)) for v in values]
    assert value_texts(values) == [value_text(float(v)) for v in values]
    assert points_texts(np.array([-0.001, 7.5])) == ["-0.00", "7.50"]


@settings(max_examples=200, deadline=None)
@given(
    ks=st.lists(st.integers(-(10**12) + 1, 10**12 - 1) | st.integers(-(10**5), 10**5), min_size=1, max_size=50),
    places=st.sampled_from([2, 4]),
)
def test_whole_hundredths_written_at_once_read_as_one_by_one(ks: list[int], places: int) -> None:
    """The CSV writes each distinct rounded figure in one formatting step: the same text as `_fixed` one by one."""
    from certify.dti.numbers import _fixed, _fixed_all

    assert _fixed_all(np.array(ks, dtype=np.int64), places) == [_fixed(k, places) for k in ks]

"""Ranks and bands of a whole cohort, rounded at once, are those of each unit's value rounded on its own."""

from __future__ import annotations

from functools import cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.dti.model import Band, DtiFramework
from certify.dti.numbers import VALUE_DECIMALS, half_up
from certify.dti.ranking import classify, competition_ranks, rank_keys
from certify.dti.results import Results
from tests.dti.conftest import load

# Values of a cohort: anything in [0, 1.2], and values at or next to a tie in the fifth decimal (0.12345).
TIES = st.integers(0, 12_000).map(lambda k: (k + 0.5) / 10_000)
NEAR_TIES = st.tuples(TIES, st.sampled_from([-1e-12, -1e-15, 0.0, 1e-15, 1e-12])).map(sum)
VALUES = st.one_of(st.floats(0, 1.2), TIES, NEAR_TIES, st.floats(-5, 1000))
BANDS = [Band(id="a", name="A", min=0.9), Band(id="b", name="B", min=0.65), Band(id="c", name="C", min=0.00005)]


def _key_of_each(values: list[float]) -> list[int]:
    return [int(half_up(v, VALUE_DECIMALS) * 10**VALUE_DECIMALS) for v in values]


def _ranks_of_each(values: list[float], groups: list[str]) -> list[int]:
    keys = _key_of_each(values)
    return [
        1 + sum(k > key for k, g in zip(keys, groups, strict=True) if g == group)
        for key, group in zip(keys, groups, strict=True)
    ]


@settings(max_examples=300, deadline=None)
@given(cohort=st.lists(st.tuples(VALUES, st.sampled_from(["", "x", "y"])), min_size=1, max_size=60))
def test_cohort_ranks_and_bands_equal_unit_by_unit(cohort: list[tuple[float, str]]) -> None:
    values = [v for v, _ in cohort]
    groups = [g for _, g in cohort]
    array = np.array(values)
    assert rank_keys(array).tolist() == _key_of_each(values)
    assert competition_ranks(array, groups).tolist() == _ranks_of_each(values, groups)
    expected = [
        next((b.id for b in BANDS if b.min is not None and key >= _key_of_each([b.min])[0]), None)
        for key in _key_of_each(values)
    ]
    assert classify(array, BANDS) == expected


@cache
def _vinh_long() -> DtiFramework:
    return load("vinh-long-2554-province")


# Units of a cohort as the ranking lists them: code (ties and repeats included, as a Results built by hand may have),
# group, rank (0 = unranked) and why it is left out of the ranking ("" = it is not).
UNITS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "B", "a1", "ä", "z", "10", "9", ""]),
        st.sampled_from(["", "x", "y", "X"]),
        st.integers(0, 4),
        st.sampled_from(["", "", "sáp nhập"]),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(units=UNITS, with_groups=st.booleans(), with_reasons=st.booleans())
def test_ranking_order_sorts_by_the_whole_key(
    units: list[tuple[str, str, int, str]], with_groups: bool, with_reasons: bool
) -> None:
    n = len(units)
    results = Results(
        fw=_vinh_long(),
        units=[u for u, _, _, _ in units],
        names=[],
        groups=[g for _, g, _, _ in units] if with_groups else [],
        index_points=np.zeros((n, 1)),
        index_max=np.zeros((n, 1)),
        value=np.zeros(n),
        ranks=np.array([r for _, _, r, _ in units], dtype=np.int64),
        bands=[None] * n,
        not_ranked=[w for _, _, _, w in units] if with_reasons else [],
    )
    expected = sorted(
        range(n),
        key=lambda i: (
            results.reason(i) is not None,
            results.groups[i] if results.groups else "",
            units[i][2] == 0,
            units[i][2],
            units[i][0],
        ),
    )
    assert results.order() == expected

"""A cohort's numbers formatted at once read exactly as one by one (`fmt_numbers`, `fmt_percents`), ties and
binary noise included (0,125 → 0,13; 2,675 → 2,68; 0,7574999999999999 → 0,7575)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.numbers import fmt_number, fmt_numbers, fmt_numbers_distinct, fmt_percent, fmt_percents

TIES = [0.125, 2.675, -2.5, 0.5, 1.5, 0.0, -0.0, -0.004, 0.7575, 0.7574999999999999, 1e13, 123456789.125, 1234.5]


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.one_of(
            st.floats(-1e9, 1e9, allow_nan=False),
            st.integers(-100_000, 100_000).map(lambda k: k / 1000),  # ties at every number of digits
            st.integers(0, 2000).flatmap(lambda d: st.integers(0, max(d, 1)).map(lambda n: n / max(d, 1))),
            st.sampled_from(TIES),
        ),
        max_size=60,
    ),
    digits=st.integers(0, 4),
)
def test_numbers_at_once_read_as_one_by_one(values: list[float], digits: int) -> None:
    array = np.array(values, dtype=np.float64)
    assert fmt_numbers(array, digits) == [fmt_number(v, digits) for v in values]
    texts, where = fmt_numbers_distinct(array, digits)  # what a cohort's table keeps: each text once, an index each
    assert len(set(texts)) == len(texts)
    assert [texts[i] for i in where.tolist()] == [fmt_number(v, digits) for v in values]
    ratios = np.abs(array) % 1.5
    assert fmt_percents(ratios, digits) == [fmt_percent(float(r), digits) for r in ratios]


def test_vietnamese_separators_and_no_negative_zero() -> None:
    assert fmt_numbers(np.array([1234.5, -0.004, 0.125, 1e6]), 2) == ["1.234,5", "0", "0,13", "1.000.000"]
    assert fmt_percents(np.array([0.855, 1.0, 0.0])) == ["85,5%", "100%", "0%"]

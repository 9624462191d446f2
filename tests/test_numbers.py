"""Display numbers: half-up rounding, Vietnamese and English separators, no "-0", cache-order independent."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from certify.numbers import _apply, fmt_fixed, fmt_number, fmt_percent


def test_half_up_not_half_even() -> None:
    assert fmt_number(0.125, 2) == "0,13" and fmt_number(2.675, 2) == "2,68"  # round() gives 0.12 and 2.67
    assert fmt_fixed(0.71635, 4) == "0,7164" and fmt_fixed(0.5, 4) == "0,5000"
    assert fmt_number(1234.5, 2, "en_GB") == "1,234.5" and fmt_number(1234.5) == "1.234,5"
    assert fmt_percent(0.855) == "85,5%"


def test_a_rounded_negative_zero_prints_as_zero_whatever_came_first() -> None:
    _apply.cache_clear()
    assert fmt_number(-0.001, 2) == "0" and fmt_number(0.0, 2) == "0"
    _apply.cache_clear()
    assert fmt_number(0.0, 2) == "0" and fmt_number(-0.001, 2) == "0" and fmt_fixed(-0.00004, 4) == "0,0000"


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_cached_text_equals_fresh_text(value: float, digits: int) -> None:
    first = fmt_fixed(value, digits)
    _apply.cache_clear()
    assert fmt_fixed(value, digits) == first
    assert fmt_number(value, digits) == fmt_number(value, digits)

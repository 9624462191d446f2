"""The one rule for numbers people type (web forms, Excel text cells, YAML strings, CSV cells): docs/numbers.md."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.numbers import NumberTextError, fmt_number, parse_number, round_half_up

ACCEPTED = [
    # text, whole, percent, value, written as a percentage
    ("85,5", False, False, 85.5, False),
    ("85,5%", False, True, 85.5, True),
    ("85,5 %", False, True, 85.5, True),
    ("0,855", False, False, 0.855, False),
    ("0.855", False, False, 0.855, False),
    ("85.5", False, False, 85.5, False),
    ("1234.5", False, False, 1234.5, False),
    ("1.234", True, False, 1234.0, False),
    ("1 234", False, False, 1234.0, False),
    ("1\u00a0234", False, False, 1234.0, False),
    ("1.234,5", False, False, 1234.5, False),
    ("1 234,5", False, False, 1234.5, False),
    ("1.234.567", False, False, 1234567.0, False),
    ("72%", False, True, 72.0, True),
    ("  12 ", True, False, 12.0, False),
    ("-3", False, False, -3.0, False),
    ("0", True, False, 0.0, False),
]

REFUSED = [
    ("abc", {}, "not-a-number"),
    ("", {}, "empty-number"),
    ("   ", {}, "empty-number"),
    ("1.234", {}, "ambiguous-number"),  # 1234 or 1,234? never guessed where decimals make sense
    ("85%", {}, "percent-not-allowed"),
    ("1e5", {}, "not-a-number"),
    ("nan", {}, "not-a-number"),
    ("inf", {}, "not-a-number"),
    ("1,2,3", {}, "two-commas"),
    ("1,234.5", {}, "english-number"),
    ("12 34", {}, "bad-grouping"),
    ("1.23.4", {}, "bad-grouping"),
    ("1.23,4", {}, "bad-grouping"),
    (",5", {}, "not-a-number"),
    ("5,", {}, "not-a-number"),
    ("5.", {}, "not-a-number"),
    ("+5", {}, "not-a-number"),
    ("٣", {}, "not-a-number"),  # digits of another script are not ours to guess
    ("9" * 50, {}, "number-too-long"),
]


@pytest.mark.parametrize(("text", "whole", "percent", "value", "is_percent"), ACCEPTED)
def test_forms_vietnamese_users_type(text: str, whole: bool, percent: bool, value: float, is_percent: bool) -> None:
    got = parse_number(text, whole=whole, percent=percent)
    assert got.value == pytest.approx(value, abs=0) and got.percent is is_percent


@pytest.mark.parametrize(("text", "kw", "code"), REFUSED)
def test_anything_else_is_refused_with_a_reason(text: str, kw: dict[str, bool], code: str) -> None:
    with pytest.raises(NumberTextError) as info:
        parse_number(text, **kw)
    err = info.value
    assert err.code == code and err.vi and err.en and err.expected


def test_percent_reads_as_a_fraction() -> None:
    assert parse_number("85,5%", percent=True).fraction == pytest.approx(0.855)
    assert parse_number("0,855", percent=True).fraction == pytest.approx(0.855)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_what_the_reports_print_reads_back(value: object) -> None:
    x = float(value)  # type: ignore[arg-type]
    text = fmt_number(x, 2)  # Vietnamese display: 1.234,56
    whole = float(round_half_up(x, 2)) == int(round_half_up(x, 2))
    assert parse_number(text, whole=whole).value == float(round_half_up(x, 2))


@given(st.integers(min_value=0, max_value=10**12))
def test_plain_integers_read_exactly(n: int) -> None:
    assert parse_number(str(n)).value == n and parse_number(str(n), whole=True).value == n


@given(st.text(max_size=30))
def test_any_text_is_a_number_or_a_reason(text: str) -> None:
    try:
        got = parse_number(text, percent=True)
    except NumberTextError as err:
        assert err.vi and err.en
    else:
        assert got.value == got.value  # never NaN
        assert abs(got.value) < 1e40

"""Display rounding and Vietnamese number formats.

Python's `round` rounds half to even (0.125 → 0.12); official tables round half up
(0.125 → 0.13), so every displayed figure goes through `round_half_up` first.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "vi_VN"


# Snap to 9 decimals first to drop binary noise from arithmetic (0.7574999999999999 is 0.7575);
# the snap is far below any displayed digit.
_NOISE = Decimal("1e-9")


def round_half_up(value: float, digits: int) -> Decimal:
    # repr() is the shortest text that round-trips, so 2.675 stays 2.675 instead of 2.67499…
    snapped = Decimal(repr(float(value))).quantize(_NOISE, ROUND_HALF_EVEN)
    return snapped.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


# Parsing a locale and a pattern costs far more than applying them; pages format thousands of numbers.
@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@cache
def _pattern(digits: int, fixed: bool) -> NumberPattern:
    return parse_pattern(f"#,##0.{('0' if fixed else '#') * digits}" if digits else "#,##0")


# Reports repeat the same few figures (targets, shares, counts) hundreds of times, and Babel's `apply` is the
# cost of a page: keep the text of each rounded value.
@lru_cache(maxsize=1 << 16)
def _apply(rounded: Decimal, digits: int, fixed: bool, locale: str) -> str:
    return str(_pattern(digits, fixed).apply(rounded, _locale(locale)))


def _text(value: float, digits: int, fixed: bool, locale: str) -> str:
    rounded = round_half_up(value, digits)
    # -0.00 equals 0.00 as a cache key, and "-0" is never what a table should print.
    return _apply(rounded.copy_abs() if rounded.is_zero() else rounded, digits, fixed, locale)


def fmt_number(value: float, digits: int = 2, locale: str = LOCALE) -> str:
    """`1234.5` → `1.234,5` (vi): at most `digits` decimals, trailing zeros dropped."""
    return _text(value, digits, False, locale)


def fmt_fixed(value: float, digits: int, locale: str = LOCALE) -> str:
    """Exactly `digits` decimals, as published DTI values (0,7164)."""
    return _text(value, digits, True, locale)


def fmt_percent(ratio: float, digits: int = 1, locale: str = LOCALE) -> str:
    """`0.855` → `85,5%`."""
    return fmt_number(ratio * 100, digits, locale) + "%"

"""Display rounding and Vietnamese number formats.

Python's `round` rounds half to even (0.125 → 0.12); official tables round half up
(0.125 → 0.13), so every displayed figure goes through `round_half_up` first.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cache

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


def fmt_number(value: float, digits: int = 2, locale: str = LOCALE) -> str:
    """`1234.5` → `1.234,5` (vi): at most `digits` decimals, trailing zeros dropped."""
    return str(_pattern(digits, False).apply(round_half_up(value, digits), _locale(locale)))


def fmt_fixed(value: float, digits: int, locale: str = LOCALE) -> str:
    """Exactly `digits` decimals, as published DTI values (0,7164)."""
    return str(_pattern(digits, True).apply(round_half_up(value, digits), _locale(locale)))


def fmt_percent(ratio: float, digits: int = 1, locale: str = LOCALE) -> str:
    """`0.855` → `85,5%`."""
    return fmt_number(ratio * 100, digits, locale) + "%"

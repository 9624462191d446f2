"""Numbers as DTI publications show them, and fractions as decisions write them.

Scores are computed in binary floating point (vectorised over a cohort); only display and
rank comparison round, and they round HALF-UP on the decimal digits a reader sees, never
with Python's `round` (banker's rounding: round(0.125, 2) == 0.12).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BeforeValidator

from certify.numbers import round_half_up

VALUE_DECIMALS = 4  # published DTI values: 0.7163
POINT_DECIMALS = 2  # published point totals: 326.85
# Threshold tests (≥ 80 %) tolerate this much floating error: (0.1 + 0.2) / 3 is not 0.1.
EPS = 1e-9


def half_up(x: float, places: int) -> Decimal:
    return round_half_up(x, places)


def rounded(x: float, places: int) -> float:
    """`half_up` as a float, for JSON output (0.7345 prints as 0.7345)."""
    return float(half_up(x, places))


def fmt(x: float, places: int = VALUE_DECIMALS) -> str:
    """Shortest decimal text of `x` at most `places` decimals: 7.5, 0.75, 15.14, 10."""
    d = half_up(x, places)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def parse_fraction(value: Any) -> Any:
    """`1/5`, `0.2`, `20%` → 0.2; anything else is left for pydantic to reject."""
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.endswith("%"):
                return float(Fraction(text[:-1].strip()) / 100)
            return float(Fraction(text))
        except (ValueError, ZeroDivisionError):
            return value
    return value


# A share of the maximum written as in the decision: `1/2`, `0.5` or `50%`.
Share = Annotated[float, BeforeValidator(parse_fraction)]

"""Numbers as DTI publications show them, and fractions as decisions write them.

Scores are computed in binary floating point (vectorised over a cohort); only display and
rank comparison round, and they round HALF-UP on the decimal digits a reader sees, never
with Python's `round` (banker's rounding: round(0.125, 2) == 0.12).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any

import numpy as np
import numpy.typing as npt
from pydantic import BeforeValidator

from certify.numbers import round_half_up, round_half_up_scaled

VALUE_DECIMALS = 4  # published DTI values: 0.7163
POINT_DECIMALS = 2  # published point totals: 326.85
# Threshold tests (≥ 80 %) tolerate this much floating error: (0.1 + 0.2) / 3 is not 0.1.
EPS = 1e-9


def half_up(x: float, places: int) -> Decimal:
    return round_half_up(x, places)


def rounded(x: float, places: int) -> float:
    """`half_up` as a float, for JSON output (0.7345 prints as 0.7345)."""
    return float(half_up(x, places))


# --- published figures: every output (CLI, CSV, JSON API, pages, Excel) shows DTI numbers through these ----------
# Scores are stored and computed unrounded; only what a reader sees is rounded, always the same way.


def dti_value(x: float | None) -> float | None:
    """A DTI value (or its change) as published: 4 decimals, half up. 0.9032412500000001 → 0.9032."""
    return None if x is None else rounded(x, VALUE_DECIMALS)


def dti_points(x: float | None, places: int = POINT_DECIMALS) -> float | None:
    """Points as published: 2 decimals, half up. 326.8449999 → 326.84; 7.125 → 7.13."""
    return None if x is None else rounded(x, places)


def value_text(x: float) -> str:
    """A DTI value as text with its 4 decimals (CSV, terminal): 0.7 → «0.7000»."""
    return str(half_up(x, VALUE_DECIMALS))


def points_text(x: float) -> str:
    """Points as text with their 2 decimals (CSV, terminal): 7.5 → «7.50»."""
    return str(half_up(x, POINT_DECIMALS))


def value_texts(values: npt.ArrayLike) -> list[str]:
    """`[value_text(x) for x in values]` for a whole column at once."""
    return _texts(values, VALUE_DECIMALS)


def points_texts(values: npt.ArrayLike) -> list[str]:
    """`[points_text(x) for x in values]` for a whole column at once."""
    return _texts(values, POINT_DECIMALS)


def _texts(values: npt.ArrayLike, places: int) -> list[str]:
    """`str(half_up(x, places))` of every value, the rounding done on the array (`round_half_up_scaled` is exact,
    ties and huge values going through `round_half_up` itself), each distinct figure written once (a main index's
    points repeat across a cohort); text «-0.00» kept where Decimal gives it."""
    array = np.asarray(values, dtype=np.float64).ravel()
    finite = np.isfinite(array)
    scaled = round_half_up_scaled(np.where(finite, array, 0.0), places)
    distinct, where = _distinct(scaled)
    out: list[str] = np.array(_fixed_all(distinct, places), dtype=object)[where].tolist()
    for i in np.flatnonzero(~finite | ((scaled == 0) & np.signbit(array))).tolist():
        out[i] = "-" + out[i] if finite[i] else str(half_up(float(array[i]), places))  # -0.00; what one value gives
    return out


def _distinct(ks: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """`np.unique(ks, return_inverse=True)`: where the whole numbers span little more than their count (a cohort's
    points in hundredths), found from a table of the span instead of a sort."""
    if not len(ks):
        return ks, np.zeros(0, dtype=np.intp)
    lo, hi = int(ks.min()), int(ks.max())
    if hi - lo > 4 * len(ks) + 1024:
        distinct, where = np.unique(ks, return_inverse=True)
        return distinct, where.ravel()
    present = np.zeros(hi - lo + 1, dtype=np.bool_)
    present[ks - lo] = True
    return np.flatnonzero(present) + lo, (np.cumsum(present) - 1)[ks - lo]


def _fixed(k: int, places: int) -> str:
    """The whole number `k` of hundredths (places=2) or ten-thousandths (4) as text: 1234 → «12.34»."""
    digits = str(abs(k)).rjust(places + 1, "0")
    return f"{'-' if k < 0 else ''}{digits[:-places]}.{digits[-places:]}"


_FLOAT_TEXT_EXACT = 10**12  # below, k / 10**places is within far less than half a last place of the decimal k


def _fixed_all(ks: npt.NDArray[np.int64], places: int) -> list[str]:
    """`[_fixed(k, places) for k in ks]`, formatted in one step: each k / 10**places as a float with `places`
    decimals (the float is the decimal's nearest, so it prints back as that decimal); huge k by `_fixed`."""
    if not len(ks):
        return []
    if int(np.abs(ks).max()) >= _FLOAT_TEXT_EXACT:
        return [_fixed(k, places) for k in ks.tolist()]
    return ((f"%.{places}f\n" * len(ks)) % tuple((ks / 10**places).tolist())).split("\n")[:-1]


_VALUES = frozenset({"value", "change", "mean_value", "mean_change"})
_POINTS = frozenset({"points", "max_points", "self", "appraised", "denominator", "uncapped"})
# A criterion's points are shown as its explanation computes them («0.7571 × 20 = 15.1429»): 4 decimals.
_TRACED = frozenset({"criteria", "differences"})
TRACE_DECIMALS = 4


def published(record: Any, places: int = POINT_DECIMALS) -> Any:
    """A DTI record (a unit's scores, a ranking row, a table) with every value and every point total rounded
    as published, at any depth; everything else is left as it is. The one rounding of every DTI output."""
    if isinstance(record, dict):
        out: dict[str, Any] = {}
        for key, v in record.items():
            if key in _VALUES and isinstance(v, int | float) and not isinstance(v, bool):
                out[key] = dti_value(v)
            elif key in _POINTS and isinstance(v, int | float) and not isinstance(v, bool):
                out[key] = dti_points(v, places)
            elif key == "percent" and isinstance(v, int | float):
                out[key] = rounded(v, 2)
            else:
                out[key] = published(v, TRACE_DECIMALS if key in _TRACED else places)
        previous = out.get("previous")
        if isinstance(out.get("change"), float) and isinstance(previous, dict) and "value" in previous:
            # The change a reader computes from the two published values, not the rounding of the exact one.
            out["change"] = dti_value(out["value"] - previous["value"])
        return out
    if isinstance(record, list | tuple):
        return [published(v, places) for v in record]
    return record


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

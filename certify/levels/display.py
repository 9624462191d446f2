"""How values, requirements and gaps read in Vietnamese (pure functions, no I/O)."""

from __future__ import annotations

from certify.levels.assessment import Measurement
from certify.levels.model import Criterion, IndicatorType
from certify.numbers import fmt_number, fmt_percent

MISSING_VI = "thiếu số liệu"
NA_VI = "không áp dụng"


def show_value(crit: Criterion, value: float | None) -> str:
    if value is None:
        return MISSING_VI
    assert crit.indicator is not None
    kind = crit.indicator.type
    if kind is IndicatorType.RATIO:
        return fmt_percent(value)
    if kind is IndicatorType.BOOLEAN:
        return "Có" if value >= 1 else "Không"
    unit = f" {crit.indicator.unit}" if crit.indicator.unit else ""
    return fmt_number(value) + unit


def show_measurement(crit: Criterion, m: Measurement | None) -> str:
    if m is None:
        return MISSING_VI
    if m.na:
        return NA_VI
    text = show_value(crit, m.value)
    if m.numerator is not None and m.denominator is not None:
        unit = crit.indicator.count_unit if crit.indicator and crit.indicator.count_unit else ""
        text += f" ({fmt_number(m.numerator, 0)}/{fmt_number(m.denominator, 0)}{' ' + unit if unit else ''})"
    return text


def show_requirement(crit: Criterion, threshold: float | bool | None) -> str:
    if threshold is None:
        return "chưa có ngưỡng"
    assert crit.indicator is not None
    if crit.indicator.type is IndicatorType.BOOLEAN:
        return "Có"
    op = "≤" if crit.indicator.direction == "lower" else "≥"
    return f"{op} {show_value(crit, float(threshold))}"


def show_gap(crit: Criterion, current: float | None, target: float, count_gap: int | None) -> str:
    """`+12 điểm phần trăm (+35 hồ sơ)`, `cần triển khai`, `+3 lượt`, `−2 ngày`."""
    assert crit.indicator is not None
    ind = crit.indicator
    if current is None:
        return f"cần số liệu; mục tiêu {show_requirement(crit, target)}"
    if ind.type is IndicatorType.BOOLEAN:
        return "cần triển khai"
    diff = target - current
    sign = "+" if diff >= 0 else "−"
    if ind.type is IndicatorType.RATIO:
        text = f"{sign}{fmt_number(abs(diff) * 100, 1)} điểm phần trăm"
        if count_gap is not None:
            text += f" ({sign}{fmt_number(count_gap, 0)}{' ' + ind.count_unit if ind.count_unit else ''})"
        return text
    unit = f" {ind.unit}" if ind.unit else ""
    return f"{sign}{fmt_number(abs(diff))}{unit}"


def show_pace(crit: Criterion, per_year: float) -> str:
    """How fast a value moves towards better: `+3,2 điểm phần trăm/năm`, `−0,5 ngày/năm` (lower is better)."""
    assert crit.indicator is not None
    ind = crit.indicator
    moved = -per_year if ind.direction == "lower" else per_year  # back to the value's own direction
    sign = "+" if moved >= 0 else "−"
    if ind.type is IndicatorType.RATIO:
        return f"{sign}{fmt_number(abs(moved) * 100, 1)} điểm phần trăm/năm"
    unit = f" {ind.unit}" if ind.unit else ""
    return f"{sign}{fmt_number(abs(moved))}{unit}/năm"

"""The measured quantity of a criterion: a ratio of the decision's variables, or a value given directly.

Decisions define a criterion's quantity as «Tỷ lệ = (a+b)/c» with a, b, c described in the text.
A cohort file gives either the quantity itself (column `<code>`, e.g. `1.3` = 0.75 or 75%) or the
variables (columns `<code>.a`, `<code>.b`, …), row by row. When the numerator counts part of
what the denominator counts (`share`, the usual case) a numerator above the denominator is a data
error, and 0 of 0 means the criterion does not arise for the unit (no incidents to handle, no
botnet IPs to clean): it is then treated as not applicable, never as 0 % or 100 %.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from pydantic import Field, field_validator

from certify.dti.methods.base import (
    BoolArray,
    Context,
    FloatArray,
    InputKind,
    InputSpec,
    Params,
    Row,
    RowIssue,
)
from certify.dti.numbers import EPS, fmt

Term = str | float

_T = r"[a-z][a-z0-9_]*|[0-9]+(?:\.[0-9]+)?"
_SIDE = rf"\(\s*((?:{_T})(?:\s*\+\s*(?:{_T}))*)\s*\)|({_T})"
_RATIO = re.compile(rf"^\s*(?:{_SIDE})\s*/\s*(?:{_SIDE})\s*$")


@dataclass(frozen=True)
class RatioExpr:
    num: tuple[Term, ...]
    den: tuple[Term, ...]
    text: str

    @property
    def variables(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in (*self.num, *self.den):
            if isinstance(t, str):
                seen.setdefault(t)
        return list(seen)


def _terms(side: str) -> tuple[Term, ...]:
    out: list[Term] = []
    for part in side.split("+"):
        part = part.strip()
        out.append(float(part) if part[0].isdigit() else part)
    return tuple(out)


def parse_ratio(text: str) -> RatioExpr:
    m = _RATIO.match(text)
    if not m:
        raise ValueError(
            f"Biểu thức tỷ lệ «{text}» không hợp lệ (dạng a/b, (a+b)/c, a/7) | "
            f"Invalid ratio expression '{text}' (forms a/b, (a+b)/c, a/7)"
        )
    num = _terms(m.group(1) or m.group(2))
    den = _terms(m.group(3) or m.group(4))
    return RatioExpr(num, den, text.strip())


class Measured(Params):
    """Parameters of a method that scores one measured quantity x."""

    ratio: str | None = Field(
        default=None, description="«Tỷ lệ» as the decision writes it: a/b, (b+c)/a, a/7; its letters are columns"
    )
    share: bool = Field(
        default=True, description="the numerator counts part of the denominator, so a/b ≤ 1 and 0 of 0 does not arise"
    )
    x: str | None = Field(default=None, description="what a directly measured x is, when there is no ratio")
    unit: str | None = Field(default=None, description="unit of a direct x: tỷ đồng, cuộc")

    @field_validator("ratio")
    @classmethod
    def _valid_ratio(cls, value: str | None) -> str | None:
        if value is not None:
            parse_ratio(value)
        return value

    @cached_property
    def expr(self) -> RatioExpr | None:
        return parse_ratio(self.ratio) if self.ratio else None


@dataclass(frozen=True)
class Measure:
    """Where x comes from in a cohort: the `direct` column, or variables named `<ns>.<var>`."""

    direct: str
    ns: str
    expr: RatioExpr | None
    share: bool = True
    what: str = ""

    @classmethod
    def of(cls, code: str, p: Measured, direct: str | None = None) -> Measure:
        return cls(direct or code, code, p.expr, p.share, p.x or p.ratio or "")

    def var_column(self, var: str) -> str:
        return f"{self.ns}.{var}"

    @property
    def var_columns(self) -> list[str]:
        return [self.var_column(v) for v in self.expr.variables] if self.expr else []

    @property
    def direct_kind(self) -> InputKind:
        return InputKind.FRACTION if self.expr is not None and self.share else InputKind.NUMBER

    def inputs(self) -> list[InputSpec]:
        out = [InputSpec(self.direct, self.direct_kind, describe=self.what)]
        out += [InputSpec(col, InputKind.NUMBER) for col in self.var_columns]
        return out

    def _side(self, ctx: Context, terms: tuple[Term, ...]) -> FloatArray:
        total = np.zeros(ctx.n)
        for t in terms:
            total = total + (t if isinstance(t, float) else ctx.column(self.var_column(t)))
        return total

    def _parts(self, ctx: Context) -> tuple[FloatArray, FloatArray, BoolArray, BoolArray]:
        """Numerator, denominator, rows with every variable given, rows with some variable given."""
        assert self.expr is not None
        given = [~np.isnan(ctx.column(c)) for c in self.var_columns]
        all_given = np.logical_and.reduce(given) if given else np.ones(ctx.n, dtype=bool)
        any_given = np.logical_or.reduce(given) if given else np.zeros(ctx.n, dtype=bool)
        return self._side(ctx, self.expr.num), self._side(ctx, self.expr.den), all_given, any_given

    def row_checks(self, ctx: Context, code: str) -> Iterator[RowIssue]:
        if self.expr is None:
            return
        num, den, all_given, any_given = self._parts(ctx)
        direct = ~np.isnan(ctx.column(self.direct))
        cols = self.var_columns
        both = np.flatnonzero(direct & any_given)
        if both.size:
            yield RowIssue(
                both,
                self.direct,
                "value-and-parts",
                f"Tiêu chí {code}: nhập hoặc giá trị «{self.direct}» hoặc các biến {', '.join(cols)}, không cả hai",
                f"Criterion {code}: give either the value '{self.direct}' or the variables {', '.join(cols)}, not both",
            )
        for col in cols:
            missing = np.flatnonzero(any_given & np.isnan(ctx.column(col)))
            if missing.size:
                yield RowIssue(
                    missing,
                    col,
                    "missing-variable",
                    f"Tiêu chí {code}: thiếu biến «{col}» trong khi các biến khác của tỷ lệ {self.expr.text} đã có",
                    f"Criterion {code}: variable '{col}' is missing while the other variables of "
                    f"the ratio {self.expr.text} are given",
                    expected="một số ≥ 0 / a number ≥ 0",
                    found=lambda i: "(trống/empty)",
                )
        num_cols = "+".join(self.var_column(t) for t in self.expr.num if isinstance(t, str))
        den_cols = "+".join(self.var_column(t) if isinstance(t, str) else fmt(t) for t in self.expr.den)
        if self.share:
            over = np.flatnonzero(all_given & (num > den * (1 + EPS) + EPS))
            if over.size:
                yield RowIssue(
                    over,
                    num_cols,
                    "numerator-above-denominator",
                    f"Tiêu chí {code}: tử số lớn hơn mẫu số ({self.expr.text})",
                    f"Criterion {code}: numerator above denominator ({self.expr.text})",
                    expected=f"{num_cols} ≤ {den_cols}",
                    found=lambda i: f"{fmt(num[i])} > {fmt(den[i])}",
                )
        else:
            zero = np.flatnonzero(all_given & (den == 0) & (num > 0))
            if zero.size:
                yield RowIssue(
                    zero,
                    den_cols,
                    "zero-denominator",
                    f"Tiêu chí {code}: mẫu số bằng 0 ({self.expr.text})",
                    f"Criterion {code}: the denominator is 0 ({self.expr.text})",
                    expected=f"{den_cols} > 0",
                    found=lambda i: "0",
                )

    def evaluate(self, ctx: Context) -> tuple[FloatArray, BoolArray, dict[str, FloatArray]]:
        """x per unit (NaN = no data), rows where the quantity does not arise (0 of 0), detail."""
        direct = ctx.column(self.direct)
        if self.expr is None:
            return direct, np.zeros(ctx.n, dtype=bool), {"x": direct}
        num, den, all_given, _ = self._parts(ctx)
        with np.errstate(divide="ignore", invalid="ignore"):
            from_parts = np.where(all_given & (den > 0), num / den, np.nan)
        x = np.where(np.isnan(direct), from_parts, direct)
        na = np.isnan(direct) & all_given & (den == 0) & (num == 0)
        return x, na, {"x": x, "num": np.where(all_given, num, np.nan), "den": np.where(all_given, den, np.nan)}

    def text(self, row: Row) -> str:
        """`6/8 = 0.75`, `(5+3)/100 = 0.08`, or the value given directly."""
        x = row.detail("x")
        if self.expr is None or row.value(self.direct) is not None:
            label = "tỷ lệ" if self.expr is not None else (self.what.split("|")[0].strip() or "x")
            return f"{label} = {fmt(x)}"

        def side(terms: tuple[Term, ...]) -> str:
            vals = [fmt(t) if isinstance(t, float) else fmt(row.value(self.var_column(t)) or 0.0) for t in terms]
            return vals[0] if len(vals) == 1 else "(" + "+".join(vals) + ")"

        return f"{side(self.expr.num)}/{side(self.expr.den)} = {fmt(x)}"

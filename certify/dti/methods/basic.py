"""Methods that score a unit from its own data alone.

Formulas are those of the reference catalogue (QĐ 922/QĐ-BTTTT, VL 2554/QĐ-UBND); each class
docstring names the Vĩnh Long criterion it is taken from.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Annotated, ClassVar, TypeVar

import numpy as np
from pydantic import Field, model_validator

from certify.dti.methods.base import (
    Compiled,
    Context,
    FloatArray,
    InputKind,
    InputSpec,
    MethodExample,
    NoParams,
    ParamIssue,
    Params,
    Row,
    RowIssue,
    Scored,
    ScoringMethod,
)
from certify.dti.methods.measure import Measure, Measured
from certify.dti.numbers import EPS, Share, fmt

OPTION_ID = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"


def times(fraction: float, max_points: float, points: float) -> str:
    """`0.75 × 10 = 7.5`: the last step of most traces."""
    return f"{fmt(fraction)} × {fmt(max_points)} = {fmt(points)}"


def share_text(w: float) -> str:
    """A weight as the decision writes it: 1/5, 1/2, 3/5."""
    f = Fraction(w).limit_denominator(100)
    return str(f) if abs(float(f) - w) < EPS and f.denominator != 1 else fmt(w)


def yes_no(v: float | None) -> str:
    return "(trống)" if v is None else ("có" if v >= 0.5 else "không")


class Option(Params):
    id: str = Field(pattern=OPTION_ID, description="what the cell holds: bi-thu-chu-tich")
    label: str | None = Field(default=None, description="the option as the decision words it")
    fraction: Annotated[Share, Field(ge=0, le=1, description="share of the maximum: 1, 1/2, 50%")]


def option_issues(options: list[Option], where: tuple[str | int, ...]) -> list[ParamIssue]:
    out: list[ParamIssue] = []
    ids = [o.id for o in options]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        out.append(((*where,), f"Lựa chọn «{dup}» bị lặp", f"Option '{dup}' appears twice"))
    if options and max(o.fraction for o in options) < 1 - EPS:
        out.append(
            ((*where,), "Không lựa chọn nào được điểm tối đa (fraction 1)", "No option gives the maximum (fraction 1)")
        )
    return out


def option_fractions(options: list[Option], col: FloatArray) -> FloatArray:
    """Column of option positions (NaN = empty) → the options' fractions."""
    table = np.array([o.fraction for o in options])
    idx = np.nan_to_num(col, nan=0).astype(np.int64)
    return np.where(np.isnan(col), np.nan, table[idx])


class Binary(ScoringMethod[NoParams]):
    """VL 2.3 «Kế hoạch hành động hàng năm … về chuyển đổi số»: issued → max, else 0."""

    formula = "điểm tối đa nếu có, 0 nếu không (max if yes else 0)"
    example = MethodExample(10, {}, ({"": "có"},), "VL 2.3, kế hoạch hành động năm đã ban hành")

    def inputs(self, c: Compiled) -> list[InputSpec]:
        return [InputSpec(c.code, InputKind.YESNO)]

    def score(self, c: Compiled, ctx: Context) -> Scored:
        return Scored(ctx.column(c.code) * c.max_points)

    def explain(self, c: Compiled, row: Row) -> str:
        return f"{yes_no(row.value(c.code))} → {fmt(row.points)}"


class CategoricalParams(Params):
    options: list[Option] = Field(min_length=2, description="exclusive options, each with its share of max")


class Categorical(ScoringMethod[CategoricalParams]):
    """VL 1.1: Trưởng ban BCĐ is Bí thư/Chủ tịch → max; Phó → 1/2; otherwise 0."""

    params_model = CategoricalParams
    formula = "max × tỷ lệ của lựa chọn (max × fraction of the option)"
    example = MethodExample(
        10,
        {
            "options": [
                {"id": "bi-thu-chu-tich", "fraction": 1},
                {"id": "pho-bi-thu-pho-chu-tich", "fraction": "1/2"},
                {"id": "khac", "fraction": 0},
            ]
        },
        ({"": "pho-bi-thu-pho-chu-tich"},),
        "VL 1.1, Trưởng ban Ban chỉ đạo là Phó Chủ tịch",
    )

    def check(self, code: str, max_points: float, params: CategoricalParams) -> list[ParamIssue]:
        return option_issues(params.options, ("options",))

    def inputs(self, c: Compiled) -> list[InputSpec]:
        p: CategoricalParams = c.params
        return [InputSpec(c.code, InputKind.OPTION, tuple(o.id for o in p.options))]

    def score(self, c: Compiled, ctx: Context) -> Scored:
        return Scored(option_fractions(c.params.options, ctx.column(c.code)) * c.max_points)

    def explain(self, c: Compiled, row: Row) -> str:
        v = row.value(c.code)
        assert v is not None
        opt: Option = c.params.options[int(v)]
        return f"«{opt.id}» → {times(opt.fraction, c.max_points, row.points)}"


MP = TypeVar("MP", bound=Measured)


class MeasuredMethod(ScoringMethod[MP]):
    """Shared plumbing of the methods that score one measured quantity x (ratio or direct value)."""

    params_model: ClassVar[type[Params]] = Measured

    def measure(self, c: Compiled) -> Measure:
        return Measure.of(c.code, c.params)

    def inputs(self, c: Compiled) -> list[InputSpec]:
        return self.measure(c).inputs()

    def row_checks(self, c: Compiled, ctx: Context) -> Iterator[RowIssue]:
        return self.measure(c).row_checks(ctx, c.code)

    def check(self, code: str, max_points: float, params: MP) -> list[ParamIssue]:
        if params.ratio is None and params.x is None:
            return [
                (
                    (),
                    "Cần «ratio» (tỷ lệ) hoặc «x» (đại lượng đo trực tiếp)",
                    "Needs 'ratio' or 'x' (the directly measured quantity)",
                )
            ]
        return []

    def points(self, c: Compiled, x: FloatArray) -> FloatArray:
        """Points from x; NaN in x (no data) must stay NaN."""
        raise NotImplementedError

    def score(self, c: Compiled, ctx: Context) -> Scored:
        x, na, detail = self.measure(c).evaluate(ctx)
        return Scored(np.where(np.isnan(x), np.nan, self.points(c, x)), na, detail)


class Ratio(MeasuredMethod[Measured]):
    """VL 1.3: Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa. 6 of 8 → 7.5 of 10."""

    formula = "max × tỷ lệ"
    example = MethodExample(10, {"ratio": "a/b"}, ({"a": 6, "b": 8},), "VL 1.3, 6 trên 8 văn bản")

    def points(self, c: Compiled, x: FloatArray) -> FloatArray:
        # A ratio that is not a share can exceed 1; the score never exceeds max ([inferred]).
        return np.clip(x, 0, 1) * c.max_points

    def explain(self, c: Compiled, row: Row) -> str:
        text = self.measure(c).text(row)
        if row.detail("x") > 1:
            return f"{text} > 1 → điểm tối đa {fmt(row.points)}"
        return f"{text} × {fmt(c.max_points)} = {fmt(row.points)}"


class CapParams(Measured):
    cap: Annotated[Share, Field(gt=0, description="threshold T: 80%, 0.8 or 4/5")]


class RatioCap(MeasuredMethod[CapParams]):
    """VL 6.12: Tỷ lệ ≥ 80 %: max; Tỷ lệ < 80 %: Tỷ lệ/80 % × max. 60 % → 15 of 20."""

    params_model = CapParams
    formula = "max × min(1, tỷ lệ / T)"
    example = MethodExample(20, {"ratio": "a/b", "cap": "80%"}, ({"a": 60, "b": 100},), "VL 6.12, 60 % hồ sơ")

    def points(self, c: Compiled, x: FloatArray) -> FloatArray:
        cap: float = c.params.cap
        return np.minimum(1.0, np.maximum(x, 0) / cap) * c.max_points

    def explain(self, c: Compiled, row: Row) -> str:
        x, cap = row.detail("x"), c.params.cap
        text = self.measure(c).text(row)
        if x >= cap - EPS:
            return f"{text} ≥ {fmt(cap)} → điểm tối đa {fmt(row.points)}"
        return f"{text} < {fmt(cap)} → {fmt(x)}/{fmt(cap)} = {times(x / cap, c.max_points, row.points)}"


class RatioCapJump(MeasuredMethod[CapParams]):
    """VL 7.5: Tỷ lệ ≥ 50 %: max; < 50 %: max × Tỷ lệ. 49 % → 4.9, 50 % → 10: discontinuous, as written."""

    params_model = CapParams
    formula = "max nếu tỷ lệ ≥ T, ngược lại max × tỷ lệ (discontinuous at T)"
    example = MethodExample(10, {"ratio": "a/b", "cap": "50%"}, ({"a": 49, "b": 100},), "VL 7.5, 49 % doanh nghiệp")

    def points(self, c: Compiled, x: FloatArray) -> FloatArray:
        return np.where(x >= c.params.cap - EPS, c.max_points, np.clip(x, 0, 1) * c.max_points)

    def explain(self, c: Compiled, row: Row) -> str:
        x, cap = row.detail("x"), c.params.cap
        text = self.measure(c).text(row)
        if x >= cap - EPS:
            return f"{text} ≥ {fmt(cap)} → điểm tối đa {fmt(row.points)}"
        return f"{text} < {fmt(cap)} → {times(x, c.max_points, row.points)}"


class AllOrNothingParams(Measured):
    T: Annotated[Share, Field(gt=0, description="threshold reached for the maximum; default 100%")] = 1.0


class AllOrNothing(MeasuredMethod[AllOrNothingParams]):
    """VL 6.8: Tỷ lệ = 100 %: max; Tỷ lệ < 100 %: 0. 99 % → 0."""

    params_model = AllOrNothingParams
    formula = "max nếu tỷ lệ ≥ T (100 %), ngược lại 0"
    example = MethodExample(10, {"ratio": "a/b"}, ({"a": 99, "b": 100},), "VL 6.8, 99 % dịch vụ")

    def points(self, c: Compiled, x: FloatArray) -> FloatArray:
        return np.where(x >= c.params.T - EPS, c.max_points, 0.0)

    def explain(self, c: Compiled, row: Row) -> str:
        sign = "≥" if row.detail("x") >= c.params.T - EPS else "<"
        return f"{self.measure(c).text(row)} {sign} {fmt(c.params.T)} → {fmt(row.points)}"


class CountCappedParams(Measured):
    per_item: float = Field(gt=0, description="points per counted item")
    cap: float | None = Field(default=None, ge=0, description="points ceiling; default max_points")


class CountCapped(MeasuredMethod[CountCappedParams]):
    """VL 6.21: each AI-using activity 1 point, total at most max. 12 activities → 10 of 10."""

    params_model = CountCappedParams
    formula = "min(trần, điểm mỗi mục × số mục)"
    example = MethodExample(
        10, {"x": "Số hoạt động có ứng dụng AI", "per_item": 1}, ({"": 12},), "VL 6.21, 12 hoạt động"
    )

    def _cap(self, c: Compiled) -> float:
        return c.max_points if c.params.cap is None else float(c.params.cap)

    def check(self, code: str, max_points: float, params: CountCappedParams) -> list[ParamIssue]:
        out = super().check(code, max_points, params)
        if params.cap is not None and params.cap > max_points + EPS:
            out.append(
                (
                    ("cap",),
                    f"Trần {fmt(params.cap)} vượt điểm tối đa {fmt(max_points)}",
                    f"Cap {fmt(params.cap)} exceeds max points {fmt(max_points)}",
                )
            )
        return out

    def points(self, c: Compiled, x: FloatArray) -> FloatArray:
        per_item: float = c.params.per_item
        return np.minimum(self._cap(c), x * per_item)

    def explain(self, c: Compiled, row: Row) -> str:
        n, per = row.detail("x"), c.params.per_item
        raw = n * per
        head = f"{fmt(n)} × {fmt(per)} = {fmt(raw)}"
        return f"{head} > {fmt(self._cap(c))} → {fmt(row.points)}" if raw > self._cap(c) + EPS else head


class Tier(Params):
    min: float | str | None = Field(
        default=None, description="lower bound (≥), a number; a level of `scale`; null = otherwise (last)"
    )
    fraction: Annotated[Share, Field(ge=0, le=1, description="share of the maximum in this tier")]
    label: str | None = Field(default=None, description="the tier as the decision words it")


class TiersParams(Measured):
    scale: list[str] | None = Field(
        default=None, description="ordinal levels, lowest first, when the cell holds a level instead of a number"
    )
    tiers: list[Tier] = Field(min_length=1, description="tiers from the highest down; the first reached counts")
    requires: str | None = Field(default=None, pattern=OPTION_ID, description="yes/no precondition")

    @model_validator(mode="after")
    def _scale_or_ratio(self) -> TiersParams:
        if self.scale is not None and self.ratio is not None:
            raise ValueError("Không dùng «scale» cùng «ratio» | 'scale' and 'ratio' exclude each other")
        return self


class Tiers(ScoringMethod[TiersParams]):
    """VL 5.12.1: (a+b)/c ≥ 10 %: max; ≥ 7 %: 70 %; ≥ 3 %: 30 %; < 3 %: 0. 8 % → 3.5 of 5."""

    params_model = TiersParams
    formula = "max × tỷ lệ của mức đầu tiên đạt được (first tier reached, highest first)"
    example = MethodExample(
        5,
        {
            "ratio": "(a+b)/c",
            "tiers": [
                {"min": 0.1, "fraction": 1},
                {"min": 0.07, "fraction": "70%"},
                {"min": 0.03, "fraction": "30%"},
                {"min": None, "fraction": 0},
            ],
        },
        ({"a": 5, "b": 3, "c": 100},),
        "VL 5.12.1, chi cho ATTT 8 % tổng chi CNTT",
    )

    def measure(self, c: Compiled) -> Measure:
        return Measure.of(c.code, c.params)

    def inputs(self, c: Compiled) -> list[InputSpec]:
        p: TiersParams = c.params
        out = [InputSpec(c.code, InputKind.OPTION, tuple(p.scale))] if p.scale is not None else self.measure(c).inputs()
        if p.requires:
            out.append(InputSpec(f"{c.code}.{p.requires}", InputKind.YESNO))
        return out

    def row_checks(self, c: Compiled, ctx: Context) -> Iterator[RowIssue]:
        return iter(()) if c.params.scale is not None else self.measure(c).row_checks(ctx, c.code)

    def _bound(self, p: TiersParams, tier: Tier) -> float:
        if tier.min is None:
            return -np.inf
        if p.scale is not None:
            return float(p.scale.index(str(tier.min)))
        return float(tier.min)

    def check(self, code: str, max_points: float, params: TiersParams) -> list[ParamIssue]:
        out: list[ParamIssue] = []
        if params.scale is None and params.ratio is None and params.x is None:
            out.append(((), "Cần «ratio», «x» hoặc «scale»", "Needs 'ratio', 'x' or 'scale'"))
        previous = np.inf
        for k, tier in enumerate(params.tiers):
            where = ("tiers", k, "min")
            if tier.min is None and k != len(params.tiers) - 1:
                out.append(
                    (
                        where,
                        "Mức «còn lại» (min: null) phải là mức cuối",
                        "The 'otherwise' tier (min: null) must be the last",
                    )
                )
                continue
            if params.scale is not None and tier.min is not None and str(tier.min) not in params.scale:
                out.append((where, f"«{tier.min}» không thuộc thang «scale»", f"'{tier.min}' is not in 'scale'"))
                continue
            if params.scale is None and isinstance(tier.min, str):
                out.append((where, "Ngưỡng phải là số", "The bound must be a number"))
                continue
            bound = self._bound(params, tier)
            if bound >= previous:
                out.append((where, "Các mức phải xếp từ cao xuống thấp", "Tiers must go from highest to lowest"))
            previous = bound
        return out

    def _x(self, c: Compiled, ctx: Context) -> tuple[FloatArray, Scored]:
        if c.params.scale is not None:
            x = ctx.column(c.code)
            return x, Scored(x, None, {"x": x})
        x, na, detail = self.measure(c).evaluate(ctx)
        return x, Scored(x, na, detail)

    def score(self, c: Compiled, ctx: Context) -> Scored:
        p: TiersParams = c.params
        x, out = self._x(c, ctx)
        fraction = np.where(np.isnan(x), np.nan, 0.0)
        tier_no = np.full(ctx.n, -1.0)
        open_ = ~np.isnan(x)
        for k, tier in enumerate(p.tiers):
            hit = open_ & (x >= self._bound(p, tier) - EPS)
            fraction[hit] = tier.fraction
            tier_no[hit] = k
            open_ &= ~hit
        points = fraction * c.max_points
        if p.requires:
            req = ctx.column(f"{c.code}.{p.requires}")
            points = np.where(req == 0, 0.0, np.where(np.isnan(req), np.nan, points))
            out.detail["requires"] = req
        out.points = points
        out.detail["tier"] = tier_no
        return out

    def explain(self, c: Compiled, row: Row) -> str:
        p: TiersParams = c.params
        if p.requires and row.detail("requires") == 0:
            return f"không có «{p.requires}» → 0"
        x = row.detail("x")
        head = f"«{p.scale[int(x)]}»" if p.scale is not None else self.measure(c).text(row)
        k = int(row.detail("tier"))
        if k < 0:
            return f"{head}: dưới mọi mức → 0"
        tier = p.tiers[k]
        bound = "còn lại" if tier.min is None else f"mức ≥ {tier.min if isinstance(tier.min, str) else fmt(tier.min)}"
        return f"{head}: {bound} → {times(tier.fraction, c.max_points, row.points)}"

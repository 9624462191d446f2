"""Methods whose points depend on the other units of the cohort (peer-relative scores).

The peers are the units of the explicit cohort, or of the same ranking group within it
(framework setting `rules.peer_scope`). Units without data, and units for which the criterion
does not arise (0 of 0), are left out of the comparison.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from certify.dti.methods.base import Compiled, Context, MethodExample, Row, Scored
from certify.dti.methods.basic import MeasuredMethod, times
from certify.dti.methods.measure import Measured
from certify.dti.numbers import EPS, fmt


class BestParams(Measured):
    # Everyone at 0: the decision's «own / best» is 0/0. Zero points unless the file says otherwise.
    if_best_zero: Literal["zero", "max"] = Field(
        default="zero", description="points when the best unit has 0: zero (default) or max"
    )


class RelativeToBest(MeasuredMethod[BestParams]):
    """VL 7.10 «Số lượng tên miền .vn»: best unit max; others own/best × max. 0.3 vs best 0.6 → 5 of 10."""

    params_model = BestParams
    cohort_dependent = True
    formula = "max × x / x cao nhất của nhóm (max × x / best)"
    example = MethodExample(
        10,
        {"ratio": "a/b", "share": False},
        ({"a": 3, "b": 10}, {"a": 6, "b": 10}),
        "VL 7.10, tên miền .vn trên doanh nghiệp 0,3 so với cao nhất 0,6",
    )

    def score(self, c: Compiled, ctx: Context) -> Scored:
        x, na, detail = self.measure(c).evaluate(ctx)
        best = ctx.peers.group_max(x, ~np.isnan(x) & ~na)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(best > 0, np.clip(x, 0, None) / best, 1.0 if c.params.if_best_zero == "max" else 0.0)
        detail["best"] = best
        detail["rel"] = rel
        return Scored(np.where(np.isnan(x), np.nan, rel * c.max_points), na, detail)

    def explain(self, c: Compiled, row: Row) -> str:
        best = row.detail("best")
        text = self.measure(c).text(row)
        if not best > 0:
            return f"{text}; cao nhất của nhóm = 0 → {fmt(row.points)} (if_best_zero: {c.params.if_best_zero})"
        return f"{text}; cao nhất của nhóm {fmt(best)} → {fmt(row.detail('x'))}/{fmt(best)} = " + times(
            row.detail("rel"), c.max_points, row.points
        )


class MinMaxParams(Measured):
    # standard: (x − min)/(max − min), the UN EGDI normalisation (formula A of the reference);
    # to_max: x / max (formula B). The decisions name «Min-Max» without a formula.
    formula: Literal["standard", "to_max"] = Field(
        default="standard", description="standard: (x − min)/(max − min); to_max: x / max"
    )
    # Every peer has the same x: A is 0/0. max_unless_zero = max if that common x > 0, else 0.
    if_all_equal: Literal["max", "zero", "max_unless_zero"] = Field(
        default="max_unless_zero", description="every peer has the same x: max, zero, or max unless that x is 0"
    )


class MinMax(MeasuredMethod[MinMaxParams]):
    """VL 5.9 drills: «Min-Max … nhiều nhất thì điểm tối đa và giảm dần». x = 3, min 1, max 6 → 2.0 of 5 (A)."""

    params_model = MinMaxParams
    cohort_dependent = True
    formula = "max × (x − x min)/(x max − x min) trong nhóm (min–max across the peers)"
    example = MethodExample(
        5,
        {"x": "Số cuộc diễn tập", "unit": "cuộc"},
        ({"": 3}, {"": 1}, {"": 6}),
        "VL 5.9, 3 cuộc diễn tập; ít nhất 1, nhiều nhất 6",
    )

    def score(self, c: Compiled, ctx: Context) -> Scored:
        p: MinMaxParams = c.params
        x, na, detail = self.measure(c).evaluate(ctx)
        valid = ~np.isnan(x) & ~na
        lo = ctx.peers.group_min(x, valid) if p.formula == "standard" else np.zeros(ctx.n)
        hi = ctx.peers.group_max(x, valid)
        spread = hi - lo
        flat = ~(spread > EPS)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.clip((x - lo) / spread, 0, 1)
        if p.if_all_equal == "max":
            flat_rel = np.ones(ctx.n)
        elif p.if_all_equal == "zero":
            flat_rel = np.zeros(ctx.n)
        else:
            flat_rel = (x > EPS).astype(np.float64)
        rel = np.where(flat, flat_rel, rel)
        detail.update(lo=lo, hi=hi, rel=rel, flat=flat.astype(np.float64))
        return Scored(np.where(np.isnan(x), np.nan, rel * c.max_points), na, detail)

    def explain(self, c: Compiled, row: Row) -> str:
        p: MinMaxParams = c.params
        x, lo, hi = row.detail("x"), row.detail("lo"), row.detail("hi")
        text = self.measure(c).text(row)
        if row.detail("flat"):
            return (
                f"{text}; mọi đơn vị so sánh cùng giá trị {fmt(hi)} → {fmt(row.points)} "
                f"(if_all_equal: {p.if_all_equal})"
            )
        if p.formula == "to_max":
            return f"{text}; {fmt(x)}/{fmt(hi)} (cao nhất) = {times(row.detail('rel'), c.max_points, row.points)}"
        return (
            f"{text}; ({fmt(x)} − {fmt(lo)})/({fmt(hi)} − {fmt(lo)}) = "
            f"{times(row.detail('rel'), c.max_points, row.points)}"
        )

"""Methods whose points are built from pieces: sub-criteria, sub-parts, alternative cases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import numpy as np
from pydantic import Field, ValidationError

from certify.dti.methods.base import (
    Compiled,
    Context,
    FloatArray,
    InputKind,
    InputSpec,
    MethodExample,
    ParamIssue,
    Params,
    Row,
    RowIssue,
    Scored,
    ScoringMethod,
    get_method,
)
from certify.dti.methods.basic import OPTION_ID, Option, option_fractions, option_issues, share_text, yes_no
from certify.dti.methods.measure import Measure, parse_ratio
from certify.dti.numbers import EPS, Share, fmt


class SumParams(Params):
    parts: list[str] = Field(min_length=1, description="codes of the sub-criteria")


class SumOfParts(ScoringMethod[SumParams]):
    """VL 5.12 «Tổng kinh phí chi cho ATTT» (15) = «Cộng điểm từ 5.12.1 - 5.12.6»."""

    params_model = SumParams
    formula = "Σ điểm các tiêu chí thành phần (sum of the sub-criteria)"
    example = MethodExample(
        9,
        {"parts": ["1.1.1", "1.1.2", "1.1.3"]},
        ({"1": "có", "2": "không", "3": "có"},),
        "VL 5.12, cộng điểm các tiêu chí thành phần",
        parts=(
            {"code": "1", "name": "Phần 1", "max_points": 5, "method": "binary"},
            {"code": "2", "name": "Phần 2", "max_points": 2, "method": "binary"},
            {"code": "3", "name": "Phần 3", "max_points": 2, "method": "binary"},
        ),
    )

    def compile(self, code: str, max_points: float, params: SumParams) -> Compiled:
        return Compiled(code, max_points, self, params, children=tuple(params.parts))

    def score(self, c: Compiled, ctx: Context) -> Scored:
        parts = np.vstack([ctx.points[child] for child in c.children])
        # No data at all for any part = no data; otherwise an empty part counts 0.
        none = np.all(np.isnan(parts), axis=0)
        return Scored(np.where(none, np.nan, np.nansum(parts, axis=0)))

    def explain(self, c: Compiled, row: Row) -> str:
        terms = " + ".join(f"{child}: {fmt(np.nan_to_num(row.points_of(child)))}" for child in c.children)
        return f"{terms} = {fmt(row.points)}"


class Part(Params):
    id: str = Field(pattern=OPTION_ID, description="the part's column is <code>.<id>")
    label: str | None = Field(default=None, description="the part as the decision words it")
    weight: Annotated[Share, Field(gt=0, le=1, description="share of the maximum: 1/5, 3/5")]
    options: list[Option] | None = Field(
        default=None, description="exclusive levels of this part (3.5: đạt chuẩn 1, chưa 1/2, không 0)"
    )
    ratio: str | None = Field(default=None, description="a ratio part (3.6: a/7), variables named in the criterion")
    share: bool = Field(default=True, description="as for `ratio`: the numerator is part of the denominator")


class PartialParams(Params):
    parts: list[Part] = Field(min_length=2, description="the parts; their weights add up to 1")


def _part_measure(code: str, part: Part) -> Measure:
    return (
        Measure(f"{code}.{part.id}", code, parse_ratio(part.ratio), part.share)
        if part.ratio
        else Measure(f"{code}.{part.id}", code, None)
    )


class PartialCredits(ScoringMethod[PartialParams]):
    """VL 6.3: merged portal 1/5 + functional requirements 3/5 + IPv6 1/5. Merged, compliant, no IPv6 → 8 of 10."""

    params_model = PartialParams
    formula = "max × Σ trọng số × mức đạt của từng phần (max × Σ wᵢ·sᵢ)"
    example = MethodExample(
        10,
        {
            "parts": [
                {"id": "hop-nhat", "weight": "1/5"},
                {"id": "chuc-nang", "weight": "3/5"},
                {"id": "ipv6", "weight": "1/5"},
            ]
        },
        ({"hop-nhat": "có", "chuc-nang": "có", "ipv6": "không"},),
        "VL 6.3, hợp nhất và đủ chức năng, chưa IPv6",
    )

    def check(self, code: str, max_points: float, params: PartialParams) -> list[ParamIssue]:
        out: list[ParamIssue] = []
        total = sum(p.weight for p in params.parts)
        if abs(total - 1) > EPS:
            weights = " + ".join(share_text(p.weight) for p in params.parts)
            out.append(
                (
                    ("parts",),
                    f"Tổng trọng số các phần = {weights} = {fmt(total)}, phải bằng 1",
                    f"Part weights add up to {weights} = {fmt(total)}, not 1",
                )
            )
        ids = [p.id for p in params.parts]
        for k, part in enumerate(params.parts):
            if ids.count(part.id) > 1:
                out.append((("parts", k, "id"), f"Phần «{part.id}» bị lặp", f"Part '{part.id}' appears twice"))
            if part.options is not None and part.ratio is not None:
                out.append(
                    (("parts", k), "Một phần chỉ có «options» hoặc «ratio»", "A part has either 'options' or 'ratio'")
                )
            if part.ratio is not None:
                try:
                    parse_ratio(part.ratio)
                except ValueError as exc:
                    vi, en = str(exc).split(" | ", 1)
                    out.append((("parts", k, "ratio"), vi, en))
            if part.options is not None:
                out += option_issues(part.options, ("parts", k, "options"))
        return out

    def inputs(self, c: Compiled) -> list[InputSpec]:
        out: list[InputSpec] = []
        for part in c.params.parts:
            if part.ratio:
                out += _part_measure(c.code, part).inputs()
            elif part.options is not None:
                out.append(InputSpec(f"{c.code}.{part.id}", InputKind.OPTION, tuple(o.id for o in part.options)))
            else:
                out.append(InputSpec(f"{c.code}.{part.id}", InputKind.YESNO, describe=part.label or ""))
        return out

    def row_checks(self, c: Compiled, ctx: Context) -> Iterator[RowIssue]:
        for part in c.params.parts:
            if part.ratio:
                yield from _part_measure(c.code, part).row_checks(ctx, c.code)

    def _level(self, c: Compiled, part: Part, ctx: Context, detail: dict[str, FloatArray]) -> FloatArray:
        if part.ratio:
            x, _, d = _part_measure(c.code, part).evaluate(ctx)
            detail[f"part:{part.id}:num"], detail[f"part:{part.id}:den"] = d["num"], d["den"]
            return np.clip(x, 0, 1)
        col = ctx.column(f"{c.code}.{part.id}")
        return option_fractions(part.options, col) if part.options is not None else col

    def score(self, c: Compiled, ctx: Context) -> Scored:
        detail: dict[str, FloatArray] = {}
        for part in c.params.parts:
            detail[f"part:{part.id}"] = self._level(c, part, ctx, detail)
        stacked = np.vstack([detail[f"part:{p.id}"] * p.weight for p in c.params.parts])
        none = np.all(np.isnan(stacked), axis=0)
        # An empty part of a unit that reported others earns nothing; 0 of 0 in a ratio part
        # (no platform deployed, so none hosted centrally) likewise earns nothing [inferred].
        total = np.nansum(stacked, axis=0)
        return Scored(np.where(none, np.nan, total * c.max_points), None, detail)

    def explain(self, c: Compiled, row: Row) -> str:
        terms: list[str] = []
        fraction = 0.0
        for part in c.params.parts:
            level = row.detail(f"part:{part.id}")
            if part.ratio:
                num, den = row.detail(f"part:{part.id}:num"), row.detail(f"part:{part.id}:den")
                shown = "(trống)" if np.isnan(level) else fmt(level) if np.isnan(num) else f"{fmt(num)}/{fmt(den)}"
            elif part.options is not None:
                v = row.value(f"{c.code}.{part.id}")
                shown = "(trống)" if v is None else f"«{part.options[int(v)].id}»"
            else:
                shown = yes_no(row.value(f"{c.code}.{part.id}"))
            fraction += 0.0 if np.isnan(level) else part.weight * level
            terms.append(f"{part.id} {share_text(part.weight)} × {shown}")
        return f"{' + '.join(terms)} = {fmt(fraction)} × {fmt(c.max_points)} = {fmt(row.points)}"


class Alternative(Params):
    id: str = Field(pattern=OPTION_ID, description="the case's columns are <code>.<id>…")
    name: str | None = Field(default=None, description="the case as the decision words it")
    method: str = Field(description="the scoring method of this case")
    params: dict[str, Any] = Field(default_factory=dict, description="that method's parameters")


class BestParams(Params):
    alternatives: list[Alternative] = Field(min_length=2, description="the cases; the best points count")


class BestAlternative(ScoringMethod[BestParams]):
    """MIC annex 1B, data centre: «tính điểm cho trường hợp nào có điểm cao nhất». Not used by VL 2554."""

    params_model = BestParams
    formula = "max(điểm từng trường hợp) (the best of the alternative cases)"
    example = MethodExample(
        10,
        {
            "alternatives": [
                {"id": "tu-dau-tu", "method": "binary"},
                {"id": "thue-dich-vu", "method": "ratio", "params": {"ratio": "a/b"}},
            ]
        },
        ({"tu-dau-tu": "không", "thue-dich-vu.a": 3, "thue-dich-vu.b": 4},),
        "Phụ lục 1B, trung tâm dữ liệu: trường hợp nào điểm cao hơn",
    )

    def check(self, code: str, max_points: float, params: BestParams) -> list[ParamIssue]:
        out: list[ParamIssue] = []
        for k, alt in enumerate(params.alternatives):
            method = get_method(alt.method)
            if method is None or isinstance(method, BestAlternative):
                out.append(
                    (
                        ("alternatives", k, "method"),
                        f"Phương pháp «{alt.method}» không dùng được ở đây",
                        f"Method '{alt.method}' cannot be used here",
                    )
                )
                continue
            try:
                parsed = method.parse(alt.params)
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
                    out.append((("alternatives", k, "params", *loc), "Tham số không hợp lệ", err["msg"]))
                continue
            out += [
                (("alternatives", k, "params", *path), vi, en)
                for path, vi, en in method.check(f"{code}.{alt.id}", max_points, parsed)
            ]
        return out

    def compile(self, code: str, max_points: float, params: BestParams) -> Compiled:
        nested = []
        for alt in params.alternatives:
            method = get_method(alt.method)
            assert method is not None
            nested.append(method.compile(f"{code}.{alt.id}", max_points, method.parse(alt.params)))
        return Compiled(code, max_points, self, params, nested=tuple(nested))

    def depends_on_cohort(self, c: Compiled) -> bool:
        return any(n.method.depends_on_cohort(n) for n in c.nested)

    def inputs(self, c: Compiled) -> list[InputSpec]:
        return [spec for n in c.nested for spec in n.method.inputs(n)]

    def row_checks(self, c: Compiled, ctx: Context) -> Iterator[RowIssue]:
        for n in c.nested:
            yield from n.method.row_checks(n, ctx)

    def score(self, c: Compiled, ctx: Context) -> Scored:
        scored = [n.method.score(n, ctx) for n in c.nested]
        stacked = np.vstack([np.clip(s.points, 0, c.max_points) for s in scored])
        none = np.all(np.isnan(stacked), axis=0)
        best = np.where(none, np.nan, np.nanmax(np.where(np.isnan(stacked), -np.inf, stacked), axis=0))
        return Scored(best, None, {f"alt:{n.code}": s.points for n, s in zip(c.nested, scored, strict=True)})

    def explain(self, c: Compiled, row: Row) -> str:
        cases = []
        for alt, n in zip(c.params.alternatives, c.nested, strict=True):
            v = row.detail(f"alt:{n.code}")
            cases.append(f"«{alt.id}» {'(trống)' if np.isnan(v) else fmt(min(v, c.max_points))}")
        return f"cao nhất của {'; '.join(cases)} → {fmt(row.points)}"

"""The what-if on a point-based DTI: which inputs raise the province's mean value, or one unit's rank, most
for one step of effort — where the framework says how points are earned (criterion-level frameworks; a
framework scored from main-index values only has no lever to pull).

One step of effort per input column, by its kind: a share +10 percentage points (at most 100 %), yes/no from
«không» to «có», an option to the next better one, a number +10 % of the cohort's median (at least 1; whole
numbers stay whole). Each step is scored exactly: the whole cohort re-scored with the step taken by every unit
(the province's mean) or by one unit (its value and rank; other units' points move too where the framework
scores relative to the cohort). A step that earns nothing, or costs points (a denominator), is no lever.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from certify.dti.cohort import Cohort
from certify.dti.methods import InputKind, InputSpec
from certify.dti.methods.base import FloatArray
from certify.dti.model import DtiFramework
from certify.dti.numbers import value_text
from certify.dti.plan import plan_for
from certify.dti.results import Results
from certify.dti.scoring import score_cohort
from certify.errors import CertifyError

GAIN_EPS = 1e-9
SHARE_STEP = 0.1


@dataclass(frozen=True)
class Step:
    column: str
    criterion: str
    name: str
    effort: str  # what one step is, in words

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "criterion": self.criterion, "name": self.name, "effort": self.effort}


@dataclass(frozen=True)
class ProvinceLever:
    step: Step
    units: int  # units whose value the step changes
    mean_value: float  # gain of the cohort's mean DTI value
    mean_points: float  # gain of the cohort's mean points


@dataclass(frozen=True)
class UnitLever:
    step: Step
    value: float  # gain of the unit's DTI value
    points: float
    rank_before: int  # 0: not ranked
    rank_after: int


def _number_step(column: FloatArray) -> tuple[float, bool]:
    known = column[~np.isnan(column)]
    whole = bool(known.size) and bool(np.all(known == np.round(known)))
    step = max(1.0, 0.1 * float(np.median(known))) if known.size else 1.0
    return (float(math.ceil(step)) if whole else step), whole


def stepped(spec: InputSpec, column: FloatArray) -> list[tuple[FloatArray, str]]:
    """The column after one step of effort (missing cells stay missing), with the step in words. An option
    has two neighbours (options are listed best first or best last, by method): both are tried, and the
    scoring says which one earns points."""
    if spec.kind is InputKind.FRACTION:
        return [(np.minimum(1.0, column + SHARE_STEP), "+10 điểm phần trăm")]
    if spec.kind is InputKind.YESNO:
        return [(np.where(column == 0, 1.0, column), "từ «không» lên «có»")]
    if spec.kind is InputKind.OPTION:
        last = len(spec.options) - 1
        text = f"sang lựa chọn liền kề (trong {last + 1} lựa chọn)"
        return [(np.where(column > 0, column - 1, column), text), (np.where(column < last, column + 1, column), text)]
    step, _ = _number_step(column)
    return [(column + step, f"+{step:g}" + (" (≈ 10% trung vị của tỉnh)" if step > 1 else ""))]


def _require_criteria(fw: DtiFramework) -> None:
    if fw.index_level_only or not fw.criteria:
        raise CertifyError.one(
            "no-levers",
            f"Bộ chỉ số {fw.ref} chỉ chấm từ giá trị chỉ số chính: không có tiêu chí để phân tích đòn bẩy",
            f"Framework {fw.ref} is scored from main-index values only: no criterion to analyse",
            found=fw.ref,
        )


def _with(cohort: Cohort, column: str, values: FloatArray) -> Cohort:
    columns = dict(cohort.columns)
    columns[column] = values
    appraised = {k: v for k, v in cohort.appraised.items() if k != column}  # the step is the final value
    return replace(cohort, columns=columns, appraised=appraised)


def _steps(fw: DtiFramework, cohort: Cohort) -> list[tuple[str, InputSpec, Step]]:
    plan = plan_for(fw)
    by_code = fw.criterion_by_code
    out = []
    final = cohort.final_columns()
    for column, (code, spec) in plan.inputs.items():
        if column not in final or np.all(np.isnan(final[column])):
            continue
        effort = stepped(spec, final[column])[0][1]
        out.append((column, spec, Step(column, code, by_code[code].name or code, effort)))
    return out


def province_levers(fw: DtiFramework, cohort: Cohort, top: int = 10) -> tuple[Results, list[ProvinceLever]]:
    """Every unit takes one step on one input: the gain of the cohort's mean value, best first."""
    _require_criteria(fw)
    base = score_cohort(fw, cohort)
    final = cohort.final_columns()
    out = []
    for column, spec, step in _steps(fw, cohort):
        best: ProvinceLever | None = None
        for after, _ in stepped(spec, final[column]):
            changed = int(np.sum(~np.isnan(after) & (after != final[column])))
            if not changed:
                continue
            res = score_cohort(fw, _with(cohort, column, after))
            gain = float(np.mean(res.value) - np.mean(base.value))
            if gain > GAIN_EPS and (best is None or gain > best.mean_value):
                best = ProvinceLever(step, changed, gain, float(np.mean(res.total) - np.mean(base.total)))
        if best is not None:
            out.append(best)
    out.sort(key=lambda lever: (-lever.mean_value, lever.step.column))
    return base, out[:top]


def unit_levers(fw: DtiFramework, cohort: Cohort, unit: str, top: int = 10) -> tuple[Results, list[UnitLever]]:
    """One unit takes one step on one input: its value gain and rank after, best first."""
    _require_criteria(fw)
    if unit not in cohort.units:
        raise CertifyError.one(
            "unknown-unit",
            f"Không có đơn vị mã {unit} trong tệp chấm điểm",
            f"No unit {unit} in the scored file",
            expected=", ".join(cohort.units[:10]),
            found=unit,
        )
    u = cohort.units.index(unit)
    base = score_cohort(fw, cohort)
    final = cohort.final_columns()
    out = []
    for column, spec, step in _steps(fw, cohort):
        found: UnitLever | None = None
        for after, _ in stepped(spec, final[column][u : u + 1]):
            if np.isnan(after[0]) or after[0] == final[column][u]:
                continue
            values = final[column].copy()
            values[u] = after[0]
            res = score_cohort(fw, _with(cohort, column, values))
            gain = float(res.value[u] - base.value[u])
            if gain > GAIN_EPS and (found is None or gain > found.value):
                points = float(res.total[u] - base.total[u])
                found = UnitLever(step, gain, points, int(base.ranks[u]), int(res.ranks[u]))
        if found is not None:
            out.append(found)
    out.sort(key=lambda lever: (-lever.value, lever.rank_after or 10**9, lever.step.column))
    return base, out[:top]


@dataclass(frozen=True)
class DtiLevers:
    """The DTI side of the province what-if, ready for every output."""

    framework: str
    banner: tuple[str, str] | None
    unit: str | None
    unit_name: str | None
    mean_value: float
    province: Sequence[ProvinceLever]
    unit_value: float | None = None
    unit_rank: int | None = None
    for_unit: Sequence[UnitLever] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "banner": self.banner[0] if self.banner else None,
            "mean_value": self.mean_value,
            "mean_value_text": value_text(self.mean_value),
            "province": [
                {
                    **lv.step.to_dict(),
                    "units": lv.units,
                    "mean_value_gain": lv.mean_value,
                    "mean_value_gain_text": "+" + value_text(lv.mean_value),
                    "mean_points_gain": lv.mean_points,
                }
                for lv in self.province
            ],
            "unit": self.unit,
            "unit_name": self.unit_name,
            "unit_value": self.unit_value,
            "unit_rank": self.unit_rank,
            "for_unit": [
                {
                    **lv.step.to_dict(),
                    "value_gain": lv.value,
                    "value_gain_text": "+" + value_text(lv.value),
                    "points_gain": lv.points,
                    "rank_before": lv.rank_before,
                    "rank_after": lv.rank_after,
                }
                for lv in self.for_unit
            ],
        }


def dti_levers(fw: DtiFramework, cohort: Cohort, unit: str | None = None, top: int = 10) -> DtiLevers:
    base, province = province_levers(fw, cohort, top)
    if unit is None:
        return DtiLevers(fw.ref, fw.banner, None, None, float(np.mean(base.value)), province)
    _, for_unit = unit_levers(fw, cohort, unit, top)
    u = cohort.units.index(unit)
    return DtiLevers(
        fw.ref,
        fw.banner,
        unit,
        (cohort.names[u] if cohort.names else "") or unit,
        float(np.mean(base.value)),
        province,
        float(base.value[u]),
        int(base.ranks[u]),
        for_unit,
    )

"""From main-index points to the DTI value; merged units; scoring from main-index values.

The DTI value is the weighted mean of the main-index values, DTI = Σ wᵢ·vᵢ / Σ wᵢ, with vᵢ =
index points ÷ index maximum (QĐ 922: w = 100, 100, 100, 100, 100, 200, 150, 150, smart city 0,
i.e. total points ÷ 1000). When a unit's irrelevant criteria leave its maximum, each index's
weight shrinks in proportion to the points it still has, so that with the default weights
(w = index maximum) the value is the unit's points ÷ the unit's own maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from certify.dti.methods.base import FloatArray
from certify.dti.model import DtiFramework
from certify.dti.ranking import classify, competition_ranks
from certify.dti.results import Results


def weighted_value(fw: DtiFramework, index_points: FloatArray, index_max: FloatArray) -> FloatArray:
    top = np.array([i.max_points for i in fw.indices])
    weight = np.array([i.effective_weight for i in fw.indices])
    per_point = np.divide(weight, top, out=np.zeros_like(weight), where=top > 0)
    num = index_points @ per_point
    den = index_max @ per_point
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)  # type: ignore[no-any-return]


@dataclass
class IndexCohort:
    """Main-index values (0–1) per unit: published results, or former units to merge."""

    units: list[str]
    values: FloatArray  # units × main indices, in the framework's index order
    names: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    merged_into: list[str] = field(default_factory=list)  # "" = not merged
    file: str | None = None


def merge_units(cohort: IndexCohort) -> tuple[IndexCohort, dict[str, list[str]]]:
    """Replace former units by the unit they merged into, valued at the mean of their index values."""
    if not any(cohort.merged_into):
        return cohort, {}
    order: dict[str, list[int]] = {}
    for i, unit in enumerate(cohort.units):
        target = cohort.merged_into[i] or unit
        order.setdefault(target, []).append(i)
    units = list(order)
    values = np.vstack([cohort.values[rows].mean(axis=0) for rows in order.values()])
    names = (
        [cohort.names[rows[0]] if cohort.names and not cohort.merged_into[rows[0]] else "" for rows in order.values()]
        if cohort.names
        else []
    )
    groups = [cohort.groups[rows[0]] for rows in order.values()] if cohort.groups else []
    merged_from = {u: [cohort.units[i] for i in rows] for u, rows in order.items() if cohort.merged_into[rows[0]]}
    return IndexCohort(units, values, names, groups, [], cohort.file), merged_from


def score_index_level(fw: DtiFramework, cohort: IndexCohort) -> Results:
    merged, merged_from = merge_units(cohort)
    top = np.array([i.max_points for i in fw.indices])
    index_points = merged.values * top
    index_max = np.tile(top, (len(merged.units), 1))
    value = weighted_value(fw, index_points, index_max)
    return Results(
        fw=fw,
        units=merged.units,
        names=merged.names,
        groups=merged.groups,
        index_points=index_points,
        index_max=index_max,
        value=value,
        ranks=competition_ranks(value, merged.groups),
        bands=classify(value, fw.bands) if fw.bands_known else [None] * len(merged.units),
        file=cohort.file,
        merged_from=merged_from,
    )

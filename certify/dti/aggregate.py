"""From main-index points to the DTI value; merged units; scoring from main-index values.

The DTI value is the weighted mean of the main-index values, DTI = Σ wᵢ·vᵢ / Σ wᵢ, with vᵢ =
index points ÷ index maximum (QĐ 922: w = 100, 100, 100, 100, 100, 200, 150, 150, smart city 0,
i.e. total points ÷ 1000). When a unit's irrelevant criteria leave its maximum, each index's
weight shrinks in proportion to the points it still has, so that with the default weights
(w = index maximum) the value is the unit's points ÷ the unit's own maximum.

Bonus and penalty groups (điểm cộng, điểm trừ) are capped at their `max_points`, then added to
or taken from the weighted points as they are; they never enter the maximum. A framework's
`denominator` replaces the nominal Σ wᵢ (a unit's irrelevant criteria still leave it), for a
decision that divides by another number than its scale (the 2024 national round: 940).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from certify.dti.methods.base import BoolArray, FloatArray
from certify.dti.model import DtiFramework
from certify.dti.ranking import classify, competition_ranks
from certify.dti.results import Results
from certify.dti.weights import cap_adjustments, weighted_value


def ranked_mask(not_ranked: Sequence[str], n: int) -> BoolArray:
    """Units to rank: those without a reason to be left out."""
    if not not_ranked:
        return np.ones(n, dtype=bool)
    return np.array([not reason for reason in not_ranked], dtype=bool)


@dataclass
class IndexCohort:
    """Main-index values (0–1) per unit: published results, or former units to merge."""

    units: list[str]
    values: FloatArray  # units × main indices, in the framework's index order
    names: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    merged_into: list[str] = field(default_factory=list)  # "" = not merged
    file: str | None = None
    not_ranked: list[str] = field(default_factory=list)  # why the unit is left out of the ranking ("" = ranked)


def _merged_reason(cohort: IndexCohort, rows: list[int]) -> str:
    if not cohort.not_ranked:
        return ""
    return "; ".join(dict.fromkeys(cohort.not_ranked[i] for i in rows if cohort.not_ranked[i]))


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
    reasons = [_merged_reason(cohort, rows) for rows in order.values()] if cohort.not_ranked else []
    merged_from = {u: [cohort.units[i] for i in rows] for u, rows in order.items() if cohort.merged_into[rows[0]]}
    return IndexCohort(units, values, names, groups, [], cohort.file, reasons), merged_from


def score_index_level(fw: DtiFramework, cohort: IndexCohort) -> Results:
    merged, merged_from = merge_units(cohort)
    top = np.array([i.max_points for i in fw.indices])
    index_points = cap_adjustments(fw, merged.values * top)
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
        ranks=competition_ranks(value, merged.groups, ranked_mask(merged.not_ranked, len(merged.units))),
        bands=classify(value, fw.bands) if fw.bands_known else [None] * len(merged.units),
        file=cohort.file,
        merged_from=merged_from,
        not_ranked=merged.not_ranked,
    )

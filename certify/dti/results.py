"""Scores of a cohort: per unit, per criterion, per main index, per pillar; ranks and bands.

Numbers are kept unrounded (`unit_record`, what the store keeps); `unit_json`, `to_json` and the CLI
round for display only, with `certify.dti.numbers` (HALF-UP, 4 decimals for values, 2 for points).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from typing import Any

import numpy as np

from certify.dti.caveats import caveats
from certify.dti.methods.base import FloatArray, IntArray
from certify.dti.model import DtiFramework, IndexRole, NotApplicable
from certify.dti.numbers import published
from certify.dti.weights import denominators
from certify.errors import Problem


class Status(IntEnum):
    """How a unit's points on a criterion were obtained."""

    SCORED = 0
    NO_DATA = 1  # empty cells: 0 points
    NOT_APPLICABLE = 2  # listed in `not_applicable`
    DOES_NOT_ARISE = 3  # 0 of 0: treated as not applicable
    NO_PEER = 4  # peer maximum with no eligible peer: treated as not applicable
    PEER_MAXIMUM = 5  # the highest points of the unit's peers

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass
class CriterionDetail:
    """Criterion-level results (absent for index-level input)."""

    codes: list[str]
    points: dict[str, FloatArray]
    unit_max: dict[str, FloatArray]
    status: dict[str, IntArray]
    cohort_dependent: frozenset[str]
    explain: Callable[[int, str], str]
    self_points: dict[str, FloatArray] | None = None


@dataclass
class Results:
    fw: DtiFramework
    units: list[str]
    names: list[str]
    groups: list[str]
    index_points: FloatArray  # units × main indices
    index_max: FloatArray
    value: FloatArray  # weighted index values: Σ w·v / Σ w
    ranks: IntArray  # 0 = not ranked
    bands: list[str | None]
    province: str | None = None
    year: str | None = None
    file: str | None = None
    detail: CriterionDetail | None = None
    merged_from: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    not_ranked: list[str] = field(default_factory=list)  # why each unit is left out of the ranking ("" = ranked)
    uncapped: FloatArray | None = None  # index points before bonus and penalty caps (frameworks that have them)

    @property
    def n(self) -> int:
        return len(self.units)

    # Computed once for the cohort: an output row reads its unit's entry, never re-sums the cohort.
    @cached_property
    def total(self) -> FloatArray:
        """Points of each unit: scored indices and bonus, less penalty."""
        signs = np.array([i.sign for i in self.fw.indices])
        return self.index_points @ signs  # type: ignore[no-any-return]

    @cached_property
    def max_total(self) -> FloatArray:
        """Each unit's maximum: its scored indices (bonus and penalty groups are outside it)."""
        scored = np.array([i.role is IndexRole.SCORED for i in self.fw.indices])
        return self.index_max[:, scored].sum(axis=1)  # type: ignore[no-any-return]

    @cached_property
    def denominator(self) -> FloatArray | None:
        """What each unit's points are divided by, where the framework sets a denominator."""
        if self.fw.denominator is None:
            return None

        return denominators(self.fw, self.index_max)

    def reason(self, i: int) -> str | None:
        """Why unit `i` is left out of the ranking; None when it is ranked (or not ranked for want of peers)."""
        return (self.not_ranked[i] or None) if self.not_ranked else None

    @cached_property
    def _order(self) -> list[int]:
        # Not ranked for a reason last, then by group, ranked before unranked, by rank, by unit code: the units sorted
        # by code once (Python's order of texts), then stably by the other keys as whole numbers (numpy), which gives
        # exactly the order of sorting by the whole key.
        n = self.n
        by_unit = np.array(sorted(range(n), key=self.units.__getitem__), dtype=np.intp)
        ranks = np.asarray(self.ranks)[by_unit]
        apart = np.array([bool(r) for r in self.not_ranked] if self.not_ranked else [False] * n, dtype=np.bool_)
        groups = self.groups or [""] * n
        group_code = {g: k for k, g in enumerate(sorted(set(groups)))}
        group = np.array([group_code[g] for g in groups], dtype=np.intp)
        keys = (ranks, ranks == 0, group[by_unit], apart[by_unit])  # the last the first key
        ordered: list[int] = by_unit[np.lexsort(keys)].tolist()
        return ordered

    def order(self) -> list[int]:
        """Ranked units by group, then rank (unranked last), then id; units left out of the ranking after all."""
        return list(self._order)

    def pillar_points(self, i: int) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        if self.detail is not None:
            for code in self.detail.codes:
                crit = self.fw.criterion_by_code[code]
                pillar = self.fw.pillar_of(crit)
                if pillar is None or crit.parent_code is not None:
                    continue
                acc = out.setdefault(pillar, {"points": 0.0, "max_points": 0.0})
                acc["points"] += float(self.detail.points[code][i])
                acc["max_points"] += float(self.detail.unit_max[code][i])
        else:
            for k, index in enumerate(self.fw.indices):
                if index.pillar is not None:
                    acc = out.setdefault(index.pillar, {"points": 0.0, "max_points": 0.0})
                    acc["points"] += float(self.index_points[i, k])
                    acc["max_points"] += float(self.index_max[i, k])
        return out

    def unit_json(self, i: int, criteria: bool = True) -> dict[str, Any]:
        """The unit's record as published (rounded for display)."""
        return published(self.unit_record(i, criteria))  # type: ignore[no-any-return]

    def unit_record(self, i: int, criteria: bool = True) -> dict[str, Any]:
        """The unit's record with the numbers as computed (unrounded): what is stored."""
        total, top = float(self.total[i]), float(self.max_total[i])  # the cohort's sums, computed once
        row: dict[str, Any] = {
            "unit": self.units[i],
            "name": self.names[i] if self.names else None,
            "group": self.groups[i] if self.groups else None,
            "rank": int(self.ranks[i]) or None,
            "not_ranked_reason": self.reason(i),
            "band": self.bands[i],
            "points": total,
            "max_points": top,
            "value": float(self.value[i]),
        }
        if self.denominator is not None:
            row["denominator"] = float(self.denominator[i])
        if self.fw.rules.not_applicable is NotApplicable.EXCLUDE:
            row["percent"] = 100 * total / top if top > 0 else None
        row["indices"] = {index.code: self._index_json(i, k) for k, index in enumerate(self.fw.indices)}
        row["pillars"] = self.pillar_points(i)
        if self.units[i] in self.merged_from:
            row["merged_from"] = self.merged_from[self.units[i]]
        d = self.detail
        if d is not None and criteria:
            row["criteria"] = [
                {
                    "code": code,
                    "points": float(d.points[code][i]),
                    "max_points": float(d.unit_max[code][i]),
                    "status": Status(int(d.status[code][i])).label,
                    "cohort_dependent": code in d.cohort_dependent,
                    "explanation": d.explain(i, code),
                }
                for code in d.codes
            ]
            if d.self_points is not None:
                row["differences"] = [
                    {
                        "code": code,
                        "self": float(d.self_points[code][i]),
                        "appraised": float(d.points[code][i]),
                    }
                    for code in d.codes
                    if abs(d.self_points[code][i] - d.points[code][i]) > 1e-9
                ]
        return row

    def _index_json(self, i: int, k: int) -> dict[str, Any]:
        index = self.fw.indices[k]
        points, top = float(self.index_points[i, k]), float(self.index_max[i, k])
        out: dict[str, Any] = {
            "points": points,
            "max_points": top,
            "value": points / top if top > 0 else None,
        }
        if index.role is not IndexRole.SCORED:
            out["role"] = index.role.value
            if self.uncapped is not None and self.uncapped[i, k] > points + 1e-9:
                out["uncapped"] = float(self.uncapped[i, k])
        return out

    def to_json(self, criteria: bool = True) -> dict[str, Any]:
        fw = self.fw
        banner = fw.banner
        order = self.order()
        return {
            "framework": {
                "id": fw.id,
                "version": fw.version,
                "status": fw.status.value,
                "source": fw.source.cite(),
                "banner": banner[0] if banner else None,
                "caveats": [{"vi": vi, "en": en} for vi, en in caveats(fw)],
            },
            "cohort": {
                "tier": fw.tier.value,
                "province": self.province,
                "year": self.year,
                "file": self.file,
                "units": self.n,
                "groups": sorted(set(self.groups)) if self.groups else [],
            },
            "warnings": [p.to_dict() for p in self.warnings],
            "units": [self.unit_json(i, criteria) for i in order if self.reason(i) is None],
            "not_ranked": [self.unit_json(i, criteria) for i in order if self.reason(i) is not None],
        }

"""Scores of a cohort: per unit, per criterion, per main index, per pillar; ranks and bands.

Numbers are kept unrounded (`unit_record`, what the store keeps); `unit_json`, `to_json` and the CLI
round for display only, with `certify.dti.numbers` (HALF-UP, 4 decimals for values, 2 for points).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from certify.dti.methods.base import FloatArray, IntArray
from certify.dti.model import DtiFramework, NotApplicable
from certify.dti.numbers import published
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

    @property
    def n(self) -> int:
        return len(self.units)

    @property
    def total(self) -> FloatArray:
        return self.index_points.sum(axis=1)  # type: ignore[no-any-return]

    @property
    def max_total(self) -> FloatArray:
        return self.index_max.sum(axis=1)  # type: ignore[no-any-return]

    def order(self) -> list[int]:
        """Units by group, then rank (unranked last), then id."""
        return sorted(
            range(self.n),
            key=lambda i: (self.groups[i] if self.groups else "", self.ranks[i] == 0, self.ranks[i], self.units[i]),
        )

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
        # One row's sums: `self.total[i]` would sum the whole cohort again for every unit.
        total, top = float(self.index_points[i].sum()), float(self.index_max[i].sum())
        row: dict[str, Any] = {
            "unit": self.units[i],
            "name": self.names[i] if self.names else None,
            "group": self.groups[i] if self.groups else None,
            "rank": int(self.ranks[i]) or None,
            "band": self.bands[i],
            "points": total,
            "max_points": top,
            "value": float(self.value[i]),
        }
        if self.fw.rules.not_applicable is NotApplicable.EXCLUDE:
            row["percent"] = 100 * total / top if top > 0 else None
        row["indices"] = {
            index.code: {
                "points": float(self.index_points[i, k]),
                "max_points": float(self.index_max[i, k]),
                "value": float(self.index_points[i, k] / self.index_max[i, k]) if self.index_max[i, k] > 0 else None,
            }
            for k, index in enumerate(self.fw.indices)
        }
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

    def to_json(self, criteria: bool = True) -> dict[str, Any]:
        fw = self.fw
        banner = fw.banner
        return {
            "framework": {
                "id": fw.id,
                "version": fw.version,
                "status": fw.status.value,
                "source": fw.source.cite(),
                "banner": banner[0] if banner else None,
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
            "units": [self.unit_json(i, criteria) for i in self.order()],
        }

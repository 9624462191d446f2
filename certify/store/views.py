"""Typed views of stored cycles, as the web app reads them (`api.store.Store` returns these, never dicts).

- `UnitView`: one unit's submission in one cycle with its live evaluation (effective values) and the evaluation
  of its own figures, built from the cohort evaluation (`certify.store.evaluations`).
- `CycleRow`: a cycle with its number of units (submissions less deleted ones, or scored DTI results).
- `DtiTable`: a DTI cycle's stored ranking — `DtiHeading` (framework, status, banner, `DtiIndex` per main index)
  and `DtiRank` per unit (`certify.store.dti_results`) with `DtiPrior`, last year's value across the merger.
- `UnitDti`: one unit's row of a DTI ranking, with the cohort size.

Each view has `to_dict()`, the JSON the pages and the API have always given for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from certify.catalog import Resolved
from certify.dti.caveats import caveats
from certify.dti.model import DtiFramework
from certify.levels.evaluate import Evaluation
from certify.levels.model import LevelFramework
from certify.store.cycles import CycleInfo
from certify.store.dti_results import DtiRank
from certify.store.evaluations import Evaluated
from certify.store.models import Cycle
from certify.store.submissions import APPRAISED, SELF, entries


@dataclass(frozen=True)
class UnitView:
    """One unit's submission in one cycle, with its live evaluation (None when its values do not bind)."""

    cycle_id: int
    year: int
    unit_code: str
    unit_name: str
    unit_map: str
    state: str
    version: int
    return_reasons: str | None
    decision_number: str | None
    resolved: Resolved
    fw: LevelFramework
    self_values: dict[str, Any]
    appraised_values: dict[str, Any]
    comments: dict[str, str]
    evaluation: Evaluation | None
    self_evaluation: Evaluation | None
    problems: list[dict[str, Any]] = field(default_factory=list)
    deadline: dt.date | None = None  # the cycle's, when the province set one
    # Filled where a page needs them (the appraiser's queue, `certify.store.queue`): when the unit last submitted,
    # and its districts (its own before 1/7/2025, those of its former communes after).
    submitted_at: dt.datetime | None = None
    districts: tuple[str, ...] = ()

    @classmethod
    def of(cls, unit: Evaluated) -> UnitView:
        sub = unit.submission
        cycle = sub.cycle
        self_values, _ = entries(sub, SELF)
        appraised, comments = entries(sub, APPRAISED)
        return cls(
            cycle.id,
            cycle.year,
            sub.unit.code,
            sub.unit.name,
            cycle.unit_map,
            sub.state,
            sub.version,
            sub.return_reasons,
            sub.decision_number,
            unit.resolved,
            unit.fw,
            self_values,
            appraised,
            comments,
            unit.evaluation,
            unit.self_evaluation if unit.evaluation is not None else None,
            [p.to_dict() for p in unit.problems],
            cycle.deadline,
        )

    @property
    def level(self) -> str | None:
        return self.evaluation.level if self.evaluation is not None else None

    @property
    def level_name(self) -> str | None:
        return self.fw.level_name(self.evaluation.level) if self.evaluation is not None else None

    def summary(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle_id,
            "year": self.year,
            "unit": self.unit_code,
            "unit_name": self.unit_name,
            "state": self.state,
            "version": self.version,
            "framework": self.fw.ref,
            "level": self.level,
            "level_name": self.level_name,
        }


@dataclass(frozen=True)
class CycleRow:
    cycle: CycleInfo
    units: int


@dataclass(frozen=True)
class DtiIndex:
    code: str
    name: str
    name_en: str | None
    max_points: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DtiHeading:
    """What a DTI ranking is: cycle, framework, its status and banner, publication."""

    cycle: int
    year: int
    tier: str
    framework: str
    title: str
    status: str
    banner: tuple[str, str] | None
    published: bool
    max_points: float
    indices: tuple[DtiIndex, ...]
    caveats: tuple[tuple[str, str], ...] = ()  # (vi, en): the banner, the points resting on inferred readings

    @classmethod
    def of(cls, cycle: Cycle, fw: DtiFramework) -> DtiHeading:
        banner = fw.banner
        return cls(
            cycle.id,
            cycle.year,
            cycle.tier,
            fw.ref,
            fw.title,
            fw.status.value,
            (banner[0], banner[1]) if banner else None,
            cycle.published_at is not None,
            fw.max_points,
            tuple(DtiIndex(i.code, i.name, i.name_en, i.max_points) for i in fw.indices),
            tuple(caveats(fw)),
        )

    def heading_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle,
            "year": self.year,
            "tier": self.tier,
            "framework": self.framework,
            "title": self.title,
            "status": self.status,
            "banner": list(self.banner) if self.banner else None,
            "published": self.published,
            "max_points": self.max_points,
            "caveats": [list(c) for c in self.caveats],
            "indices": [i.to_dict() for i in self.indices],
        }


@dataclass(frozen=True)
class DtiTable:
    heading: DtiHeading
    rows: tuple[DtiRank, ...]

    @property
    def tier(self) -> str:
        return self.heading.tier

    def to_dict(self) -> dict[str, Any]:
        return self.heading.heading_dict() | {"rows": [r.record(detail=False) for r in self.rows]}


@dataclass(frozen=True)
class UnitDti:
    heading: DtiHeading
    row: DtiRank
    of: int  # units ranked in the cycle

    def to_dict(self) -> dict[str, Any]:
        return self.heading.heading_dict() | {"row": self.row.record(detail=False), "of": self.of}

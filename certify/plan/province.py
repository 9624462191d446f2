"""The province's planning question, answered once for every output (CLI, PDF/XLSX report, web page, API):
where to put next year's effort so that the most units move up a level.

`province_plan(evaluations, …)` gathers, on one framework's cohort: what blocks each level (counted per level),
each criterion's effect alone, the greedy k-step plan with the units each step lifts, and optionally a
simulation of changes the province proposes («CQS-02 to 80 % in huyện X»).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from certify.errors import CertifyError
from certify.levels.evaluate import Evaluation
from certify.plan.dti import DtiLevers
from certify.plan.whatif import (
    Blocking,
    Change,
    Cohort,
    Effect,
    GreedyPlan,
    Simulation,
    blocking,
    effects,
    greedy_plan,
    simulate,
)

MAX_STEPS = 20


@dataclass(frozen=True)
class Proposal:
    """A change as a person writes it: criterion, threshold (None: each unit's next level), where."""

    code: str
    threshold: float | None = None
    area: str | None = None
    units: tuple[str, ...] | None = None

    @classmethod
    def parse(cls, text: str, area: str | None = None, units: Sequence[str] | None = None) -> Proposal:
        """`CQS-02` (to each unit's next-level threshold) or `CQS-02=0,8` / `CQS-02=80%` (to a threshold)."""
        from certify.numbers import NumberTextError, parse_number

        code, _, value = text.partition("=")
        threshold = None
        if value.strip():
            try:
                threshold = float(parse_number(value, percent=True).fraction)
            except NumberTextError as exc:
                raise CertifyError.one(
                    exc.code,
                    f"Ngưỡng của «{code.strip()}»: {exc.vi}",
                    f"Threshold of '{code.strip()}': {exc.en}",
                    expected=exc.expected,
                    found=value,
                ) from None
        return cls(code.strip(), threshold, area, tuple(units) if units else None)


@dataclass(frozen=True)
class ProvincePlan:
    cohort: Cohort
    year: int  # the year of the figures
    plan_year: int
    province: str | None
    blocking: Blocking
    effects: tuple[Effect, ...]
    greedy: GreedyPlan
    simulation: Simulation | None
    proposals: tuple[Proposal, ...]
    note: str | None = None  # what the units are (e.g. «gồm 3 bản nháp chưa gửi»)
    dti: DtiLevers | None = None  # the point-based DTI side, when a scored cohort is given

    @property
    def fw_names(self) -> list[str]:
        fw = self.cohort.compiled.fw
        return [fw.level_name(None), *(lv.name for lv in fw.levels)]

    def level_counts(self) -> tuple[list[int], list[int]]:
        """Units per level («none» first) now and after the greedy plan."""
        n = len(self.cohort.compiled.fw.levels)
        before = np.bincount(self.cohort.baseline.level_index + 1, minlength=n + 1).tolist()
        after = np.bincount(self.greedy.level_after + 1, minlength=n + 1).tolist()
        return before, after

    def to_dict(self) -> dict[str, Any]:
        cf = self.cohort.compiled
        fw = cf.fw
        before, after = self.level_counts()
        names = self.fw_names
        resolved = cf.resolved
        return {
            "province": self.province,
            "year": self.year,
            "plan_year": self.plan_year,
            "units": self.cohort.size,
            "note": self.note,
            "framework": {
                "id": fw.id,
                "version": fw.version,
                "status": fw.status.value,
                "content_hash": resolved.content_hash,
                "title": fw.title,
            },
            "banner": fw.banner[0] if fw.banner else None,
            "levels": names,
            "level_ids": [None, *fw.level_ids],
            "before": before,
            "after_plan": after,
            "blocking": self.blocking.to_dict(top=10),
            "effects": [
                {
                    "criterion": e.code,
                    "name": e.name,
                    "units_raised": e.blocked,
                    "lifted": len(e.lifted),
                    "units": [m.to_dict(names) for m in e.lifted],
                }
                for e in self.effects
            ],
            "greedy": self.greedy.to_dict(),
            "simulation": None if self.simulation is None else self.simulation.to_dict(),
            "dti": None if self.dti is None else self.dti.to_dict(),
            "proposals": [
                {"criterion": p.code, "threshold": p.threshold, "area": p.area, "units": list(p.units or [])}
                for p in self.proposals
            ],
        }


def province_plan(
    evaluations: Sequence[Evaluation],
    *,
    groups: Sequence[str] | None = None,
    steps: int = 5,
    proposals: Sequence[Proposal] = (),
    province: str | None = None,
    plan_year: int | None = None,
    note: str | None = None,
    dti: DtiLevers | None = None,
) -> ProvincePlan:
    if not 1 <= steps <= MAX_STEPS:
        raise CertifyError.one(
            "bad-steps",
            f"Số bước của kế hoạch phải từ 1 đến {MAX_STEPS}",
            f"The number of plan steps must be 1 to {MAX_STEPS}",
            expected=f"1 … {MAX_STEPS}",
            found=str(steps),
        )
    cohort = Cohort.of(evaluations, groups)
    years = sorted({e.unit.assessment.year for e in evaluations})
    if len(years) > 1:
        raise CertifyError.one(
            "mixed-years",
            "Các đánh giá thuộc nhiều năm khác nhau; chọn một năm (--year)",
            "The assessments are of several years; choose one (--year)",
            found=", ".join(map(str, years)),
        )
    changes = [Change(p.code, p.threshold, cohort.select(units=p.units, group=p.area)) for p in proposals]
    sim = simulate(cohort, changes) if changes else None
    return ProvincePlan(
        cohort,
        years[0],
        plan_year or years[0] + 1,
        province,
        blocking(cohort),
        tuple(effects(cohort)),
        greedy_plan(cohort, steps),
        sim,
        tuple(proposals),
        note,
        dti,
    )

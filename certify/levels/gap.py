"""Gap report: what to reach, by how much, in what order, to get to the next level and on to the target.

Closure property (tested): setting every item listed for the next level to its `target`
certifies the next level. The roadmap runs from the next level to the unit's target level (its
`target_level`, else the framework's top level); when each item is due — year and quarter, prerequisites
first, up to the target year — is decided by `certify.levels.roadmap`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from certify.derived import cached_on
from certify.errors import CertifyError
from certify.levels.assessment import Measurement
from certify.levels.display import show_gap, show_measurement, show_pace, show_requirement
from certify.levels.evaluate import CriterionResult, Evaluation, Status, Verdict, distance
from certify.levels.graph import ancestors
from certify.levels.model import Criterion, IndicatorType, LevelFramework, LevelRule
from certify.levels.roadmap import History, Schedule, Slot, Task, schedule

RATIO_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class GapItem:
    """One criterion to reach. Numbers are computed at once; texts only when read."""

    criterion: Criterion
    level: str
    verdict: Verdict
    measurement: Measurement | None
    requirement: float | bool
    count_gap: int | None
    order: int
    blocked_by: tuple[str, ...]

    @property
    def code(self) -> str:
        return self.criterion.code

    @property
    def current(self) -> float | None:
        m = self.measurement
        return None if m is None or m.na else m.value

    @property
    def target(self) -> float | bool:
        return self.requirement

    @property
    def gap(self) -> float | None:
        current = self.current
        return None if current is None else _numeric(self.requirement) - current

    @property
    def root_cause(self) -> bool:
        return not self.blocked_by

    @property
    def name(self) -> str:
        return self.criterion.name or self.code

    @property
    def agency(self) -> str | None:
        return self.criterion.agency

    @property
    def current_text(self) -> str:
        return show_measurement(self.criterion, self.measurement)

    @property
    def requirement_text(self) -> str:
        return show_requirement(self.criterion, self.requirement)

    @property
    def gap_text(self) -> str:
        return show_gap(self.criterion, self.current, _numeric(self.requirement), self.count_gap)

    def to_dict(self) -> dict[str, Any]:
        ind = self.criterion.indicator
        m = self.measurement
        return {
            "criterion": self.code,
            "name": self.name,
            "pillar": self.criterion.pillar,
            "mandatory": self.criterion.mandatory,
            "level": self.level,
            "verdict": self.verdict.value,
            "current": self.current,
            "current_text": self.current_text,
            "requirement": self.requirement,
            "requirement_text": self.requirement_text,
            "target": self.target,
            "gap": self.gap,
            "gap_text": self.gap_text,
            "count_gap": self.count_gap,
            "count_unit": ind.count_unit if ind else None,
            "agency": self.agency,
            "order": self.order,
            "blocked_by": list(self.blocked_by),
            "root_cause": self.root_cause,
            "evidence": m.evidence.model_dump(mode="json", exclude_none=True) if m and m.evidence else None,
        }


def _numeric(value: float | bool) -> float:
    return 1.0 if value is True else float(value)


@dataclass(frozen=True)
class Step:
    level: str
    level_name: str
    year: int  # the year the level is reached in the roadmap
    items: tuple[GapItem, ...]


@dataclass(frozen=True)
class GapReport:
    """The next level's items at once; the roadmap to the target and its schedule are built when first read.

    `start_year`: the first year of the plan (default: the year after the assessment); `history`: earlier
    values of the unit's criteria, from which the roadmap reads the pace of each value.
    """

    evaluation: Evaluation
    next_items: tuple[GapItem, ...] | None
    start_year: int | None = None
    history: History | None = None

    @property
    def start(self) -> int:
        return self.start_year if self.start_year is not None else self.evaluation.unit.assessment.year + 1

    @cached_property
    def target_level(self) -> str | None:
        """The unit's target level, at least the next one; the top level when the unit sets none."""
        ev = self.evaluation
        if ev.next_level is None:
            return None
        ids = ev.fw.level_ids
        wanted = ev.unit.assessment.target_level or ids[-1]
        return ids[max(ids.index(wanted), ev.level_index + 1)]

    @cached_property
    def target_year(self) -> tuple[int | None, str]:
        """(year, where it comes from): the assessment's `target_year`, else the framework's for the target level."""
        a = self.evaluation.unit.assessment
        if a.target_year is not None:
            return a.target_year, "assessment"
        level = self.target_level
        due = self.evaluation.fw.level_by_id[level].target_year if level else None
        return (due.year, "framework") if due else (None, "")

    @cached_property
    def _levels(self) -> tuple[tuple[str, tuple[GapItem, ...]], ...]:
        ev = self.evaluation
        if self.next_items is None or self.target_level is None:
            return ()
        ids = ev.fw.level_ids
        nxt = ev.level_index + 1
        rest = tuple((lv, _items(ev, lv)) for lv in ids[nxt + 1 : ids.index(self.target_level) + 1])
        return ((ids[nxt], self.next_items), *rest)

    @cached_property
    def schedule(self) -> Schedule:
        ev = self.evaluation
        year, source = self.target_year
        steps = [(lv, [_task(i) for i in items]) for lv, items in self._levels]
        return schedule(ev.fw, steps, self.start, year, source, ev.unit.assessment.year, self.history)

    @cached_property
    def roadmap(self) -> tuple[Step, ...]:
        fw = self.evaluation.fw
        sched = self.schedule
        return tuple(Step(lv, fw.level_by_id[lv].name, sched.level_year(lv), items) for lv, items in self._levels)

    @property
    def next_level(self) -> Step | None:
        return self.roadmap[0] if self.roadmap else None

    @cached_property
    def target(self) -> Step | None:
        return self.roadmap[-1] if self.roadmap else None

    def slot(self, item: GapItem) -> Slot:
        return self.schedule.slot(item.code, item.level)

    def item_dict(self, item: GapItem) -> dict[str, Any]:
        """The item with when it is due: year, quarter, and why it is flagged (late, out of reach at its pace)."""
        slot = self.slot(item)
        level_year = self.schedule.level_year(item.level)
        notes = []
        if slot.late:
            notes.append(f"sau năm mục tiêu {self.target_year[0]}")
        pace = slot.pace
        pace_text = show_pace(item.criterion, pace.per_year) if pace else None
        if pace is not None and slot.out_of_reach:
            if pace.reach_year is None:
                notes.append(
                    f"từ năm {pace.since} không tiến triển ({pace_text}): "
                    f"cần biện pháp mới để đạt trong năm {level_year}"
                )
            else:
                notes.append(
                    f"theo tốc độ từ năm {pace.since} ({pace_text}) phải đến năm {pace.reach_year} mới đạt, "
                    f"sau năm {level_year}"
                )
        return item.to_dict() | {
            "year": slot.year,
            "quarter": slot.quarter,
            "quarter_text": slot.quarter_text,
            "late": slot.late,
            "out_of_reach": slot.out_of_reach,
            "pace": None
            if pace is None
            else {
                "per_year": pace.per_year,
                "per_year_text": pace_text,
                "since": pace.since,
                "reach_year": pace.reach_year,
            },
            "flags": notes,
        }

    def by_year(self) -> list[dict[str, Any]]:
        """The roadmap year by year: the levels reached that year and every task due, with its name."""
        sched = self.schedule
        years: dict[int, dict[str, Any]] = {}
        for step, ls in zip(self.roadmap, sched.levels, strict=True):
            years.setdefault(ls.year, {"year": ls.year, "levels": [], "items": []})["levels"].append(step.level_name)
            for item in step.items:
                d = self.item_dict(item)
                years.setdefault(d["year"], {"year": d["year"], "levels": [], "items": []})["items"].append(
                    d | {"level_name": step.level_name}
                )
        for entry in years.values():
            entry["items"].sort(key=lambda d: (d["quarter"], d["order"]))
        return [years[y] for y in sorted(years)]

    def to_dict(self) -> dict[str, Any]:
        ev = self.evaluation
        a = ev.unit.assessment
        levels = {ls.level: ls for ls in self.schedule.levels}

        def step(s: Step | None) -> dict[str, Any] | None:
            if s is None:
                return None
            ls = levels[s.level]
            return {
                "level": s.level,
                "level_name": s.level_name,
                "year": s.year,
                "due_year": ls.due,
                "overdue": ls.overdue,
                "late": ls.late,
                "items": [self.item_dict(i) for i in s.items],
            }

        year, source = self.target_year
        return {
            "unit": a.unit,
            "unit_name": a.unit_name,
            "tier": a.tier.value,
            "year": a.year,
            "level": ev.level,
            "level_name": ev.fw.level_name(ev.level),
            "next_level": ev.next_level,
            "items": [self.item_dict(i) for i in self.next_level.items] if self.next_level else [],
            "roadmap": [step(s) for s in self.roadmap],
            "roadmap_by_year": self.by_year(),
            "start_year": self.start,
            "target_level": self.target_level,
            "target_level_name": ev.fw.level_name(self.target_level) if self.target_level else None,
            "target_level_set": a.target_level,
            "target_year": year,
            "target_year_from": source,
            "target": step(self.target),
            **ev.provenance(),
        }


def _task(item: GapItem) -> Task:
    ind = item.criterion.indicator
    numeric = ind is not None and ind.type is not IndicatorType.BOOLEAN
    return Task(
        item.code,
        item.level,
        item.blocked_by,
        item.current if numeric else None,
        _numeric(item.requirement) if numeric else None,
        ind is not None and ind.direction == "lower",
    )


def gap_report(ev: Evaluation, *, start_year: int | None = None, history: History | None = None) -> GapReport:
    """`start_year`: first year of the plan (default: the year after the assessment); `history`: earlier values."""
    if start_year is not None and start_year <= ev.unit.assessment.year:
        raise CertifyError.one(
            "bad-plan-year",
            f"Năm kế hoạch phải sau năm của số liệu ({ev.unit.assessment.year})",
            f"The plan year must come after the year of the data ({ev.unit.assessment.year})",
            expected=f"≥ {ev.unit.assessment.year + 1}",
            found=str(start_year),
        )
    return GapReport(ev, _items(ev, ev.next_level) if ev.next_level else None, start_year, history)


def _items(ev: Evaluation, level: str) -> tuple[GapItem, ...]:
    fw = ev.fw
    order = ev.compiled.order
    blocking = sorted(ev.blocking(level), key=lambda r: order[r.code])
    if fw.rules.level_rule is LevelRule.MANDATORY_PLUS_SHARE:
        blocking = _enough_optional(fw, ev.results(level), blocking)
    unmet = {r.code for r in blocking}
    ancestors = _ancestors(fw, order)
    return tuple(_item(ev, r, order[r.code], tuple(a for a in ancestors[r.code] if a in unmet)) for r in blocking)


def _enough_optional(
    fw: LevelFramework, results: list[CriterionResult], blocking: list[CriterionResult]
) -> list[CriterionResult]:
    """All unmet mandatory criteria, plus the nearest unmet optional ones (then plan order) to reach the share."""
    by_code = fw.criterion_by_code
    counting = [r for r in results if not by_code[r.code].mandatory and r.status is not Status.NA_EXCLUDED]
    ok = sum(r.status in (Status.MET, Status.NA_DEEMED_MET) for r in counting)
    needed = max(0, math.ceil(fw.rules.optional_min_share * len(counting) - RATIO_EPS) - ok)
    optional_unmet = sorted(
        (r for r in blocking if not by_code[r.code].mandatory), key=lambda r: distance(by_code[r.code], r)
    )
    keep = {r.code for r in optional_unmet[:needed]}
    return [r for r in blocking if by_code[r.code].mandatory or r.code in keep]


def _ancestors(fw: LevelFramework, order: dict[str, int]) -> dict[str, tuple[str, ...]]:
    """Every criterion's direct and indirect prerequisites, in plan order."""

    def make() -> dict[str, tuple[str, ...]]:
        return {code: tuple(sorted(before, key=order.__getitem__)) for code, before in ancestors(fw).items()}

    return cached_on(fw, "ancestors", make)


def _item(ev: Evaluation, r: CriterionResult, order: int, blocked_by: tuple[str, ...]) -> GapItem:
    crit = ev.fw.criteria[ev.compiled.index[r.code]]
    assert crit.indicator is not None and r.threshold is not None
    m = r.measurement
    count_gap = None
    if (
        crit.indicator.type is IndicatorType.RATIO
        and m is not None
        and m.numerator is not None
        and m.denominator is not None
    ):
        count_gap = max(0, math.ceil(_numeric(r.threshold) * m.denominator - RATIO_EPS) - int(m.numerator))
    return GapItem(crit, r.level, r.verdict, m, r.threshold, count_gap, order, blocked_by)

"""Gap report: what to reach, by how much, in what order, to get to the next level and beyond.

Closure property (tested): setting every item listed for the next level to its `target`
certifies the next level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import networkx as nx

from certify.derived import cached_on
from certify.levels.assessment import Measurement
from certify.levels.display import show_gap, show_measurement, show_requirement
from certify.levels.evaluate import CriterionResult, Evaluation, Status, Verdict
from certify.levels.graph import criterion_graph
from certify.levels.model import Criterion, IndicatorType, LevelFramework, LevelRule

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
    year: int
    items: tuple[GapItem, ...]


@dataclass(frozen=True)
class GapReport:
    """The next level's items at once; the roadmap beyond it is built when first read."""

    evaluation: Evaluation
    next_level: Step | None

    @cached_property
    def roadmap(self) -> tuple[Step, ...]:
        ev = self.evaluation
        fw = ev.fw
        start = ev.level_index + 1
        rest = tuple(_step(ev, lv, k) for k, lv in enumerate(fw.level_ids[start + 1 :], 1))
        return ((self.next_level,) if self.next_level else ()) + rest

    @cached_property
    def target(self) -> Step | None:
        wanted = self.evaluation.unit.assessment.target_level
        return next((s for s in self.roadmap if s.level == wanted), None)

    def to_dict(self) -> dict[str, Any]:
        ev = self.evaluation
        a = ev.unit.assessment

        def step(s: Step | None) -> dict[str, Any] | None:
            if s is None:
                return None
            return {
                "level": s.level,
                "level_name": s.level_name,
                "year": s.year,
                "items": [i.to_dict() for i in s.items],
            }

        return {
            "unit": a.unit,
            "unit_name": a.unit_name,
            "tier": a.tier.value,
            "year": a.year,
            "level": ev.level,
            "level_name": ev.fw.level_name(ev.level),
            "next_level": ev.next_level,
            "items": [i.to_dict() for i in self.next_level.items] if self.next_level else [],
            "roadmap": [step(s) for s in self.roadmap],
            "target_level": a.target_level,
            "target": step(self.target),
            **ev.provenance(),
        }


def gap_report(ev: Evaluation) -> GapReport:
    return GapReport(ev, _step(ev, ev.next_level, 0) if ev.next_level else None)


def _step(ev: Evaluation, level: str, k: int) -> Step:
    return Step(level, ev.fw.level_by_id[level].name, ev.unit.assessment.year + k + 1, _items(ev, level))


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
    """All unmet mandatory criteria, plus the first unmet optional ones (plan order) to reach the share."""
    by_code = fw.criterion_by_code
    counting = [r for r in results if not by_code[r.code].mandatory and r.status is not Status.NA_EXCLUDED]
    ok = sum(r.status in (Status.MET, Status.NA_DEEMED_MET) for r in counting)
    needed = max(0, math.ceil(fw.rules.optional_min_share * len(counting) - RATIO_EPS) - ok)
    optional_unmet = [r for r in blocking if not by_code[r.code].mandatory]
    keep = {r.code for r in optional_unmet[:needed]}
    return [r for r in blocking if by_code[r.code].mandatory or r.code in keep]


def _ancestors(fw: LevelFramework, order: dict[str, int]) -> dict[str, tuple[str, ...]]:
    """Every criterion's direct and indirect prerequisites, in plan order."""

    def make() -> dict[str, tuple[str, ...]]:
        graph = criterion_graph(fw)
        return {code: tuple(sorted(nx.ancestors(graph, code), key=order.__getitem__)) for code in graph}

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

"""Gap report: what to reach, by how much, in what order, to get to the next level and beyond.

Closure property (tested): setting every item listed for the next level to its `target`
certifies the next level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from certify.derived import cached_on
from certify.levels.display import MISSING_VI, show_gap, show_measurement, show_requirement
from certify.levels.evaluate import CriterionResult, Evaluation, Status, Verdict
from certify.levels.graph import criterion_graph
from certify.levels.model import IndicatorType, LevelFramework, LevelRule

RATIO_EPS = 1e-9


@dataclass(frozen=True)
class GapItem:
    code: str
    name: str
    pillar: str
    level: str
    verdict: Verdict
    current: float | None
    current_text: str
    requirement: float | bool
    requirement_text: str
    target: float | bool
    gap: float | None
    gap_text: str
    count_gap: int | None
    count_unit: str | None
    agency: str | None
    order: int
    blocked_by: tuple[str, ...]
    evidence: dict[str, Any] | None = None

    @property
    def root_cause(self) -> bool:
        return not self.blocked_by

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.code,
            "name": self.name,
            "pillar": self.pillar,
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
            "count_unit": self.count_unit,
            "agency": self.agency,
            "order": self.order,
            "blocked_by": list(self.blocked_by),
            "root_cause": self.root_cause,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Step:
    level: str
    level_name: str
    year: int
    items: tuple[GapItem, ...]


@dataclass(frozen=True)
class GapReport:
    evaluation: Evaluation
    next_level: Step | None
    roadmap: tuple[Step, ...]
    target: Step | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        ev = self.evaluation
        a = ev.unit.assessment

        def step(s: Step | None) -> dict[str, Any] | None:
            if s is None:
                return None
            return {"level": s.level, "level_name": s.level_name, "year": s.year,
                    "items": [i.to_dict() for i in s.items]}

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
    fw = ev.fw
    start = ev.level_index + 1
    roadmap = tuple(
        Step(lv, fw.level_by_id[lv].name, ev.unit.assessment.year + k + 1, _items(ev, lv))
        for k, lv in enumerate(fw.level_ids[start:])
    )
    target = None
    wanted = ev.unit.assessment.target_level
    if wanted is not None:
        target = next((s for s in roadmap if s.level == wanted), None)
    return GapReport(ev, roadmap[0] if roadmap else None, roadmap, target)


def _items(ev: Evaluation, level: str) -> tuple[GapItem, ...]:
    fw = ev.fw
    order = ev.compiled.order
    results = sorted(ev.results(level), key=lambda r: order[r.code])
    blocking = [r for r in results if r.blocking]
    if fw.rules.level_rule is LevelRule.MANDATORY_PLUS_SHARE:
        blocking = _enough_optional(fw, results, blocking)
    unmet = {r.code for r in blocking}
    ancestors = _ancestors(fw)
    return tuple(_item(ev, r, order[r.code], tuple(sorted(ancestors[r.code] & unmet, key=order.__getitem__)))
                 for r in blocking)


def _enough_optional(fw: LevelFramework, results: list[CriterionResult],
                     blocking: list[CriterionResult]) -> list[CriterionResult]:
    """All unmet mandatory criteria, plus the first unmet optional ones (plan order) to reach the share."""
    by_code = fw.criterion_by_code
    counting = [r for r in results if not by_code[r.code].mandatory and r.status is not Status.NA_EXCLUDED]
    ok = sum(r.status in (Status.MET, Status.NA_DEEMED_MET) for r in counting)
    needed = max(0, math.ceil(fw.rules.optional_min_share * len(counting) - RATIO_EPS) - ok)
    optional_unmet = [r for r in blocking if not by_code[r.code].mandatory]
    keep = {r.code for r in optional_unmet[:needed]}
    return [r for r in blocking if by_code[r.code].mandatory or r.code in keep]


def _ancestors(fw: LevelFramework) -> dict[str, set[str]]:
    def make() -> dict[str, set[str]]:
        graph = criterion_graph(fw)
        return {code: set(nx.ancestors(graph, code)) for code in graph}

    return cached_on(fw, "ancestors", make)


def _item(ev: Evaluation, r: CriterionResult, order: int, blocked_by: tuple[str, ...]) -> GapItem:
    crit = ev.fw.criterion_by_code[r.code]
    assert crit.indicator is not None and r.threshold is not None
    m = r.measurement
    current = None if m is None or m.na else m.value
    target: float | bool = r.threshold
    numeric_target = 1.0 if target is True else float(target)
    count_gap = None
    if (crit.indicator.type is IndicatorType.RATIO and m is not None and m.numerator is not None
            and m.denominator is not None):
        count_gap = max(0, math.ceil(numeric_target * m.denominator - RATIO_EPS) - int(m.numerator))
    gap = None if current is None else numeric_target - current
    return GapItem(
        code=r.code,
        name=crit.name or r.code,
        pillar=crit.pillar,
        level=r.level,
        verdict=r.verdict,
        current=current,
        current_text=show_measurement(crit, m) if m is not None else MISSING_VI,
        requirement=r.threshold,
        requirement_text=show_requirement(crit, r.threshold),
        target=target,
        gap=gap,
        gap_text=show_gap(crit, current, numeric_target, count_gap),
        count_gap=count_gap,
        count_unit=crit.indicator.count_unit,
        agency=crit.agency,
        order=order,
        blocked_by=blocked_by,
        evidence=m.evidence.model_dump(mode="json", exclude_none=True) if m and m.evidence else None,
    )

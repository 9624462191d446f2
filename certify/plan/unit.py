"""A unit's plan for one year: the roadmap's tasks due that year, one row per criterion, grouped by agency.

This is the content of the draft «Kế hoạch chuyển đổi số năm …» (reports/plan_*.py print it in the form of
Nghị định 30/2020/NĐ-CP) and of the gap report's planning sheet. A criterion due at two levels in the same
year (the roadmap compresses levels when the target is near) is one row with the higher target.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from certify.levels.display import show_value
from certify.levels.gap import GapReport
from certify.levels.model import Criterion, IndicatorType

NO_AGENCY = "Chưa phân công cơ quan chủ trì"


def evidence_expected(crit: Criterion) -> str:
    """What proves the task done at year end, from the criterion's indicator (numerator, source)."""
    ind = crit.indicator
    if ind is None:
        return ""
    parts = []
    if ind.type is IndicatorType.RATIO and ind.numerator and ind.denominator:
        parts.append(f"Số liệu «{ind.numerator}» trên «{ind.denominator}»")
    elif ind.type is IndicatorType.BOOLEAN:
        parts.append("Văn bản, hệ thống chứng minh đã triển khai")
    else:
        parts.append("Số liệu đo được" + (f" ({ind.unit})" if ind.unit else ""))
    if ind.data_source:
        parts.append(f"nguồn: {ind.data_source}")
    return "; ".join(parts)


def agency_key(agency: str | None) -> tuple[str, str]:
    """(the agency, what the framework adds in brackets): «Bộ phận Một cửa UBND xã (phối hợp …)» groups with
    «Bộ phận Một cửa UBND xã»; the bracket («phối hợp Văn phòng UBND tỉnh») stays with its task."""
    if not agency:
        return NO_AGENCY, ""
    head, _, rest = agency.partition(" (")
    return head.strip(), rest.removesuffix(")").strip()


def group_by_agency(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows grouped by responsible agency, groups in the order their first task comes (work order); each row
    gets `agency_note`, the bracketed detail of its agency («phối hợp …»), empty when none."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        head, note = agency_key(item.get("agency"))
        item["agency_note"] = note
        groups.setdefault(head, []).append(item)
    return [{"agency": agency, "items": rows, "count": len(rows)} for agency, rows in groups.items()]


@dataclass(frozen=True)
class UnitPlan:
    report: GapReport
    year: int

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        """One row per criterion due in `year`, in work order (quarter, then plan order)."""
        report = self.report
        fw = report.evaluation.fw
        merged: dict[str, dict[str, Any]] = {}
        for step in report.roadmap:
            for item in step.items:
                if report.slot(item).year != self.year:
                    continue
                d = report.item_dict(item)
                crit = item.criterion
                row = merged.get(item.code)
                prereq = [(c, fw.criterion_by_code[c].name or c) for c in item.blocked_by]
                if row is None:
                    merged[item.code] = d | {
                        "level_name": step.level_name,
                        "levels": [step.level_name],
                        "prerequisites": prereq,
                        "evidence_expected": evidence_expected(crit),
                        "current_value_text": show_value(crit, item.current)
                        if item.current is not None
                        else d["current_text"],
                    }
                else:  # the same criterion at a higher level the same year: the higher target wins
                    keep = {k: row[k] for k in ("levels", "prerequisites", "flags", "evidence_expected")}
                    keep["current_value_text"] = row["current_value_text"]
                    merged[item.code] = d | keep | {"level_name": step.level_name}
                    merged[item.code]["levels"] = [*keep["levels"], step.level_name]
                    merged[item.code]["prerequisites"] = list(dict.fromkeys([*keep["prerequisites"], *prereq]))
                    merged[item.code]["flags"] = list(dict.fromkeys([*keep["flags"], *d["flags"]]))
        return sorted(merged.values(), key=lambda r: (r["quarter"], r["order"]))

    @property
    def groups(self) -> list[dict[str, Any]]:
        return group_by_agency(sorted(self.rows, key=lambda r: r["order"]))

    @cached_property
    def levels_reached(self) -> list[str]:
        """Names of the levels the roadmap reaches in `year`."""
        return [ls.level for ls in self.report.schedule.levels if ls.year == self.year]

    def objective(self) -> str:
        """The year's objective in one sentence: the level reached, or the share of the next level's work."""
        report = self.report
        fw = report.evaluation.fw
        if self.levels_reached:
            names = ", ".join(fw.level_name(lv) for lv in self.levels_reached)
            return f"Đạt mức {names} trong năm {self.year}"
        upcoming = next((ls for ls in report.schedule.levels if ls.year > self.year), None)
        if upcoming is None:
            return f"Duy trì mức {fw.level_name(report.evaluation.level)}"
        items = [i for s in report.roadmap if s.level == upcoming.level for i in s.items]
        done = sum(report.slot(i).year <= self.year for i in items)
        return (
            f"Đến hết năm {self.year} đạt {done}/{len(items)} tiêu chí còn thiếu của mức "
            f"{fw.level_name(upcoming.level)} (lộ trình đạt mức này năm {upcoming.year})"
        )

    def quarters(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for r in sorted(self.rows, key=lambda r: r["quarter"]):
            counts[r["quarter_text"]] = counts.get(r["quarter_text"], 0) + 1
        return list(counts.items())

    def to_dict(self) -> dict[str, Any]:
        report = self.report
        base = report.to_dict()
        return {
            "plan_year": self.year,
            "unit": base["unit"],
            "unit_name": base["unit_name"],
            "tier": base["tier"],
            "data_year": base["year"],
            "level": base["level"],
            "level_name": base["level_name"],
            "target_level": base["target_level"],
            "target_level_name": base["target_level_name"],
            "target_year": base["target_year"],
            "target_year_from": base["target_year_from"],
            "objective": self.objective(),
            "levels_reached": self.levels_reached,
            "rows": self.rows,
            "groups": self.groups,
            "quarters": self.quarters(),
            "roadmap": base["roadmap_by_year"],
            "framework": base["framework"],
            "input_hash": base["input_hash"],
            "banner": base["banner"],
        }


def unit_plan(report: GapReport, year: int | None = None) -> UnitPlan:
    """The plan of the report's first year (its `start`), or of another roadmap year."""
    return UnitPlan(report, report.start if year is None else year)


def plan_years(report: GapReport) -> Sequence[int]:
    return report.schedule.years

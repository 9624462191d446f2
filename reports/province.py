"""Province summary over plain data: a list of Evaluations (from a folder, or a stored cycle via from_store).

DTI rankings are an optional input (`DtiRow`), ranked by the caller with certify.dti's shared-rank rule
(`dti_rows` turns a scored cohort into rows). `districts` (unit code → district) replaces reading the
district from the unit's name when the caller knows better (the stored administrative units).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from certify.catalog import Catalog
from certify.dti.results import Results
from certify.framework_base import TIER_VI
from certify.levels.evaluate import Evaluation
from certify.levels.gap import gap_report
from certify.numbers import fmt_percent
from reports.inputs import district_of, province_of
from reports.provenance import provenance_line

NONE_LEVEL = "Chưa đạt mức nào"


@dataclass(frozen=True)
class DtiRow:
    group: str
    unit: str
    name: str
    value: float
    rank: int  # competition rank within the group ("1, 2, 2, 4")


@dataclass
class TierSummary:
    tier: str
    tier_vi: str
    levels: list[str]  # level names, lowest first, then NONE_LEVEL
    counts: dict[str, int]
    districts: dict[str, dict[str, int]]
    blockers: list[dict[str, Any]]
    units: list[dict[str, Any]]
    previous: dict[str, int] | None = None  # counts by level the year before, when the folder has it
    changes: list[dict[str, Any]] = field(default_factory=list)  # units assessed both years


@dataclass
class ProvinceSummary:
    province: str | None
    year: int
    previous_year: int | None
    tiers: list[TierSummary]
    frameworks: list[dict[str, Any]]
    banners: list[tuple[str, str]]
    dti: list[DtiRow] = field(default_factory=list)
    dti_framework: str | None = None  # provenance line of the DTI framework the rows were scored with

    @property
    def unit_count(self) -> int:
        return sum(len(t.units) for t in self.tiers)


@dataclass(frozen=True)
class DtiInput:
    rows: list[DtiRow]
    provenance: str
    banner: tuple[str, str] | None


def score_dti(cohort_file: Path, framework: str, catalog: Catalog | None = None) -> DtiInput:
    """Score a DTI cohort file (CSV/XLSX, one row per unit) with certify.dti and rank it for the summary."""
    from certify.dti.model import DtiFramework
    from certify.dti.score_file import load_dti, score_file

    resolved = load_dti(framework, catalog)
    fw = resolved.framework
    assert isinstance(fw, DtiFramework)
    from certify.dti.caveats import inferred_share

    line = provenance_line(
        {"id": fw.id, "version": fw.version, "status": fw.status.value, "content_hash": resolved.content_hash}
    ).replace("Bộ tiêu chí", "Bộ chỉ số DTI", 1)
    share = inferred_share(fw)
    if share is not None:
        line += f". {share.vi}"
    # index_level=None: main-index values for a framework that has no criteria (the national run), criteria otherwise
    return DtiInput(dti_rows(score_file(cohort_file, fw, index_level=None)), line, fw.banner)


def dti_rows(results: Results) -> list[DtiRow]:
    """A scored DTI cohort as table rows: by group, then shared rank ("1, 2, 2, 4"); unranked units last, and the
    units left out of the ranking apart, after all groups, their reason in place of the group."""
    names = {g.id: g.name for g in results.fw.groups}
    tier = TIER_VI[results.fw.tier].capitalize()
    rows = []
    for i in results.order():
        group = results.groups[i] if results.groups else ""
        reason = results.reason(i)
        label = names.get(group, group) or tier
        rows.append(
            DtiRow(
                f"Không xếp hạng — {reason}" if reason else label,
                results.units[i],
                (results.names[i] if results.names else "") or results.units[i],
                float(results.value[i]),
                int(results.ranks[i]),
            )
        )
    return rows


def district_for(e: Evaluation, districts: Mapping[str, str] | None = None) -> str:
    code = e.unit.assessment.unit
    return districts[code] if districts and code in districts else district_of(e)


def summarise(
    evaluations: Sequence[Evaluation],
    year: int | None = None,
    top: int = 10,
    dti: Sequence[DtiRow] | DtiInput = (),
    districts: Mapping[str, str] | None = None,
    province: str | None = None,
) -> ProvinceSummary:
    years = sorted({e.unit.assessment.year for e in evaluations})
    year = year or years[-1]
    current = [e for e in evaluations if e.unit.assessment.year == year]
    previous_year = year - 1 if (year - 1) in years else None
    before = [e for e in evaluations if e.unit.assessment.year == previous_year]
    tiers = []
    for tier in sorted({e.unit.assessment.tier for e in current}, key=lambda t: t.value, reverse=True):
        evs = [e for e in current if e.unit.assessment.tier is tier]
        prev = [e for e in before if e.unit.assessment.tier is tier]
        tiers.append(_tier(tier.value, TIER_VI[tier], evs, prev if previous_year else None, top, districts))
    frameworks = {e.fw.ref: provenance_line(e.provenance()["framework"]) for e in evaluations}
    banners = {e.fw.banner for e in evaluations if e.fw.banner}
    if isinstance(dti, DtiInput):
        rows, dti_line = dti.rows, dti.provenance
        banners |= {dti.banner} if dti.banner else set()
    else:
        rows, dti_line = list(dti), None
    return ProvinceSummary(
        province or province_of(list(evaluations)),
        year,
        previous_year,
        tiers,
        [{"ref": k, "line": v} for k, v in sorted(frameworks.items())],
        sorted(banners),
        rows,
        dti_line,
    )


def _name(e: Evaluation) -> str:
    return e.fw.level_name(e.level) if e.level else NONE_LEVEL


def _tier(
    tier: str,
    tier_vi: str,
    evs: list[Evaluation],
    prev: list[Evaluation] | None,
    top: int,
    district_map: Mapping[str, str] | None,
) -> TierSummary:
    def district_of(e: Evaluation) -> str:
        return district_for(e, district_map)

    levels = [lv.name for lv in evs[0].fw.levels] + [NONE_LEVEL]
    counts = Counter(_name(e) for e in evs)
    districts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(levels, 0))
    for e in evs:
        districts[district_of(e)][_name(e)] += 1
    blocking: Counter[tuple[str, str]] = Counter()
    for e in evs:
        step = gap_report(e).next_level
        for item in step.items if step else ():
            blocking[(item.code, item.name)] += 1
    blockers = [
        {"code": code, "name": name, "count": n, "share_text": fmt_percent(n / len(evs), 0)}
        for (code, name), n in sorted(blocking.items(), key=lambda kv: (-kv[1], kv[0][0]))[:top]
    ]
    units = [
        {
            "unit": e.unit.assessment.unit,
            "name": e.unit.assessment.unit_name or e.unit.assessment.unit,
            "district": district_of(e),
            "level": _name(e),
            "level_index": e.level_index,
            "framework": e.fw.ref,
        }
        for e in sorted(evs, key=lambda e: (district_of(e), -e.level_index))
    ]
    summary = TierSummary(
        tier,
        tier_vi,
        levels,
        {lv: counts.get(lv, 0) for lv in levels},
        dict(sorted(districts.items())),
        blockers,
        units,
    )
    if prev is not None:
        summary.previous = {lv: sum(_name(e) == lv for e in prev) for lv in levels}
        earlier = {e.unit.assessment.unit: e for e in prev}
        for e in evs:
            old = earlier.get(e.unit.assessment.unit)
            if old is not None:
                summary.changes.append(
                    {
                        "name": e.unit.assessment.unit_name or e.unit.assessment.unit,
                        "before": _name(old),
                        "after": _name(e),
                        "delta": e.level_index - old.level_index,
                    }
                )
    return summary

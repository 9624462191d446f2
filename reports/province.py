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
from certify.levels.evaluate import Evaluation, next_level_blockers
from certify.numbers import fmt_percent
from certify.store.merger_links import UNCONFIRMED_VI, Basis, FormerLink
from reports.charts.palette import level_colours
from reports.inputs import district_of, province_of
from reports.merger import across_merger, package_formers, package_links
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
    # Counts by level the year before, over this year's units (like for like): a unit formed on 1/7/2025 takes
    # the lowest level of its former units assessed that year; units with nothing to compare are counted apart.
    previous: dict[str, int] | None = None
    previous_missing: int = 0  # this year's units with no comparable result the year before
    previous_basis: str = ""  # how last year was put onto this year's units, said in every output
    changes: list[dict[str, Any]] = field(default_factory=list)  # units with a comparable result both years
    colours: list[str] = field(default_factory=list)  # one per entry of `levels` (certify.labels' palette)


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
    formers: Mapping[str, Sequence[str]] | None = None,
    former_links: Mapping[str, Sequence[FormerLink]] | None = None,
) -> ProvinceSummary:
    """`formers`: current unit code → former unit codes, when last year's units are of the map before 1/7/2025
    (a stored cycle passes the database's mapping; by default the packages' conversion table is read);
    `former_links`: the database's links themselves, so that a doubtful unconfirmed link or a split former
    commune is marked beside last year's level (`certify.store.merger_links`)."""
    years = sorted({e.unit.assessment.year for e in evaluations})
    year = year or years[-1]
    current = [e for e in evaluations if e.unit.assessment.year == year]
    previous_year = year - 1 if (year - 1) in years else None
    before = [e for e in evaluations if e.unit.assessment.year == previous_year]
    tiers = []
    for tier in sorted({e.unit.assessment.tier for e in current}, key=lambda t: t.value, reverse=True):
        evs = [e for e in current if e.unit.assessment.tier is tier]
        prev = [e for e in before if e.unit.assessment.tier is tier]
        mapping: Mapping[str, Sequence[str]] | None = None
        links = former_links
        if previous_year is not None and across_merger(previous_year, year):
            mapping = formers if formers is not None else package_formers()
            links = former_links if formers is not None else package_links()
        summary = _tier(tier.value, TIER_VI[tier], evs, top, districts)
        if previous_year is not None:
            _compare(summary, evs, prev, previous_year, mapping, links)
        tiers.append(summary)
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
    by_code = evs[0].fw.criterion_by_code
    blockers = [
        {"code": code, "name": by_code[code].name or code, "count": n, "share_text": fmt_percent(n / len(evs), 0)}
        for code, n in list(next_level_blockers(evs).items())[:top]
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
    ids = evs[0].fw.level_ids
    summary = TierSummary(
        tier,
        tier_vi,
        levels,
        {lv: counts.get(lv, 0) for lv in levels},
        dict(sorted(districts.items())),
        blockers,
        units,
        colours=[*level_colours(ids)[1:], level_colours(ids)[0]],  # levels lowest first, then «none»
    )
    return summary


def _compare(
    t: TierSummary,
    evs: list[Evaluation],
    prev: list[Evaluation],
    previous_year: int,
    formers: Mapping[str, Sequence[str]] | None,
    former_links: Mapping[str, Sequence[FormerLink]] | None = None,
) -> None:
    """Last year onto this year's units: the same unit, or (`formers` given) the former units merged into it;
    a doubtful link no province confirmed and a split former commune are said beside the level."""
    earlier = {e.unit.assessment.unit: e for e in prev}
    t.previous = dict.fromkeys(t.levels, 0)
    unconfirmed = approximate = 0
    for e in evs:
        code = e.unit.assessment.unit
        olds = [earlier[c] for c in (formers.get(code, ()) if formers is not None else (code,)) if c in earlier]
        if not olds:
            t.previous_missing += 1
            continue
        old = min(olds, key=lambda o: o.level_index)  # the merged unit is as far as its least advanced part
        t.previous[_name(old)] += 1
        before = _name(old)
        if formers is not None:
            names = "; ".join((o.unit.assessment.unit_name or o.unit.assessment.unit).split(",")[0] for o in olds)
            before += f" (đơn vị cũ: {names})"
            used = {o.unit.assessment.unit for o in olds}
            basis = Basis.of(link for link in (former_links or {}).get(code, ()) if link.old_code in used)
            if basis.marks:
                before += " ⚠ " + "; ".join(basis.marks)
            unconfirmed += bool(basis.unconfirmed)
            approximate += bool(basis.approximate)
        t.changes.append(
            {
                "name": e.unit.assessment.unit_name or e.unit.assessment.unit,
                "before": before,
                "after": _name(e),
                "delta": e.level_index - old.level_index,
            }
        )
    compared = len(evs) - t.previous_missing
    if formers is not None:
        t.previous_basis = (
            f"Năm {previous_year} quy về {len(evs)} đơn vị {t.tier_vi} hiện nay theo sắp xếp đơn vị hành chính "
            "từ 01/7/2025: mức năm trước của một đơn vị mới là mức thấp nhất trong các đơn vị cũ hợp thành đã được "
            f"đánh giá năm {previous_year}; {compared}/{len(evs)} đơn vị có kết quả năm trước để so sánh."
        )
        if unconfirmed:
            t.previous_basis += f" {unconfirmed} đơn vị tính từ {UNCONFIRMED_VI} (⚠, xem certify units check)."
        if approximate:
            t.previous_basis += f" {approximate} đơn vị có xã cũ bị chia tách: mức năm trước là ước lượng."
    else:
        t.previous_basis = (
            f"So sánh cùng đơn vị: {compared}/{len(evs)} đơn vị {t.tier_vi} năm nay có kết quả năm {previous_year}."
        )

"""DTI cycles: a cohort file scored against the cycle's frozen DTI framework and kept per unit.

The whole cohort is scored at once (ranks, min–max and peer rules compare units with each other), so a
cycle's results are replaced as a whole, never unit by unit, and only when the caller says so. Units are
the cycle's administrative units, named in the file's `unit` column by their official code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, aliased

from certify.catalog import Catalog
from certify.dti.results import Results
from certify.dti.score_file import score_table
from certify.dti.table import Table, read_table
from certify.errors import CertifyError, Problem
from certify.framework_base import TIER_VI, Tier
from certify.hashing import content_hash
from certify.store import audit
from certify.store.cycles import DTI, frozen_dti, get_cycle
from certify.store.merger_links import NO_DOUBT, Basis, links_of
from certify.store.models import AdminUnit, Cycle, DtiResult, UnitMerger
from certify.store.unit_sources import CURRENT, PRE2025

MAX_UNIT_PROBLEMS = 20  # a file of the wrong map would list every row
FEW_UNITS = 2000  # a file of at most this many units reads them by code (one IN list), a larger one the whole tier


@dataclass(frozen=True)
class DtiImport:
    cycle_id: int
    units: int
    replaced: int
    input_hash: str
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class DtiRow:
    """A stored result as pages and exports show it."""

    unit_id: int
    unit_code: str
    unit_name: str
    group: str | None
    rank: int | None
    band: str | None
    points: float
    max_points: float
    value: float
    detail: dict[str, Any]


@dataclass(frozen=True)
class DtiPrior:
    """Last year's value of a unit; across the merger, the mean over the former units that were scored, each
    weighted by the share of it that moved into the unit (`certify.store.merger_links`)."""

    year: int
    value: float
    rank: int | None  # only when it is the same unit (a rank among former units compares nothing now)
    units: tuple[str, ...]  # the codes the value comes from
    basis: Basis = NO_DOUBT  # doubtful unconfirmed links and split shares not known, among `units`

    @property
    def marks(self) -> list[str]:
        """What a view says beside the value: «liên kết chưa xác nhận: …», «ước lượng (…): …»."""
        return self.basis.marks

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "value": self.value,
            "rank": self.rank,
            "units": list(self.units),
            "unconfirmed": list(self.basis.unconfirmed),
            "approximate": list(self.basis.approximate),
            "marks": self.marks,
        }


@dataclass(frozen=True)
class DtiRank:
    """One unit's row of a stored DTI ranking, with last year's value and its former districts."""

    row: DtiRow
    districts: tuple[str, ...]
    previous: DtiPrior | None

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.row.value - self.previous.value

    @property
    def indices(self) -> dict[str, Any]:
        """Points per main index, as the scorer recorded them."""
        return dict(self.row.detail["indices"])

    def record(self, detail: bool = True) -> dict[str, Any]:
        """The row as JSON: with the scorer's whole record (`detail`), or with the points per main index only."""
        r = self.row
        out: dict[str, Any] = {
            "unit": r.unit_code,
            "name": r.unit_name,
            "group": r.group,
            "rank": r.rank,
            "not_ranked_reason": r.detail.get("not_ranked_reason"),  # scored, left out of the ranking: why
            "band": r.band,
            "points": r.points,
            "max_points": r.max_points,
            "value": r.value,
        }
        if detail:
            out["detail"] = r.detail
        out |= {
            "districts": list(self.districts),
            "previous": self.previous.to_dict() if self.previous else None,
            "change": self.change,
        }
        if not detail:
            out["indices"] = self.indices
        return out


def _locations(table: Table) -> dict[str, dict[str, Any]]:
    """Where each unit of the results is named in the file (a merged unit: its first former unit's row)."""
    out: dict[str, dict[str, Any]] = {}
    columns = {c: k for k, c in enumerate(table.header)}
    for column in ("unit", "merged_into"):
        if column not in columns:
            continue
        for i, row in enumerate(table.rows):
            code = row[columns[column]]
            if code and code not in out:
                out[code] = table.where(i, column)
    return out


def _units(session: Session, cycle: Cycle, results: Results, table: Table) -> list[AdminUnit]:
    where = _locations(table)
    found: list[AdminUnit] = []
    problems: list[Problem] = []
    # Not one query per row: a small file reads its own units by code; a large one reads the cycle's units
    # (≈ 10,000) in one query, so that 100,000 unknown codes are told in a second.
    of_cycle = select(AdminUnit).where(AdminUnit.map == cycle.unit_map, AdminUnit.tier == cycle.tier)
    codes = set(results.units)
    if len(codes) <= FEW_UNITS:
        of_cycle = of_cycle.where(AdminUnit.code.in_(sorted(codes)))
    known = {u.code: u for u in session.scalars(of_cycle)}
    for code in results.units:
        unit = known.get(code)
        if unit is None:
            tier_vi = TIER_VI[Tier(cycle.tier)]
            problems.append(
                Problem(
                    code="unknown-unit",
                    vi=f"Không có đơn vị {tier_vi} mã «{code}» trong bản đồ {cycle.unit_map} của kỳ {cycle.id}",
                    en=f"No {cycle.tier} with code '{code}' in the {cycle.unit_map} map of cycle {cycle.id}",
                    expected=f"mã đơn vị hành chính {tier_vi} / official {cycle.tier} code",
                    found=code,
                    **where.get(code, {"file": table.file}),
                )
            )
        else:
            found.append(unit)
    if len(problems) > MAX_UNIT_PROBLEMS:
        more = len(problems) - MAX_UNIT_PROBLEMS
        problems = [
            *problems[:MAX_UNIT_PROBLEMS],
            Problem(
                code="more-unknown-units",
                vi=f"… và {more} mã đơn vị không hợp lệ khác",
                en=f"… and {more} more unknown unit codes",
                file=table.file,
            ),
        ]
    if problems:
        raise CertifyError(problems)
    return found


def _input_hash(table: Table) -> str:
    # The cells, not the file bytes: the same data saved as CSV or XLSX is the same input.
    return content_hash({"header": table.header, "rows": table.rows})


@dataclass(frozen=True)
class DtiPreview:
    """What `import_dti` with `replace` would do to the stored ranking, computed without writing anything."""

    cycle_id: int
    stored: int  # results held now
    units: int  # units of the file
    dropped: tuple[tuple[str, str], ...]  # (code, name) of stored units the file leaves out: they would vanish
    added: int  # units of the file not stored yet
    file: str

    def refusal(self) -> CertifyError:
        """The error `import_dti` raises for this replacement without `allow_shrink`."""
        return shrink_error(self.cycle_id, self.file, self.dropped, self.stored)


@dataclass
class _Scored:
    cycle: Cycle
    resolved: Any
    table: Table
    results: Results
    units: list[AdminUnit]
    stored: dict[str, str]  # code → name of the units holding a result now


def _scored(
    session: Session, cycle_id: int, path: Path, index_level: bool | None, catalog: Catalog | None, lock: bool
) -> _Scored:
    cycle = get_cycle(session, cycle_id, for_update=lock)  # another re-scoring of the cycle waits for this one
    resolved, fw = frozen_dti(cycle, catalog)
    table = read_table(path)
    results = score_table(table, fw, index_level)
    units = _units(session, cycle, results, table)
    if not units:  # a header-only file would replace a whole ranking with nothing
        raise CertifyError.one(
            "dti-no-units",
            "Tệp không có dòng đơn vị nào: không chấm điểm, không thay kết quả đã lưu",
            "The file holds no unit rows: nothing scored, the stored results are kept",
            file=table.file,
            expected="≥ 1 dòng đơn vị (unit row)",
            found="0",
        )
    if cycle.published_at is not None:
        raise CertifyError.one(
            "dti-published",
            f"Kết quả DTI của kỳ {cycle.id} đã công bố, không thể chấm lại",
            f"The DTI results of cycle {cycle.id} are published and cannot be re-scored",
            file=table.file,
            found=cycle.published_at.isoformat(),
        )
    stored = dict(
        session.execute(
            select(AdminUnit.code, AdminUnit.name)
            .join(DtiResult, DtiResult.unit_id == AdminUnit.id)
            .where(DtiResult.cycle_id == cycle.id)
        ).all()
    )
    return _Scored(cycle, resolved, table, results, units, stored)


def _dropped(scored: _Scored) -> tuple[tuple[str, str], ...]:
    kept = {u.code for u in scored.units}
    return tuple(sorted((code, name) for code, name in scored.stored.items() if code not in kept))


def preview_dti(
    session: Session,
    cycle_id: int,
    path: Path,
    *,
    index_level: bool | None = None,
    catalog: Catalog | None = None,
) -> DtiPreview:
    """What replacing the cycle's results with `path` would change (the file checked as `import_dti` does)."""
    scored = _scored(session, cycle_id, path, index_level, catalog, lock=False)
    added = sum(1 for u in scored.units if u.code not in scored.stored)
    return DtiPreview(
        scored.cycle.id, len(scored.stored), len(scored.units), _dropped(scored), added, scored.table.file
    )


def shrink_error(cycle_id: int, file: str, dropped: tuple[tuple[str, str], ...], stored: int) -> CertifyError:
    """A replacement that would remove the results of `dropped` units: refused, naming them."""
    shown = ", ".join(f"{code} {name}" for code, name in dropped[:MAX_UNIT_PROBLEMS])
    more = f" … (+{len(dropped) - MAX_UNIT_PROBLEMS})" if len(dropped) > MAX_UNIT_PROBLEMS else ""
    return CertifyError.one(
        "dti-shrink",
        f"Tệp mới thiếu {len(dropped)}/{stored} đơn vị đang có kết quả trong kỳ {cycle_id}; thay thế sẽ xóa kết quả "
        "của các đơn vị này (dùng --allow-shrink nếu chắc chắn)",
        f"The new file leaves out {len(dropped)} of the {stored} units holding results in cycle {cycle_id}; "
        "replacing would remove their results (use --allow-shrink if you mean it)",
        file=file,
        expected="mọi đơn vị đã có kết quả (every unit already scored) hoặc/or --allow-shrink",
        found=shown + more,
    )


def import_dti(
    session: Session,
    cycle_id: int,
    path: Path,
    *,
    actor: str,
    replace: bool = False,
    allow_shrink: bool = False,
    expected_dropped: frozenset[str] | None = None,
    index_level: bool | None = None,
    catalog: Catalog | None = None,
) -> DtiImport:
    """Score `path` against the cycle's framework and store one row per unit.

    A replacement never empties or shrinks a stored ranking silently: a file with no unit is refused, and one
    that leaves out units holding results is refused unless `allow_shrink`. `expected_dropped`, the codes a
    person was shown (`preview_dti`) and agreed to lose, must be exactly those the file leaves out now.
    """
    scored = _scored(session, cycle_id, path, index_level, catalog, lock=True)
    cycle, resolved, table, results, units = scored.cycle, scored.resolved, scored.table, scored.results, scored.units
    old = len(scored.stored)
    if old and not replace:
        raise CertifyError.one(
            "dti-results-exist",
            f"Kỳ {cycle.id} đã có kết quả DTI của {old} đơn vị; chấm lại sẽ thay toàn bộ "
            "(dùng --replace nếu chắc chắn)",
            f"Cycle {cycle.id} already holds DTI results for {old} units; re-scoring replaces them all "
            "(use --replace if you mean it)",
            file=table.file,
            expected="--replace",
            found=f"{old}",
        )
    dropped = _dropped(scored)
    if dropped and not allow_shrink:
        raise shrink_error(cycle.id, table.file, dropped, old)
    if expected_dropped is not None and {code for code, _ in dropped} != expected_dropped:
        raise CertifyError.one(
            "dti-changed",
            f"Kết quả kỳ {cycle.id} đã thay đổi từ lúc bạn xác nhận; không ghi gì, hãy chạy lại lệnh",
            f"The results of cycle {cycle.id} changed since you confirmed; nothing written, run the command again",
            file=table.file,
            expected=", ".join(sorted(expected_dropped)) or "—",
            found=", ".join(code for code, _ in dropped) or "—",
        )
    input_hash = _input_hash(table)
    if old:
        previous = sorted(
            {h for h in session.scalars(select(DtiResult.input_hash).where(DtiResult.cycle_id == cycle.id))}
        )
        session.execute(delete(DtiResult).where(DtiResult.cycle_id == cycle.id))
        audit.record(
            session,
            actor,
            "replace",
            "dti_result",
            cycle.id,
            field="cohort",
            old={"units": old, "input_hash": previous},
            new={"units": len(units), "input_hash": input_hash, "dropped": [code for code, _ in dropped]},
        )
    for i, unit in enumerate(units):
        session.add(
            DtiResult(
                cycle_id=cycle.id,
                unit_id=unit.id,
                group_name=results.groups[i] if results.groups else None,
                rank=int(results.ranks[i]) or None,
                band=results.bands[i],
                points=float(results.total[i]),
                max_points=float(results.max_total[i]),
                value=float(results.value[i]),
                detail=results.unit_record(i),  # the numbers as computed; outputs round them
                framework_hash=resolved.content_hash,
                input_hash=input_hash,
                source_file=table.file,
                scored_by=actor,
            )
        )
    session.flush()
    audit.record(
        session,
        actor,
        "score",
        "cycle",
        cycle.id,
        field="dti",
        new={"units": len(units), "input_hash": input_hash, "file": table.file},
    )
    return DtiImport(cycle.id, len(units), old, input_hash, list(results.warnings))


def publish_dti(session: Session, cycle_id: int, *, actor: str) -> dt.datetime:
    cycle = get_cycle(session, cycle_id, for_update=True)
    if cycle.kind != DTI:
        frozen_dti(cycle)  # raises the wrong-kind error
    if cycle.published_at is not None:
        return cycle.published_at
    if not session.scalar(select(func.count()).select_from(DtiResult).where(DtiResult.cycle_id == cycle.id)):
        raise CertifyError.one(
            "dti-empty",
            f"Kỳ {cycle.id} chưa có kết quả DTI để công bố",
            f"Cycle {cycle.id} has no DTI results to publish",
            expected="certify store dti-import",
        )
    cycle.published_at = dt.datetime.now(dt.UTC)
    audit.record(session, actor, "publish", "cycle", cycle.id, field="dti", new=cycle.published_at.isoformat())
    return cycle.published_at


def _row(r: DtiResult, unit: AdminUnit) -> DtiRow:
    return DtiRow(
        unit.id, unit.code, unit.name, r.group_name, r.rank, r.band, r.points, r.max_points, r.value, r.detail
    )


def cycle_results(session: Session, cycle_id: int) -> list[DtiRow]:
    """The cycle's results by group, then rank (unranked last), then code."""
    rows = [
        _row(r, u)
        for r, u in session.execute(
            select(DtiResult, AdminUnit)
            .join(AdminUnit, DtiResult.unit_id == AdminUnit.id)
            .where(DtiResult.cycle_id == cycle_id)
        )
    ]
    return sorted(rows, key=lambda r: (r.group or "", r.rank is None, r.rank or 0, r.unit_code))


def dti_cycles(session: Session, year: int | None = None, *, published_only: bool = False) -> list[Cycle]:
    q = select(Cycle).where(Cycle.kind == DTI)
    if year is not None:
        q = q.where(Cycle.year == year)
    if published_only:
        q = q.where(Cycle.published_at.is_not(None))
    return list(session.scalars(q.order_by(Cycle.year, Cycle.tier, Cycle.id)))


def _previous_cycle(session: Session, cycle: Cycle, published_only: bool) -> Cycle | None:
    earlier = [c for c in dti_cycles(session, cycle.year - 1, published_only=published_only) if c.tier == cycle.tier]
    return earlier[-1] if earlier else None


def previous_year(session: Session, cycle: Cycle, *, published_only: bool = False) -> dict[int, DtiPrior]:
    """Last year's value per unit of `cycle`, following the 1/7/2025 merger where the maps differ."""
    before = _previous_cycle(session, cycle, published_only)
    if before is None:
        return {}
    # Last year's value, rank and code only: the scorer's record of each unit (`detail`, a JSON document) is not
    # read, which was most of the time a ranking page spent reading last year.
    old = {
        r.unit_id: r
        for r in session.execute(
            select(DtiResult.unit_id, DtiResult.value, DtiResult.rank, AdminUnit.code.label("unit_code"))
            .join(AdminUnit, DtiResult.unit_id == AdminUnit.id)
            .where(DtiResult.cycle_id == before.id)
        )
    }
    if before.unit_map == cycle.unit_map:
        return {uid: DtiPrior(before.year, r.value, r.rank, (r.unit_code,)) for uid, r in old.items()}
    if (before.unit_map, cycle.unit_map) != (PRE2025, CURRENT):
        return {}
    scored = list(session.scalars(select(DtiResult.unit_id).where(DtiResult.cycle_id == cycle.id)))
    out: dict[int, DtiPrior] = {}
    for uid, links in links_of(session, scored).items():
        used = [link for link in links if link.old_id in old]
        if not used:
            continue
        total = sum(link.weight for link in used)
        value = sum(link.weight * old[link.old_id].value for link in used) / total
        out[uid] = DtiPrior(before.year, value, None, tuple(link.old_code for link in used), Basis.of(used))
    return out


def former_districts(session: Session, units: list[int]) -> dict[int, list[str]]:
    """District names per unit: its own (pre-2025 map) or those of the communes it was formed from (current)."""
    old, parent = aliased(AdminUnit), aliased(AdminUnit)
    own = (
        select(AdminUnit.id, parent.name)
        .join(parent, AdminUnit.parent_id == parent.id)
        .where(AdminUnit.id.in_(units), parent.tier == "district")
    )
    merged = (
        select(UnitMerger.new_unit_id, parent.name)
        .join(old, UnitMerger.old_unit_id == old.id)
        .join(parent, old.parent_id == parent.id)
        .where(UnitMerger.new_unit_id.in_(units), parent.tier == "district")
        .where(or_(UnitMerger.status.is_(None), UnitMerger.status != "removed"))
    )
    out: dict[int, set[str]] = defaultdict(set)
    for uid, name in [*session.execute(own), *session.execute(merged)]:
        out[uid].add(name)
    return {uid: sorted(names) for uid, names in out.items()}


def unit_dti(session: Session, unit_id: int, year: int, *, published_only: bool = False) -> tuple[Cycle, DtiRow] | None:
    """The unit's DTI result of `year` (the latest DTI cycle of that year that scored it)."""
    for cycle in reversed(dti_cycles(session, year, published_only=published_only)):
        found = session.execute(
            select(DtiResult, AdminUnit)
            .join(AdminUnit, DtiResult.unit_id == AdminUnit.id)
            .where(DtiResult.cycle_id == cycle.id, DtiResult.unit_id == unit_id)
        ).first()
        if found is not None:
            return cycle, _row(*found)
    return None


def ranked(session: Session, cycle_id: int, *, published_only: bool = False) -> list[DtiRank]:
    """The stored ranking with last year's value (across the merger) and the district names, for any output."""
    cycle = get_cycle(session, cycle_id)
    rows = cycle_results(session, cycle_id)
    prior = previous_year(session, cycle, published_only=published_only)
    districts = former_districts(session, [r.unit_id for r in rows])
    return [DtiRank(r, tuple(districts.get(r.unit_id, [])), prior.get(r.unit_id)) for r in rows]


def ranking(session: Session, cycle_id: int, *, published_only: bool = False) -> list[dict[str, Any]]:
    """`ranked` as JSON rows, each with the scorer's whole record (`detail`)."""
    return [r.record() for r in ranked(session, cycle_id, published_only=published_only)]

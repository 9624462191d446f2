"""Opening a cycle freezes the framework version and its content hash; later work is checked against both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.catalog import Catalog, Resolved, default_catalog
from certify.dti.model import DtiFramework
from certify.editions import edition_for_year
from certify.errors import CertifyError
from certify.framework_base import Tier
from certify.levels.model import LevelFramework
from certify.store import audit
from certify.store.models import Cycle
from certify.store.unit_sources import CURRENT, PRE2025

if TYPE_CHECKING:
    from certify.store.submissions import CarriedUnit

LEVELS = "levels"
DTI = "dti"


@dataclass(frozen=True)
class CycleInfo:
    id: int
    year: int
    tier: str
    unit_map: str
    framework_id: str
    framework_version: str
    framework_hash: str
    title: str | None
    kind: str = LEVELS
    deadline: dt.date | None = None  # the day units must submit by, when the province set one

    @classmethod
    def of(cls, c: Cycle) -> CycleInfo:
        return cls(
            c.id,
            c.year,
            c.tier,
            c.unit_map,
            c.framework_id,
            c.framework_version,
            c.framework_hash,
            c.title,
            c.kind,
            c.deadline,
        )


def default_map(year: int) -> str:
    """Cycles of 2024 and before assess the units of the three-tier map; later ones the current units."""
    return PRE2025 if year <= 2024 else CURRENT


def parse_deadline(text: str, year: int) -> dt.date:
    """A cycle's deadline as typed (`2026-03-31`); refused when it is not a day or lies far from the cycle's year."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CertifyError.one(
            "bad-deadline",
            "Hạn nộp không phải một ngày",
            "The deadline is not a day",
            path=("deadline",),
            expected="YYYY-MM-DD",
            found=text[:40],
        ) from None
    if not year - 1 <= day.year <= year + 1:
        raise CertifyError.one(
            "bad-deadline",
            f"Hạn nộp phải trong khoảng năm {year - 1}–{year + 1} của kỳ đánh giá năm {year}",
            f"The deadline must fall within {year - 1}–{year + 1} for the {year} cycle",
            path=("deadline",),
            expected=f"{year - 1}-01-01 … {year + 1}-12-31",
            found=day.isoformat(),
        )
    return day


def open_cycle(
    session: Session,
    *,
    year: int,
    framework: str,
    actor: str,
    tier: str | None = None,
    unit_map: str | None = None,
    title: str | None = None,
    deadline: dt.date | None = None,
    catalog: Catalog | None = None,
) -> CycleInfo:
    # A replaced decision stays a framework of its own: the cycle takes the edition of its year.
    resolved = edition_for_year(catalog or default_catalog(), framework, year).resolved
    fw = resolved.framework
    if not isinstance(fw, LevelFramework | DtiFramework):
        raise CertifyError.one(
            "not-assessable",
            f"Bộ tiêu chí {fw.ref} không dùng được cho kỳ đánh giá",
            f"Framework {fw.ref} cannot be used for a cycle",
            expected="kind: levels | dti",
            found=fw.kind,
        )
    tier = tier or fw.tier.value
    if tier != fw.tier.value:
        raise CertifyError.one(
            "wrong-tier",
            "Cấp đơn vị không khớp với bộ tiêu chí",
            "The tier does not match the framework",
            expected=fw.tier.value,
            found=tier,
        )
    unit_map = unit_map or default_map(year)
    if unit_map not in (PRE2025, CURRENT):
        raise CertifyError.one(
            "unknown-map",
            "Bản đồ đơn vị hành chính không hợp lệ",
            "Unknown unit map",
            expected=f"{PRE2025} | {CURRENT}",
            found=unit_map,
        )
    if unit_map == CURRENT and tier == Tier.DISTRICT.value:
        raise CertifyError.one(
            "no-districts",
            "Từ 01/7/2025 không còn cấp huyện",
            "There are no districts after 1 July 2025",
            expected=PRE2025,
            found=unit_map,
        )
    existing = session.scalars(
        select(Cycle).where(
            Cycle.year == year,
            Cycle.tier == tier,
            Cycle.framework_id == fw.id,
            Cycle.framework_version == fw.version,
            Cycle.unit_map == unit_map,
        )
    ).first()
    if existing is not None:
        return CycleInfo.of(existing)
    cycle = Cycle(
        year=year,
        tier=tier,
        unit_map=unit_map,
        framework_id=fw.id,
        framework_version=fw.version,
        framework_hash=resolved.content_hash,
        kind=fw.kind,
        title=title,
        deadline=deadline,
        opened_by=actor,
    )
    session.add(cycle)
    session.flush()
    audit.record(
        session,
        actor,
        "open",
        "cycle",
        cycle.id,
        field="framework",
        new={
            "ref": fw.ref,
            "hash": resolved.content_hash,
            "year": year,
            "tier": tier,
            "map": unit_map,
            "kind": fw.kind,
        }
        | ({"deadline": deadline.isoformat()} if deadline else {}),
    )
    return CycleInfo.of(cycle)


def get_cycle(session: Session, cycle_id: int, *, for_update: bool = False) -> Cycle:
    """The cycle; `for_update` locks its row (PostgreSQL) so that whole-cycle writers (an import, a DTI
    re-scoring, a certification) run one after the other, each reading what the previous one wrote."""
    cycle = session.get(Cycle, cycle_id, with_for_update=for_update or None, populate_existing=for_update)
    if cycle is None:
        raise CertifyError.one(
            "unknown-cycle", f"Không có kỳ đánh giá số {cycle_id}", f"No cycle {cycle_id}", found=str(cycle_id)
        )
    return cycle


def list_cycles(session: Session) -> list[CycleInfo]:
    return [CycleInfo.of(c) for c in session.scalars(select(Cycle).order_by(Cycle.year, Cycle.id))]


def frozen(cycle: Cycle, catalog: Catalog | None = None) -> Resolved:
    """The framework the cycle was opened with; refused if its content changed since (a past result never moves)."""
    resolved = (catalog or default_catalog()).load(cycle.framework_id, cycle.framework_version)
    if resolved.content_hash != cycle.framework_hash:
        raise CertifyError.one(
            "framework-changed",
            f"Bộ tiêu chí {cycle.framework_id}@{cycle.framework_version} đã bị sửa sau khi mở kỳ đánh giá; "
            "mọi thay đổi phải thành phiên bản mới",
            f"Framework {cycle.framework_id}@{cycle.framework_version} was edited after the cycle opened; "
            "changes must be a new version",
            expected=cycle.framework_hash,
            found=resolved.content_hash,
        )
    return resolved


def _wrong_kind(cycle: Cycle, expected: str) -> CertifyError:
    return CertifyError.one(
        "wrong-cycle-kind",
        f"Kỳ {cycle.id} ({cycle.year}, {cycle.framework_id}) là kỳ loại «{cycle.kind}», "
        f"thao tác này cần kỳ «{expected}»",
        f"Cycle {cycle.id} ({cycle.year}, {cycle.framework_id}) is a '{cycle.kind}' cycle; "
        f"this needs a '{expected}' one",
        expected=expected,
        found=cycle.kind,
    )


def frozen_framework(cycle: Cycle, catalog: Catalog | None = None) -> tuple[Resolved, LevelFramework]:
    resolved = frozen(cycle, catalog)
    fw = resolved.framework
    if not isinstance(fw, LevelFramework):
        raise _wrong_kind(cycle, LEVELS)
    return resolved, fw


def frozen_dti(cycle: Cycle, catalog: Catalog | None = None) -> tuple[Resolved, DtiFramework]:
    resolved = frozen(cycle, catalog)
    fw = resolved.framework
    if not isinstance(fw, DtiFramework):
        raise _wrong_kind(cycle, DTI)
    return resolved, fw


def carry_from(
    session: Session, source_id: int, target_id: int, actor: str, catalog: Catalog | None = None
) -> list[CarriedUnit]:
    """`cycle open --from-cycle N`: cycle N's values become drafts of the new cycle, through its mapping."""
    from certify.store.submissions import carry_forward

    source, target = get_cycle(session, source_id), get_cycle(session, target_id)
    if source.kind != LEVELS or target.kind != LEVELS:
        raise _wrong_kind(source if source.kind != LEVELS else target, LEVELS)
    _, fw = frozen_framework(target, catalog)
    carried = carry_forward(session, source, target, fw, actor)
    audit.record(session, actor, "carry", "cycle", target.id, field="from_cycle", new={"cycle": source.id})
    return carried

"""Loading administrative units (both maps) and mergers into the database, and looking units up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from certify.errors import CertifyError
from certify.store.models import AdminUnit, UnitMerger
from certify.store.unit_sources import CURRENT, PRE2025, SourceData, read_sources

REFORM_DATE = dt.date(2025, 7, 1)  # two-tier local government from this day (NQ 202/2025/QH15)
TIERS_BY_MAP = {PRE2025: ("province", "district", "commune"), CURRENT: ("province", "commune")}
# Inserted as Core tables, not mapped classes: ≈ 14,000 units and 10,000 mergers on a first run, without the ORM's
# bookkeeping per row (it doubled the time of loading them on `certify serve`'s first start).
UNIT_TABLE = AdminUnit.metadata.tables[AdminUnit.__tablename__]
MERGER_TABLE = UnitMerger.metadata.tables[UnitMerger.__tablename__]


@dataclass
class LoadReport:
    inserted: dict[str, int] = field(default_factory=dict)  # "map/tier" → new rows
    total: dict[str, int] = field(default_factory=dict)
    mergers_inserted: int = 0
    mergers_total: int = 0
    unmatched: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


def load_units(session: Session, data: SourceData | None = None) -> LoadReport:
    """Insert the units and mergers not yet in the database (bulk, idempotent: a second run inserts nothing)."""
    data = data or read_sources()
    report = LoadReport(unmatched=list(data.unmatched), sources=dict(data.sources))
    ids: dict[tuple[str, str, str], int] = {
        (m, t, c): i
        for i, m, t, c in session.execute(select(AdminUnit.id, AdminUnit.map, AdminUnit.tier, AdminUnit.code))
    }
    parent_tier = {
        ("pre2025", "district"): "province",
        ("pre2025", "commune"): "district",
        ("current", "commune"): "province",
    }
    for map_, tiers in TIERS_BY_MAP.items():
        for tier in tiers:  # parents first, so their ids exist
            rows = []
            batch = [u for u in data.units if u.map == map_ and u.tier == tier]
            for u in batch:
                if (u.map, u.tier, u.code) in ids:
                    continue
                parent = ids.get((u.map, parent_tier[(u.map, u.tier)], u.parent_code)) if u.parent_code else None
                rows.append(
                    {
                        "map": u.map,
                        "tier": u.tier,
                        "code": u.code,
                        "name": u.name,
                        "division_type": u.division_type,
                        "parent_id": parent,
                        "province_code": u.province_code,
                        "valid_from": REFORM_DATE if map_ == CURRENT else None,
                        "valid_to": REFORM_DATE - dt.timedelta(days=1) if map_ == PRE2025 else None,
                        "source": data.sources[map_],
                    }
                )
            if rows:
                session.execute(insert(UNIT_TABLE), rows)
                ids.update(
                    {
                        (m, t, c): i
                        for i, m, t, c in session.execute(
                            select(AdminUnit.id, AdminUnit.map, AdminUnit.tier, AdminUnit.code).where(
                                AdminUnit.map == map_, AdminUnit.tier == tier
                            )
                        )
                    }
                )
            report.inserted[f"{map_}/{tier}"] = len(rows)
            report.total[f"{map_}/{tier}"] = len(batch)
    existing = {
        (o, n): (i, f)
        for i, o, n, f in session.execute(
            select(UnitMerger.id, UnitMerger.old_unit_id, UnitMerger.new_unit_id, UnitMerger.flags)
        )
    }
    merger_rows = []
    reflagged = []  # rows loaded before the sources' doubts were kept (a database older than 0007)
    for m in data.mergers:
        old = ids.get((PRE2025, m.old_tier or m.tier, m.old_code))
        new = ids.get((CURRENT, m.tier, m.new_code))
        if old is None or new is None:
            report.unmatched.append(f"merger {m.old_code} → {m.new_code}: unit missing")
            continue
        flags = ",".join(m.flags) or None
        if (old, new) in existing:
            row_id, stored = existing[(old, new)]
            if flags and not stored:
                reflagged.append({"row_id": row_id, "flags": flags})
            continue
        existing[(old, new)] = (0, flags)
        source = data.sources["special_zones" if m.old_tier else "mergers"]
        merger_rows.append(
            {
                "old_unit_id": old,
                "new_unit_id": new,
                "whole": m.whole,
                "share": 1.0 if m.whole else None,
                "flags": flags,
                "source": source,
            }
        )
    if merger_rows:
        session.execute(insert(MERGER_TABLE), merger_rows)
    for r in reflagged:
        session.execute(update(UnitMerger).where(UnitMerger.id == r["row_id"]).values(flags=r["flags"]))
    report.mergers_inserted = len(merger_rows)
    report.mergers_total = len(data.mergers)
    return report


def find_unit(session: Session, map_: str, code: str, tier: str | None = None) -> AdminUnit | None:
    q = select(AdminUnit).where(AdminUnit.map == map_, AdminUnit.code == code)
    if tier is not None:
        q = q.where(AdminUnit.tier == tier)
    return session.scalars(q).first()


def get_unit(session: Session, map_: str, code: str, tier: str | None = None) -> AdminUnit:
    unit = find_unit(session, map_, code, tier)
    if unit is None:
        raise CertifyError.one(
            "unknown-unit",
            f"Không có đơn vị hành chính mã {code} ({map_})",
            f"No administrative unit with code {code} ({map_})",
            found=code,
        )
    return unit


def units_of_province(session: Session, map_: str, province_code: str, tier: str) -> list[AdminUnit]:
    return list(
        session.scalars(
            select(AdminUnit)
            .where(AdminUnit.map == map_, AdminUnit.province_code == province_code, AdminUnit.tier == tier)
            .order_by(AdminUnit.code)
        )
    )


def predecessors(session: Session, unit: AdminUnit) -> list[tuple[AdminUnit, bool]]:
    """The pre-2025 units a current unit was formed from (with `whole`: False when the old one was split)."""
    rows = session.execute(
        select(AdminUnit, UnitMerger.whole)
        .join(UnitMerger, UnitMerger.old_unit_id == AdminUnit.id)
        .where(UnitMerger.new_unit_id == unit.id)
        .where(or_(UnitMerger.status.is_(None), UnitMerger.status != "removed"))  # a link a province refused
        .order_by(AdminUnit.code)
    )
    return [(unit, whole) for unit, whole in rows]

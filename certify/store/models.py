"""The tables. Migrations (certify/store/migrations) create them; `Base.metadata` is only their description.

Administrative units of both maps live in one table: the pre-1/7/2025 three-tier map and the current two-tier
one reuse codes (a province code or a commune code may name different units in each), so a unit is identified
by (map, tier, code), and the cycle says which map its units come from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so that batch migrations on SQLite and migrations on PostgreSQL agree.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, Any: JSON}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AdminUnit(Base):
    """A province, district or commune of one map (pre-2025 or current), with its official GSO code."""

    __tablename__ = "admin_unit"
    __table_args__ = (UniqueConstraint("map", "tier", "code"), Index("ix_admin_unit_map_code", "map", "code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    map: Mapped[str] = mapped_column(String(16))  # "pre2025" | "current"
    tier: Mapped[str] = mapped_column(String(16))  # province | district | commune
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    division_type: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    province_code: Mapped[str] = mapped_column(String(4), index=True)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(120))

    parent: Mapped[AdminUnit | None] = relationship(remote_side=[id])


class UnitMerger(Base):
    """An old unit (pre-2025 map) became, wholly or partly, a new one (current map) on 1/7/2025."""

    __tablename__ = "unit_merger"
    __table_args__ = (UniqueConstraint("old_unit_id", "new_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    old_unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    new_unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    whole: Mapped[bool] = mapped_column(Boolean, default=True)  # False: the old unit was split among several
    source: Mapped[str] = mapped_column(String(120))
    # The share of a split old unit that went into this new one (0–1), when known; None: not known.
    share: Mapped[float | None] = mapped_column(Float)
    # What the sources could not settle when the link was loaded (comma-separated reason codes of
    # certify.store.merger_links: name-only, packages-disagree), None when nothing.
    flags: Mapped[str | None] = mapped_column(String(200))
    # A province's word on the link: confirmed, corrected (a link it made), removed (a link it refused; kept,
    # never deleted); None: as the sources gave it. Who and when, and why (`note`); every change is audited.
    status: Mapped[str | None] = mapped_column(String(16))
    status_by: Mapped[str | None] = mapped_column(String(120))
    status_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)


class Cycle(Base):
    """One yearly assessment of one tier against one frozen framework version.

    `kind` is the framework's: `levels` cycles hold submissions (one per unit, certified level by level);
    `dti` cycles hold one scored cohort (DtiResult rows), scored together because ranks and min–max rules
    compare every unit with the others.
    """

    __tablename__ = "cycle"
    __table_args__ = (UniqueConstraint("year", "tier", "framework_id", "framework_version", "unit_map"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    tier: Mapped[str] = mapped_column(String(16))
    unit_map: Mapped[str] = mapped_column(String(16))
    framework_id: Mapped[str] = mapped_column(String(120))
    framework_version: Mapped[str] = mapped_column(String(20))
    framework_hash: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(12), default="levels", server_default="levels")
    title: Mapped[str | None] = mapped_column(String(300))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    opened_by: Mapped[str] = mapped_column(String(120))
    # DTI cycles: the ranking is public once the province publishes it (levels cycles publish per submission).
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The day units must submit by (optional): shown on the editors' home page.
    deadline: Mapped[dt.date | None] = mapped_column(Date)


class Submission(Base):
    """One unit in one cycle: its workflow state and recognition decision. `version` guards concurrent edits."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("cycle_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    return_reasons: Mapped[str | None] = mapped_column(Text)
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    signer: Mapped[str | None] = mapped_column(String(200))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it as given)

    cycle: Mapped[Cycle] = relationship()
    unit: Mapped[AdminUnit] = relationship()
    values: Mapped[list[EntryValue]] = relationship(back_populates="submission", order_by="EntryValue.id")


class EntryValue(Base):
    """A criterion's value as the unit declared it (`self`) or as the appraisal council fixed it (`appraised`).

    `value` keeps the accepted input form (number, yes/no, {numerator, denominator}, {not_applicable, reason}),
    so evaluation re-reads it through the same checks as a YAML assessment.
    """

    __tablename__ = "entry_value"
    __table_args__ = (UniqueConstraint("submission_id", "criterion", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(12))  # self | appraised
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    explanation: Mapped[str | None] = mapped_column(Text)  # the unit's explanation, or the appraiser's comment
    evidence_document: Mapped[str | None] = mapped_column(String(120))
    evidence_date: Mapped[dt.date | None] = mapped_column(Date)
    evidence_summary: Mapped[str | None] = mapped_column(Text)
    evidence_file: Mapped[str | None] = mapped_column(String(500))
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)

    submission: Mapped[Submission] = relationship(back_populates="values")


class Certification(Base):
    """The level computed for a submission: reproducible from the framework hash and the input hash."""

    __tablename__ = "certification"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    level: Mapped[str | None] = mapped_column(String(40))
    level_name: Mapped[str] = mapped_column(String(120))
    framework_hash: Mapped[str] = mapped_column(String(80))
    input_hash: Mapped[str] = mapped_column(String(80))
    basis: Mapped[str] = mapped_column(String(12))  # appraised | self
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    gap: Mapped[dict[str, Any]] = mapped_column(JSON)
    certified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    certified_by: Mapped[str] = mapped_column(String(120))
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)


class DtiResult(Base):
    """One unit's DTI points in a DTI cycle, as scored with the whole cohort (reproducible from both hashes).

    `detail` is the scorer's unit record (points per main index, per pillar and, for criterion-level input,
    per criterion with its explanation), kept whole so that a score can be explained years later.
    """

    __tablename__ = "dti_result"
    __table_args__ = (UniqueConstraint("cycle_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    group_name: Mapped[str | None] = mapped_column(String(120))
    rank: Mapped[int | None] = mapped_column(Integer)
    band: Mapped[str | None] = mapped_column(String(60))
    points: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    value: Mapped[float] = mapped_column(Float)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    framework_hash: Mapped[str] = mapped_column(String(80))
    input_hash: Mapped[str] = mapped_column(String(80))
    source_file: Mapped[str | None] = mapped_column(String(500))
    scored_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    scored_by: Mapped[str] = mapped_column(String(120))

    cycle: Mapped[Cycle] = relationship()
    unit: Mapped[AdminUnit] = relationship()


class ImportBatch(Base):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    files: Mapped[Any] = mapped_column(JSON)
    unit_count: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[str] = mapped_column(String(120))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AuditEvent(Base):
    """Who changed what, when, from which value to which. Append-only: nothing else writes here."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    submission_id: Mapped[int | None] = mapped_column(Integer, index=True)
    field: Mapped[str | None] = mapped_column(String(80))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)

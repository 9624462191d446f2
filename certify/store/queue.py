"""What the appraiser's queue shows beside each waiting submission: when the unit last submitted it, and its
districts (its own on the pre-2025 map; on the current map, those of the communes it was formed from)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.store.dti_results import former_districts
from certify.store.models import AuditEvent, Submission
from certify.store.views import UnitView
from certify.store.workflow import State


def submitted_at(session: Session, subs: Sequence[Submission]) -> dict[int, dt.datetime]:
    """The moment of each submission's latest move to «submitted» (audit trail); a submission that arrived
    submitted (an import) has none there and counts from its last change."""
    ids = [s.id for s in subs]
    out: dict[int, dt.datetime] = {s.id: s.updated_at for s in subs}
    if not ids:
        return out
    moves = session.execute(
        select(AuditEvent.submission_id, AuditEvent.at, AuditEvent.new)
        .where(AuditEvent.submission_id.in_(ids), AuditEvent.action == "transition", AuditEvent.field == "state")
        .order_by(AuditEvent.id)
    )
    for sub_id, at, new in moves:
        if new == State.SUBMITTED.value and sub_id is not None:
            out[sub_id] = at
    return out


def with_queue_facts(session: Session, subs: Sequence[Submission], views: Sequence[UnitView]) -> list[UnitView]:
    """`views` (of `subs`) with `submitted_at` and `districts` filled in, two queries for all."""
    when = submitted_at(session, subs)
    districts = former_districts(session, [s.unit_id for s in subs])
    by_key = {(s.cycle_id, s.unit.code): s for s in subs}
    out = []
    for v in views:
        sub = by_key[(v.cycle_id, v.unit_code)]
        out.append(
            dataclasses.replace(v, submitted_at=when.get(sub.id), districts=tuple(districts.get(sub.unit_id, ())))
        )
    return out

"""The audit trail: one row per change of a value, a state or evidence. Services call `record` for every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.store.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    submission_id: int | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
) -> None:
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            submission_id=submission_id,
            field=field,
            old=_jsonable(old),
            new=_jsonable(new),
        )
    )


def trail(session: Session, submission_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(select(AuditEvent).where(AuditEvent.submission_id == submission_id).order_by(AuditEvent.id))
    )

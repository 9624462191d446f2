"""Small helpers shared by the storage and intake tests."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from certify.store.models import AuditEvent, Certification, EntryValue, ImportBatch, Submission


def counts(engine: Engine) -> dict[str, int]:
    """Row counts of every table an import or a workflow step writes: 'database unchanged' means these equal."""
    with engine.connect() as conn:
        return {
            m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Submission, EntryValue, Certification, ImportBatch, AuditEvent)
        }

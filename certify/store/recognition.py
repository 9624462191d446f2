"""Recognition: the provincial chair's decision, at a level the unit holds — one rule for CLI, API and web.

A unit is recognised at the level of its current certification, and only when the cycle has certified it
(`certify cycle certify`, or approval in the web app). `recognisable` answers with the certification or the
bilingual reason why not; `recognise` records the decision.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.catalog import Catalog
from certify.errors import CertifyError
from certify.store import audit
from certify.store.models import Certification, Submission
from certify.store.submissions import SubmissionInfo, check_version, flush_or_conflict
from certify.store.workflow import State, check_transition


def current_certification(session: Session, submission_id: int) -> Certification | None:
    return session.scalars(
        select(Certification)
        .where(Certification.submission_id == submission_id, Certification.superseded.is_(False))
        .order_by(Certification.id.desc())
    ).first()


def recognisable(session: Session, sub: Submission, catalog: Catalog | None = None) -> Certification:
    """The certification a recognition decision stands on, or the reason there can be none (CertifyError)."""
    code = sub.unit.code
    cert = current_certification(session, sub.id)
    if cert is None:
        raise CertifyError.one(
            "not-certified",
            f"{code}: chưa xác định mức (chạy chứng nhận trước)",
            f"{code}: no certification yet (certify the cycle first)",
            expected="certify cycle certify",
        )
    return cert


def recognise(
    session: Session,
    sub: Submission,
    *,
    decision_number: str,
    decision_date: dt.date,
    signer: str,
    actor: str,
    expected_version: int,
    catalog: Catalog | None = None,
) -> SubmissionInfo:
    """Record the provincial chair's decision at the level the unit holds (see `recognisable`)."""
    check_version(sub, expected_version)
    check_transition(sub.state, State.RECOGNISED.value, sub.unit.code)
    missing = [n for n, v in (("decision_number", decision_number), ("signer", signer)) if not str(v).strip()]
    if missing:
        raise CertifyError.one(
            "incomplete-decision",
            "Thiếu số quyết định hoặc người ký",
            "The decision number or the signer is missing",
            expected=", ".join(missing),
            found="",
        )
    recognisable(session, sub, catalog)
    for name, val in (
        ("decision_number", decision_number),
        ("decision_date", decision_date),
        ("signer", signer),
        ("state", State.RECOGNISED.value),
    ):
        audit.record(
            session,
            actor,
            "recognise",
            "submission",
            sub.id,
            submission_id=sub.id,
            field=name,
            old=getattr(sub, name),
            new=val,
        )
        setattr(sub, name, val)
    flush_or_conflict(session, sub)
    return SubmissionInfo.of(sub)

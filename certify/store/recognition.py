"""Recognition: the provincial chair's decision, at a level the unit holds — one rule for CLI, API and web.

A unit is recognised at the level of its current certification, only when the cycle has certified it
(`certify cycle certify`, or approval in the web app), only once appraised, and never at «Chưa đạt mức nào»
(no level met). `holds_level` is the rule; `recognisable` answers with the certification or the bilingual
reason why not; `recognise` records the decision. Pages ask `holds_level`, the decision draft
(`reports/from_store.py`) lists the units it allows.
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


RECOGNISABLE_STATES = frozenset({State.APPRAISED.value})  # the council has appraised it, no decision yet


def holds_level(state: str, level: str | None) -> bool:
    """The one rule: a decision may recognise a unit in `state` certified at `level` (None: no level met)."""
    return state in RECOGNISABLE_STATES and level is not None


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
    check_transition(sub.state, State.RECOGNISED.value, code)  # appraised, not yet recognised
    if not holds_level(sub.state, cert.level):
        raise CertifyError.one(
            "no-level-held",
            f"{code}: đơn vị «{cert.level_name}», không có mức nào để công nhận",
            f"{code}: the unit meets no level ('{cert.level_name}'); there is no level to recognise",
            expected="một mức đơn vị đạt (a level the unit holds)",
            found=cert.level_name,
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

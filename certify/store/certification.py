"""Certifying a cycle: evaluate every appraised unit with the frozen framework and keep the record."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.catalog import Catalog
from certify.errors import CertifyError, Problem
from certify.levels.assessment import Assessment, BoundAssessment, FrameworkRef, bind
from certify.levels.evaluate import evaluate_many
from certify.levels.gap import gap_report
from certify.store import audit
from certify.store.cycles import frozen_framework, get_cycle
from certify.store.models import Certification, Submission
from certify.store.submissions import effective_values
from certify.store.workflow import State


@dataclass(frozen=True)
class CertificationInfo:
    unit_code: str
    level: str | None
    level_name: str
    framework_hash: str
    input_hash: str


def current_certification(session: Session, submission_id: int) -> Certification | None:
    return session.scalars(
        select(Certification)
        .where(Certification.submission_id == submission_id, Certification.superseded.is_(False))
        .order_by(Certification.id.desc())
    ).first()


def certify_cycle(
    session: Session,
    cycle_id: int,
    actor: str,
    catalog: Catalog | None = None,
    states: tuple[State, ...] = (State.APPRAISED,),
) -> list[CertificationInfo]:
    """Evaluate the units in `states` (appraised by default) and store one certification each."""
    cycle = get_cycle(session, cycle_id)
    resolved, fw = frozen_framework(cycle, catalog)
    subs = list(
        session.scalars(
            select(Submission)
            .where(Submission.cycle_id == cycle_id, Submission.state.in_([s.value for s in states]))
            .order_by(Submission.id)
        )
    )
    bound: list[BoundAssessment] = []
    problems: list[Problem] = []
    for sub in subs:
        a = Assessment(
            unit=sub.unit.code,
            unit_name=sub.unit.name,
            tier=fw.tier,
            year=cycle.year,
            framework=FrameworkRef(id=fw.id, version=fw.version),
            values=effective_values(sub),
        )
        try:
            bound.append(bind(fw, a, name=f"{sub.unit.code} ({sub.unit.name})"))
        except CertifyError as exc:
            problems += exc.problems
    if problems:
        raise CertifyError(problems)
    out: list[CertificationInfo] = []
    for sub, ev in zip(subs, evaluate_many(resolved, bound), strict=True):
        previous = current_certification(session, sub.id)
        if previous is not None:
            if previous.input_hash == ev.input_hash and previous.framework_hash == cycle.framework_hash:
                out.append(
                    CertificationInfo(
                        sub.unit.code, previous.level, previous.level_name, previous.framework_hash, previous.input_hash
                    )
                )
                continue
            previous.superseded = True
        cert = Certification(
            submission_id=sub.id,
            level=ev.level,
            level_name=fw.level_name(ev.level),
            framework_hash=cycle.framework_hash,
            input_hash=ev.input_hash,
            basis="appraised" if any(v.kind == "appraised" for v in sub.values) else "self",
            result=ev.to_dict(),
            gap=gap_report(ev).to_dict(),
            certified_by=actor,
        )
        session.add(cert)
        session.flush()
        audit.record(
            session,
            actor,
            "certify",
            "certification",
            cert.id,
            submission_id=sub.id,
            field="level",
            old=previous.level if previous else None,
            new=ev.level,
        )
        out.append(CertificationInfo(sub.unit.code, ev.level, cert.level_name, cert.framework_hash, cert.input_hash))
    return out

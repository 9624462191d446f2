"""Certifying a cycle: evaluate every appraised unit with the frozen framework and keep the record."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from certify.catalog import Catalog
from certify.levels.gap_table import GapTable
from certify.store import audit
from certify.store.cycles import get_cycle
from certify.store.evaluations import evaluate_cycle
from certify.store.models import Certification
from certify.store.recognition import current_certification
from certify.store.workflow import State

__all__ = ["CertificationInfo", "certify_cycle", "current_certification"]


@dataclass(frozen=True)
class CertificationInfo:
    unit_code: str
    level: str | None
    level_name: str
    framework_hash: str
    input_hash: str


def certify_cycle(
    session: Session,
    cycle_id: int,
    actor: str,
    catalog: Catalog | None = None,
    states: tuple[State, ...] = (State.APPRAISED,),
) -> list[CertificationInfo]:
    """Evaluate the units in `states` (appraised by default) and store one certification each."""
    cycle = get_cycle(session, cycle_id, for_update=True)  # one certification of a cycle at a time
    cohort = evaluate_cycle(session, cycle, catalog, states=[s.value for s in states])
    cohort.raise_problems()
    fw = cohort.fw
    out: list[CertificationInfo] = []
    evaluations = cohort.evaluations()  # every unit bound (raise_problems above), in the order of the units
    gaps = GapTable.of(evaluations) if evaluations else None  # all the gap reports at once
    for position, unit in enumerate(cohort.units):
        sub, ev = unit.submission, unit.evaluation
        assert ev is not None  # raise_problems above: every unit bound
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
            gap=gaps.report(position) if gaps is not None else None,
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

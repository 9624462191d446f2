"""A unit's results across cycles, including those of the pre-2025 units it was formed from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.store.merger_links import links_of
from certify.store.models import Cycle, Submission
from certify.store.recognition import current_certification
from certify.store.units import get_unit, predecessors


@dataclass(frozen=True)
class HistoryRow:
    year: int
    cycle_id: int
    unit_code: str
    unit_name: str
    unit_map: str
    state: str
    level: str | None
    level_name: str | None
    whole: bool  # False: the former unit was split, only part of it is in this unit
    unconfirmed: bool = False  # a former unit whose doubtful link no province confirmed (merger_links)


def unit_history(session: Session, unit_map: str, code: str) -> list[HistoryRow]:
    unit = get_unit(session, unit_map, code)
    units = [(unit, True), *predecessors(session, unit)]
    doubtful = {link.old_id for link in links_of(session, [unit.id]).get(unit.id, []) if link.doubtful}
    out: list[HistoryRow] = []
    for u, whole in units:
        for sub, cycle in session.execute(select(Submission, Cycle).join(Cycle).where(Submission.unit_id == u.id)):
            cert = current_certification(session, sub.id)
            out.append(
                HistoryRow(
                    cycle.year,
                    cycle.id,
                    u.code,
                    u.name,
                    u.map,
                    sub.state,
                    cert.level if cert else None,
                    cert.level_name if cert else None,
                    whole,
                    u.id in doubtful,
                )
            )
    return sorted(out, key=lambda r: (r.year, r.unit_code))

"""A unit's earlier values, from which the roadmap reads how fast each value moves (certify.levels.roadmap).

Only the same unit code counts: a commune formed on 1/7/2025 has no comparable earlier value (its former
communes measured other populations), so its pace is unknown until it has two years of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.catalog import Catalog
from certify.levels.evaluate import Evaluation
from certify.levels.roadmap import History
from certify.store.evaluations import cycle_submissions, evaluate_grouped
from certify.store.models import Cycle
from certify.store.workflow import State


def history_of(evaluations: Iterable[Evaluation], unit: str, before: int) -> History:
    """Criterion → [(year, value)] of `unit` in the years before `before`, from evaluated assessments."""
    out: dict[str, list[tuple[int, float]]] = {}
    for e in evaluations:
        a = e.unit.assessment
        if a.unit != unit or a.year >= before:
            continue
        for code, m in e.unit.measurements.items():
            if m.value is not None and not m.na:
                out.setdefault(code, []).append((a.year, m.value))
    return {code: sorted(rows) for code, rows in out.items()}


def stored_history(session: Session, cycle: Cycle, unit_code: str, catalog: Catalog | None = None) -> History:
    """The unit's values in the earlier level cycles of the same tier and map (any state but deleted)."""
    earlier = list(
        session.scalars(
            select(Cycle.id).where(
                Cycle.kind == "levels",
                Cycle.tier == cycle.tier,
                Cycle.unit_map == cycle.unit_map,
                Cycle.year < cycle.year,
            )
        )
    )
    if not earlier:
        return {}
    subs = [s for s in cycle_submissions(session, earlier, exclude=[State.DELETED.value]) if s.unit.code == unit_code]
    evaluations = [u.evaluation for u in evaluate_grouped(subs, catalog, with_self=False) if u.evaluation]
    return history_of(evaluations, unit_code, cycle.year)

"""Stored submissions → an evaluated cohort: the one path from the database to the core's batch evaluation.

Every reader of stored figures (certification, the web store, the pages, the reports) comes here. A cycle's
submissions are bound to the cycle's frozen framework and evaluated together with `evaluate_many` (one pass
of the level arrays). Each unit is evaluated on its effective values (appraised over self-assessed) and, when
an appraisal changed something, also on its own figures — in the same batch, never one unit at a time.

A unit whose stored values no longer bind (a value the framework refuses) keeps its problems beside it
(`Evaluated.problems`); callers that must not go on with such a unit call `EvaluatedCohort.raise_problems()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from certify.catalog import Catalog, Resolved
from certify.errors import CertifyError, Problem
from certify.levels.assessment import Assessment, BoundAssessment, FrameworkRef, bind
from certify.levels.evaluate import Evaluation, evaluate_many, next_level_blockers
from certify.levels.model import LevelFramework
from certify.store.cycles import frozen_framework
from certify.store.models import Cycle, Submission
from certify.store.submissions import APPRAISED, effective_values


def assessment_of(
    fw: LevelFramework, year: int, unit_code: str, values: dict[str, Any], unit_name: str | None = None
) -> Assessment:
    """A stored unit's values as the assessment file that would hold them (the framework is the cycle's)."""
    return Assessment(
        unit=unit_code,
        unit_name=unit_name,
        tier=fw.tier,
        year=year,
        framework=FrameworkRef(id=fw.id, version=fw.version),
        values=values,
    )


def bind_values(
    fw: LevelFramework, year: int, unit_code: str, values: dict[str, Any], unit_name: str | None = None
) -> BoundAssessment:
    """Check stored (or typed) values against the framework; raises with every problem, named by the unit."""
    name = f"{unit_code} ({unit_name})" if unit_name else unit_code
    return bind(fw, assessment_of(fw, year, unit_code, values, unit_name), name=name)


@dataclass(frozen=True)
class Evaluated:
    """One stored submission and its evaluation (None, with `problems`, when its values do not bind)."""

    submission: Submission
    resolved: Resolved  # the cycle's frozen framework
    evaluation: Evaluation | None
    self_evaluation: Evaluation | None  # on the unit's own figures; the same object when nothing was appraised
    problems: tuple[Problem, ...] = ()

    @property
    def fw(self) -> LevelFramework:
        fw = self.resolved.framework
        assert isinstance(fw, LevelFramework)
        return fw

    @property
    def unit_code(self) -> str:
        return self.submission.unit.code

    @property
    def level(self) -> str | None:
        return self.evaluation.level if self.evaluation is not None else None


@dataclass(frozen=True)
class EvaluatedCohort:
    """A cycle's submissions evaluated together against the cycle's frozen framework."""

    cycle: Cycle
    resolved: Resolved
    fw: LevelFramework
    units: tuple[Evaluated, ...]

    def evaluations(self) -> list[Evaluation]:
        return [u.evaluation for u in self.units if u.evaluation is not None]

    def problems(self) -> list[Problem]:
        return [p for u in self.units for p in u.problems]

    def raise_problems(self) -> None:
        problems = self.problems()
        if problems:
            raise CertifyError(problems)

    def by_code(self) -> dict[str, Evaluated]:
        return {u.unit_code: u for u in self.units}

    def blocking(self) -> dict[str, int]:
        """Per criterion, how many units it keeps from their next level (read from the status arrays)."""
        return next_level_blockers(self.evaluations())


def evaluate_submissions(
    cycle: Cycle, subs: Sequence[Submission], catalog: Catalog | None = None, *, with_self: bool = True
) -> EvaluatedCohort:
    """Bind every submission of `cycle` in `subs` and evaluate them (and their own figures) in one batch."""
    resolved, fw = frozen_framework(cycle, catalog)
    bound: list[BoundAssessment] = []
    slots: list[tuple[int | None, int | None, tuple[Problem, ...]]] = []  # (effective, self) index into bound
    for sub in subs:
        values = effective_values(sub)
        try:
            effective = bind_values(fw, cycle.year, sub.unit.code, values, sub.unit.name)
        except CertifyError as exc:
            slots.append((None, None, tuple(exc.problems)))
            continue
        bound.append(effective)
        at = len(bound) - 1
        own_at: int | None = at
        if with_self and any(row.kind == APPRAISED for row in sub.values):
            try:
                bound.append(
                    bind_values(fw, cycle.year, sub.unit.code, effective_values(sub, appraised=False), sub.unit.name)
                )
                own_at = len(bound) - 1
            except CertifyError as exc:
                slots.append((at, None, tuple(exc.problems)))
                continue
        slots.append((at, own_at, ()))
    evaluations = evaluate_many(resolved, bound) if bound else []
    units = tuple(
        Evaluated(
            sub,
            resolved,
            evaluations[at] if at is not None else None,
            evaluations[own] if own is not None else None,
            problems,
        )
        for sub, (at, own, problems) in zip(subs, slots, strict=True)
    )
    return EvaluatedCohort(cycle, resolved, fw, units)


def cycle_submissions(
    session: Session, cycle_ids: Iterable[int], states: Iterable[str] | None = None, exclude: Iterable[str] = ()
) -> list[Submission]:
    """The submissions of the cycles with their values and units loaded in three queries, in id order."""
    q = (
        select(Submission)
        .where(Submission.cycle_id.in_(list(cycle_ids)))
        .options(selectinload(Submission.values), selectinload(Submission.unit), selectinload(Submission.cycle))
        .order_by(Submission.id)
    )
    if states is not None:
        q = q.where(Submission.state.in_(list(states)))
    excluded = list(exclude)
    if excluded:
        q = q.where(Submission.state.not_in(excluded))
    return list(session.scalars(q))


def evaluate_cycle(
    session: Session,
    cycle: Cycle,
    catalog: Catalog | None = None,
    *,
    states: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    with_self: bool = False,
) -> EvaluatedCohort:
    """Read and evaluate a cycle's submissions (in `states`, less `exclude`) in one batch."""
    subs = cycle_submissions(session, [cycle.id], states, exclude)
    return evaluate_submissions(cycle, subs, catalog, with_self=with_self)


def evaluate_grouped(
    subs: Sequence[Submission], catalog: Catalog | None = None, *, with_self: bool = True
) -> list[Evaluated]:
    """Submissions of any cycles, evaluated one batch per cycle, returned in the order given."""
    by_cycle: dict[int, list[Submission]] = {}
    for sub in subs:
        by_cycle.setdefault(sub.cycle_id, []).append(sub)
    done: dict[int, Evaluated] = {}
    for group in by_cycle.values():
        cohort = evaluate_submissions(group[0].cycle, group, catalog, with_self=with_self)
        done.update({u.submission.id: u for u in cohort.units})
    return [done[sub.id] for sub in subs]


def level_ids(evaluated: Iterable[Evaluated]) -> dict[str, str | None]:
    """Unit code → level id (None: not at any level, or values that do not bind)."""
    return {u.unit_code: u.level for u in evaluated}

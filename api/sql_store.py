"""The `Store` on `certify.store` (SQLAlchemy): what the stored pages read and write, one transaction per call.

Results shown before recognition are computed live from the effective values (appraised over self-assessed)
with the cycle's frozen framework; the certification recorded by `certify_cycle` is kept on approval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from certify.catalog import Catalog, Resolved
from certify.dti.model import DtiFramework
from certify.errors import CertifyError
from certify.levels.assessment import Assessment, FrameworkRef, bind
from certify.levels.evaluate import Evaluation, evaluate
from certify.levels.model import LevelFramework
from certify.store.accounts import Account, add_user, authenticate, find_user, list_users
from certify.store.certification import certify_cycle
from certify.store.cycles import frozen_dti, frozen_framework, list_cycles
from certify.store.dti_results import dti_cycles, ranking, unit_dti
from certify.store.engine import transaction
from certify.store.history import HistoryRow, unit_history
from certify.store.models import AdminUnit, Cycle, Submission
from certify.store.submissions import (
    APPRAISED,
    SELF,
    SubmissionInfo,
    ValueInput,
    check_version,
    effective_values,
    find_submission,
    recognise,
    set_values,
    transition,
    value_inputs,
)
from certify.store.units import find_unit
from certify.store.workflow import State

PUBLIC_STATES = frozenset({State.PUBLISHED.value})


class CycleExists(CertifyError):
    """Opening a cycle that is already open: answered with 409 by the admin page."""


@dataclass
class UnitView:
    """One unit's submission in one cycle, with its live evaluation (None when its values do not bind)."""

    cycle_id: int
    year: int
    unit_code: str
    unit_name: str
    unit_map: str
    state: str
    version: int
    return_reasons: str | None
    decision_number: str | None
    resolved: Resolved
    fw: LevelFramework
    self_values: dict[str, Any]
    appraised_values: dict[str, Any]
    comments: dict[str, str]
    evaluation: Evaluation | None
    self_evaluation: Evaluation | None
    problems: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        ev = self.evaluation
        return {
            "cycle": self.cycle_id,
            "year": self.year,
            "unit": self.unit_code,
            "unit_name": self.unit_name,
            "state": self.state,
            "version": self.version,
            "framework": self.fw.ref,
            "level": ev.level if ev else None,
            "level_name": self.fw.level_name(ev.level) if ev else None,
        }


def _values(sub: Submission, kind: str) -> tuple[dict[str, Any], dict[str, str]]:
    out: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for row in sub.values:
        if row.kind != kind:
            continue
        if row.explanation:
            notes[row.criterion] = row.explanation
        if row.value is None:
            continue
        entry = dict(row.value) if isinstance(row.value, dict) else {"value": row.value}
        evidence = {
            k: v
            for k, v in (
                ("document", row.evidence_document),
                ("summary", row.evidence_summary),
                ("date", row.evidence_date.isoformat() if row.evidence_date else None),
            )
            if v
        }
        if evidence:
            entry["evidence"] = evidence
        out[row.criterion] = entry
    return out, notes


class SqlStore:
    def __init__(self, engine: Engine, catalog: Catalog) -> None:
        self.engine = engine
        self.catalog = catalog

    # --- accounts -------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> Account | None:
        with transaction(self.engine) as s:
            return authenticate(s, username, password)

    def account(self, username: str) -> Account | None:
        with transaction(self.engine) as s:
            user = find_user(s, username)
            return Account.of(user) if user is not None and user.active else None

    def users(self) -> list[Account]:
        with transaction(self.engine) as s:
            return list_users(s)

    def add_user(self, username: str, role: str, password: str, unit_code: str | None, by: str) -> Account:
        with transaction(self.engine) as s:
            return add_user(s, username, role, password, unit_code=unit_code, actor=by)

    def set_user_active(self, username: str, active: bool, by: str) -> Account:
        from certify.store.accounts import set_active

        with transaction(self.engine) as s:
            return set_active(s, username, active, actor=by)

    def reset_password(self, username: str, by: str) -> str:
        from certify.store.accounts import reset_password

        with transaction(self.engine) as s:
            return reset_password(s, username, actor=by)

    # --- cycles (province admin) -----------------------------------------------------------------
    def cycle_rows(self) -> list[tuple[Any, int]]:
        """Every cycle with its number of units: submissions (deleted ones not counted) or scored DTI results."""
        from sqlalchemy import func

        from certify.store.models import DtiResult

        with transaction(self.engine) as s:
            counts: dict[int, int] = {}
            # A cycle holds one or the other, by its kind: adding both counts needs no look at the kind.
            for query in (
                select(Submission.cycle_id, func.count())
                .where(Submission.state != State.DELETED.value)
                .group_by(Submission.cycle_id),
                select(DtiResult.cycle_id, func.count()).group_by(DtiResult.cycle_id),
            ):
                for cycle_id, n in s.execute(query):
                    counts[cycle_id] = counts.get(cycle_id, 0) + n
            return [(c, counts.get(c.id, 0)) for c in list_cycles(s)]

    def open_cycle(self, year: int, framework: str, by: str, title: str | None = None) -> Any:
        """A new cycle; `CycleExists` (nothing written) when the same year, tier, map and framework is open."""
        from certify.store.cycles import open_cycle

        with transaction(self.engine) as s:
            before = {c.id for c in list_cycles(s)}
            info = open_cycle(s, year=year, framework=framework, actor=by, title=title, catalog=self.catalog)
            if info.id in before:  # open_cycle hands back the existing cycle rather than a second one
                raise CycleExists.one(
                    "cycle-exists",
                    f"Kỳ đánh giá này đã có (số {info.id}): năm {info.year}, {info.tier}, "
                    f"{info.framework_id}@{info.framework_version}",
                    f"This cycle already exists (no. {info.id}): {info.year}, {info.tier}, "
                    f"{info.framework_id}@{info.framework_version}",
                    path=("framework",),
                    found=str(info.id),
                )
            return info

    # --- DTI (cycles of kind dti; the public sees published rankings only) -----------------------------
    def dti_tables(self, year: int, *, public_only: bool) -> list[dict[str, Any]]:
        """The year's DTI rankings, one per DTI cycle, each row with last year's value (across the merger)."""
        with transaction(self.engine) as s:
            return [
                _dti_table(c, frozen_dti(c, self.catalog)[1], ranking(s, c.id, published_only=public_only))
                for c in dti_cycles(s, year, published_only=public_only)
            ]

    def unit_dti(self, unit_map: str, code: str, year: int, *, public_only: bool) -> dict[str, Any] | None:
        """One unit's DTI result of `year`: points per main index, rank among how many, last year's value."""
        with transaction(self.engine) as s:
            unit = find_unit(s, unit_map, code)
            found = unit_dti(s, unit.id, year, published_only=public_only) if unit else None
            if unit is None or found is None:
                return None
            cycle, _ = found
            fw = frozen_dti(cycle, self.catalog)[1]
            every = ranking(s, cycle.id, published_only=public_only)  # read once: the row and the cohort size
            table = _dti_table(cycle, fw, [r for r in every if r["unit"] == code])
            return {k: v for k, v in table.items() if k != "rows"} | {"row": table["rows"][0], "of": len(every)}

    # --- reading --------------------------------------------------------------------------------
    def years(self) -> list[int]:
        with transaction(self.engine) as s:
            return sorted({c.year for c in list_cycles(s)}, reverse=True)

    def _evaluate(
        self, resolved: Resolved, fw: LevelFramework, cycle: Cycle, sub: Submission, values: dict[str, Any]
    ) -> Evaluation:
        a = Assessment(
            unit=sub.unit.code,
            unit_name=sub.unit.name,
            tier=fw.tier,
            year=cycle.year,
            framework=FrameworkRef(id=fw.id, version=fw.version),
            values=values,
        )
        return evaluate(resolved, bind(fw, a, name=f"{sub.unit.code} ({sub.unit.name})"))

    def _view(self, s: Session, sub: Submission) -> UnitView:
        cycle = sub.cycle
        resolved, fw = frozen_framework(cycle, self.catalog)
        self_values, _ = _values(sub, SELF)
        appraised, comments = _values(sub, APPRAISED)
        problems: list[dict[str, Any]] = []
        ev = self_ev = None
        try:
            ev = self._evaluate(resolved, fw, cycle, sub, effective_values(sub))
            self_ev = (
                self._evaluate(
                    resolved, fw, cycle, sub, {k: v for k, v in effective_values(sub).items() if k in self_values}
                )
                if appraised
                else ev
            )
        except CertifyError as exc:
            problems = [p.to_dict() for p in exc.problems]
        return UnitView(
            cycle.id,
            cycle.year,
            sub.unit.code,
            sub.unit.name,
            cycle.unit_map,
            sub.state,
            sub.version,
            sub.return_reasons,
            sub.decision_number,
            resolved,
            fw,
            self_values,
            appraised,
            comments,
            ev,
            self_ev,
            problems,
        )

    def unit(self, cycle_id: int, code: str) -> UnitView:
        with transaction(self.engine) as s:
            return self._view(s, find_submission(s, cycle_id, code))

    def cycles(self, year: int | None = None) -> list[Any]:
        with transaction(self.engine) as s:
            return [c for c in list_cycles(s) if year is None or c.year == year]

    def submissions(self, year: int, *, public_only: bool) -> list[UnitView]:
        with transaction(self.engine) as s:
            q = (
                select(Submission)
                .join(Cycle)
                .join(AdminUnit)
                .where(Cycle.year == year, Submission.state != State.DELETED.value)
                .order_by(Cycle.id, AdminUnit.code)
            )
            if public_only:
                q = q.where(Submission.state.in_(PUBLIC_STATES))
            return [self._view(s, sub) for sub in s.scalars(q)]

    def history(self, unit_map: str, code: str) -> list[HistoryRow]:
        with transaction(self.engine) as s:
            return unit_history(s, unit_map, code)

    # --- writing --------------------------------------------------------------------------------
    def save_self(
        self, cycle_id: int, code: str, values: dict[str, Any], by: str, version: int | None, *, submit: bool = False
    ) -> SubmissionInfo:
        with transaction(self.engine) as s:
            sub = find_submission(s, cycle_id, code)
            check_version(sub, version)
            # drop criteria the form left empty: they become missing data again
            for row in [r for r in sub.values if r.kind == SELF and r.criterion not in values]:
                if row.value is not None:
                    set_values(s, sub, SELF, {row.criterion: ValueInput(value=None)}, by)
            inputs = value_inputs(values)
            for row in sub.values:  # the form carries the evidence document only: keep its date and summary
                new = inputs.get(row.criterion)
                if row.kind == SELF and new is not None and new.evidence_document == row.evidence_document:
                    inputs[row.criterion] = replace(
                        new, evidence_date=row.evidence_date, evidence_summary=row.evidence_summary
                    )
            set_values(s, sub, SELF, inputs, by)
            self._check_binds(s, sub)
            info = transition(s, sub, State.SUBMITTED.value, by) if submit else SubmissionInfo.of(sub)
            return info

    def _check_binds(self, s: Session, sub: Submission) -> None:
        resolved, fw = frozen_framework(sub.cycle, self.catalog)
        self._evaluate(resolved, fw, sub.cycle, sub, effective_values(sub))

    def appraise(
        self,
        cycle_id: int,
        code: str,
        values: dict[str, Any],
        comments: dict[str, str],
        by: str,
        version: int | None,
        *,
        decision: str | None = None,
        reasons: str | None = None,
    ) -> SubmissionInfo:
        """Store the appraised values that differ from the unit's (with a comment each); then return or approve."""
        with transaction(self.engine) as s:
            sub = find_submission(s, cycle_id, code)
            check_version(sub, version)
            if decision == "return":
                return transition(s, sub, State.RETURNED.value, by, reasons=reasons)
            if sub.state == State.SUBMITTED.value:
                transition(s, sub, State.UNDER_APPRAISAL.value, by)
            own, _ = _values(sub, SELF)
            fw = frozen_framework(sub.cycle, self.catalog)[1]
            mine, theirs = _measures(fw, sub, values), _measures(fw, sub, own)
            changed = {k: v for k, v in values.items() if mine.get(k) != theirs.get(k)}
            missing = [k for k in changed if not (comments.get(k) or "").strip()]
            if missing:
                raise CertifyError(
                    [
                        p
                        for k in missing
                        for p in CertifyError.one(
                            "comment-required",
                            f"{k}: cần ghi nhận xét cho giá trị đã sửa",
                            f"{k}: a changed value needs a comment",
                            path=("comment", k),
                        ).problems
                    ]
                )
            if changed:
                set_values(s, sub, APPRAISED, value_inputs(changed, comments), by)
            self._check_binds(s, sub)
            if decision == "approve":
                info = transition(s, sub, State.APPRAISED.value, by)
                certify_cycle(s, cycle_id, by, self.catalog)
                return info
            return SubmissionInfo.of(sub)

    def recognise(self, cycle_id: int, codes: list[str], number: str, day: dt.date, signer: str, by: str) -> int:
        with transaction(self.engine) as s:
            for code in codes:
                recognise(
                    s,
                    find_submission(s, cycle_id, code),
                    decision_number=number,
                    decision_date=day,
                    signer=signer,
                    actor=by,
                )
            return len(codes)

    def publish(self, cycle_id: int, codes: list[str], by: str) -> int:
        with transaction(self.engine) as s:
            for code in codes:
                transition(s, find_submission(s, cycle_id, code), State.PUBLISHED.value, by)
            return len(codes)


def _measures(fw: LevelFramework, sub: Submission, values: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """Values as the evaluator reads them, to tell an appraiser's change from a copy of the unit's figure."""
    a = Assessment(
        unit=sub.unit.code,
        tier=fw.tier,
        year=sub.cycle.year,
        framework=FrameworkRef(id=fw.id, version=fw.version),
        values=values,
    )
    bound = bind(fw, a, name=sub.unit.code)
    return {code: (m.value, m.numerator, m.denominator, m.na) for code, m in bound.measurements.items()}


def _dti_table(cycle: Cycle, fw: DtiFramework, rows: list[dict[str, Any]]) -> dict[str, Any]:
    banner = fw.banner
    return {
        "cycle": cycle.id,
        "year": cycle.year,
        "tier": cycle.tier,
        "framework": fw.ref,
        "title": fw.title,
        "status": fw.status.value,
        "banner": list(banner) if banner else None,
        "published": cycle.published_at is not None,
        "max_points": fw.max_points,
        "indices": [
            {"code": i.code, "name": i.name, "name_en": i.name_en, "max_points": i.max_points} for i in fw.indices
        ],
        "rows": [{k: v for k, v in r.items() if k != "detail"} | {"indices": r["detail"]["indices"]} for r in rows],
    }

"""The `Store` on `certify.store` (SQLAlchemy): what the stored pages read and write, one transaction per call.

Results shown before recognition are computed live from the effective values (appraised over self-assessed)
with the cycle's frozen framework; the certification recorded by `certify_cycle` is kept on approval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from certify.catalog import Catalog, Resolved
from certify.errors import CertifyError
from certify.levels.assessment import Assessment, FrameworkRef, bind
from certify.levels.evaluate import Evaluation, evaluate
from certify.levels.model import LevelFramework
from certify.store.accounts import Account, add_user, authenticate, find_user, list_users
from certify.store.certification import certify_cycle
from certify.store.cycles import frozen_framework, list_cycles
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
)
from certify.store.workflow import State

PUBLIC_STATES = frozenset({State.PUBLISHED.value})


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
        return {"cycle": self.cycle_id, "year": self.year, "unit": self.unit_code, "unit_name": self.unit_name,
                "state": self.state, "version": self.version, "framework": self.fw.ref,
                "level": ev.level if ev else None, "level_name": self.fw.level_name(ev.level) if ev else None}


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
        evidence = {k: v for k, v in (("document", row.evidence_document), ("summary", row.evidence_summary),
                                      ("date", row.evidence_date.isoformat() if row.evidence_date else None)) if v}
        if evidence:
            entry["evidence"] = evidence
        out[row.criterion] = entry
    return out, notes


def value_inputs(values: dict[str, Any], comments: dict[str, str] | None = None) -> dict[str, ValueInput]:
    """Assessment-file values (as the form builds them) into the store's inputs; evidence kept apart."""
    out: dict[str, ValueInput] = {}
    for code, entry in values.items():
        if isinstance(entry, dict):
            entry = dict(entry)
            evidence = entry.pop("evidence", None) or {}
            value: Any = entry["value"] if set(entry) == {"value"} else entry
            out[code] = ValueInput(value=value, explanation=(comments or {}).get(code) or None,
                                   evidence_document=evidence.get("document"), evidence_date=_day(evidence.get("date")),
                                   evidence_summary=evidence.get("summary"))
        else:
            out[code] = ValueInput(value=entry, explanation=(comments or {}).get(code) or None)
    return out


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

    # --- reading --------------------------------------------------------------------------------
    def years(self) -> list[int]:
        with transaction(self.engine) as s:
            return sorted({c.year for c in list_cycles(s)}, reverse=True)

    def _evaluate(self, resolved: Resolved, fw: LevelFramework, cycle: Cycle, sub: Submission,
                  values: dict[str, Any]) -> Evaluation:
        a = Assessment(unit=sub.unit.code, unit_name=sub.unit.name, tier=fw.tier, year=cycle.year,
                       framework=FrameworkRef(id=fw.id, version=fw.version), values=values)
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
            self_ev = self._evaluate(resolved, fw, cycle, sub, {k: v for k, v in effective_values(sub).items()
                                                                if k in self_values}) if appraised else ev
        except CertifyError as exc:
            problems = [p.to_dict() for p in exc.problems]
        return UnitView(cycle.id, cycle.year, sub.unit.code, sub.unit.name, cycle.unit_map, sub.state, sub.version,
                        sub.return_reasons, sub.decision_number, resolved, fw, self_values, appraised, comments,
                        ev, self_ev, problems)

    def unit(self, cycle_id: int, code: str) -> UnitView:
        with transaction(self.engine) as s:
            return self._view(s, find_submission(s, cycle_id, code))

    def cycles(self, year: int | None = None) -> list[Any]:
        with transaction(self.engine) as s:
            return [c for c in list_cycles(s) if year is None or c.year == year]

    def submissions(self, year: int, *, public_only: bool) -> list[UnitView]:
        with transaction(self.engine) as s:
            q = (select(Submission).join(Cycle).join(AdminUnit).where(Cycle.year == year,
                                                                       Submission.state != State.DELETED.value)
                 .order_by(Cycle.id, AdminUnit.code))
            if public_only:
                q = q.where(Submission.state.in_(PUBLIC_STATES))
            return [self._view(s, sub) for sub in s.scalars(q)]

    def history(self, unit_map: str, code: str) -> list[HistoryRow]:
        with transaction(self.engine) as s:
            return unit_history(s, unit_map, code)

    # --- writing --------------------------------------------------------------------------------
    def save_self(self, cycle_id: int, code: str, values: dict[str, Any], by: str, version: int | None,
                  *, submit: bool = False) -> SubmissionInfo:
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
                    inputs[row.criterion] = replace(new, evidence_date=row.evidence_date,
                                                    evidence_summary=row.evidence_summary)
            set_values(s, sub, SELF, inputs, by)
            self._check_binds(s, sub)
            info = transition(s, sub, State.SUBMITTED.value, by) if submit else SubmissionInfo.of(sub)
            return info

    def _check_binds(self, s: Session, sub: Submission) -> None:
        resolved, fw = frozen_framework(sub.cycle, self.catalog)
        self._evaluate(resolved, fw, sub.cycle, sub, effective_values(sub))

    def appraise(self, cycle_id: int, code: str, values: dict[str, Any], comments: dict[str, str], by: str,
                 version: int | None, *, decision: str | None = None, reasons: str | None = None) -> SubmissionInfo:
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
                raise CertifyError([p for k in missing for p in CertifyError.one(
                    "comment-required", f"{k}: cần ghi nhận xét cho giá trị đã sửa",
                    f"{k}: a changed value needs a comment", path=("comment", k)).problems])
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
                recognise(s, find_submission(s, cycle_id, code), decision_number=number, decision_date=day,
                          signer=signer, actor=by)
            return len(codes)

    def publish(self, cycle_id: int, codes: list[str], by: str) -> int:
        with transaction(self.engine) as s:
            for code in codes:
                transition(s, find_submission(s, cycle_id, code), State.PUBLISHED.value, by)
            return len(codes)


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _measures(fw: LevelFramework, sub: Submission, values: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """Values as the evaluator reads them, to tell an appraiser's change from a copy of the unit's figure."""
    a = Assessment(unit=sub.unit.code, tier=fw.tier, year=sub.cycle.year,
                   framework=FrameworkRef(id=fw.id, version=fw.version), values=values)
    bound = bind(fw, a, name=sub.unit.code)
    return {code: (m.value, m.numerator, m.denominator, m.na) for code, m in bound.measurements.items()}


def demo_files(samples_dir: Path) -> list[Path]:
    return sorted(samples_dir.glob("2025-xa-*.yaml"))


DEMO_FRAMEWORK = "sample-2361-commune"
DEMO_YEAR = 2025


def load_demo(engine: Engine, catalog: Catalog, samples_dir: Path, actor: str = "demo") -> bool:
    """First run: both unit maps, a 2025 commune cycle and the bundled 2025 sample communes as drafts."""
    import yaml

    from certify.store.cycles import open_cycle
    from certify.store.submissions import ensure_submission
    from certify.store.units import get_unit, load_units

    with transaction(engine) as s:
        if s.scalars(select(Cycle.id)).first() is not None:
            return False
        load_units(s)
        info = open_cycle(s, year=DEMO_YEAR, framework=DEMO_FRAMEWORK, actor=actor, catalog=catalog,
                          title="Kỳ đánh giá mẫu 2025 (dữ liệu minh họa)")
        cycle = s.get(Cycle, info.id)
        assert cycle is not None
        for path in demo_files(samples_dir):
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            if str(doc.get("framework", "")).partition("@")[0] != DEMO_FRAMEWORK or doc.get("year") != DEMO_YEAR:
                continue
            unit = get_unit(s, cycle.unit_map, str(doc["unit"]), cycle.tier)
            sub = ensure_submission(s, cycle, unit, actor)
            set_values(s, sub, SELF, value_inputs(_jsonable(doc.get("values", {}))), actor)
    return True


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

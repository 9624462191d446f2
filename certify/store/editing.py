"""What a person does to a unit's figures in a cycle, as one rule each: save the self-assessment, appraise,
return, approve, recognise, publish. The web app, the JSON API and the CLI call these; none re-states a rule.

Each function works in the caller's transaction (one per user action) and checks the submission's version
first, so a form loaded before someone else's change is refused as a conflict instead of overwriting it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from certify.catalog import Catalog
from certify.errors import CertifyError
from certify.levels.model import LevelFramework
from certify.store.certification import certify_cycle
from certify.store.cycles import frozen_framework
from certify.store.evaluations import bind_values
from certify.store.models import EntryValue, Submission
from certify.store.recognition import recognise
from certify.store.submissions import (
    APPRAISED,
    SELF,
    SubmissionInfo,
    ValueInput,
    check_version,
    effective_values,
    entries,
    find_submission,
    set_values,
    transition,
    value_inputs,
)
from certify.store.workflow import State


def check_binds(sub: Submission, catalog: Catalog | None = None) -> None:
    """Raise when the unit's effective values no longer satisfy the cycle's framework (nothing is kept then)."""
    _, fw = frozen_framework(sub.cycle, catalog)
    bind_values(fw, sub.cycle.year, sub.unit.code, effective_values(sub), sub.unit.name)


def save_self_assessment(
    session: Session,
    sub: Submission,
    values: dict[str, Any],
    actor: str,
    version: int,
    *,
    submit: bool = False,
    catalog: Catalog | None = None,
) -> SubmissionInfo:
    """The unit's own figures as the form holds them (a criterion left empty becomes missing again)."""
    check_version(sub, version)
    cleared = {r.criterion: ValueInput(value=None) for r in sub.values if r.kind == SELF and r.criterion not in values}
    cleared = {code: v for code, v in cleared.items() if (row := _row(sub, code, SELF)) and row.value is not None}
    if cleared:
        set_values(session, sub, SELF, cleared, actor, expected_version=sub.version)
    inputs = value_inputs(values)
    for row in sub.values:  # the form carries the evidence document only: keep its date and summary
        new = inputs.get(row.criterion)
        if row.kind == SELF and new is not None and new.evidence_document == row.evidence_document:
            inputs[row.criterion] = replace(new, evidence_date=row.evidence_date, evidence_summary=row.evidence_summary)
    set_values(session, sub, SELF, inputs, actor, expected_version=sub.version)
    check_binds(sub, catalog)
    if submit:
        return transition(session, sub, State.SUBMITTED.value, actor, expected_version=sub.version)
    return SubmissionInfo.of(sub)


def _row(sub: Submission, criterion: str, kind: str) -> EntryValue | None:
    return next((r for r in sub.values if r.criterion == criterion and r.kind == kind), None)


def _measures(fw: LevelFramework, year: int, unit: str, values: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """Values as the evaluator reads them, to tell an appraiser's change from a copy of the unit's figure."""
    bound = bind_values(fw, year, unit, values)
    return {code: (m.value, m.numerator, m.denominator, m.na) for code, m in bound.measurements.items()}


def changed_values(
    fw: LevelFramework, year: int, unit: str, values: dict[str, Any], own: dict[str, Any]
) -> dict[str, Any]:
    """The appraiser's values that differ from the unit's own figures as the evaluator reads them (85,5 % and
    855/1000 are the same figure): each needs a comment. The one rule for the store and the live appraisal page."""
    mine, theirs = _measures(fw, year, unit, values), _measures(fw, year, unit, own)
    return {k: v for k, v in values.items() if mine.get(k) != theirs.get(k)}


def appraise(
    session: Session,
    sub: Submission,
    values: dict[str, Any],
    comments: dict[str, str],
    actor: str,
    version: int,
    *,
    decision: str | None = None,
    reasons: str | None = None,
    catalog: Catalog | None = None,
) -> SubmissionInfo:
    """The council's figures and comments; then return the submission or approve it.

    A figure that differs from the unit's needs a comment and is stored as appraised. A comment on a figure the
    council keeps is stored too (audited), and a figure set back to the unit's own drops the appraised one.
    Criteria the form does not hold (a decision confirmed on its own page sends none) are left as they are.
    """
    check_version(sub, version)
    if decision == "return":
        return transition(session, sub, State.RETURNED.value, actor, reasons=reasons, expected_version=sub.version)
    if sub.state == State.SUBMITTED.value:
        transition(session, sub, State.UNDER_APPRAISAL.value, actor, expected_version=sub.version)
    own, _ = entries(sub, SELF)
    _, fw = frozen_framework(sub.cycle, catalog)
    changed = changed_values(fw, sub.cycle.year, sub.unit.code, values, own)
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
    inputs = value_inputs(changed, comments)
    for code in sorted(set(values) | set(comments)):  # only what the form holds: an empty form touches nothing
        if code in changed:
            continue
        row = _row(sub, code, APPRAISED)
        note = (comments.get(code) or "").strip() or None
        if note is None and (row is None or row.value is None):
            continue  # nothing said, nothing stored before
        # the unit's own figure stands: no appraised figure, the comment (or none) kept
        inputs[code] = ValueInput(value=None, explanation=note)
    if inputs:
        set_values(session, sub, APPRAISED, inputs, actor, expected_version=sub.version)
    check_binds(sub, catalog)
    if decision == "approve":
        info = transition(session, sub, State.APPRAISED.value, actor, expected_version=sub.version)
        certify_cycle(session, sub.cycle_id, actor, catalog)
        return info
    return SubmissionInfo.of(sub)


def recognise_units(
    session: Session,
    cycle_id: int,
    versions: dict[str, int],
    *,
    decision_number: str,
    decision_date: dt.date,
    signer: str,
    actor: str,
    catalog: Catalog | None = None,
) -> int:
    """One decision for several units of a cycle (code → the version the signer saw), each at the level it
    holds; all or none are recorded."""
    for code, version in versions.items():
        recognise(
            session,
            find_submission(session, cycle_id, code, for_update=True),
            decision_number=decision_number,
            decision_date=decision_date,
            signer=signer,
            actor=actor,
            expected_version=version,
            catalog=catalog,
        )
    return len(versions)


def publish_units(session: Session, cycle_id: int, versions: dict[str, int], actor: str) -> int:
    """Publish several recognised units (code → the version the publisher saw); all or none."""
    for code, version in versions.items():
        sub = find_submission(session, cycle_id, code, for_update=True)
        transition(session, sub, State.PUBLISHED.value, actor, expected_version=version)
    return len(versions)

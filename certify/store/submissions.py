"""A unit's figures in a cycle: self-assessed and appraised values, evidence, workflow, recognition.

Every function takes a Session and plain values and leaves committing to the caller (one transaction per
user action). Every change goes through `audit.record`.

Optimistic concurrency that cannot be skipped: every function that changes a submission takes the version the
caller read (`expected_version`, no default). A form loaded before someone else's change is refused with a
`conflict` (409 on the web), a missing or malformed version with `version-required` / `bad-version` (422,
`parse_version`); a concurrent change between the check and the write is caught by the version column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from certify.errors import CertifyError
from certify.framework_base import Tier
from certify.store import audit
from certify.store.models import AdminUnit, Cycle, EntryValue, Submission
from certify.store.workflow import APPRAISAL_EDITABLE, SELF_EDITABLE, STATE_VI, State, check_transition

if TYPE_CHECKING:
    from certify.levels.mapping import CarryReport
    from certify.levels.model import LevelFramework

SELF = "self"
APPRAISED = "appraised"


@dataclass(frozen=True)
class ValueInput:
    """One criterion's value in any accepted form, with its explanation (or comment) and evidence."""

    value: Any
    explanation: str | None = None
    evidence_document: str | None = None
    evidence_date: dt.date | None = None
    evidence_summary: str | None = None
    evidence_file: str | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "explanation": self.explanation,
            "evidence_document": self.evidence_document,
            "evidence_date": self.evidence_date,
            "evidence_summary": self.evidence_summary,
            "evidence_file": self.evidence_file,
        }


@dataclass(frozen=True)
class SubmissionInfo:
    id: int
    cycle_id: int
    unit_code: str
    unit_name: str
    state: str
    version: int

    @classmethod
    def of(cls, s: Submission) -> SubmissionInfo:
        return cls(s.id, s.cycle_id, s.unit.code, s.unit.name, s.state, s.version)


def conflict(unit: str, expected: int | None = None, found: int | None = None) -> CertifyError:
    both = expected is not None and found is not None
    seen = f" (bạn mở phiên bản {expected}, hiện là {found})" if both else ""
    seen_en = f" (you opened version {expected}, it is now {found})" if both else ""
    return CertifyError.one(
        "conflict",
        f"{unit}: dữ liệu vừa được người khác thay đổi{seen}; hãy tải lại và thực hiện lại",
        f"{unit}: someone else changed this unit meanwhile{seen_en}; reload and try again",
        path=("version",),
        expected=None if expected is None else str(expected),
        found=None if found is None else str(found),
    )


MAX_VERSION = 2**31 - 1


def parse_version(raw: object) -> int:
    """The version a form, a JSON body or a command line carries: required, a whole number ≥ 1.

    The one rule for every write path; a missing or malformed version is refused (never a silent overwrite).
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise CertifyError.one(
            "version-required",
            "Thiếu số phiên bản hồ sơ (version): hãy tải lại trang hoặc xem «certify cycle show», rồi làm lại",
            "The submission's version is missing: reload the page (or see 'certify cycle show') and try again",
            path=("version",),
            expected="số phiên bản đã đọc (the version you read), e.g. 3",
            found="không có (missing)",
        )
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_VERSION:
        raise CertifyError.one(
            "bad-version",
            "Số phiên bản hồ sơ (version) không hợp lệ: phải là số nguyên dương",
            "The submission's version is malformed: it must be a whole number from 1",
            path=("version",),
            expected=f"1 … {MAX_VERSION}",
            found=text[:40],
        )
    return int(text)


def get_submission(session: Session, cycle_id: int, unit_id: int) -> Submission | None:
    return session.scalars(
        select(Submission).where(Submission.cycle_id == cycle_id, Submission.unit_id == unit_id)
    ).first()


def find_submission(session: Session, cycle_id: int, unit_code: str, *, for_update: bool = False) -> Submission:
    """The unit's submission; `for_update` locks its row (PostgreSQL) so a concurrent writer waits for this one."""
    q = select(Submission).join(AdminUnit).where(Submission.cycle_id == cycle_id, AdminUnit.code == unit_code)
    if for_update:
        q = q.with_for_update(of=Submission)
    sub = session.scalars(q).first()
    if sub is None:
        raise CertifyError.one(
            "no-submission",
            f"Đơn vị {unit_code} chưa có hồ sơ trong kỳ {cycle_id}",
            f"Unit {unit_code} has nothing in cycle {cycle_id}",
            found=unit_code,
        )
    return sub


def ensure_submission(
    session: Session, cycle: Cycle, unit: AdminUnit, actor: str, batch_id: int | None = None
) -> Submission:
    sub = get_submission(session, cycle.id, unit.id)
    if sub is None:
        sub = Submission(cycle_id=cycle.id, unit_id=unit.id, state=State.DRAFT.value, import_batch_id=batch_id)
        sub.unit = unit
        session.add(sub)
        session.flush()
        audit.record(
            session, actor, "create", "submission", sub.id, submission_id=sub.id, field="state", new=State.DRAFT.value
        )
    return sub


def check_version(sub: Submission, expected_version: int) -> None:
    """Refuse a change made on a version other than the one stored now (someone saved meanwhile)."""
    if sub.version != parse_version(expected_version):
        raise conflict(sub.unit.code, expected_version, sub.version)


def flush_or_conflict(session: Session, sub: Submission) -> None:
    """Write now, so that a concurrent change shows up here as a conflict and not later as a crash."""
    with session.no_autoflush:  # read before flushing: after a failed flush the session can load nothing
        code = sub.unit.code
    try:
        session.flush()
    except StaleDataError:
        raise conflict(code) from None
    except OperationalError as exc:  # SQLite: another writer committed after this transaction's snapshot
        if "locked" in str(exc) or "busy" in str(exc).lower():
            raise conflict(code) from None
        raise


def _entry(sub: Submission, criterion: str, kind: str) -> EntryValue | None:
    return next((v for v in sub.values if v.criterion == criterion and v.kind == kind), None)


def set_values(
    session: Session,
    sub: Submission,
    kind: str,
    values: dict[str, ValueInput],
    actor: str,
    *,
    expected_version: int,
) -> int:
    """Write self-assessed (`self`) or appraised values; returns how many fields changed.

    An appraised entry without a value is the council's comment on the unit's own figure (kept, audited).
    """
    check_version(sub, expected_version)
    state = State(sub.state)
    allowed = SELF_EDITABLE if kind == SELF else APPRAISAL_EDITABLE
    if state not in allowed:
        raise CertifyError.one(
            "not-editable",
            f"{sub.unit.code}: không thể sửa số liệu {'tự đánh giá' if kind == SELF else 'thẩm định'} "
            f"khi hồ sơ ở trạng thái «{STATE_VI[state]}»",
            f"{sub.unit.code}: {kind} values cannot change while the submission is '{state.value}'",
            expected=" | ".join(s.value for s in allowed),
            found=state.value,
        )
    changed = 0
    for code, new in values.items():
        row = _entry(sub, code, kind)
        if row is None:
            row = EntryValue(submission_id=sub.id, criterion=code, kind=kind, updated_by=actor, **new.fields())
            sub.values.append(row)
            session.add(row)
            for name, val in new.fields().items():
                if val is not None:
                    audit.record(
                        session,
                        actor,
                        "set",
                        "entry_value",
                        None,
                        submission_id=sub.id,
                        field=f"{kind}:{code}:{name}",
                        old=None,
                        new=val,
                    )
                    changed += 1
            continue
        for name, val in new.fields().items():
            old = getattr(row, name)
            if old != val:
                audit.record(
                    session,
                    actor,
                    "set",
                    "entry_value",
                    row.id,
                    submission_id=sub.id,
                    field=f"{kind}:{code}:{name}",
                    old=old,
                    new=val,
                )
                setattr(row, name, val)
                row.updated_by = actor
                changed += 1
    if changed:
        sub.updated_at = dt.datetime.now(dt.UTC)  # dirties the submission, so its version is checked and bumped
    flush_or_conflict(session, sub)
    return changed


def transition(
    session: Session,
    sub: Submission,
    target: str,
    actor: str,
    *,
    reasons: str | None = None,
    expected_version: int,
) -> SubmissionInfo:
    check_version(sub, expected_version)
    dst = check_transition(sub.state, target, sub.unit.code)
    if dst is State.RETURNED and not (reasons and reasons.strip()):
        raise CertifyError.one(
            "no-reasons",
            "Trả lại hồ sơ phải nêu lý do",
            "Returning a submission needs reasons",
            expected="lý do (reasons)",
            found="",
        )
    if dst is State.RECOGNISED:
        raise CertifyError.one(
            "use-recognise",
            "Công nhận phải kèm số quyết định, ngày, người ký",
            "Recognition needs a decision number, date and signer (use recognise)",
        )
    audit.record(
        session,
        actor,
        "transition",
        "submission",
        sub.id,
        submission_id=sub.id,
        field="state",
        old=sub.state,
        new=dst.value,
    )
    if dst is State.RETURNED:
        audit.record(
            session,
            actor,
            "set",
            "submission",
            sub.id,
            submission_id=sub.id,
            field="return_reasons",
            old=sub.return_reasons,
            new=reasons,
        )
        sub.return_reasons = reasons
    sub.state = dst.value
    flush_or_conflict(session, sub)
    return SubmissionInfo.of(sub)


def entries(sub: Submission, kind: str) -> tuple[dict[str, Any], dict[str, str]]:
    """One kind's values (`self` or `appraised`) as the form shows them, and the explanations (or comments)."""
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


def effective_values(sub: Submission, *, appraised: bool = True) -> dict[str, Any]:
    """Values in the assessment-file form: appraised ones override the unit's own, with their evidence.

    With `appraised=False`, the unit's own figures only (what it would be without the appraisal).
    """
    chosen: dict[str, EntryValue] = {}
    for row in sub.values:
        if row.kind == APPRAISED and (not appraised or row.value is None):  # no appraised figure: a comment only
            continue
        if row.kind == APPRAISED or row.criterion not in chosen:
            chosen[row.criterion] = row
    out: dict[str, Any] = {}
    for code, row in chosen.items():
        if row.value is None:
            continue
        evidence = {
            k: v
            for k, v in (
                ("document", row.evidence_document),
                ("date", row.evidence_date),
                ("summary", row.evidence_summary),
                ("file", row.evidence_file),
            )
            if v
        }
        entry = dict(row.value) if isinstance(row.value, dict) else {"value": row.value}
        if evidence:
            entry["evidence"] = evidence
        out[code] = entry
    return out


def value_inputs(values: dict[str, Any], comments: dict[str, str] | None = None) -> dict[str, ValueInput]:
    """Assessment-file values (as the form builds them) into the store's inputs; evidence kept apart."""
    out: dict[str, ValueInput] = {}
    for code, entry in values.items():
        if isinstance(entry, dict):
            entry = dict(entry)
            evidence = entry.pop("evidence", None) or {}
            value: Any = entry["value"] if set(entry) == {"value"} else entry
            out[code] = ValueInput(
                value=value,
                explanation=(comments or {}).get(code) or None,
                evidence_document=evidence.get("document"),
                evidence_date=_day(evidence.get("date")),
                evidence_summary=evidence.get("summary"),
            )
        else:
            out[code] = ValueInput(value=entry, explanation=(comments or {}).get(code) or None)
    return out


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class CarriedUnit:
    """One unit's draft in a new cycle, made from its values of an earlier one."""

    unit_code: str
    report: CarryReport | None  # None: same criteria, every value kept as it was

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit_code, **(self.report.to_dict() if self.report else {})}


def carry_forward(session: Session, source: Cycle, target: Cycle, fw: LevelFramework, actor: str) -> list[CarriedUnit]:
    """Each unit's values of cycle `source` become its draft in `target` («to confirm»), through `fw`'s mapping
    when the framework version changed (`certify cycle open --from-cycle N`)."""
    from certify.levels.assessment import Assessment, FrameworkRef
    from certify.levels.mapping import carry_over

    if source.unit_map != target.unit_map:
        raise CertifyError.one(
            "carry-across-maps",
            f"Kỳ {source.id} và kỳ {target.id} dùng hai bản đồ đơn vị khác nhau (trước và sau 1/7/2025): không chuyển "
            "được số liệu từng đơn vị",
            f"Cycles {source.id} and {target.id} use different unit maps (before and after 1 July 2025): values "
            "cannot be carried unit by unit",
            expected=target.unit_map,
            found=source.unit_map,
        )
    out = []
    subs = session.scalars(select(Submission).where(Submission.cycle_id == source.id).order_by(Submission.id))
    for old in subs:
        values = effective_values(old)
        assessment = Assessment(
            unit=old.unit.code,
            tier=Tier(target.tier),
            year=target.year,
            framework=FrameworkRef(id=source.framework_id, version=source.framework_version),
            values=values,
        )
        carried, report = carry_over(fw, assessment)
        sub = ensure_submission(session, target, old.unit, actor)
        known = {code: v for code, v in carried.values.items() if code in fw.criterion_by_code}
        set_values(session, sub, SELF, value_inputs(known), actor, expected_version=sub.version)
        out.append(CarriedUnit(old.unit.code, report))
    return out

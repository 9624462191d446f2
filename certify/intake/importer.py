"""Importing filled forms into a cycle: validate every file first, then write in one transaction.

Without `partial`, one bad cell anywhere means nothing is written. With `partial`, the valid units are written
and the rest reported. The write is a single transaction, so a process killed halfway leaves no trace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from certify.bulk import gc_paused
from certify.catalog import Catalog
from certify.errors import CertifyError, Problem
from certify.intake.reader import Expect, ParsedFile, ParsedUnit, read_form
from certify.settings import get_settings
from certify.store.cycles import frozen_framework, get_cycle
from certify.store.models import AdminUnit, AuditEvent, Cycle, EntryValue, ImportBatch, Submission
from certify.store.submissions import SELF, set_values
from certify.store.workflow import SELF_EDITABLE, STATE_VI, State

Progress = Callable[[str, int, int], None]  # (stage "read" | "write", done, total)
CHUNK = 50


@dataclass
class ImportResult:
    cycle_id: int
    files: int
    units_written: int = 0
    values_written: int = 0
    batch_id: int | None = None
    problems: list[Problem] = field(default_factory=list)
    rejected_units: list[str] = field(default_factory=list)
    overwritten: list[Overwrite] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "cycle_id": self.cycle_id,
            "files": self.files,
            "units_written": self.units_written,
            "values_written": self.values_written,
            "batch_id": self.batch_id,
            "rejected_units": self.rejected_units,
            "overwritten": [o.__dict__ for o in self.overwritten],
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class Overwrite:
    """A unit whose draft already holds own values that the forms change: shown and confirmed before the import."""

    unit: str
    name: str
    version: int  # the draft's version when it was checked
    values: int  # how many of its stored values the forms change


def _overwrites(valid: list[tuple[ParsedUnit, AdminUnit]], existing: Mapping[int, Submission]) -> list[Overwrite]:
    """The drafts among `valid` whose stored own values the forms change (a value set again the same is no change)."""
    out = []
    for unit, db_unit in valid:
        sub = existing.get(db_unit.id)
        if sub is None:
            continue
        stored = {v.criterion: v for v in sub.values if v.kind == SELF}
        changed = sum(
            1
            for code, new in unit.values.items()
            if code in stored and any(getattr(stored[code], k) != x for k, x in new.fields().items())
        )
        if changed:
            out.append(Overwrite(unit.code, db_unit.name, sub.version, changed))
    return out


def _submissions(session: Session, cycle_id: int) -> dict[int, Submission]:
    return {s.unit_id: s for s in session.scalars(select(Submission).where(Submission.cycle_id == cycle_id))}


def preview_overwrites(
    session: Session, cycle_id: int, files: Sequence[Path], *, partial: bool = False, catalog: Catalog | None = None
) -> list[Overwrite]:
    """What importing `files` would overwrite, to ask first. The files are read only when the cycle's drafts hold
    own values already; nothing is shown for files the import would refuse (without `partial`): it says why."""
    cycle = get_cycle(session, cycle_id)
    held = (
        select(EntryValue.id)
        .join(Submission)
        .where(
            Submission.cycle_id == cycle.id,
            Submission.state.in_([s.value for s in SELF_EDITABLE]),
            EntryValue.kind == SELF,
        )
    )
    if session.scalar(held.limit(1)) is None:
        return []
    valid, problems, _ = validate_files(session, cycle, files, catalog)
    if problems and not partial:
        return []
    return _overwrites(valid, _submissions(session, cycle.id))


def _expect(session: Session, cycle: Cycle, catalog: Catalog | None) -> Expect:
    _, fw = frozen_framework(cycle, catalog)
    s = get_settings()
    return Expect(fw, cycle.framework_hash, cycle.year, s.max_upload_bytes, s.max_unzipped_bytes)


def validate_files(
    session: Session,
    cycle: Cycle,
    files: Sequence[Path],
    catalog: Catalog | None = None,
    progress: Progress | None = None,
) -> tuple[list[tuple[ParsedUnit, AdminUnit]], list[Problem], list[str]]:
    """Read and check everything; returns the valid units (with their database unit), problems, rejected codes."""
    exp = _expect(session, cycle, catalog)
    parsed: list[ParsedFile] = []
    # Every form read is kept until the end and makes no reference cycle: without cyclic collections, which grow
    # with everything kept so far, reading 1,000 forms costs a sixth less (certify.bulk).
    with gc_paused():
        for i, path in enumerate(files, start=1):
            parsed.append(read_form(Path(path), exp))
            if progress:
                progress("read", i, len(files))
    units = {u.code: u for u in session.scalars(select(AdminUnit).where(AdminUnit.map == cycle.unit_map))}
    states = {
        code: state
        for code, state in session.execute(
            select(AdminUnit.code, Submission.state).join(Submission).where(Submission.cycle_id == cycle.id)
        )
    }
    problems: list[Problem] = []
    valid: list[tuple[ParsedUnit, AdminUnit]] = []
    rejected: list[str] = []
    seen: dict[str, str] = {}
    for pf in parsed:
        file_level = [p for p in pf.problems if p.row is None or not any(u.row for u in pf.units)]
        problems += pf.problems
        for unit in pf.units:
            own = [p for p in pf.problems if p not in file_level and p.row == unit.row]
            where = {"row": unit.row, "column": "A"} if unit.row else {"row": 3, "column": "C"}
            db_unit = units.get(unit.code)
            if db_unit is None:
                own.append(
                    unit.problem(
                        "unknown-unit",
                        f"Không có đơn vị hành chính mã {unit.code}",
                        f"No administrative unit with code {unit.code}",
                        expected=f"mã {cycle.tier} ({cycle.unit_map})",
                        found=unit.code,
                        **where,
                    )
                )
            elif db_unit.tier != cycle.tier:
                own.append(
                    unit.problem(
                        "wrong-tier",
                        f"Đơn vị {unit.code} ({db_unit.name}) không thuộc cấp của kỳ đánh giá",
                        f"Unit {unit.code} ({db_unit.name}) is not of the cycle's tier",
                        expected=cycle.tier,
                        found=db_unit.tier,
                        **where,
                    )
                )
            if unit.code in seen:
                own.append(
                    unit.problem(
                        "duplicate-unit",
                        f"Đơn vị {unit.code} xuất hiện hai lần",
                        f"Unit {unit.code} appears twice",
                        expected="một lần (once)",
                        found=f"cũng có ở / also in {seen[unit.code]}",
                        **where,
                    )
                )
            else:
                seen[unit.code] = f"{unit.file}" + (f" dòng/row {unit.row}" if unit.row else "")
            state = states.get(unit.code)
            if state is not None and State(state) not in SELF_EDITABLE:
                own.append(
                    unit.problem(
                        "already-submitted",
                        f"Hồ sơ đơn vị {unit.code} đang ở trạng thái «{STATE_VI[State(state)]}», không nhập lại được",
                        f"Unit {unit.code} is '{state}' and cannot be re-imported",
                        expected="draft | returned",
                        found=state,
                        **where,
                    )
                )
            problems += [p for p in own if p not in pf.problems]
            if own or file_level:
                rejected.append(unit.code)
            elif db_unit is not None:
                valid.append((unit, db_unit))
    return valid, problems, rejected


def import_files(
    session: Session,
    cycle_id: int,
    files: Sequence[Path],
    actor: str,
    *,
    partial: bool = False,
    catalog: Catalog | None = None,
    progress: Progress | None = None,
    confirmed: Mapping[str, int] | None = None,
) -> ImportResult:
    """Validate all files, then write (all, or with `partial` the valid units) in the caller's transaction.

    `confirmed`, the drafts a person was shown (`preview_overwrites`: unit → version) and agreed to overwrite,
    must be exactly those the forms overwrite now; None: whatever they overwrite (`result.overwritten` says it).
    """
    # Another import into the cycle, or a web save of one of its units, waits for this one (PostgreSQL row
    # locks; SQLite: the caller's write transaction), so what is checked below is what gets written over.
    cycle = get_cycle(session, cycle_id, for_update=True)
    session.execute(select(Submission.id).where(Submission.cycle_id == cycle.id).with_for_update())
    valid, problems, rejected = validate_files(session, cycle, files, catalog, progress)
    result = ImportResult(cycle_id, len(files), problems=problems, rejected_units=rejected)
    if (problems and not partial) or not valid:
        return result
    existing = _submissions(session, cycle.id)
    result.overwritten = _overwrites(valid, existing)
    now = {o.unit: o.version for o in result.overwritten}
    if confirmed is not None and now != dict(confirmed):
        raise CertifyError.one(
            "import-changed",
            f"Số liệu của kỳ {cycle.id} đã thay đổi từ lúc bạn xác nhận; không ghi gì, hãy chạy lại lệnh",
            f"The values of cycle {cycle.id} changed since you confirmed; nothing written, run the command again",
            expected=", ".join(f"{u}@{v}" for u, v in sorted(confirmed.items())) or "—",
            found=", ".join(f"{u}@{v}" for u, v in sorted(now.items())) or "—",
        )
    batch = ImportBatch(cycle_id=cycle.id, files=[str(f) for f in files], unit_count=len(valid), imported_by=actor)
    session.add(batch)
    session.flush()
    result.batch_id = batch.id
    done = 0
    with gc_paused():  # rows made for the bulk inserts, no cycles among them
        for start in range(0, len(valid), CHUNK):
            chunk = valid[start : start + CHUNK]
            result.values_written += _write_chunk(session, cycle, chunk, existing, actor, batch.id)
            done += len(chunk)
            result.units_written = done
            if progress:
                progress("write", done, len(valid))
    return result


def _write_chunk(
    session: Session,
    cycle: Cycle,
    chunk: list[tuple[ParsedUnit, AdminUnit]],
    existing: dict[int, Submission],
    actor: str,
    batch_id: int,
) -> int:
    """New units are written with bulk inserts (the yearly import is mostly new); re-imports go value by value."""
    now = dt.datetime.now(dt.UTC)
    written = 0
    fresh = [(u, a) for u, a in chunk if a.id not in existing]
    for unit, db_unit in chunk:
        if db_unit.id in existing:
            sub = existing[db_unit.id]  # locked since the checks: its version is the one checked
            written += set_values(session, sub, SELF, unit.values, actor, expected_version=sub.version)
    if not fresh:
        return written
    sub_rows = [
        {
            "cycle_id": cycle.id,
            "unit_id": a.id,
            "state": State.DRAFT.value,
            "import_batch_id": batch_id,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for _, a in fresh
    ]
    ids = list(session.scalars(insert(Submission).returning(Submission.id, sort_by_parameter_order=True), sub_rows))
    values: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for (unit, _), sub_id in zip(fresh, ids, strict=True):
        events.append(
            {
                "at": now,
                "actor": actor,
                "action": "import",
                "entity": "submission",
                "entity_id": sub_id,
                "submission_id": sub_id,
                "field": "state",
                "old": None,
                "new": State.DRAFT.value,
            }
        )
        for code, v in unit.values.items():
            fields = v.fields()
            values.append(
                {
                    "submission_id": sub_id,
                    "criterion": code,
                    "kind": SELF,
                    "updated_by": actor,
                    "updated_at": now,
                    **fields,
                }
            )
            events.append(
                {
                    "at": now,
                    "actor": actor,
                    "action": "import",
                    "entity": "entry_value",
                    "entity_id": None,
                    "submission_id": sub_id,
                    "field": f"{SELF}:{code}",
                    "old": None,
                    "new": {
                        k: (x.isoformat() if isinstance(x, dt.date) else x) for k, x in fields.items() if x is not None
                    },
                }
            )
    if values:
        session.execute(insert(EntryValue), values)
    session.execute(insert(AuditEvent), events)
    return written + len(values)


def infer_cycle(session: Session, files: Sequence[Path]) -> int:
    """The cycle the forms were made for (framework, version, year in their metadata), when only one fits."""
    from openpyxl import load_workbook

    from certify.errors import CertifyError
    from certify.intake import layout as L
    from certify.xlsx_read import check_xlsx_file

    s = get_settings()
    for path in files:
        if check_xlsx_file(Path(path), s.max_upload_bytes, s.max_unzipped_bytes):
            continue
        try:
            wb = load_workbook(path, read_only=True)
            meta = {str(r[0]): r[1] for r in wb[L.META_SHEET].iter_rows(values_only=True) if r and r[0]}
            wb.close()
        except Exception:  # unreadable here: validation will report it with its cycle
            continue
        q = select(Cycle).where(
            Cycle.framework_id == meta.get("framework_id"),
            Cycle.framework_version == str(meta.get("framework_version")),
        )
        if meta.get("year"):
            q = q.where(Cycle.year == meta["year"])
        found = list(session.scalars(q))
        if len(found) == 1:
            return found[0].id
        raise CertifyError.one(
            "which-cycle",
            "Không xác định được kỳ đánh giá của phiếu: hãy ghi --cycle",
            "Cannot tell which cycle the forms belong to: give --cycle",
            file=str(path),
            expected="--cycle ID",
            found=", ".join(str(c.id) for c in found) or "không có kỳ phù hợp (no matching cycle)",
        )
    raise CertifyError.one(
        "which-cycle",
        "Không xác định được kỳ đánh giá: hãy ghi --cycle",
        "Cannot tell which cycle: give --cycle",
        expected="--cycle ID",
        found="",
    )

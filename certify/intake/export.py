"""Results of a cycle as XLSX: one row per unit (state, level, decision) and one row per gap item.

Every cell passes through `certify.cellsafe.append_row`, so a unit name or a comment starting with = + - @ never
runs as a formula when the file is opened. Levels are named as the framework names them («Mức 2 — …»,
«Chưa đạt mức nào»), states, tiers and maps as `certify.labels` says them; a sample or partial framework's banner
is row 1 of every sheet and its printed header. A DTI cycle exports its ranking («DTI» sheet); a levels cycle adds
the ranking of the DTI cycle of the same year, tier and map when there is one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.cellsafe import append_row
from certify.dti.model import DtiFramework
from certify.intake.dti_sheet import add_dti_sheet, banner_row
from certify.labels import label
from certify.levels.model import LevelFramework
from certify.store.cycles import DTI, frozen_dti, frozen_framework, get_cycle
from certify.store.dti_results import dti_cycles
from certify.store.models import AdminUnit, Cycle, Submission
from certify.store.recognition import current_certification
from certify.store.workflow import State

RESULT_HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Trạng thái",
    "Mức đạt",
    "Mức tiếp theo",
    "Số tiêu chí còn thiếu",
    "Số quyết định",
    "Ngày quyết định",
    "Người ký",
    "Cơ sở",
    "Mã băm bộ tiêu chí",
    "Mã băm dữ liệu",
    "Thời điểm chứng nhận",
]
GAP_HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Mức tiếp theo",
    "Mã tiêu chí",
    "Tiêu chí",
    "Hiện tại",
    "Yêu cầu",
    "Khoảng cách",
    "Cơ quan chủ trì",
]


def _row(ws: Any, values: list[Any]) -> None:
    append_row(ws, values)


def _dti_partner(session: Session, cycle: Cycle) -> Cycle | None:
    if cycle.kind == DTI:
        return cycle
    same = [c for c in dti_cycles(session, cycle.year) if c.tier == cycle.tier and c.unit_map == cycle.unit_map]
    return same[-1] if same else None


def export_cycle(session: Session, cycle_id: int, path: Path) -> Path:
    cycle = get_cycle(session, cycle_id)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    fw: LevelFramework | DtiFramework
    if cycle.kind == DTI:
        fw = frozen_dti(cycle)[1]
        wb.remove(ws)
    else:
        fw = frozen_framework(cycle)[1]
        _level_sheets(session, cycle, wb, ws, fw)
        _evidence_sheet(session, cycle, wb, fw.banner)
    dti = _dti_partner(session, cycle)
    if dti is not None:
        add_dti_sheet(wb, session, dti)
    meta = wb.create_sheet("Thông tin")
    banner_row(meta, fw.banner)
    for k, v in (
        ("Kỳ đánh giá", cycle.id),
        ("Năm", cycle.year),
        ("Cấp", label("tier", cycle.tier)),
        ("Bộ tiêu chí", f"{fw.title} — {cycle.framework_id}@{cycle.framework_version}"),
        ("Tình trạng bộ tiêu chí", label("status", fw.status.value)),
        ("Mã băm bộ tiêu chí", cycle.framework_hash),
        ("Bản đồ đơn vị", label("unit_map", cycle.unit_map)),
    ):
        _row(meta, [k, v])
    if dti is not None and dti is not cycle:
        _row(meta, ["Kỳ DTI (trang «DTI»)", f"{dti.id}: {dti.framework_id}@{dti.framework_version}"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _evidence_sheet(session: Session, cycle: Cycle, wb: Workbook, banner: tuple[str, str] | None) -> None:
    """«Kiểm chứng»: every evidence file of the cycle with its hash, document number and dates."""
    from certify.store.evidence import SHEET_HEADERS, sheet_rows

    ws = wb.create_sheet("Kiểm chứng")
    banner_row(ws, banner)
    _row(ws, SHEET_HEADERS)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for values in sheet_rows(session, cycle.id):
        _row(ws, values)


def _level_sheets(session: Session, cycle: Cycle, wb: Workbook, ws: Any, fw: LevelFramework) -> None:
    ws.title = "Kết quả"
    gaps = wb.create_sheet("Khoảng cách")
    for sheet, headers in ((ws, RESULT_HEADERS), (gaps, GAP_HEADERS)):
        banner_row(sheet, fw.banner)
        _row(sheet, headers)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)

    def named(level: str | None) -> str | None:  # a level id of the frozen framework, as people read it
        return fw.level_name(level) if level in fw.level_by_id else level

    subs = session.scalars(
        select(Submission)
        .join(AdminUnit)
        .where(Submission.cycle_id == cycle.id, Submission.state != State.DELETED.value)
        .order_by(AdminUnit.code)
    )
    for sub in subs:
        cert = current_certification(session, sub.id)
        unit = sub.unit
        if cert is None:
            _row(
                ws,
                [
                    unit.code,
                    unit.name,
                    label("state", sub.state),
                    None,
                    None,
                    None,
                    sub.decision_number,
                    sub.decision_date,
                    sub.signer,
                    None,
                    cycle.framework_hash,
                    None,
                    None,
                ],
            )
            continue
        result, gap = cert.result, cert.gap
        _row(
            ws,
            [
                unit.code,
                unit.name,
                label("state", sub.state),
                cert.level_name,
                named(result.get("next_level")),
                len(result.get("why_not_next", [])),
                sub.decision_number,
                sub.decision_date,
                sub.signer,
                cert.basis,
                cert.framework_hash,
                cert.input_hash,
                cert.certified_at.replace(tzinfo=None),
            ],
        )
        for item in gap.get("items", []):  # what stands between the unit and its next level
            _row(
                gaps,
                [
                    unit.code,
                    unit.name,
                    named(item.get("level")),
                    item.get("criterion"),
                    item.get("name"),
                    item.get("current_text"),
                    item.get("requirement_text"),
                    item.get("gap_text"),
                    item.get("agency"),
                ],
            )

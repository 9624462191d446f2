"""A whole yearly cycle, on SQLite and PostgreSQL: template → forms of a province's communes → import →
appraisal changes two values → certification → recognition → publication → export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import Engine, select

from certify.intake.export import export_cycle
from certify.intake.importer import import_files
from certify.intake.samples import fill_unit_form
from certify.intake.template import write_province_sheet, write_unit_form
from certify.store import audit
from certify.store.certification import certify_cycle, current_certification
from certify.store.cycles import open_cycle
from certify.store.engine import transaction
from certify.store.history import unit_history
from certify.store.models import AdminUnit, Cycle, UnitMerger
from certify.store.recognition import recognise
from certify.store.submissions import ValueInput, find_submission, set_values, transition
from certify.store.units import units_of_province
from tests.intake.helpers import FW, levels, resolved, sample_values
from tests.store.helpers import counts

PROVINCE = "86"  # Vĩnh Long (pre-2025 code)


def test_full_yearly_cycle(loaded: Engine, tmp_path: Path) -> None:
    r, fw = resolved(), levels(resolved())
    with transaction(loaded) as s:
        cycle = open_cycle(s, year=2024, framework=FW, actor="so-khcn-vinh-long")
        communes = [(u.code, u.name) for u in units_of_province(s, "pre2025", PROVINCE, "commune")]
    assert len(communes) > 50
    chosen = communes[:12]
    # The province-wide sheet lists every commune; each chosen commune fills its own form.
    sheet = write_province_sheet(r, tmp_path / "tinh-86.xlsx", communes, year=2024, unit_map="pre2025")
    assert load_workbook(sheet)["Tổng hợp đơn vị"].cell(row=5, column=1).value == communes[0][0]
    template = write_unit_form(r, tmp_path / "phieu.xlsx", year=2024, unit_map="pre2025")
    base = sample_values()
    files = []
    for i, (code, name) in enumerate(chosen):
        values = dict(base)
        values["CQS-08"] = 100 + 10 * i  # bandwidth differs per commune
        files.append(
            fill_unit_form(
                template, tmp_path / "forms" / f"{code}.xlsx", fw, unit_code=code, values=values, unit_name=name
            )
        )
    with transaction(loaded) as s:
        result = import_files(s, cycle.id, files, "van-thu")
    assert result.ok, [p.message() for p in result.problems]
    assert result.units_written == len(chosen)

    first = chosen[0][0]
    with transaction(loaded) as s:
        for code, _ in chosen:
            sub = find_submission(s, cycle.id, code)
            transition(s, sub, "submitted", "xa", expected_version=sub.version)
            transition(s, sub, "under_appraisal", "so-khcn", expected_version=sub.version)
        sub = find_submission(s, cycle.id, first)
        # The council corrects two figures of the first commune.
        set_values(
            s,
            sub,
            "appraised",
            {
                "CQS-08": ValueInput(80, "Hợp đồng dịch vụ chỉ ghi 80 Mbps"),
                "XHS-01": ValueInput({"numerator": 5000, "denominator": 9120}, "Số liệu VNeID ngày 31/12"),
            },
            "hoi-dong-tham-dinh",
            expected_version=sub.version,
        )
        for code, _ in chosen:
            sub = find_submission(s, cycle.id, code)
            transition(s, sub, "appraised", "hoi-dong-tham-dinh", expected_version=sub.version)
    with transaction(loaded) as s:
        certs = {c.unit_code: c for c in certify_cycle(s, cycle.id, "so-khcn")}
    assert set(certs) == {c for c, _ in chosen}
    assert certs[first].level != certs[chosen[1][0]].level  # the corrected figures lowered its level
    with transaction(loaded) as s:
        for code, _ in chosen:
            sub = find_submission(s, cycle.id, code)
            recognise(
                s,
                sub,
                decision_number="2554/QĐ-UBND",
                decision_date=dt.date(2025, 3, 15),
                signer="Chủ tịch UBND tỉnh",
                actor="ubnd-tinh",
                expected_version=sub.version,
            )
            transition(s, sub, "published", "so-khcn", expected_version=sub.version)
        sub = find_submission(s, cycle.id, first)
        cert = current_certification(s, sub.id)
        assert cert is not None and cert.basis == "appraised"
        stored_hash = s.scalar(select(Cycle.framework_hash).where(Cycle.id == cycle.id))
        assert cert.framework_hash == stored_hash == r.content_hash
        trail = [(e.actor, e.field, e.old, e.new) for e in audit.trail(s, sub.id)]
        assert ("hoi-dong-tham-dinh", "appraised:CQS-08:value", None, 80) in trail
        assert ("ubnd-tinh", "decision_number", None, "2554/QĐ-UBND") in trail
        # The commune's history, seen from the new commune it was merged into after 1/7/2025.
        old_id = s.scalar(select(AdminUnit.id).where(AdminUnit.map == "pre2025", AdminUnit.code == first))
        new_code = s.scalar(
            select(AdminUnit.code)
            .join(UnitMerger, UnitMerger.new_unit_id == AdminUnit.id)
            .where(UnitMerger.old_unit_id == old_id)
        )
        assert new_code is not None
        history = unit_history(s, "current", new_code)
        assert [(h.year, h.unit_code, h.level) for h in history if h.unit_code == first] == [
            (2024, first, certs[first].level)
        ]

    before = counts(loaded)
    out = export_cycle_file(loaded, cycle.id, tmp_path / "ket-qua.xlsx")
    wb = load_workbook(out)
    rows = list(wb["Kết quả"].iter_rows(values_only=True))
    assert rows[0][0].startswith("⚠ Bộ tiêu chí mẫu — không phải ngưỡng chính thức")  # the sample banner first
    assert rows[1][0] == "Mã đơn vị" and len(rows) == len(chosen) + 2
    by_code = {row[0]: row for row in rows[2:]}
    assert by_code[first][2] == "đã công bố" and by_code[first][6] == "2554/QĐ-UBND"
    assert by_code[first][3] == certs[first].level_name  # the level as people read it, not its id
    gaps = list(wb["Khoảng cách"].iter_rows(values_only=True))
    assert any(g[0] == first and g[3] == "CQS-08" for g in gaps[2:])
    assert counts(loaded) == before  # export reads only


def export_cycle_file(engine: Engine, cycle_id: int, path: Path) -> Path:
    with transaction(engine) as s:
        return export_cycle(s, cycle_id, path)

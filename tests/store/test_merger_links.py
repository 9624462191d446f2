"""Merger links checked: doubtful links listed with a reason, confirmed or corrected by the province (stored,
audited), marked in last year's value until then; split communes weighted; special zones linked to their
island districts — on the real conversion table, SQLite and PostgreSQL.

The case from the field: the packages link Xã Hòa Lộc of Huyện Tam Bình (Vĩnh Long, 29734) to the new Xã Tân
Thành Bình (28921), formed from Mỏ Cày Bắc's communes (Bến Tre) — a name clash with Xã Hòa Lộc of Mỏ Cày Bắc
(28924), which they link to Xã Hòa Hiệp (29734 on the current map) in turn.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from certify.store.cycles import open_cycle
from certify.store.dti_results import import_dti, ranking
from certify.store.engine import transaction
from certify.store.models import AuditEvent
from certify.store.unit_sources import SourceData
from certify.store.units import get_unit, predecessors
from tests.store.helpers import run_cli

FW = "vinh-long-2554-commune"
HEADER = "unit,name,1,2,3,4,5,6,7,8\n"
TAN_THANH_BINH, HOA_HIEP = "28921", "29734"  # current map
HOA_LOC_TAM_BINH, HOA_LOC_MO_CAY_BAC = "29734", "28924"  # pre-2025 map
# Last year (2024, pre-2025 map): Tân Thành Bình's former communes of Mỏ Cày Bắc, and the two Hòa Lộc.
OLD_VALUES = {"28918": 0.4, "28921": 0.6, HOA_LOC_MO_CAY_BAC: 0.9, "28933": 0.5, HOA_LOC_TAM_BINH: 0.2}
SPECIAL_ZONES = {  # current code → the island district it was formed from (pre-2025 code, name)
    "06994": ("203", "Huyện Vân Đồn"),
    "07192": ("207", "Huyện Cô Tô"),
    "11914": ("317", "Huyện Cát Hải"),
    "11948": ("318", "Huyện Bạch Long Vĩ"),
    "19742": ("471", "Huyện Cồn Cỏ"),
    "20333": ("498", "Huyện Hoàng Sa"),
    "21548": ("536", "Huyện Lý Sơn"),
    "22736": ("576", "Huyện Trường Sa"),
    "23272": ("602", "Huyện Phú Quí"),
    "26732": ("755", "Huyện Côn Đảo"),
    "31108": ("912", "Huyện Kiên Hải"),
    "31078": ("911", "Thành phố Phú Quốc"),
    "31105": ("911", "Thành phố Phú Quốc"),
}


def _csv(path: Path, rows: dict[str, float]) -> Path:
    """A cohort where every main index of a unit has the same value (so DTI value = that value)."""
    path.write_text(
        HEADER + "".join(f"{code},,{','.join([str(v)] * 8)}\n" for code, v in rows.items()), encoding="utf-8"
    )
    return path


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("COLUMNS", "250")  # a wide terminal: `units check` prints each link on one line
    return run_cli(monkeypatch, capsys, *args)


def _prior(engine: Engine, cycle: int, code: str) -> dict | None:
    with transaction(engine) as s:
        rows = {r["unit"]: r for r in ranking(s, cycle)}
    return rows[code]["previous"]


def test_the_name_clash_is_listed_marked_and_corrected_by_the_province(
    loaded: Engine,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    monkeypatch.setenv("CERTIFY_USER", "so-khcn-vinh-long")

    # 1. The check lists the clash with its reason, as a table and as JSON, and exits 0.
    code, out, _ = _run(monkeypatch, capsys, "units", "check", "--province", "86")
    assert code == 0
    line = next(ln for ln in out.splitlines() if f"{HOA_LOC_TAM_BINH} Xã Hòa Lộc" in ln)
    assert f"{TAN_THANH_BINH} Xã Tân Thành Bình" in line and "Tỉnh Vĩnh Long" in line and "khác tỉnh" in line
    code, out, _ = _run(monkeypatch, capsys, "units", "check", "--province", "86", "--format", "json")
    links = {(x["old_unit"], x["new_unit"]): x for x in json.loads(out)}
    clash = links[(HOA_LOC_TAM_BINH, TAN_THANH_BINH)]
    assert code == 0 and clash["doubtful"] and clash["status"] is None
    assert clash["reasons"][0]["code"] == "other-province" and "(Tỉnh Bến Tre)" in clash["reasons"][0]["vi"]
    assert links[(HOA_LOC_MO_CAY_BAC, HOA_HIEP)]["reasons"][0]["code"] == "other-province"  # the other half
    assert ("28918", TAN_THANH_BINH) not in links  # Mỏ Cày Bắc's own communes are not doubtful

    # 2. Last year's value of Tân Thành Bình: its former communes weighted (the two Hòa Lộc were split in two by
    # the packages, share unknown: half each), the clash marked «liên kết chưa xác nhận», the split «ước lượng».
    with transaction(loaded) as s:
        c2024 = open_cycle(s, year=2024, framework=FW, actor="so").id
        c2025 = open_cycle(s, year=2025, framework=FW, actor="so").id
        import_dti(s, c2024, _csv(tmp_path / "2024.csv", OLD_VALUES), actor="so")
        import_dti(s, c2025, _csv(tmp_path / "2025.csv", {TAN_THANH_BINH: 0.8, HOA_HIEP: 0.7}), actor="so")
    prev = _prior(loaded, c2025, TAN_THANH_BINH)
    assert prev is not None
    assert prev["value"] == pytest.approx((0.4 + 0.6 + 0.5 * 0.9 + 0.5 + 0.5 * 0.2) / 4, abs=5e-5)
    assert prev["unconfirmed"] == [HOA_LOC_TAM_BINH]
    assert prev["approximate"] == [HOA_LOC_MO_CAY_BAC, HOA_LOC_TAM_BINH]
    assert prev["marks"] == [
        f"liên kết chưa xác nhận: {HOA_LOC_TAM_BINH}",
        f"ước lượng (xã cũ bị chia tách): {HOA_LOC_MO_CAY_BAC}, {HOA_LOC_TAM_BINH}",
    ]
    code, out, _ = _run(monkeypatch, capsys, "dti", "show", "--cycle", str(c2025))
    assert code == 0 and f"liên kết chưa xác nhận: {HOA_LOC_TAM_BINH}" in out

    # 3. The province corrects both halves of the clash and says which share of Mỏ Cày Bắc's Hòa Lộc moved.
    code, out, _ = _run(
        monkeypatch, capsys, "units", "relink", HOA_LOC_TAM_BINH, "--from", TAN_THANH_BINH, "--to", HOA_HIEP,
        "--share", "1", "--note", "trùng tên với Xã Hòa Lộc, Mỏ Cày Bắc", "--yes",
    )  # fmt: skip
    assert code == 0 and f"{HOA_LOC_TAM_BINH} → {TAN_THANH_BINH}" in out and f"{HOA_LOC_TAM_BINH} → {HOA_HIEP}" in out
    code, _, _ = _run(monkeypatch, capsys, "units", "relink", HOA_LOC_MO_CAY_BAC, "--from", HOA_HIEP, "--yes")
    assert code == 0
    code, out, _ = _run(monkeypatch, capsys, "units", "confirm", HOA_LOC_MO_CAY_BAC, TAN_THANH_BINH, "--share", "0.3")
    assert code == 0 and "0.3" in out

    prev = _prior(loaded, c2025, TAN_THANH_BINH)
    assert prev is not None and prev["units"] == ["28918", "28921", HOA_LOC_MO_CAY_BAC, "28933"]
    assert prev["value"] == pytest.approx((0.4 + 0.6 + 0.3 * 0.9 + 0.5) / 3.3, abs=5e-5)
    assert prev["marks"] == [] and prev["unconfirmed"] == [] and prev["approximate"] == []
    hoa_hiep = _prior(loaded, c2025, HOA_HIEP)
    assert hoa_hiep is not None and HOA_LOC_MO_CAY_BAC not in hoa_hiep["units"]
    assert HOA_LOC_TAM_BINH in hoa_hiep["units"] and f"liên kết chưa xác nhận: {HOA_LOC_TAM_BINH}" not in str(hoa_hiep)

    # 4. Stored and audited: nothing deleted, the refused link kept as «removed», each change an audit event.
    code, out, _ = _run(monkeypatch, capsys, "units", "check", "--province", "86", "--format", "json")
    assert (HOA_LOC_TAM_BINH, TAN_THANH_BINH) not in {(x["old_unit"], x["new_unit"]) for x in json.loads(out)}
    code, out, _ = _run(monkeypatch, capsys, "units", "check", "--province", "86", "--all", "--format", "json")
    links = {(x["old_unit"], x["new_unit"]): x for x in json.loads(out)}
    assert links[(HOA_LOC_TAM_BINH, TAN_THANH_BINH)]["status"] == "removed"
    assert links[(HOA_LOC_TAM_BINH, HOA_HIEP)]["status"] == "corrected"
    assert links[(HOA_LOC_TAM_BINH, HOA_HIEP)]["note"] == "trùng tên với Xã Hòa Lộc, Mỏ Cày Bắc"
    assert links[(HOA_LOC_MO_CAY_BAC, TAN_THANH_BINH)]["status"] == "confirmed"
    assert links[(HOA_LOC_MO_CAY_BAC, TAN_THANH_BINH)]["status_by"] == "so-khcn-vinh-long"
    with transaction(loaded) as s:
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.entity == "unit_merger")))
        new = get_unit(s, "current", TAN_THANH_BINH, "commune")
        assert HOA_LOC_TAM_BINH not in [u.code for u, _ in predecessors(s, new)]
    assert [e.action for e in events] == ["relink", "relink", "relink", "confirm"]
    assert {e.actor for e in events} == {"so-khcn-vinh-long"}
    assert events[0].old["status"] is None and events[0].new["status"] == "removed"


def test_a_wrong_share_or_an_unknown_link_is_one_bilingual_line(
    loaded: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    code, _, err = _run(monkeypatch, capsys, "units", "confirm", HOA_LOC_MO_CAY_BAC, TAN_THANH_BINH, "--share", "1.5")
    assert code == 2 and "Tỷ lệ" in err and "share" in err and "1.5" in err
    code, _, err = _run(monkeypatch, capsys, "units", "confirm", "28918", HOA_HIEP)
    assert code == 2 and "Không có liên kết" in err and "No link" in err and "relink" in err
    code, _, err = _run(monkeypatch, capsys, "units", "relink", "28918", "--from", "99999", "--yes")
    assert code == 2 and "99999" in err


def test_special_zones_come_from_their_island_districts(
    loaded: Engine,
    unit_data: SourceData,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert not unit_data.unmatched
    with transaction(loaded) as s:
        for code, (district, name) in SPECIAL_ZONES.items():
            zone = get_unit(s, "current", code, "commune")
            assert zone.division_type == "đặc khu"
            formers = {(u.code, u.tier): (u.name, whole) for u, whole in predecessors(s, zone)}
            assert formers[(district, "district")][0] == name, code
            assert formers[(district, "district")][1] is (district != "911")  # Phú Quốc became two zones
    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    code, out, _ = _run(monkeypatch, capsys, "units", "history", "26732")  # Đặc khu Côn Đảo: no former commune
    assert code == 0 and "755 Huyện Côn Đảo" in out
    code, out, _ = _run(monkeypatch, capsys, "units", "history", "31105")  # Đặc khu Thổ Châu
    assert code == 0 and "31105 Xã Thổ Châu" in out and "911 Thành phố Phú Quốc (một phần / part)" in out


def test_the_province_summary_marks_last_year_s_level_from_a_doubtful_link(loaded: Engine) -> None:
    """The province summary's «last year» column (PDF, XLSX) reads the same links: a level carried over from
    the Hòa Lộc of the name clash is marked, and the basis line counts it."""
    import io

    import openpyxl

    from certify.store.cycles import get_cycle
    from certify.store.history import unit_history
    from certify.store.submissions import ValueInput, ensure_submission, set_values, transition
    from reports.from_store import read_cycle
    from reports.province import summarise
    from reports.province_xlsx import render_province_xlsx

    cycles = {}
    with transaction(loaded) as s:
        for year, unit_map, code in ((2024, "pre2025", HOA_LOC_TAM_BINH), (2025, "current", TAN_THANH_BINH)):
            cycle = get_cycle(s, open_cycle(s, year=year, framework="sample-2361-commune", actor="so").id)
            sub = ensure_submission(s, cycle, get_unit(s, unit_map, code, "commune"), "xa")
            set_values(s, sub, "self", {"CQS-08": ValueInput(150)}, "xa", expected_version=sub.version)
            transition(s, sub, "submitted", "xa", expected_version=sub.version)
            cycles[year] = cycle.id
    with transaction(loaded) as s:
        stored = read_cycle(s, cycles[2025])
    summary = summarise(
        stored.evaluations + stored.previous, 2025, formers=stored.formers, former_links=stored.former_links
    )
    [tier] = summary.tiers
    [change] = tier.changes
    assert change["name"] == "Xã Tân Thành Bình" and "(đơn vị cũ: Xã Hòa Lộc)" in change["before"]
    assert f"⚠ liên kết chưa xác nhận: {HOA_LOC_TAM_BINH}" in change["before"]
    assert "1 đơn vị tính từ liên kết chưa xác nhận" in tier.previous_basis
    assert "1 đơn vị có xã cũ bị chia tách: mức năm trước là ước lượng" in tier.previous_basis
    with transaction(loaded) as s:
        history = unit_history(s, "current", TAN_THANH_BINH)  # the unit page's and the API's history table
    assert [(r.year, r.unit_code, r.whole, r.unconfirmed) for r in history] == [
        (2024, HOA_LOC_TAM_BINH, False, True),
        (2025, TAN_THANH_BINH, True, False),
    ]
    wb = openpyxl.load_workbook(io.BytesIO(render_province_xlsx(summary)))
    cells = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any(f"liên kết chưa xác nhận: {HOA_LOC_TAM_BINH}" in c for c in cells)


def test_a_folder_of_files_judges_the_packages_links_by_the_same_rules() -> None:
    """Without a database (the province summary of a folder), the packages' links are judged by the same rules
    and, with nobody to confirm them, stay marked."""
    from certify.store.merger_links import Basis
    from reports.merger import package_formers, package_links

    links = {link.old_code: link for link in package_links()[TAN_THANH_BINH]}
    assert tuple(links) == package_formers()[TAN_THANH_BINH] == ("28918", "28921", "28924", "28933", "29734")
    assert [r.code for r in links[HOA_LOC_TAM_BINH].reasons] == ["other-province"]
    assert Basis.of(links.values()).marks == [
        f"liên kết chưa xác nhận: {HOA_LOC_TAM_BINH}",
        f"ước lượng (xã cũ bị chia tách): {HOA_LOC_MO_CAY_BAC}, {HOA_LOC_TAM_BINH}",
    ]
    assert all(link.old_tier == "commune" for links in package_links().values() for link in links)


def test_a_link_already_removed_or_confirmed_otherwise_is_told_not_overwritten(
    loaded: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    monkeypatch.setenv("CERTIFY_USER", "so-1")
    assert _run(monkeypatch, capsys, "units", "relink", HOA_LOC_TAM_BINH, "--from", TAN_THANH_BINH, "--yes")[0] == 0
    assert _run(monkeypatch, capsys, "units", "confirm", HOA_LOC_MO_CAY_BAC, TAN_THANH_BINH, "--share", "0.3")[0] == 0
    monkeypatch.setenv("CERTIFY_USER", "so-2")
    code, _, err = _run(monkeypatch, capsys, "units", "relink", HOA_LOC_TAM_BINH, "--from", TAN_THANH_BINH, "--yes")
    assert code == 2 and "đã được so-1 bỏ" in err and "already removed by so-1" in err
    code, _, err = _run(monkeypatch, capsys, "units", "confirm", HOA_LOC_MO_CAY_BAC, TAN_THANH_BINH, "--share", "0.5")
    assert code == 2 and "đã được so-1 xác nhận với phần 0.3" in err
    code, out, _ = _run(monkeypatch, capsys, "units", "confirm", HOA_LOC_MO_CAY_BAC, TAN_THANH_BINH, "--share", "0.3")
    assert code == 0 and "0.3" in out  # the same word again: agreed, not a conflict


def test_loading_again_after_the_upgrade_adds_what_an_older_database_lacks(
    loaded: Engine, unit_data: SourceData
) -> None:
    """A database loaded before 0008 has the links without their flags and without the special zones: loading
    the units again adds those and changes nothing else (a province's word is kept)."""
    from sqlalchemy import delete, update

    from certify.store.merger_links import confirm
    from certify.store.models import AdminUnit, UnitMerger
    from certify.store.units import load_units

    with transaction(loaded) as s:
        districts = select(AdminUnit.id).where(AdminUnit.tier == "district")
        s.execute(delete(UnitMerger).where(UnitMerger.old_unit_id.in_(districts)))
        s.execute(update(UnitMerger).values(flags=None))
        confirm(s, HOA_LOC_MO_CAY_BAC, TAN_THANH_BINH, actor="so", share=0.3)
        before = {(m.old_unit_id, m.new_unit_id): (m.status, m.share) for m in s.scalars(select(UnitMerger))}
    with transaction(loaded) as s:
        report = load_units(s, unit_data)
        after = {(m.old_unit_id, m.new_unit_id): (m.status, m.share, m.flags) for m in s.scalars(select(UnitMerger))}
        zone = get_unit(s, "current", "26732", "commune")
        assert [u.name for u, _ in predecessors(s, zone)] == ["Huyện Côn Đảo"]
    assert report.mergers_inserted == len(SPECIAL_ZONES) and not report.unmatched
    assert all(after[k][:2] == v for k, v in before.items())  # the province's confirmation is kept
    flagged = {f for _, _, f in after.values() if f}
    assert flagged == {"name-only", "packages-disagree"}
    assert sum(1 for _, _, f in after.values() if f) == sum(1 for m in unit_data.mergers if m.flags)


def test_a_note_longer_than_prose_is_refused(
    loaded: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    monkeypatch.setenv("CERTIFY_PROSE_MAX_CHARS", "20")
    args = ("units", "confirm", HOA_LOC_MO_CAY_BAC, TAN_THANH_BINH, "--note", "x" * 21)
    code, _, err = _run(monkeypatch, capsys, *args)
    assert code == 2 and "dài 21 ký tự, tối đa 20" in err and "at most 20" in err
    with transaction(loaded) as s:
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.entity == "unit_merger")) is None

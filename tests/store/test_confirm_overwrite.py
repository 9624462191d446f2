"""`certify import` over drafts that already hold values and `certify units relink` show what they change and
ask first (SQLite and PostgreSQL): `--yes` for scripts; without a terminal and without `--yes`, one bilingual
line and exit 2; «no» at the terminal leaves everything as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from certify.errors import CertifyError
from certify.intake.importer import import_files, preview_overwrites
from certify.store.cycles import open_cycle
from certify.store.engine import transaction
from certify.store.models import AdminUnit, AuditEvent, UnitMerger
from certify.store.units import get_unit, units_of_province
from tests.store.helpers import counts, province_form, run_cli, self_values

FW = "sample-2361-commune"
TAN_THANH_BINH, HOA_HIEP = "28921", "29734"  # current map
HOA_LOC_TAM_BINH = "29734"  # pre-2025 map: linked to Tân Thành Bình by a name clash (tests/store/test_merger_links.py)


@pytest.fixture
def drafts(
    loaded: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[tuple[str, str]]]:
    """A 2024 cycle whose first three communes of Vĩnh Long were imported once (CQS-08 = 111), by the command."""
    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    with transaction(loaded, write=True) as s:
        cycle = open_cycle(s, year=2024, framework=FW, actor="so").id
        units = [(u.code, u.name) for u in units_of_province(s, "pre2025", "86", "commune")][:3]
    first = province_form(tmp_path, units, "first.xlsx", {"CQS-08": 111})
    code, out, err = run_cli(monkeypatch, capsys, "import", str(first), "--cycle", str(cycle))  # nothing to overwrite
    assert code == 0 and "Đã nhập 3 đơn vị" in out and "ghi đè" not in out, err
    return cycle, units


def test_an_import_over_drafts_asks_first_and_says_how_many_values(
    drafts: tuple[int, list[tuple[str, str]]],
    loaded: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cycle, units = drafts
    again = province_form(tmp_path, units, "again.xlsx", {"CQS-08": 111})
    code, out, _ = run_cli(monkeypatch, capsys, "import", str(again), "--cycle", str(cycle))
    assert code == 0 and "ghi đè" not in out  # the same figures again: nothing overwritten, nothing asked

    second = province_form(tmp_path, units, "second.xlsx", {"CQS-08": 222})
    args = ["import", str(second), "--cycle", str(cycle)]
    before = counts(loaded)
    code, out, err = run_cli(monkeypatch, capsys, *args)  # a script without --yes: nothing done
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "cần xác nhận" in lines[0] and "--yes" in lines[0], err
    assert "Ghi đè số liệu của 3 đơn vị" in lines[0] and "Overwrite the values of 3 units" in lines[0]
    assert f"Kỳ {cycle}: ghi đè 3 giá trị đã có của 3 đơn vị" in out and "overwrite 3 stored values of 3 units" in out
    assert all(f"{code} {name}: 1 giá trị" in out for code, name in units)
    assert counts(loaded) == before and set(self_values(loaded, cycle, "CQS-08").values()) == {111}

    code, out, err = run_cli(monkeypatch, capsys, *args, answer="n\n")  # a person says no
    assert code == 1 and "Đã hủy" in err and "ghi đè 3 giá trị" in out
    assert counts(loaded) == before and set(self_values(loaded, cycle, "CQS-08").values()) == {111}

    code, out, _ = run_cli(monkeypatch, capsys, *args, answer="y\n")  # …and yes
    assert code == 0 and "Đã ghi đè 3 giá trị của 3 đơn vị (overwrote 3 values of 3 units)" in out
    assert set(self_values(loaded, cycle, "CQS-08").values()) == {222}

    third = province_form(tmp_path, units[:1], "third.xlsx", {"CQS-08": 333})
    code, out, _ = run_cli(monkeypatch, capsys, "import", str(third), "--cycle", str(cycle), "--yes", "--json")
    assert code == 0 and '"overwritten"' in out and '"values": 1' in out and "Ghi đè" not in out
    assert self_values(loaded, cycle, "CQS-08")[units[0][0]] == 333


def test_the_drafts_confirmed_must_be_the_drafts_overwritten(
    drafts: tuple[int, list[tuple[str, str]]], loaded: Engine, tmp_path: Path
) -> None:
    """Someone saved a unit between the question and the answer: the agreed overwrite is no longer the real one."""
    cycle, units = drafts
    second = province_form(tmp_path, units, "second.xlsx", {"CQS-08": 222})
    with transaction(loaded) as s:
        shown = {o.unit: o.version for o in preview_overwrites(s, cycle, [second])}
    assert sorted(shown) == sorted(code for code, _ in units)
    before = counts(loaded)
    agreed = dict(list(shown.items())[:2])  # what the person saw did not hold the third unit
    with pytest.raises(CertifyError) as e, transaction(loaded, write=True) as s:
        import_files(s, cycle, [second], "x", confirmed=agreed)
    p = e.value.problems[0]
    assert p.code == "import-changed" and "chạy lại" in p.vi and "run the command again" in p.en
    assert counts(loaded) == before and set(self_values(loaded, cycle, "CQS-08").values()) == {111}


def _links(engine: Engine) -> dict[str, str | None]:
    """The current code → status of Hòa Lộc (Tam Bình)'s links."""
    with transaction(engine) as s:
        old = get_unit(s, "pre2025", HOA_LOC_TAM_BINH, "commune")
        rows = s.execute(
            select(AdminUnit.code, UnitMerger.status)
            .join(UnitMerger, UnitMerger.new_unit_id == AdminUnit.id)
            .where(UnitMerger.old_unit_id == old.id)
        )
        return {code: status for code, status in rows}


def test_relink_shows_the_correction_and_asks_first(
    loaded: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    args = ["units", "relink", HOA_LOC_TAM_BINH, "--from", TAN_THANH_BINH, "--to", HOA_HIEP, "--note", "trùng tên"]
    before = _links(loaded)
    assert before == {TAN_THANH_BINH: None, HOA_HIEP: None}  # the packages link it to both (a split, they say)

    code, out, err = run_cli(monkeypatch, capsys, *args)  # a script without --yes: nothing done
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "cần xác nhận" in lines[0] and "--yes" in lines[0], err
    assert f"Sửa liên kết {HOA_LOC_TAM_BINH} → {TAN_THANH_BINH}" in lines[0]
    assert f"Bỏ liên kết / remove the link: {HOA_LOC_TAM_BINH} Xã Hòa Lộc → {TAN_THANH_BINH}" in out
    assert f"→ {HOA_HIEP} Xã Hòa Hiệp (đã có, đánh dấu đã sửa / already there, marked corrected)" in out
    assert "của 2 đơn vị hiện nay" in out and "of 2 current units" in out
    assert _links(loaded) == before

    code, out, err = run_cli(monkeypatch, capsys, *args, answer="n\n")  # a person says no
    assert code == 1 and "Đã hủy" in err and "Bỏ liên kết" in out
    assert _links(loaded) == before

    code, out, _ = run_cli(monkeypatch, capsys, *args, answer="y\n")  # …and yes
    assert code == 0 and f"Đã bỏ / removed: {HOA_LOC_TAM_BINH} → {TAN_THANH_BINH}" in out
    assert _links(loaded) == {TAN_THANH_BINH: "removed", HOA_HIEP: "corrected"}
    with transaction(loaded) as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "relink")) == 2

    code, out, err = run_cli(monkeypatch, capsys, *args, "--yes")  # what cannot be done is told, never asked
    assert code == 2 and "đã được" in err and "already removed" in err and "Bỏ liên kết" not in out

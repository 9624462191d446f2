"""Schema, units, cycles, workflow, audit trail and concurrency, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from certify.catalog import Catalog
from certify.errors import CertifyError
from certify.store import audit
from certify.store.certification import certify_cycle
from certify.store.cycles import frozen_framework, get_cycle, open_cycle
from certify.store.engine import make_engine, session_factory, transaction
from certify.store.migrate import head_from_files, head_revision, is_current, ready_engine, stored_revision, upgrade
from certify.store.models import AdminUnit, UnitMerger
from certify.store.recognition import recognise
from certify.store.submissions import (
    ValueInput,
    ensure_submission,
    find_submission,
    set_values,
    transition,
    value_inputs,
)
from certify.store.unit_sources import SourceData
from certify.store.units import get_unit, load_units, predecessors
from tests.intake.helpers import sample_values

FW = "sample-2361-commune"


def test_sqlite_file_and_folder_created_with_wal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'certify.sqlite'}"
    eng = make_engine(url)
    assert upgrade(eng) == head_revision()
    assert (tmp_path / "new" / "certify.sqlite").exists()
    with eng.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert is_current(eng)
    assert upgrade(eng) == head_revision()  # running again changes nothing


def test_a_database_at_the_head_is_recognised_without_alembic(tmp_path: Path) -> None:
    """The start-up's quick check reads the same head as Alembic and the revision the database records."""
    assert head_from_files() == head_revision()
    eng = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert stored_revision(eng) is None  # a new database records none
    upgrade(eng, "0001")
    assert stored_revision(eng) == "0001"
    ready = ready_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")  # behind the head: migrated by Alembic
    assert stored_revision(ready) == head_revision() and is_current(ready)


def test_units_both_maps_loaded_once(engine: Engine, unit_data: SourceData) -> None:
    with transaction(engine) as s:
        first = load_units(s, unit_data)
    with transaction(engine) as s:
        second = load_units(s, unit_data)
    assert first.inserted["current/commune"] == 3321
    assert first.inserted["current/province"] == 34
    assert first.inserted["pre2025/province"] == 63
    assert first.inserted["pre2025/commune"] > 10000
    assert sum(second.inserted.values()) == 0 and second.mergers_inserted == 0
    assert first.unmatched == []
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(AdminUnit)) == sum(first.total.values())
        cai_nhum = get_unit(s, "pre2025", "29641")
        assert cai_nhum.name == "Thị trấn Cái Nhum" and cai_nhum.tier == "commune"
        assert cai_nhum.parent is not None and cai_nhum.parent.tier == "district"
        assert cai_nhum.valid_to == dt.date(2025, 6, 30)
        assert s.scalar(select(func.count()).select_from(UnitMerger)) == first.mergers_total


def test_new_commune_history_shows_former_units(loaded: Engine) -> None:
    with transaction(loaded) as s:
        old = get_unit(s, "pre2025", "29641")  # Thị trấn Cái Nhum
        successors = s.scalars(
            select(AdminUnit)
            .join(UnitMerger, UnitMerger.new_unit_id == AdminUnit.id)
            .where(UnitMerger.old_unit_id == old.id)
        ).all()
        assert len(successors) >= 1
        new = successors[0]
        assert new.map == "current" and new.valid_from == dt.date(2025, 7, 1)
        assert old.id in [u.id for u, _ in predecessors(s, new)]


THREE_VALUES = {
    "CQS-04": ValueInput(True),
    "CQS-08": ValueInput(150, "Hợp đồng FPT"),
    "CQS-02": ValueInput({"numerator": 3120, "denominator": 3630}),
}


def _submitted_unit(engine: Engine, actor: str = "xa", values: dict[str, ValueInput] | None = None) -> tuple[int, str]:
    with transaction(engine) as s:
        cycle = open_cycle(s, year=2024, framework=FW, actor="so-khcn")
        unit = get_unit(s, "pre2025", "29641", "commune")
        sub = ensure_submission(s, get_cycle(s, cycle.id), unit, actor)
        set_values(s, sub, "self", values or THREE_VALUES, actor, expected_version=sub.version)
        transition(s, sub, "submitted", actor, expected_version=sub.version)
        return cycle.id, unit.code


def test_workflow_refuses_illegal_transitions_naming_states(loaded: Engine) -> None:
    cycle_id, code = _submitted_unit(loaded)
    with transaction(loaded) as s:
        sub = find_submission(s, cycle_id, code)
        with pytest.raises(CertifyError) as err:
            transition(s, sub, "published", "so", expected_version=sub.version)
        msg = str(err.value)
        assert "đã gửi" in msg and "đã công bố" in msg and "'submitted'" in msg and "'published'" in msg
        with pytest.raises(CertifyError, match="lý do"):
            transition(s, sub, "returned", "so", expected_version=sub.version)
        transition(s, sub, "returned", "so", reasons="Thiếu tài liệu kiểm chứng CQS-08", expected_version=sub.version)
        set_values(
            s, sub, "self", {"CQS-08": ValueInput(160, evidence_document="12/HĐ")}, "xa", expected_version=sub.version
        )
        transition(s, sub, "submitted", "xa", expected_version=sub.version)
        with pytest.raises(CertifyError, match=r"cannot change"):
            set_values(s, sub, "self", {"CQS-08": ValueInput(10)}, "xa", expected_version=sub.version)
        with pytest.raises(CertifyError, match="deleted"):
            transition(s, sub, "deleted", "xa", expected_version=sub.version)


def test_audit_records_every_change_with_old_and_new(loaded: Engine) -> None:
    cycle_id, code = _submitted_unit(loaded)
    with transaction(loaded) as s:
        sub = find_submission(s, cycle_id, code)
        transition(s, sub, "under_appraisal", "hoi-dong", expected_version=sub.version)
        v = sub.version
        set_values(
            s, sub, "appraised", {"CQS-08": ValueInput(100, "Hợp đồng ghi 100 Mbps")}, "tham-dinh-1", expected_version=v
        )
        v = sub.version
        set_values(
            s,
            sub,
            "appraised",
            {"CQS-08": ValueInput(120, "Phụ lục hợp đồng 120 Mbps")},
            "tham-dinh-2",
            expected_version=v,
        )
        events = audit.trail(s, sub.id)
    changes = [(e.actor, e.field, e.old, e.new) for e in events if e.field and e.field.startswith("appraised:CQS-08")]
    assert ("tham-dinh-1", "appraised:CQS-08:value", None, 100) in changes
    assert ("tham-dinh-2", "appraised:CQS-08:value", 100, 120) in changes
    assert (
        "tham-dinh-2",
        "appraised:CQS-08:explanation",
        "Hợp đồng ghi 100 Mbps",
        "Phụ lục hợp đồng 120 Mbps",
    ) in changes
    states = [(e.old, e.new) for e in events if e.field == "state"]
    assert states == [(None, "draft"), ("draft", "submitted"), ("submitted", "under_appraisal")]


def test_two_appraisers_second_gets_conflict(loaded: Engine) -> None:
    cycle_id, code = _submitted_unit(loaded)
    with transaction(loaded) as s:
        sub = find_submission(s, cycle_id, code)
        transition(s, sub, "under_appraisal", "hoi-dong", expected_version=sub.version)
    factory = session_factory(loaded)
    # Both appraisers open the unit (same version), then save one after the other.
    with factory() as a, factory() as b:
        sub_a = find_submission(a, cycle_id, code)
        sub_b = find_submission(b, cycle_id, code)
        seen = sub_a.version
        assert sub_b.version == seen
        a.commit()
        b.commit()  # end the read transactions: the web app saves in a new request
        set_values(a, sub_a, "appraised", {"CQS-08": ValueInput(100, "A")}, "appraiser-a", expected_version=seen)
        a.commit()
        with pytest.raises(CertifyError) as err:
            set_values(b, sub_b, "appraised", {"CQS-02": ValueInput(0.5, "B")}, "appraiser-b", expected_version=seen)
        b.rollback()
    assert err.value.problems[0].code == "conflict"
    with transaction(loaded) as s:
        sub = find_submission(s, cycle_id, code)
        appraised = {v.criterion: v.value for v in sub.values if v.kind == "appraised"}
        assert appraised == {"CQS-08": 100}  # A's change kept, B's refused: nothing silently lost


def test_concurrent_flush_is_a_conflict_not_a_lost_update(loaded: Engine) -> None:
    cycle_id, code = _submitted_unit(loaded)
    with transaction(loaded) as s:
        sub = find_submission(s, cycle_id, code)
        transition(s, sub, "under_appraisal", "hoi-dong", expected_version=sub.version)
    factory = session_factory(loaded)
    with factory() as a, factory() as b:
        sub_a = find_submission(a, cycle_id, code)
        sub_b = find_submission(b, cycle_id, code)
        set_values(a, sub_a, "appraised", {"CQS-08": ValueInput(100)}, "appraiser-a", expected_version=sub_a.version)
        a.commit()
        with pytest.raises(CertifyError) as err:  # b read the version before a's commit: the flush catches it
            set_values(b, sub_b, "appraised", {"CQS-08": ValueInput(90)}, "appraiser-b", expected_version=sub_b.version)
        b.rollback()
    assert err.value.problems[0].code == "conflict"


def test_framework_edit_after_opening_is_refused(loaded: Engine, tmp_path: Path) -> None:
    cycle_id, _ = _submitted_unit(loaded)
    root = Path(__file__).resolve().parents[2] / "frameworks"
    import shutil

    shutil.copytree(root, tmp_path / "fw")
    path = tmp_path / "fw" / "sample-2361-commune" / "1.0.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{threshold: 100,", "{threshold: 90,"), encoding="utf-8")
    with transaction(loaded) as s, pytest.raises(CertifyError) as err:
        frozen_framework(get_cycle(s, cycle_id), Catalog([tmp_path / "fw"]))
    assert err.value.problems[0].code == "framework-changed"


def test_certify_and_recognise(loaded: Engine) -> None:
    cycle_id, code = _submitted_unit(loaded, values=value_inputs(sample_values()))  # a unit that holds a level
    with transaction(loaded) as s:
        sub = find_submission(s, cycle_id, code)
        transition(s, sub, "under_appraisal", "hd", expected_version=sub.version)
        with pytest.raises(CertifyError, match=r"certify the cycle"):
            transition(s, sub, "appraised", "hd", expected_version=sub.version)
            recognise(
                s,
                sub,
                decision_number="1/QĐ-UBND",
                decision_date=dt.date(2025, 3, 1),
                signer="A",
                actor="ct",
                expected_version=sub.version,
            )
    with transaction(loaded) as s:
        [info] = certify_cycle(s, cycle_id, "so")
        assert info.unit_code == code and info.input_hash.startswith("sha256:")
        again = certify_cycle(s, cycle_id, "so")
        assert again == [info]
        sub = find_submission(s, cycle_id, code)
        out = recognise(
            s,
            sub,
            decision_number="15/QĐ-UBND",
            decision_date=dt.date(2025, 3, 1),
            signer="Chủ tịch UBND tỉnh",
            actor="ct",
            expected_version=sub.version,
        )
        assert out.state == "recognised"
        transition(s, sub, "published", "so", expected_version=sub.version)

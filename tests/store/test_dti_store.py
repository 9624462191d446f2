"""DTI cycles: a cohort file scored against the frozen framework and stored per unit, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, select

from certify.catalog import bundled_root
from certify.dti.score_file import load_dti, score_file
from certify.errors import CertifyError
from certify.store.certification import certify_cycle
from certify.store.cycles import get_cycle, open_cycle
from certify.store.dti_results import (
    cycle_results,
    former_districts,
    import_dti,
    previous_year,
    publish_dti,
    ranking,
    unit_dti,
)
from certify.store.engine import transaction
from certify.store.models import AuditEvent, Base, DtiResult
from certify.store.units import get_unit, predecessors

FW = "vinh-long-2554-commune"
SAMPLES = bundled_root("samples") / "dti"
HEADER = "unit,name,1,2,3,4,5,6,7,8\n"


def _csv(path: Path, rows: dict[str, float]) -> Path:
    """A cohort where every main index of a unit has the same value (so DTI value = that value)."""
    path.write_text(
        HEADER + "".join(f"{code},,{','.join([str(v)] * 8)}\n" for code, v in rows.items()), encoding="utf-8"
    )
    return path


def _open(engine: Engine, year: int) -> int:
    with transaction(engine) as s:
        return open_cycle(s, year=year, framework=FW, actor="so-khcn").id


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_schema_matches_the_models(engine: Engine) -> None:
    import certify.store.accounts
    import certify.store.evidence
    import certify.store.web_sessions  # noqa: F401  (and web_session, login_failure, app_secret)

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_stored_scores_equal_the_scorer_and_explain_each_index(loaded: Engine) -> None:
    cycle = _open(loaded, 2025)
    path = SAMPLES / "vinh-long-2025-communes.csv"
    with transaction(loaded) as s:
        done = import_dti(s, cycle, path, actor="so-khcn")
        assert get_cycle(s, cycle).kind == "dti"
    fw = load_dti(FW).framework
    expected = score_file(path, fw)  # type: ignore[arg-type]
    assert done.units == expected.n == 124 and done.replaced == 0
    with transaction(loaded) as s:
        rows = {r.unit_code: r for r in cycle_results(s, cycle)}
    for i, code in enumerate(expected.units):
        row = rows[code]
        assert row.points == pytest.approx(float(expected.total[i]))
        assert row.value == pytest.approx(float(expected.value[i]))
        assert row.rank == int(expected.ranks[i]) and row.max_points == 800
        assert set(row.detail["indices"]) == {str(k) for k in range(1, 9)}
    assert sorted(r.rank for r in rows.values() if r.rank) == sorted(int(r) for r in expected.ranks)


def test_equal_values_share_a_rank(loaded: Engine, tmp_path: Path) -> None:
    cycle = _open(loaded, 2025)
    path = _csv(tmp_path / "tie.csv", {"29602": 0.7, "29836": 0.7, "29677": 0.9, "29641": 0.5})
    with transaction(loaded) as s:
        import_dti(s, cycle, path, actor="so-khcn")
        ranks = {r.unit_code: r.rank for r in cycle_results(s, cycle)}
    assert ranks == {"29677": 1, "29602": 2, "29836": 2, "29641": 4}


def test_unknown_unit_names_file_row_and_column_and_stores_nothing(loaded: Engine, tmp_path: Path) -> None:
    cycle = _open(loaded, 2025)
    # 29599 (Xã Long Phước, huyện Long Hồ) was merged away: a pre-2025 code, not a unit of a 2025 cycle.
    path = _csv(tmp_path / "bad.csv", {"29602": 0.7, "29599": 0.6})
    with pytest.raises(CertifyError) as err, transaction(loaded) as s:
        import_dti(s, cycle, path, actor="so-khcn")
    p = err.value.problems[0]
    assert (p.code, p.file, p.row, p.column, p.found) == ("unknown-unit", str(path), 3, "unit", "29599")
    assert "29599" in p.vi and "29599" in p.en
    assert _count(loaded, DtiResult) == 0


def test_rescoring_needs_replace_and_is_audited(loaded: Engine, tmp_path: Path) -> None:
    cycle = _open(loaded, 2025)
    first = _csv(tmp_path / "a.csv", {"29602": 0.7, "29836": 0.6})
    second = _csv(tmp_path / "b.csv", {"29602": 0.5, "29836": 0.8, "29677": 0.9})
    with transaction(loaded) as s:
        import_dti(s, cycle, first, actor="so-khcn")
    with pytest.raises(CertifyError) as err, transaction(loaded) as s:
        import_dti(s, cycle, second, actor="so-khcn")
    assert err.value.problems[0].code == "dti-results-exist" and "--replace" in err.value.problems[0].vi
    with transaction(loaded) as s:
        assert {r.unit_code: r.rank for r in cycle_results(s, cycle)} == {"29602": 1, "29836": 2}
        done = import_dti(s, cycle, second, actor="so-khcn", replace=True)
        assert done.replaced == 2
        assert {r.unit_code: r.rank for r in cycle_results(s, cycle)} == {"29677": 1, "29836": 2, "29602": 3}
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "replace")).one()
        assert event.old["units"] == 2 and event.new["units"] == 3 and event.old["input_hash"] != [event.new]


def test_published_results_are_frozen(loaded: Engine, tmp_path: Path) -> None:
    cycle = _open(loaded, 2025)
    with pytest.raises(CertifyError) as err, transaction(loaded) as s:
        publish_dti(s, cycle, actor="so-khcn")
    assert err.value.problems[0].code == "dti-empty"
    path = _csv(tmp_path / "a.csv", {"29602": 0.7})
    with transaction(loaded) as s:
        import_dti(s, cycle, path, actor="so-khcn")
        publish_dti(s, cycle, actor="so-khcn")
    with pytest.raises(CertifyError) as err, transaction(loaded) as s:
        import_dti(s, cycle, path, actor="so-khcn", replace=True)
    assert err.value.problems[0].code == "dti-published"


def test_level_work_on_a_dti_cycle_is_refused(loaded: Engine) -> None:
    cycle = _open(loaded, 2025)
    with pytest.raises(CertifyError) as err, transaction(loaded) as s:
        certify_cycle(s, cycle, "so-khcn")
    assert err.value.problems[0].code == "wrong-cycle-kind"


def test_last_year_follows_the_merger(loaded: Engine, tmp_path: Path) -> None:
    with transaction(loaded) as s:
        new = get_unit(s, "current", "28921", "commune")  # Xã Tân Thành Bình, formed 1/7/2025
        former = [u.code for u, _ in predecessors(s, new)]
        split = {u.code for u, whole in predecessors(s, new) if not whole}  # the two Xã Hòa Lộc, in two each
        vinh_long_former = [u.code for u, _ in predecessors(s, new) if u.province_code == "86"]
    assert len(former) >= 2 and vinh_long_former  # partly from Vĩnh Long, partly from Bến Tre
    old_values = {code: 0.4 + 0.1 * k for k, code in enumerate(former)}
    c2024, c2025 = _open(loaded, 2024), _open(loaded, 2025)
    with transaction(loaded) as s:
        import_dti(s, c2024, _csv(tmp_path / "2024.csv", old_values | {"29641": 0.9}), actor="so-khcn")
        import_dti(s, c2025, _csv(tmp_path / "2025.csv", {"28921": 0.8, "29602": 0.6}), actor="so-khcn")
        prior = previous_year(s, get_cycle(s, c2025))
        rows = {r["unit"]: r for r in ranking(s, c2025)}
        districts = former_districts(s, [new.id])[new.id]
        assert unit_dti(s, new.id, 2025) is not None and unit_dti(s, new.id, 2024) is None
    p = prior[new.id]
    weight = {code: 0.5 if code in split else 1.0 for code in former}  # share not known: an equal part
    expected = sum(weight[c] * v for c, v in old_values.items()) / sum(weight.values())
    assert split and p.value == pytest.approx(expected) and p.rank is None
    assert set(p.basis.approximate) == split and p.basis.unconfirmed == ("29734",)  # Hòa Lộc of Tam Bình
    assert set(p.units) == set(former) and p.year == 2024
    assert rows["28921"]["change"] == pytest.approx(0.8 - p.value)
    assert "Huyện Tam Bình" in districts and len(districts) >= 2
    # Long Hồ's former communes were not scored in this 2024 file: no prior, not a zero.
    assert rows["29602"]["previous"] is None and rows["29602"]["change"] is None


def test_export_has_the_dti_sheet_beside_the_levels(engine: Engine, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from certify.catalog import Catalog
    from certify.intake.export import export_cycle
    from certify.store.demo import load_demo

    assert load_demo(engine, Catalog([bundled_root("frameworks")]), bundled_root("samples") / "assessments")
    with transaction(engine) as s:
        levels = open_cycle(s, year=2025, framework="sample-2361-commune", actor="x")  # the demo's, already open
        dti = next(c for c in s.scalars(select(DtiResult.cycle_id).distinct()) if get_cycle(s, c).year == 2025)
        export_cycle(s, levels.id, tmp_path / "levels.xlsx")
        export_cycle(s, dti, tmp_path / "dti.xlsx")
        expected = {r["unit"]: r for r in ranking(s, dti)}
    wb = load_workbook(tmp_path / "levels.xlsx")
    assert wb.sheetnames == ["Kết quả", "Khoảng cách", "Kiểm chứng", "DTI", "Thông tin"]
    assert load_workbook(tmp_path / "dti.xlsx").sheetnames == ["DTI", "Thông tin"]
    ws = wb["DTI"]
    assert ws["A1"].value.startswith("⚠ Bộ chỉ số chưa đầy đủ")  # the partial framework's banner, row 1
    header = [c.value for c in ws[2]]
    assert header[:8] == [
        "Hạng",
        "Mã đơn vị",
        "Tên đơn vị",
        "Huyện (trước 01/7/2025)",
        "Nhóm",
        "Điểm",
        "Điểm tối đa",
        "Giá trị DTI",
    ]
    assert "5. An toàn, an ninh mạng (tối đa 100)" in header
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True) if r and r[1] in expected}
    assert len(rows) == 124
    cai_nhum = rows["29641"]  # Xã Cái Nhum: formed from Thị trấn Cái Nhum and neighbours, scored in 2024
    e = expected["29641"]
    assert cai_nhum[2] == "Xã Cái Nhum" and cai_nhum[0] == e["rank"]
    assert cai_nhum[5] == pytest.approx(round(e["points"], 2), abs=0.005) and cai_nhum[7] == pytest.approx(
        e["value"], abs=5e-5
    )
    assert cai_nhum[header.index("Giá trị năm trước")] == pytest.approx(e["previous"]["value"], abs=5e-5)
    assert "Huyện Mang Thít" in cai_nhum[3]
    # Xã Tân Thành Bình's only former unit scored in 2024 is the Hòa Lộc of a name clash: said beside the value.
    note = header.index("Lưu ý năm trước")
    assert rows["28921"][note] == "liên kết chưa xác nhận: 29734; ước lượng (xã cũ bị chia tách): 29734"
    assert cai_nhum[note] is None
    texts = [r[0] for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], str)]
    assert any("chỉ có chỉ số chính" in t for t in texts)  # the partial framework's banner


def test_a_bad_cell_is_reported_once_with_its_place(loaded: Engine, tmp_path: Path) -> None:
    cycle = _open(loaded, 2025)
    path = tmp_path / "bad-cell.csv"
    path.write_text(
        HEADER + "29602,,0.5,0.6,abc,0.5,0.5,0.5,0.5,0.5\n29836,,0.5,0.6,0.7,0.5,0.5,0.5,0.5,\n", encoding="utf-8"
    )
    with pytest.raises(CertifyError) as err, transaction(loaded) as s:
        import_dti(s, cycle, path, actor="so-khcn")
    places = [(p.code, p.row, p.column) for p in err.value.problems]
    assert places == [("bad-cell", 2, "3"), ("missing-value", 3, "8")]
    assert _count(loaded, DtiResult) == 0

"""Across versions: last year's values evaluate against the new version through its `mappings:`, with a
report of what was mapped and what must be entered anew; a value for a removed criterion is a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine

from certify.catalog import Catalog, bundled_root
from certify.errors import CertifyError, errors_only
from certify.levels.assessment import Assessment, bind
from certify.levels.model import LevelFramework
from tests.test_cli import run as cli

V2 = """\
kind: levels
id: tiny-commune
version: "2.0"
extends: tiny-commune@1.0
title: Bộ tiêu chí thử nghiệm cấp xã (phiên bản 2)
tier: commune
status: sample
source: {issuer: certify tests, status: sample}
pillars:
  - {id: chinh-quyen-so, count: 3}
  - {id: xa-hoi-so, count: 2}
criteria:
  - {code: A-MEETINGS, remove: true}
  - {code: A-DAYS, remove: true}
  - code: A-ONLINE-2
    pillar: chinh-quyen-so
    name: Tỷ lệ hồ sơ trực tuyến toàn trình (đổi mã)
    indicator: {type: ratio, count_unit: hồ sơ}
    requires: [A-PORTAL]
    requirements: {khoi-dong: 0.1, ket-noi: 0.3, co-ban: 0.5, nang-cao: 0.8, toan-dien: 0.95}
  - {code: A-ONLINE, remove: true}
  - code: A-MEET
    pillar: chinh-quyen-so
    name: Số cuộc họp trực tuyến và hội nghị truyền hình (gộp)
    indicator: {type: count, unit: cuộc}
    requirements: {ket-noi: 2, co-ban: 4, nang-cao: 8, toan-dien: 12}
mappings:
  - from: tiny-commune@1.0
    criteria:
      - {from: A-ONLINE, to: A-ONLINE-2}
      - {from: A-DAYS, to: null}
      - {from: A-MEETINGS, to: A-MEET}
"""

OLD_VALUES = {
    "A-PORTAL": True,
    "A-ONLINE": {"numerator": 60, "denominator": 100},
    "A-MEETINGS": 5,
    "A-DAYS": 4,
    "B-FIBRE": 0.7,
    "B-EHR": 0.6,
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny-commune"
    folder.mkdir()
    (folder / "2.0.yaml").write_text(V2, encoding="utf-8")
    return tmp_path


def catalog(root: Path) -> Catalog:
    fixtures = Path(__file__).parents[1] / "fixtures" / "frameworks"
    return Catalog([root, fixtures, bundled_root("frameworks")])


def last_year(tmp_path: Path, framework: str = "tiny-commune@1.0") -> Path:
    path = tmp_path / "xa-2024.yaml"
    data = {"unit": "Xã Thử", "tier": "commune", "year": 2024, "framework": framework, "values": OLD_VALUES}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_last_years_values_evaluate_against_the_new_version_through_its_mapping(
    root: Path, tmp_path: Path, capsys: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixtures = Path(__file__).parents[1] / "fixtures" / "frameworks"
    monkeypatch.setenv("CERTIFY_FRAMEWORKS", f"{root}:{fixtures}")
    path = last_year(tmp_path)
    code, out = cli("evaluate", str(path), "--framework", "tiny-commune@2.0", "--json", capsys=capsys)
    assert code == 0, out
    data = json.loads(out)
    assert data["framework"]["version"] == "2.0"
    carried = data["carried_over"]
    assert carried["from"] == "tiny-commune@1.0" and carried["to"] == "tiny-commune@2.0"
    assert sorted(carried["mapped"]) == ["A-MEET", "A-ONLINE-2"]  # renamed: the values came along
    assert carried["removed"] == ["A-DAYS"]  # removed: dropped with a warning, not refused
    assert sorted(carried["kept"]) == ["A-PORTAL", "B-EHR", "B-FIBRE"]
    assert carried["enter"] == []
    assert data["level"] == "co-ban"  # 60 % online, 5 meetings, fibre 70 %, EHR 60 %
    code, out = cli("evaluate", str(path), "--framework", "tiny-commune@2.0", capsys=capsys)
    assert code == 0
    assert "Số liệu nhập theo tiny-commune@1.0, đánh giá theo tiny-commune@2.0" in out
    assert "A-DAYS của tiny-commune@1.0 không còn trong tiny-commune@2.0" in out
    assert "A-ONLINE đổi mã thành A-ONLINE-2: chuyển số liệu" in out


def test_an_unversioned_form_with_last_years_codes_is_carried_not_refused(root: Path) -> None:
    fw = catalog(root).load("tiny-commune").framework
    assert isinstance(fw, LevelFramework) and fw.version == "2.0"
    a = Assessment.model_validate(
        {"unit": "Xã", "tier": "commune", "year": 2024, "framework": "tiny-commune", "values": OLD_VALUES}
    )
    bound = bind(fw, a, name="form")
    assert bound.carried is not None and bound.carried.removed == ["A-DAYS"]
    assert [w.code for w in bound.carried.warnings] == ["removed-criterion"]
    assert bound.measurements["A-ONLINE-2"].numerator == 60


def test_without_a_mapping_an_unknown_code_is_still_refused_with_the_code_meant(root: Path) -> None:
    fw = catalog(root).load("tiny-commune@1.0").framework
    assert isinstance(fw, LevelFramework)
    a = Assessment.model_validate(
        {"unit": "Xã", "tier": "commune", "year": 2024, "framework": "tiny-commune@1.0", "values": {"A-ONLNE": 0.5}}
    )
    with pytest.raises(CertifyError) as exc:
        bind(fw, a, name="form")
    assert "did you mean 'A-ONLINE'" in exc.value.problems[0].en


def test_merged_values_add_up_and_a_split_is_entered_anew(root: Path) -> None:
    v3 = V2.replace('version: "2.0"', 'version: "3.0"').replace(
        "      - {from: A-MEETINGS, to: A-MEET}",
        "      - {from: [A-MEETINGS, A-DAYS], to: A-MEET, combine: sum}\n"
        "      - {from: B-EHR, to: [B-FIBRE, A-PORTAL]}",
    )
    v3 = v3.replace("      - {from: A-DAYS, to: null}\n", "")
    (root / "tiny-commune" / "3.0.yaml").write_text(v3, encoding="utf-8")
    fw = catalog(root).load("tiny-commune@3.0").framework
    assert isinstance(fw, LevelFramework)
    a = Assessment.model_validate(
        {"unit": "Xã", "tier": "commune", "year": 2024, "framework": "tiny-commune@1.0", "values": OLD_VALUES}
    )
    bound = bind(fw, a, name="form")
    assert bound.measurements["A-MEET"].value == 9  # 5 + 4
    assert bound.carried is not None
    assert any(vi == "B-EHR tách thành B-FIBRE, A-PORTAL: cần nhập số liệu mới" for vi, _ in bound.carried.lines)


def test_a_mapping_to_a_code_the_version_lacks_is_refused_with_the_code_meant(root: Path) -> None:
    path = root / "tiny-commune" / "2.0.yaml"
    path.write_text(V2.replace("to: A-MEET}", "to: A-MEEET}"), encoding="utf-8")
    _, problems = catalog(root).check_path(path)
    (problem,) = errors_only(problems)
    assert problem.code == "unknown-mapping-target" and problem.file == str(path)
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "A-MEEET" in t)
    assert "did you mean 'A-MEET'" in problem.en and problem.line == line


def test_cycle_open_from_cycle_drafts_last_years_values(
    root: Path, tmp_path: Path, loaded_store: Engine, capsys: object
) -> None:
    from certify.store.cycles import carry_from, open_cycle
    from certify.store.engine import transaction
    from certify.store.models import AdminUnit
    from certify.store.submissions import SELF, effective_values, ensure_submission, set_values, value_inputs

    cat = catalog(root)
    with transaction(loaded_store) as s:
        old = open_cycle(s, year=2025, framework="tiny-commune@1.0", actor="test", catalog=cat)
        unit = s.query(AdminUnit).filter_by(code="29602", map="current", tier="commune").one()
        from certify.store.cycles import get_cycle

        sub = ensure_submission(s, get_cycle(s, old.id), unit, "test")
        set_values(s, sub, SELF, value_inputs(OLD_VALUES), "test", expected_version=sub.version)
    with transaction(loaded_store) as s:
        new = open_cycle(s, year=2026, framework="tiny-commune@2.0", actor="test", catalog=cat)
        (one,) = carry_from(s, old.id, new.id, "test", catalog=cat)
        assert one.unit_code == "29602" and one.report is not None and one.report.removed == ["A-DAYS"]
        from certify.store.submissions import find_submission

        draft = find_submission(s, new.id, "29602")
        assert draft.state == "draft"
        values = effective_values(draft)
    assert set(values) == {"A-PORTAL", "A-ONLINE-2", "A-MEET", "B-FIBRE", "B-EHR"}
    assert values["A-MEET"] == {"value": 5}


@pytest.fixture
def loaded_store(tmp_path: Path) -> Engine:
    from certify.store.engine import make_engine, transaction
    from certify.store.migrate import upgrade
    from certify.store.unit_sources import read_sources
    from certify.store.units import load_units

    engine = make_engine(f"sqlite:///{tmp_path / 'certify.sqlite'}")
    upgrade(engine)
    with transaction(engine) as s:
        load_units(s, read_sources())
    return engine

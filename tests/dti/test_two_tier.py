"""The point indices of the two-tier era: bonus and penalty groups, a denominator other than the scale, units
scored but not ranked (with their reason, shown apart in every output)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from certify.catalog import Catalog
from certify.cli.app import app
from certify.dti.aggregate import IndexCohort, score_index_level
from certify.dti.cohort import cohort_from_records
from certify.dti.model import DtiFramework
from certify.dti.scoring import score_cohort
from certify.errors import CertifyError
from tests.dti.conftest import FRAMEWORKS, load

# A commune index as provinces wrote them after 1/7/2025 (Đà Nẵng QĐ 2386: groups, then «Điểm thưởng, điểm trừ»):
# three scored groups on 100 points, a bonus group capped at 10, a penalty group capped at 15.
COMMUNE = """\
kind: dti
id: thu-nghiem-xa
version: "1.0"
title: Bộ chỉ số thử nghiệm cấp xã
tier: commune
status: sample
source: {title: bộ thử nghiệm, status: sample}
max_points: 100
indices:
  - {code: "1", name: Nhận thức số, max_points: 30}
  - {code: "2", name: Hạ tầng số, max_points: 30}
  - {code: "3", name: Dịch vụ công trực tuyến, max_points: 40}
  - {code: "4", name: Điểm thưởng, role: bonus, max_points: 10}
  - {code: "5", name: Điểm trừ, role: penalty, max_points: 15}
rules:
  not_ranked_when:
    - {condition: dac_thu, reason: tính chất đặc thù, reason_en: special functions}
criteria:
  - {code: "1.1", name: Kế hoạch CĐS, max_points: 30, method: binary}
  - {code: "2.1", name: Tỷ lệ cán bộ có máy tính, max_points: 30, method: ratio, params: {ratio: a/b}}
  - {code: "3.1", name: Hồ sơ trực tuyến, max_points: 40, method: ratio_cap, params: {ratio: a/b, cap: 80%}}
  - {code: "4.1", name: Giải thưởng, max_points: 10, method: count_capped,
     params: {x: Số giải thưởng về CĐS, per_item: 4, cap: 10}}
  - {code: "4.2", name: Mô hình điểm, max_points: 5, method: binary}
  - {code: "5.1", name: Sự cố mất an toàn thông tin, max_points: 15, method: count_capped,
     params: {x: Số sự cố để lộ lọt dữ liệu, per_item: 5}}
"""


def _write(root: Path, text: str) -> list[Path]:
    folder = root / "frameworks" / "thu-nghiem-xa"
    folder.mkdir(parents=True)
    (folder / "1.0.yaml").write_text(text, encoding="utf-8")
    return [root / "frameworks", FRAMEWORKS]


def _load(roots: list[Path]) -> DtiFramework:
    fw = Catalog(roots).load("thu-nghiem-xa").framework
    assert isinstance(fw, DtiFramework)
    return fw


@pytest.fixture
def roots(tmp_path: Path) -> list[Path]:
    return _write(tmp_path, COMMUNE)


@pytest.fixture
def commune(roots: list[Path]) -> DtiFramework:
    return _load(roots)


ROWS = [
    # 30 + 24 + 40 = 94; bonus 2 awards × 4 = 8 + model 5 = 13 → capped 10; penalty 1 × 5 → 94 + 10 − 5 = 99
    {"unit": "X1", "1.1": "có", "2.1.a": 8, "2.1.b": 10, "3.1": "90%", "4.1": 2, "4.2": "có", "5.1": 1},
    # 30 + 30 + 20 = 80; no bonus; 4 incidents × 5 = 20 → at most 15 → 65
    {"unit": "X2", "1.1": "có", "2.1.a": 5, "2.1.b": 5, "3.1": "40%", "4.1": 0, "4.2": "không", "5.1": 4},
    # 0 + 15 + 40 = 55, bonus 4: 59; left out of the ranking by the rule
    {"unit": "X3", "1.1": "không", "2.1.a": 1, "2.1.b": 2, "3.1": 1, "4.1": 1, "5.1": 0, "dac_thu": "có"},
    # 30 + 30 + 40 = 100: left out by the file's own reason
    {"unit": "X4", "1.1": "có", "2.1": 1, "3.1": 1, "4.1": 0, "5.1": 0, "not_ranked": "sáp nhập giữa kỳ"},
]


def test_bonus_and_penalty_are_capped_and_outside_the_maximum(commune: DtiFramework) -> None:
    r = score_cohort(commune, cohort_from_records(ROWS, commune.plan))
    x1, x2, x3 = range(3)
    assert r.total[x1] == pytest.approx(99) and r.max_total[x1] == pytest.approx(100)
    assert r.value[x1] == pytest.approx(0.99)
    assert r.total[x2] == pytest.approx(65) and r.value[x2] == pytest.approx(0.65)
    assert r.total[x3] == pytest.approx(59)
    x1_json = r.unit_json(x1)
    assert x1_json["indices"]["4"] == {
        "points": 10.0,
        "max_points": 10.0,
        "value": 1.0,
        "role": "bonus",
        "uncapped": 13.0,
    }
    assert x1_json["indices"]["5"]["role"] == "penalty" and x1_json["indices"]["5"]["points"] == 5.0
    assert r.unit_json(x2)["indices"]["5"]["points"] == 15.0  # 4 incidents × 5 = 20, at most the criterion's 15
    # a unit can reach more than the scale with its bonus; the value says so rather than clipping silently
    full = [{"unit": "Y", "1.1": "có", "2.1": 1, "3.1": 1, "4.1": 3, "5.1": 0}]
    y = score_cohort(commune, cohort_from_records(full, commune.plan))
    assert y.total[0] == pytest.approx(110) and y.value[0] == pytest.approx(1.1)


def test_units_left_out_are_scored_not_ranked_and_say_why(commune: DtiFramework) -> None:
    r = score_cohort(commune, cohort_from_records(ROWS, commune.plan))
    assert [int(k) for k in r.ranks] == [1, 2, 0, 0]
    assert r.reason(2) == "tính chất đặc thù" and r.reason(3) == "sáp nhập giữa kỳ" and r.reason(0) is None
    data = r.to_json()
    assert [u["unit"] for u in data["units"]] == ["X1", "X2"]
    apart = {u["unit"]: u for u in data["not_ranked"]}
    assert apart["X4"]["not_ranked_reason"] == "sáp nhập giữa kỳ" and apart["X4"]["points"] == 100.0
    assert apart["X3"]["rank"] is None and apart["X3"]["value"] == 0.59


def test_a_yes_without_reason_is_refused(commune: DtiFramework) -> None:
    rows = [{"unit": "A", "1.1": "có", "not_ranked": "x"}, {"unit": "B", "1.1": "có", "not_ranked": "không"}]
    with pytest.raises(CertifyError) as exc:
        cohort_from_records(rows, commune.plan)
    (p,) = exc.value.problems
    assert (p.code, p.row, p.column) == ("not-ranked-reason", 2, "not_ranked")
    assert "lý do" in p.vi and "why" in p.en


def test_outputs_show_the_units_left_out_apart(
    roots: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CERTIFY_FRAMEWORKS", str(roots[0]))
    f = tmp_path / "xa.csv"
    header = sorted({k for row in ROWS for k in row}, key=lambda k: (k != "unit", k))
    f.write_text(
        "\n".join([",".join(header), *(",".join(str(row.get(k, "")) for k in header) for row in ROWS)]) + "\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    table = runner.invoke(app, ["score", str(f), "-f", "thu-nghiem-xa"])
    assert table.exit_code == 0, table.output
    ranked, _, apart = " ".join(table.stdout.split()).partition("Không xếp hạng")
    assert "X1" in ranked and "X2" in ranked and "X3" not in ranked and "X4" not in ranked
    assert "X3" in apart and "tính chất đặc thù" in apart and "sáp nhập giữa kỳ" in apart
    assert "điểm cộng, tối đa 10" in ranked and "điểm trừ, tối đa 15" in ranked
    out = runner.invoke(app, ["score", str(f), "-f", "thu-nghiem-xa", "--csv"])
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["unit"], r["rank"], r["points"], r["not_ranked_reason"]) for r in rows] == [
        ("X1", "1", "99.00", ""),
        ("X2", "2", "65.00", ""),
        ("X3", "", "59.00", "tính chất đặc thù"),
        ("X4", "", "100.00", "sáp nhập giữa kỳ"),
    ]
    data = json.loads(runner.invoke(app, ["score", str(f), "-f", "thu-nghiem-xa", "--json"]).stdout)
    assert [u["unit"] for u in data["not_ranked"]] == ["X3", "X4"]


def test_denominator_other_than_the_scale(tmp_path: Path) -> None:
    # A decision of 100 points that divides by 80 (a group not assessed this round): value = points ÷ 80.
    text = COMMUNE.replace("max_points: 100\n", "max_points: 100\ndenominator: 80\n", 1)
    fw = _load(_write(tmp_path / "a", text))
    r = score_cohort(fw, cohort_from_records(ROWS[:2], fw.plan))
    assert r.value[0] == pytest.approx(99 / 80) and r.value[1] == pytest.approx(65 / 80)
    assert r.unit_json(0)["denominator"] == 80.0
    # a unit's irrelevant criterion still leaves its own maximum: 80 − 30
    text = text.replace("rules:\n", "rules:\n  not_applicable: exclude\n")
    fw = _load(_write(tmp_path / "b", text))
    r = score_cohort(fw, cohort_from_records([dict(ROWS[1], not_applicable="1.1")], fw.plan))
    assert r.unit_json(0)["denominator"] == 50.0 and r.value[0] == pytest.approx((65 - 30) / 50)


def test_bonus_group_has_no_weight_and_is_outside_the_sum(tmp_path: Path) -> None:
    bad = COMMUNE.replace("role: bonus, max_points: 10}", "role: bonus, max_points: 10, weight: 5}").replace(
        "max_points: 100\n", "max_points: 125\n", 1
    )
    folder = tmp_path / "thu-nghiem-xa"
    folder.mkdir()
    (folder / "1.0.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(CertifyError) as exc:
        Catalog([tmp_path]).load("thu-nghiem-xa")
    codes = {p.code for p in exc.value.problems}
    assert codes == {"weight-on-adjustment", "points-do-not-add-up"}  # 125 ≠ 30 + 30 + 40: bonus and penalty left out
    weight = next(p for p in exc.value.problems if p.code == "weight-on-adjustment")
    assert weight.line is not None and "không có trọng số" in weight.vi


def test_index_level_bonus_is_optional_and_merged_units_keep_their_reason(commune: DtiFramework) -> None:
    values = np.array([[0.5, 0.5, 0.5, 1.0, 0.0], [0.7, 0.7, 0.7, 0.0, 0.0], [0.9, 0.9, 0.9, 0.0, 1.0]])
    cohort = IndexCohort(["a", "b", "c"], values, merged_into=["ab", "ab", ""], not_ranked=["", "đặc thù", ""])
    r = score_index_level(commune, cohort)
    assert r.units == ["ab", "c"]
    # ab: mean 0.6 on the groups → 60, bonus 0.5 × 10 = 5 → 65; c: 90 − 15 = 75
    assert r.total == pytest.approx([65, 75]) and r.reason(0) == "đặc thù" and list(r.ranks) == [0, 1]


def test_fields_added_later_leave_older_frameworks_content_unchanged(commune: DtiFramework) -> None:
    """A framework that does not use them dumps (and hashes) as before they existed; one that does, keeps them."""
    old = load("vinh-long-2554-commune").model_dump(mode="json")
    assert not {"supersedes", "applies_from", "denominator"} & set(old)
    assert all("role" not in index for index in old["indices"])
    new = commune.model_dump(mode="json")
    assert [i.get("role") for i in new["indices"]] == [None, None, None, "bonus", "penalty"]
    assert load("national-405-province").model_dump(mode="json")["supersedes"] == "national-922-province"

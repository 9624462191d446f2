"""Index-level input: published main-index values, the 922 weighting, merged units."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from certify.cli.app import app
from certify.dti.aggregate import IndexCohort, score_index_level
from certify.dti.index_input import read_index_cohort
from certify.dti.model import DtiFramework
from certify.errors import CertifyError

WEIGHTS = np.array([100, 100, 100, 100, 100, 200, 150, 150, 0])


def test_922_weighting_reproduces_dti(national: DtiFramework) -> None:
    values = np.array([[0.8, 0.7, 0.6, 0.5, 0.9, 0.65, 0.55, 0.45, 0.3], [0.5] * 9])
    r = score_index_level(national, IndexCohort(["P1", "P2"], values))
    expected = values @ WEIGHTS / 1000  # DTI = Σ w·v / 1000
    assert r.value == pytest.approx(expected)
    # (80+70+60+50+90+130+82.5+67.5) / 1000 = 0.63
    assert r.value[0] == pytest.approx(0.63)
    assert r.total[0] == pytest.approx(630)
    assert r.unit_json(0)["indices"]["6"] == {"points": 130.0, "max_points": 200.0, "value": 0.65}
    assert list(r.ranks) == [1, 2]


def test_merged_units_take_the_mean_of_their_indices(national: DtiFramework) -> None:
    values = np.array([[0.6] * 9, [0.8] * 9, [0.5] * 9])
    cohort = IndexCohort(["A", "B", "C"], values, merged_into=["AB", "AB", ""])
    r = score_index_level(national, cohort)
    assert r.units == ["AB", "C"]
    assert r.value == pytest.approx([0.7, 0.5])
    assert r.merged_from == {"AB": ["A", "B"]}


def test_index_level_file_through_the_cli(tmp_path: Path) -> None:
    f = tmp_path / "dti2022.csv"
    f.write_text(
        "unit,name,1,2,3,4,5,6,7,8,9,merged_into\n"
        "p1,Tỉnh 1,0.8,0.7,0.6,0.5,0.9,0.65,0.55,0.45,,\n"
        "p2,Tỉnh 2,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,,p23\n"
        "p3,Tỉnh 3,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7,,p23\n"
        "p4,Tỉnh 4,63%,63%,63%,63%,63%,63%,63%,63%,,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["score", str(f), "-f", "national-922-province", "--index-level", "--json"])
    assert result.exit_code == 0, result.output
    units = json.loads(result.stdout)["units"]
    assert [(u["unit"], u["rank"], u["value"]) for u in units] == [("p1", 1, 0.63), ("p4", 1, 0.63), ("p23", 3, 0.6)]
    for u in units:
        assert {"unit", "points", "max_points", "value", "rank", "indices"} <= set(u)
    assert units[2]["merged_from"] == ["p2", "p3"]


def test_index_level_rejects_bad_values(tmp_path: Path, national: DtiFramework) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("unit,1,2,3,4,5,6,7,8,6.12\np1,0.8,0.7,0.6,0.5,1.9,0.65,0.55,,x\n", encoding="utf-8")
    with pytest.raises(CertifyError) as exc:
        read_index_cohort(f, national)
    found = {(p.row, p.column, p.code) for p in exc.value.problems}
    assert found == {(1, "6.12", "unknown-column"), (2, "5", "bad-cell"), (2, "8", "missing-value")}


def test_criterion_level_input_needs_criteria(national: DtiFramework, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("unit,1\np1,0.5\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["score", str(f), "-f", "national-922-province"], standalone_mode=False)
    assert isinstance(result.exception, CertifyError)
    assert result.exception.problems[0].code == "index-level-only"

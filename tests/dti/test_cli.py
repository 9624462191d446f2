"""`certify score`: ranking table, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from certify.cli.app import app

ROWS = (
    "unit,name,group,1.3.a,1.3.b,6.12.a,6.12.b,6.12.c,7.5,5.9,2.3\n"
    "A,Sở A,so,6,8,100,30,30,49%,3,có\n"
    "B,Sở B,so,8,8,100,80,0,0.5,1,không\n"
    "C,Sở C,so,8,8,100,80,0,0.5,6,không\n"
)


def _file(tmp_path: Path) -> Path:
    f = tmp_path / "cohort.csv"
    f.write_text(ROWS, encoding="utf-8")
    return f


def test_json_lists_units_with_points_value_rank_and_indices(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["score", str(_file(tmp_path)), "--framework", "vinh-long-2554-province", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["framework"]["id"] == "vinh-long-2554-province"
    assert data["framework"]["content_hash"].startswith("sha256:")
    a = next(u for u in data["units"] if u["unit"] == "A")
    # 1.3: 7.5; 2.3: 10; 5.9: 2; 6.12: 15; 7.5: 4.9
    assert a["points"] == 39.4 and a["max_points"] == 1000 and a["value"] == 0.0394 and a["rank"] == 3
    assert a["indices"]["1"]["points"] == 7.5 and a["indices"]["7"]["points"] == 4.9
    assert [u["unit"] for u in data["units"]] == ["C", "B", "A"]
    crit = {c["code"]: c for c in a["criteria"]}
    assert crit["1.3"]["explanation"] == "6/8 = 0.75 × 10 = 7.5"
    assert crit["5.9"]["cohort_dependent"] is True


def test_table_has_vietnamese_headers(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["score", str(_file(tmp_path)), "-f", "vinh-long-2554-province"])
    assert result.exit_code == 0, result.output
    for header in ("Hạng", "Mã đơn vị", "Điểm", "Giá trị DTI"):
        assert header in result.stdout
    assert "0.0394" in result.stdout


def test_csv_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["score", str(_file(tmp_path)), "-f", "vinh-long-2554-province", "--csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["unit"], r["rank"], r["points"], r["value"]) for r in rows] == [
        ("C", "1", "45.00", "0.0450"),
        ("B", "2", "40.00", "0.0400"),
        ("A", "3", "39.40", "0.0394"),
    ]
    assert rows[2]["points_6"] == "15.00"


def test_frameworks_show_works_for_dti() -> None:
    result = CliRunner().invoke(app, ["frameworks", "show", "vinh-long-2554-province", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "dti" and data["counts"]["total"] == 98

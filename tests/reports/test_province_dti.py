"""The province summary takes an index-level DTI framework (the national run) as well as a criterion-level one."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from certify.catalog import Catalog
from certify.cli.app import app
from reports.province import score_dti

HEADER = "unit,name,1,2,3,4,5,6,7,8,merged_into,not_ranked\n"


def _national(tmp_path: Path) -> Path:
    f = tmp_path / "dti2024.csv"
    f.write_text(
        HEADER + "86,Vĩnh Long,0.6,0.6,0.6,0.6,0.6,0.6,0.6,0.6,,\n"
        "83,Bến Tre,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,86x,\n"
        "84,Trà Vinh,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7,86x,\n"
        "87,Đồng Tháp,0.8,0.8,0.8,0.8,0.8,0.8,0.8,0.8,,số liệu chưa đủ\n",
        encoding="utf-8",
    )
    return f


def test_index_level_framework_is_scored_from_index_values(tmp_path: Path, report_catalog: Catalog) -> None:
    dti = score_dti(_national(tmp_path), "national-405-province", report_catalog)
    rows = [(d.unit, d.rank, round(d.value, 4), d.group) for d in dti.rows]
    assert rows == [
        ("86", 1, 0.6, "Cấp tỉnh"),
        ("86x", 1, 0.6, "Cấp tỉnh"),  # mean of Bến Tre and Trà Vinh: shares the rank
        ("87", 0, 0.8, "Không xếp hạng — số liệu chưa đủ"),  # scored, apart, with its reason
    ]
    assert "national-405-province" in dti.provenance and "940/940" in dti.provenance


def test_report_province_cli_with_the_national_framework(tmp_path: Path, samples_dir: Path) -> None:
    out = tmp_path / "tinh.xlsx"
    result = CliRunner().invoke(
        app,
        [
            "report",
            "province",
            "-a",
            str(samples_dir),
            "--dti",
            str(_national(tmp_path)),
            "--dti-framework",
            "national-405-province",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["DTI"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Không xếp hạng — số liệu chưa đủ" in cells and "Vĩnh Long" in cells
    assert any(isinstance(c, str) and "suy luận" in c for c in cells)

"""`certify report …`: files written, errors as exit 2 without a traceback, batch on several processes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from certify.cli.app import app
from certify.cli.common import console, run_guarded
from tests.reports.conftest import BANNER


def run(*args: str) -> int:
    return run_guarded(app, console, list(args))


def test_gap_docx_and_unknown_format(tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g.xlsx"
    assert run("report", "gap", str(samples_dir / "2024-xa-hoa-ninh.yaml"), "--format", "xlsx", "-o", str(out)) == 0
    assert BANNER in openpyxl.load_workbook(out).worksheets[0]["A1"].value
    assert run("report", "gap", str(samples_dir / "2024-xa-hoa-ninh.yaml"), "--format", "odt", "-o", "x") == 2
    assert run("report", "gap", str(tmp_path / "none.yaml"), "-o", str(tmp_path / "x.pdf")) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_province_and_decision_commands(tmp_path: Path, samples_dir: Path) -> None:
    assert run("report", "province", "--assessments", str(samples_dir), "-o", str(tmp_path / "p.xlsx")) == 0
    assert run("report", "province", "--assessments", str(samples_dir), "-o", str(tmp_path / "p.txt")) == 2
    assert (
        run("report", "province", "--assessments", str(samples_dir), "--year", "1999", "-o", str(tmp_path / "p.xlsx"))
        == 2
    )
    assert run("report", "decision", "--assessments", str(samples_dir), "-o", str(tmp_path / "d.docx")) == 0
    assert run("report", "decision", "--assessments", str(tmp_path / "nowhere"), "-o", str(tmp_path / "d.docx")) == 2


def test_batch_uses_processes(tmp_path: Path, samples_dir: Path) -> None:
    out = tmp_path / "out"
    assert run("report", "gap", "--batch", str(samples_dir), "--format", "md", "-o", str(out), "--jobs", "2") == 0
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == len(list(samples_dir.glob("*.yaml")))
    assert "Xã Trà Côn" in (out / "2025-xa-tra-con.md").read_text(encoding="utf-8")

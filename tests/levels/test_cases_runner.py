"""`certify frameworks test` runs a framework folder's case files wherever it lives, and pytest runs the
same cases through the same runner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from certify.catalog import bundled_root
from tests.test_cli import run

REPO = Path(__file__).parents[2]

PROVINCE = """\
kind: levels
id: tinh-y-district
version: "1.0"
extends: sample-2361-district
title: Bộ tiêu chí cấp huyện tỉnh Y
tier: district
status: localized
source: {issuer: UBND tỉnh Y, decision: 7/QĐ-UBND, date: 2025-01-20}
"""


def outside_folder(tmp_path: Path) -> Path:
    """A province's own framework folder outside the repository, with the sample's cases adapted."""
    root = tmp_path / "so-tttt"
    folder = root / "tinh-y-district"
    (folder / "cases").mkdir(parents=True)
    (folder / "1.0.yaml").write_text(PROVINCE, encoding="utf-8")
    for case in (bundled_root("frameworks") / "sample-2361-district" / "cases").glob("*.yaml"):
        text = case.read_text(encoding="utf-8").replace("framework: sample-2361-district", "framework: tinh-y-district")
        (folder / "cases" / case.name).write_text(text, encoding="utf-8")
    return root


def test_frameworks_test_passes_on_a_folder_outside_the_repository(tmp_path: Path, capsys: object) -> None:
    root = outside_folder(tmp_path)
    code, out = run("frameworks", "test", str(root / "tinh-y-district"), capsys=capsys)
    assert code == 0, out
    assert "6/6 tệp kiểm thử đạt / cases passed" in out
    code, out = run("frameworks", "test", str(root), "--json", capsys=capsys)
    results = json.loads(out)
    assert code == 0 and len(results) == 6 and all(r["ok"] for r in results)
    assert {r["framework"] for r in results} == {"tinh-y-district@1.0"}


def test_a_failing_case_says_what_was_expected_and_exits_1(tmp_path: Path, capsys: object) -> None:
    root = outside_folder(tmp_path)
    case = root / "tinh-y-district" / "cases" / "co-ban-thieu-hai-tieu-chi-nang-cao.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("level: co-ban", "level: nang-cao"), encoding="utf-8")
    code, out = run("frameworks", "test", str(root / "tinh-y-district"), capsys=capsys)
    assert code == 1
    assert "level: expected nang-cao, got co-ban" in out
    assert "5/6 tệp kiểm thử đạt" in out


def test_a_case_with_an_unknown_expectation_is_refused_with_the_key_meant(tmp_path: Path, capsys: object) -> None:
    root = outside_folder(tmp_path)
    case = root / "tinh-y-district" / "cases" / "chua-dat-muc-nao.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("  blocking:", "  bloking:"), encoding="utf-8")
    code, out = run("frameworks", "test", str(case), capsys=capsys)
    assert code == 2
    assert "did you mean 'blocking'" in out and "chua-dat-muc-nao.yaml:" in out


def test_frameworks_test_by_id_in_a_certify_frameworks_folder(
    tmp_path: Path, capsys: object, monkeypatch: object
) -> None:
    root = outside_folder(tmp_path)
    monkeypatch.setenv("CERTIFY_FRAMEWORKS", str(root))  # type: ignore[attr-defined]
    code, out = run("frameworks", "test", "tinh-y-district", capsys=capsys)
    assert code == 0 and "6/6" in out


def test_pytest_runs_the_same_cases_through_the_root_plugin(tmp_path: Path) -> None:
    root = outside_folder(tmp_path)
    case = root / "tinh-y-district" / "cases" / "chua-dat-muc-nao.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("level: null", "level: khoi-dong"), encoding="utf-8")
    env = {**os.environ, "CERTIFY_FRAMEWORKS": str(root)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "--rootdir", str(root), "-c", os.devnull, str(root)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "5 passed" in result.stdout and "1 failed" in result.stdout
    assert "level: expected khoi-dong, got None" in result.stdout
    shutil.rmtree(root)

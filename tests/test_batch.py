"""`certify evaluate --batch FOLDER|FORM.xlsx` and `--cycle N`: many units certified at once give what
`certify evaluate FILE` and `certify gap FILE --format json` give one by one; a refused unit stops the batch
with every problem at its place, and nothing is written."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console

from certify.catalog import bundled_root, default_catalog
from certify.cli.app import app
from certify.cli.common import run_guarded
from certify.levels.evaluate import evaluate
from certify.levels.gap import gap_report
from certify.levels.intake import load_unit
from tests.intake.helpers import filled_form, sample_values

SAMPLES = bundled_root("samples") / "assessments"


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    err = Console(record=True, width=300)
    code = run_guarded(app, err, list(args))
    return code, capsys.readouterr().out, err.export_text()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "units"
    shutil.copytree(SAMPLES, out)
    return out


def one_by_one(folder: Path) -> dict[str, dict[str, object]]:
    """What `certify gap FILE --format json` gives for each file of the folder."""
    catalog = default_catalog()
    return {
        str(path): json.loads(json.dumps(gap_report(evaluate(*load_unit(path, catalog))).to_dict(), default=str))
        for path in sorted(folder.glob("*.yaml"))
    }


def test_a_folder_gives_each_units_level_and_missing_criteria_as_one_by_one(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run("evaluate", "--batch", str(folder), capsys=capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = one_by_one(folder)
    assert [r["source"] for r in rows] != [] and {r["source"] for r in rows} == set(expected)
    for row in rows:
        report = expected[row["source"]]
        assert row["unit"] == report["unit"]
        assert row["level"] == (report["level"] or "") and row["level_name"] == (report["level_name"] or "")
        assert row["next_level"] == (report["next_level"] or "")
        items = report["items"]
        assert isinstance(items, list)
        assert row["criteria_to_next"].split() == [i["criterion"] for i in items]
        assert int(row["items_to_next"]) == len(items)
    assert {r["level"] for r in rows} >= {"khoi-dong", "co-ban", "toan-dien"}  # the samples span the levels


def test_the_json_holds_each_units_full_gap_report(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("evaluate", "--batch", str(folder), "--format", "json", capsys=capsys)
    assert code == 0
    expected = one_by_one(folder)
    got = json.loads(out)
    assert len(got) == len(expected)
    for report in got:
        source = report.pop("source")
        assert report == expected[source]


def test_the_workbook_has_a_sheet_of_levels_and_one_of_criteria_to_reach(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "levels.xlsx"
    code, _, _ = run("evaluate", "--batch", str(folder), "-o", str(out), capsys=capsys)
    assert code == 0
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["Mức độ", "Khoảng cách"]
    levels = list(wb["Mức độ"].iter_rows(values_only=True))
    gaps = list(wb["Khoảng cách"].iter_rows(values_only=True))
    expected = one_by_one(folder)
    assert len(levels) - 1 == len(expected)
    assert len(gaps) - 1 == sum(len(r["items"]) for r in expected.values())  # type: ignore[arg-type]
    header = gaps[0]
    first = dict(zip(header, gaps[1], strict=True))
    report = expected[str(first["source"])]
    item = report["items"][0]  # type: ignore[index]
    assert (first["criterion"], first["gap_text"]) == (item["criterion"], item["gap_text"])  # «+13 …» as typed
    assert out.stat().st_size > 0
    code, _, err = run("evaluate", "--batch", str(folder), "-o", str(out), capsys=capsys)
    assert code == 2 and "--force" in err  # a file someone may have edited is not replaced


def test_one_refused_file_stops_the_batch_naming_it_and_nothing_is_written(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = folder / "2024-xa-hoa-ninh.yaml"
    text = bad.read_text(encoding="utf-8")
    bad.write_text(text.replace("framework: sample-2361-commune", "framework: sample-2361-comune"), encoding="utf-8")
    other = folder / "zz-broken.yaml"
    other.write_text("unit: [1, 2\n", encoding="utf-8")
    out = tmp_path / "levels.csv"
    code, stdout, err = run("evaluate", "--batch", str(folder), "-o", str(out), capsys=capsys)
    assert code == 2 and "source,unit" not in stdout and not out.exists()
    assert str(bad) in err and "sample-2361-commune" in err  # the mistyped framework, with the name meant
    assert str(other) in err


def test_a_filled_form_is_certified_like_the_assessment_file_it_was_filled_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = filled_form(tmp_path, "29584")
    code, out, _ = run("evaluate", "--batch", str(form), capsys=capsys)
    assert code == 0
    (row,) = list(csv.DictReader(io.StringIO(out)))
    resolved, bound = load_unit(SAMPLES / "2024-xa-cai-nhum.yaml", default_catalog())
    assert row["unit"] == "29584" and row["level"] == (evaluate(resolved, bound).level or "")
    assert sample_values()  # the form was filled with the sample's values


def test_usage_mistakes_are_one_line_each(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = str(SAMPLES / "2024-xa-hoa-ninh.yaml")
    for args, words in (
        (["evaluate"], "--batch"),
        (["evaluate", sample, "--batch", str(folder)], "Use one of"),
        (["evaluate", "--batch", str(folder), "--format", "pdf"], "csv | xlsx | json"),
        (["evaluate", "--batch", str(folder), "--format", "xlsx"], "--output"),
        (["evaluate", "--batch", sample], "folder of assessment files"),
    ):
        code, _, err = run(*args, capsys=capsys)
        assert code == 2 and words in err, (args, err)


def test_a_stored_cycle_is_certified_as_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from certify.store.demo import load_demo
    from certify.store.engine import transaction
    from certify.store.evaluations import evaluate_cycle
    from certify.store.migrate import ready_engine
    from certify.store.models import Cycle

    monkeypatch.setenv("CERTIFY_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    engine = ready_engine()
    assert load_demo(engine, default_catalog(), SAMPLES)
    with transaction(engine) as s:
        cycle = s.get(Cycle, 2)
        assert cycle is not None
        expected = {u.unit_code: u.level or "" for u in evaluate_cycle(s, cycle).units}
    code, out, _ = run("evaluate", "--cycle", "2", capsys=capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["unit"]: r["level"] for r in rows} == expected and len(expected) >= 3
    code, _, err = run("evaluate", "--cycle", "4", capsys=capsys)  # a DTI cycle
    assert code == 2 and "'dti' cycle" in err

"""The command line as a user runs it."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from rich.console import Console

from certify.catalog import bundled_root
from certify.cli.app import app
from certify.cli.common import run_guarded

SAMPLES = bundled_root("samples") / "assessments"


def run(*args: str, capsys: object) -> tuple[int, str]:
    err = Console(record=True, width=300)
    code = run_guarded(app, err, list(args))
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    return code, out + err.export_text()


def test_demo_evaluates_every_bundled_unit_over_all_levels(capsys: object) -> None:
    code, out = run("demo", "--json", capsys=capsys)
    assert code == 0
    results = json.loads(out)
    assert len(results) == len(list(SAMPLES.glob("*.yaml"))) >= 12
    assert {r["tier"] for r in results} == {"commune", "district"}
    assert {r["level"] for r in results} >= {None, "khoi-dong", "ket-noi", "co-ban", "nang-cao", "toan-dien"}
    assert any(item["verdict"] == "missing" for r in results for item in r["gap"])
    assert all(r["banner"] for r in results)


def test_demo_table_shows_the_sample_banner(capsys: object) -> None:
    code, out = run("demo", capsys=capsys)
    assert code == 0
    assert "Bộ tiêu chí mẫu — không phải ngưỡng chính thức" in out


def test_frameworks_list_and_show(capsys: object) -> None:
    code, out = run("frameworks", "list", "--json", capsys=capsys)
    ids = {f["id"] for f in json.loads(out)}
    assert code == 0 and {"mic-2361-commune", "mic-2361-district", "sample-2361-commune"} <= ids
    code, out = run("frameworks", "show", "mic-2361-district", capsys=capsys)
    assert code == 0
    assert "33" in out and "Chỉ tiêu chung" in out and "22" in out


def test_validate_exit_codes(capsys: object) -> None:
    good = bundled_root("frameworks") / "sample-2361-commune" / "1.0.yaml"
    bad = Path(__file__).parent / "hostile" / "corpus" / "framework" / "cycle.yaml"
    assert run("frameworks", "validate", str(good), capsys=capsys)[0] == 0
    code, out = run("frameworks", "validate", str(bad), capsys=capsys)
    assert code == 2 and "Vòng lặp" in out and "cycle.yaml" in out


def test_evaluate_and_gap_json_contract(capsys: object) -> None:
    unit = sorted(SAMPLES.glob("*.yaml"))[0]
    code, out = run("evaluate", str(unit), "--json", capsys=capsys)
    data = json.loads(out)
    assert code == 0
    assert {"level", "levels", "framework", "input_hash"} <= set(data)
    assert {"id", "version", "content_hash"} <= set(data["framework"])
    assert all({"code", "verdict"} <= set(c) for lv in data["levels"] for c in lv["criteria"])
    code, out = run("gap", str(unit), "--format", "json", capsys=capsys)
    gap = json.loads(out)
    assert code == 0
    assert all({"criterion", "current", "requirement", "target", "order"} <= set(i) for i in gap["items"])


def test_gap_formats_write_files(tmp_path: Path, capsys: object) -> None:
    unit = next(p for p in sorted(SAMPLES.glob("*.yaml")) if "xa" in p.name)
    for fmt in ("html", "md", "text"):
        target = tmp_path / f"gap.{fmt}"
        code, _ = run("gap", str(unit), "--format", fmt, "--output", str(target), capsys=capsys)
        text = target.read_text(encoding="utf-8")
        assert code == 0 and "Bộ tiêu chí mẫu — không phải ngưỡng chính thức" in text


def test_diff_shows_a_raised_threshold(capsys: object) -> None:
    code, out = run("frameworks", "diff", "tiny-commune@1.0", "tiny-commune@1.1", "--json", capsys=capsys)
    changes = {c["path"]: c for c in json.loads(out)}
    assert code == 0
    assert changes["criteria.A-ONLINE.requirements.nang-cao.threshold"]["new"] == 0.85
    assert changes["criteria.B-SKILLS"]["kind"] == "added"


def test_gap_does_not_overwrite_a_file_without_force(tmp_path: Path, capsys: object) -> None:
    unit = sorted(SAMPLES.glob("*.yaml"))[0]
    target = tmp_path / "gap.md"
    target.write_text("ghi chú của cán bộ", encoding="utf-8")
    code, out = run("gap", str(unit), "--format", "md", "--output", str(target), capsys=capsys)
    assert code == 2 and "--force" in out
    assert target.read_text(encoding="utf-8") == "ghi chú của cán bộ"
    code, _ = run("gap", str(unit), "--format", "md", "--output", str(target), "--force", capsys=capsys)
    assert code == 0 and target.read_text(encoding="utf-8").startswith("# Báo cáo khoảng cách")


def test_the_same_file_is_re_evaluated_against_a_new_version(tmp_path: Path, capsys: object) -> None:
    unit = tmp_path / "xa.yaml"
    unit.write_text(
        "unit: Xã Thử\ntier: commune\nyear: 2025\nframework: tiny-commune@1.0\nvalues:\n"
        "  A-PORTAL: true\n  A-ONLINE: 0.82\n  A-MEETINGS: 8\n  A-DAYS: 3\n  B-FIBRE: 0.8\n  B-EHR: 0.9\n",
        encoding="utf-8",
    )
    code, out = run("evaluate", str(unit), "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["level"] == "nang-cao"
    code, out = run("evaluate", str(unit), "--json", "--framework", "tiny-commune@1.1", capsys=capsys)
    data = json.loads(out)
    assert code == 0 and data["level"] == "co-ban" and data["framework"]["version"] == "1.1"
    assert {c["code"] for c in data["why_not_next"]} == {"A-ONLINE", "B-SKILLS"}


def _help_page(command: object, capsys: pytest.CaptureFixture[str]) -> str:
    with contextlib.suppress(SystemExit):
        command.main(args=["--help"], prog_name="certify", standalone_mode=False)  # type: ignore[attr-defined]
    return capsys.readouterr().out


def test_the_command_list_is_the_whole_trees_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`certify --help` is built from the commands without their parameters (certify.cli.common._listing):
    the same page as the whole command tree gives, every command and group with its one-line help."""
    import typer

    from certify.cli.common import _listing

    listing = _help_page(typer.main.get_command(_listing(app)), capsys)
    assert listing == _help_page(typer.main.get_command(app), capsys)
    for name in ("evaluate", "gap", "score", "frameworks", "cycle", "report", "serve"):
        assert f" {name} " in listing


def test_help_pages_render_without_markdown_and_traceback_modules(capsys: pytest.CaptureFixture[str]) -> None:
    """The help renderer is imported with rich's markdown and traceback classes deferred; they still work."""
    from certify.cli.common import _import_help_renderer

    _import_help_renderer()
    import typer.rich_utils

    assert run_guarded(app, Console(stderr=True), ["evaluate", "--help"]) == 0
    assert "--batch" in capsys.readouterr().out
    markdown = typer.rich_utils.Markdown("**x**")
    assert type(markdown).__module__ == "rich.markdown"

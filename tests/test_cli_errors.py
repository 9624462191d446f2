"""Every command, run wrongly, answers with one bilingual line and exit 2 — never a traceback.

The commands are found by walking the installed command tree, so a command added later is
covered without touching this file. CI runs this file twice: with the newest allowed typer
(its own copy of click) and with the lowest allowed typer and click (`.ci/run`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from rich.console import Console

from certify.catalog import bundled_root
from certify.cli.app import app
from certify.cli.common import EXIT_INVALID, run_guarded

SAMPLE = bundled_root("samples") / "assessments" / "2024-xa-hoa-ninh.yaml"


def _tree(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += _tree(sub, (*path, name))
    return found


COMMANDS = _tree(typer.main.get_command(app))
GROUPS = [path for path, cmd in COMMANDS if hasattr(cmd, "commands")]
LEAVES = [path for path, cmd in COMMANDS if not hasattr(cmd, "commands")]
# Commands that cannot run without something on the command line (no args is then a usage error).
NEEDS_ARGS = [
    path
    for path, cmd in COMMANDS
    if not hasattr(cmd, "commands") and any(getattr(p, "required", False) for p in cmd.params)
]


def ids(paths: list[tuple[str, ...]]) -> list[str]:
    return [" ".join(p) or "certify" for p in paths]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    err = Console(record=True, width=400)
    code = run_guarded(app, err, args)
    captured = capsys.readouterr()
    return code, captured.out, err.export_text() + captured.err


def assert_one_bilingual_line(code: int, out: str, err: str, *expected: str) -> str:
    assert code == EXIT_INVALID, err
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.startswith("LỖI/ERROR")]
    assert len(lines) == 1, err
    line = lines[0]
    # Vietnamese first, then the English in parentheses, then the command whose help to read.
    vi, _, en = line.removeprefix("LỖI/ERROR ").partition(" (")
    assert vi and en, line
    assert any(ch in vi for ch in "ảãạăắằẳẵặâấầẩẫậđẻẽẹêếềểễệỉĩịỏõọôốồổỗộơớờởỡợủũụưứừửữựỷỹỵ"), line
    for text in expected:
        assert text in line, line
    return line


def test_the_tree_has_the_commands_users_know() -> None:
    names = set(ids(LEAVES))
    assert {"evaluate", "gap", "demo", "frameworks list", "score", "cycle open", "report gap", "serve"} <= names
    assert len(GROUPS) >= 5 and len(NEEDS_ARGS) >= 10


@pytest.mark.parametrize("path", GROUPS, ids=ids(GROUPS))
def test_a_group_without_a_command_shows_help_and_one_line(path: tuple[str, ...], capsys: Any) -> None:
    code, out, err = run(list(path), capsys)
    line = assert_one_bilingual_line(code, out, err, "Thiếu lệnh", "Missing command")
    assert f"certify {' '.join(path)} --help".replace("  ", " ") in line
    assert "Usage" in out + err  # the group's help comes first: what can follow


@pytest.mark.parametrize("path", GROUPS, ids=ids(GROUPS))
def test_a_mistyped_command_is_named(path: tuple[str, ...], capsys: Any) -> None:
    code, out, err = run([*path, "no-such-command"], capsys)
    assert_one_bilingual_line(code, out, err, "«no-such-command»", "'no-such-command'")


@pytest.mark.parametrize("path", NEEDS_ARGS, ids=ids(NEEDS_ARGS))
def test_a_missing_argument_is_named(path: tuple[str, ...], capsys: Any) -> None:
    code, out, err = run(list(path), capsys)
    assert_one_bilingual_line(code, out, err, "Thiếu", "Missing", f"certify {' '.join(path)} --help")


@pytest.mark.parametrize("path", LEAVES, ids=ids(LEAVES))
def test_a_wrong_option_is_named(path: tuple[str, ...], capsys: Any) -> None:
    code, out, err = run([*path, "--no-such-option"], capsys)
    assert_one_bilingual_line(code, out, err, "«--no-such-option»", "'--no-such-option'")


def test_a_near_miss_is_suggested(capsys: Any) -> None:
    line = assert_one_bilingual_line(*run(["evaluat", str(SAMPLE)], capsys))
    assert "«evaluate»" in line and "did you mean 'evaluate'" in line
    line = assert_one_bilingual_line(*run(["evaluate", str(SAMPLE), "--jsn"], capsys))
    assert "«--json»" in line


def test_bad_values_and_extra_arguments(capsys: Any) -> None:
    line = assert_one_bilingual_line(*run(["serve", "--port", "abc"], capsys))
    assert "«--port»" in line and "số nguyên" in line
    line = assert_one_bilingual_line(*run(["serve", "--port", "0"], capsys))
    assert "«--port»" in line
    assert_one_bilingual_line(*run(["serve", "--port"], capsys), "«--port»")
    assert_one_bilingual_line(*run(["evaluate", str(SAMPLE), "extra"], capsys), "Thừa đối số: extra")
    assert_one_bilingual_line(*run(["demo", "--json=1"], capsys), "«--json»")


def test_a_binary_gap_report_needs_an_output_file(capsys: Any) -> None:
    line = assert_one_bilingual_line(*run(["gap", str(SAMPLE), "--format", "pdf"], capsys))
    assert "--output" in line


def test_a_file_that_cannot_be_written_is_one_line(tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / "no-such-folder" / "gap.md"
    line = assert_one_bilingual_line(*run(["gap", str(SAMPLE), "--format", "md", "-o", str(target)], capsys))
    assert str(target) in line


def test_the_real_process_exits_2_without_a_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CERTIFY_DEBUG"}
    for args in ([], ["evaluate"], ["no-such-command"], ["evaluate", "--no-such-option"]):
        proc = subprocess.run(
            [sys.executable, "-m", "certify", *args], capture_output=True, text=True, env=env, cwd=tmp_path
        )
        assert proc.returncode == EXIT_INVALID, proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        assert proc.stderr.strip().splitlines()[-1].startswith("LỖI/ERROR"), proc.stderr

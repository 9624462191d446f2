"""Bad assessment files: a clear bilingual error naming the field, exit code 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from certify.cli.app import app
from certify.cli.common import run_guarded

CORPUS = sorted(p for p in (Path(__file__).parent / "bad_assessments").iterdir())


def expectation(path: Path) -> tuple[str, list[str]]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    code, *fragments = first.removeprefix("# expect:").split()
    return code, fragments


def run_cli(args: list[str]) -> tuple[int, str]:
    console = Console(record=True, width=400)
    code = run_guarded(app, console, args)
    return code, console.export_text()


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_bad_assessment_is_rejected_with_a_located_message(path: Path) -> None:
    code, fragments = expectation(path)
    exit_code, output = run_cli(["evaluate", str(path)])
    assert exit_code == 2, output
    assert path.name in output
    assert "Traceback" not in output
    for fragment in [code, *fragments] if not code.startswith("schema") else fragments:
        if fragment.startswith(
            ("schema", "bad-", "unknown-", "wrong-", "ratio-", "negative", "not-", "zero-", "duplicate-", "incomplete-")
        ):
            continue  # problem codes are for machines; the message carries the place and the words
        assert fragment in output, f"{fragment!r} not in {output!r}"
    assert "(" in output and ")" in output  # Vietnamese message followed by the English one


def test_real_process_exits_2_without_traceback() -> None:
    path = Path(__file__).parent / "bad_assessments" / "ratio-above-one.yaml"
    proc = subprocess.run(
        [sys.executable, "-c", "from certify.cli.app import main; main()", "evaluate", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "values.A-ONLINE" in proc.stderr
    assert "tỷ lệ phải từ 0 đến 1" in proc.stderr and "a ratio must be between 0 and 1" in proc.stderr

"""Bad assessment files: the real process exits 2 without a traceback. The corpus itself (every bad file, its
location and both messages) is tests/hostile/corpus/assessment, run by tests/hostile/test_corpus.py."""

from __future__ import annotations

import subprocess
import sys

from tests.hostile.harness import CORPUS


def test_real_process_exits_2_without_traceback() -> None:
    path = CORPUS / "assessment" / "ratio-above-one.yaml"
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

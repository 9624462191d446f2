"""The core stays typed (mypy --strict) and the whole tree lint-clean (ruff), checked with the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_code_is_strictly_typed() -> None:
    proc = run("mypy", "--strict", "certify", "api", "reports")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_tree_is_ruff_clean() -> None:
    proc = run("ruff", "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_tree_is_ruff_formatted() -> None:
    proc = run("ruff", "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_core_never_imports_the_edges() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "certify").rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(("from api", "import api", "from reports", "import reports"))
    ]
    assert offenders == []

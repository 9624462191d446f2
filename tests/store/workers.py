"""Processes the concurrency tests start (`python -m tests.store.workers …`): real writers, each its own process.

`hold-import URL CYCLE FORM MARKER RELEASE`: import FORM into CYCLE; once its rows are written (not committed) it
creates MARKER and waits until RELEASE exists, holding its locks all that time; then it commits.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def hold_import(url: str, cycle_id: int, form: Path, marker: Path, release: Path) -> None:
    from certify.intake.importer import import_files
    from certify.store.engine import make_engine, transaction

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "write" and not marker.exists():
            marker.write_text(f"{done}/{total}")
            while not release.exists():
                time.sleep(0.05)

    with transaction(make_engine(url), write=True) as s:
        result = import_files(s, cycle_id, [form], "first-import", progress=progress)
        assert result.ok, [p.message() for p in result.problems]
    print("committed", flush=True)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "hold-import":
        hold_import(args[0], int(args[1]), Path(args[2]), Path(args[3]), Path(args[4]))
    else:
        raise SystemExit(f"unknown command {command}")

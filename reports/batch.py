"""Gap reports for every assessment file of a folder, on all cores.

Each worker process loads the catalog once (module global) and writes its own files, so only
paths and short messages cross process boundaries.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from certify.catalog import Catalog, default_catalog
from certify.errors import CertifyError
from certify.formats import get_gap_format
from certify.levels.evaluate import evaluate
from certify.levels.gap import gap_report
from certify.levels.intake import load_unit
from reports.inputs import assessment_files

_catalog: Catalog | None = None
_frozen = False


@dataclass(frozen=True)
class Outcome:
    source: Path
    output: Path | None
    error: str | None = None


def render_one(source: Path, fmt: str, outdir: Path) -> Outcome:
    """Render one file; a bad file becomes an error message, not a crashed batch."""
    global _catalog
    _catalog = _catalog or default_catalog()
    fmt_obj = get_gap_format(fmt)
    try:
        resolved, bound = load_unit(source, _catalog)
        rendered = fmt_obj.render(gap_report(evaluate(resolved, bound)))
    except CertifyError as exc:
        return Outcome(source, None, "; ".join(p.message() for p in exc.problems))
    target = outdir / (source.stem + fmt_obj.suffix)
    if isinstance(rendered, bytes):
        target.write_bytes(rendered)
    else:
        target.write_text(rendered, encoding="utf-8")
    settle()
    return Outcome(source, target)


def settle() -> None:
    """Once per process, after the first report: move what every later report reuses out of the collector's way.

    The catalog, templates, fonts and WeasyPrint's own tables then live for the whole batch, and the
    collector's full passes, which would walk them after every few reports, cost about 8% of a PDF.
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()  # what the first report left behind is collected, not frozen
        gc.freeze()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 2)


def run_batch(
    folder: Path, fmt: str, outdir: Path, jobs: int | None = None, on_done: Callable[[Outcome], None] | None = None
) -> list[Outcome]:
    get_gap_format(fmt)  # an unknown format fails before any process starts
    files = assessment_files(folder)
    outdir.mkdir(parents=True, exist_ok=True)
    outcomes = []
    for outcome in _outcomes(files, fmt, outdir, jobs or default_jobs()):
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)
    return sorted(outcomes, key=lambda o: o.source)


def _outcomes(files: list[Path], fmt: str, outdir: Path, jobs: int) -> Iterator[Outcome]:
    if jobs <= 1 or len(files) == 1:
        for f in files:
            yield render_one(f, fmt, outdir)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(render_one, f, fmt, outdir) for f in files]
        for fut in as_completed(futures):
            yield fut.result()

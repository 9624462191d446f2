"""Gap reports for N units (default 1,000) in each format; prints reports per second per format.

Units are the bundled sample assessments repeated; evaluation is done once up front, so the figures
are for rendering only. PDF is timed on a subset (--pdf-units) and on one core, to read "per core".
Two rates per format: wall clock, and process CPU time ("per core"): the second does not move when
other work shares the machine. Targets (issue 6): HTML ≥ 200/s, PDF ≥ 5/s per core. No asserts:
this prints, CI does not judge.

    python bench/report_bench.py [--units 1000] [--pdf-units 50] [--formats html,md,docx,xlsx,pdf]
"""

from __future__ import annotations

import argparse
import time

from certify.catalog import bundled_root, default_catalog
from certify.formats import gap_formats
from certify.levels.evaluate import evaluate_many
from certify.levels.gap import GapReport, gap_report
from certify.levels.intake import load_unit
from reports.batch import settle


def reports(n: int) -> list[GapReport]:
    catalog = default_catalog()
    files = sorted((bundled_root("samples") / "assessments").glob("*.yaml"))
    loaded = [load_unit(f, catalog) for f in files]
    out: list[GapReport] = []
    while len(out) < n:
        for resolved, bound in loaded:
            out.append(gap_report(evaluate_many(resolved, [bound])[0]))
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--pdf-units", type=int, default=50)
    ap.add_argument("--formats", default="html,md,docx,xlsx,pdf")
    args = ap.parse_args()
    all_reports = reports(args.units)
    formats = gap_formats()
    for name in args.formats.split(","):
        fmt = formats[name]
        batch = all_reports[: args.pdf_units] if name == "pdf" else all_reports
        fmt.render(batch[0])  # warm caches (templates, fonts) as a long batch would have them
        settle()  # and, like a batch worker, keep them out of the garbage collector's full passes
        start, cpu = time.perf_counter(), time.process_time()
        size = 0
        for report in batch:
            size += len(fmt.render(report))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"{name:5s} {len(batch):5d} reports  {len(batch) / elapsed:8.1f} reports/s (1 core)  "
            f"{len(batch) / cpu:8.1f} reports/s per core (CPU time)  avg {size / len(batch) / 1024:7.1f} KiB"
        )


if __name__ == "__main__":
    main()

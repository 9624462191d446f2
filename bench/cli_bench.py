"""Benchmark: `certify` commands as whole processes, as a user runs them, beside Python's own start-up.

    python bench/cli_bench.py [--runs 7] [--units 10600]

Times, as separate processes, each several times (median wall time and median CPU time, user +
system, of the child process):

  * the baselines measured in the same run: `python -c pass` and `python -c "import certify"`;
  * `certify --help`, `certify evaluate FILE`, `certify gap FILE --format json` (one bundled unit);
  * `certify score FILE --framework vinh-long-2554-province --csv` on a cohort of `--units` units
    generated here (the synthetic cohort of bench/dti_bench.py, written as a user's CSV).

`certify evaluate` is timed twice: with its framework kept from an earlier run (a cache folder of this
bench, filled by the unmeasured first run: what a user gets from the second command on) and with no cache
(`CERTIFY_CACHE_DIR=`: every run reads and checks the framework files).

Every command runs from compiled .pyc files, as an installed package does (written by the warm-up run, also when
PYTHONDONTWRITEBYTECODE is set in the shell: otherwise each run would time compiling certify's sources).

Each command is printed with its ratio to `python -c pass` and, where issue 13 sets one, its goal on the
2-core reference machine, judged twice: on the median wall time and on the median CPU time (user + system
of the process). «met» only when that measured figure is within the goal. The machine's load average is
printed too: on a shared machine wall times grow with the load, CPU times much less.
No assertion here; tests never time anything.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from certify.catalog import Catalog
from certify.dti.model import DtiFramework
from certify.dti.plan import plan_for
from certify.paths import bundled_root

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dti_bench import synthetic, write_csv  # the DTI bench's cohort, written as a CSV file

SAMPLE = bundled_root("samples") / "assessments" / "2024-xa-hoa-ninh.yaml"
GOALS = {"certify --help": 0.3, "certify evaluate": 0.5, "certify score --csv": 0.5}  # seconds


def certify_command() -> list[str]:
    exe = shutil.which("certify")
    return [exe] if exe else [sys.executable, "-m", "certify"]


def timed(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall and CPU seconds of `runs` runs of `cmd` (one unmeasured warm-up run first)."""
    walls: list[float] = []
    cpus: list[float] = []
    for i in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
        if i:  # the first run fills the OS file cache and writes .pyc files
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def cohort_csv(folder: Path, units: int) -> Path:
    fw = Catalog([bundled_root("frameworks")]).load("vinh-long-2554-province").framework
    assert isinstance(fw, DtiFramework)
    plan = plan_for(fw)
    path = folder / f"cohort-{units}.csv"
    write_csv(plan, synthetic(plan, units, 0, np.random.default_rng(2554)), path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="timed runs per command (median)")
    ap.add_argument("--units", type=int, default=10_600, help="units in the generated DTI cohort")
    args = ap.parse_args()

    certify = certify_command()
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        csv = cohort_csv(Path(tmp), args.units)
        # An installed certify runs from its .pyc files: the warm-up run writes them even where the shell says not
        # to (PYTHONDONTWRITEBYTECODE), so that each timed run is what a user runs, not a compilation of the sources.
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached = {**base, "CERTIFY_CACHE_DIR": str(Path(tmp) / "cache")}
        uncached = {**base, "CERTIFY_CACHE_DIR": ""}
        cases = [
            ("python -c pass", [sys.executable, "-c", "pass"], cached),
            ('python -c "import certify"', [sys.executable, "-c", "import certify"], cached),
            ("certify --help", [*certify, "--help"], cached),
            ("certify evaluate", [*certify, "evaluate", str(SAMPLE)], cached),
            ("certify evaluate (no cache)", [*certify, "evaluate", str(SAMPLE)], uncached),
            ("certify gap --format json", [*certify, "gap", str(SAMPLE), "--format", "json"], cached),
            (
                "certify score --csv",
                [*certify, "score", str(csv), "--framework", "vinh-long-2554-province", "--csv"],
                cached,
            ),
        ]
        results = {name: timed(cmd, args.runs, env) for name, cmd, env in cases}

    base_wall, base_cpu = results["python -c pass"]
    load = ", ".join(f"{x:.1f}" for x in load_start)
    load_end = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.runs} runs each (median), {os.cpu_count()} cores, load average {load} at start, {load_end} at end")
    print(f"score cohort: {args.units:,} units, vinh-long-2554-province, generated CSV")
    print(f"{'command':<30} {'wall s':>8} {'cpu s':>8} {'cpu × python':>13}   goal: wall, cpu")
    for name, (wall, cpu) in results.items():
        goal = GOALS.get(name)
        verdict = ""
        if goal is not None:
            verdict = f"≤ {goal:.1f} s: wall " + ("met" if wall <= goal else "NOT met")
            verdict += ", cpu " + ("met" if cpu <= goal else "NOT met")
        print(f"{name:<30} {wall:8.3f} {cpu:8.3f} {cpu / base_cpu:12.1f}×   {verdict}")
    print(f"(python -c pass: {base_wall:.3f} s wall, {base_cpu:.3f} s cpu; wall times grow with the load average)")


if __name__ == "__main__":
    main()

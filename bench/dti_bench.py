"""Benchmark: score and rank 10,600 synthetic units on the Vĩnh Long DTI framework, in memory and as a user runs it.

    python bench/dti_bench.py [--units 10600] [--groups 0] [--repeat 3] [--no-cli]

Every unit gets data for all 104 criteria (ratios as the decision's variables a, b, …), some
units lack online public services (peer maximum) or list an irrelevant criterion, and the
min–max / best-unit criteria are normalised over the whole cohort (or per group with
--groups N).

Printed, each a median of --repeat runs, side by side with baselines measured in the same run:
1. in memory: scoring and ranking arrays already validated; peak memory (tracemalloc, separate run);
2. file → CSV in one process, stage by stage (read the file, check every cell, score, write the ranking
   as `certify score --csv` does), against a plain baseline over the same file (csv module + float() of
   every cell, no checks): the ratio says what checking and scoring cost beyond reading;
3. the same path at a quarter, the full and twice the cohort: the exponent shows the output is linear
   (≈ 1.0; the former per-row re-summing of the cohort was ≈ 2);
4. whole processes: `certify score FILE --csv` against `certify score --help` (start-up), so the work
   beyond start-up is measured where the user pays it. Goal: ≤ 0.5 s for 10,600 units. A goal is
   said «met» only when the measured figure meets it.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np

from certify.catalog import Catalog
from certify.cli.score_cmd import write_csv as write_ranking
from certify.dti.cohort import Cohort, cohort_from_table
from certify.dti.methods import Compiled, InputKind
from certify.dti.methods.measure import Measured, RatioExpr, parse_ratio
from certify.dti.model import DtiFramework
from certify.dti.plan import Plan, plan_for
from certify.dti.scoring import score_cohort
from certify.dti.table import read_table

FRAMEWORKS = Path(__file__).resolve().parents[1] / "frameworks"
GOAL_BEYOND_STARTUP = 0.5  # s, `certify score --csv` of 10,600 units (issue 13)
T = TypeVar("T")


def _ratios(c: Compiled) -> Iterator[tuple[str, str, RatioExpr]]:
    """(column of the value, variable namespace, ratio) of every ratio a criterion reads."""
    p = c.params
    if isinstance(p, Measured) and p.expr is not None:
        yield c.code, c.code, p.expr
    for part in getattr(p, "parts", None) or []:
        if getattr(part, "ratio", None):
            yield f"{c.code}.{part.id}", c.code, parse_ratio(part.ratio)


def synthetic(plan: Plan, n: int, groups: int, rng: np.random.Generator) -> Cohort:
    columns: dict[str, np.ndarray] = {}
    # a ratio's own column stays empty where its variables are given (a row gives one or the other)
    given_by_variables: set[str] = set()
    for c in plan.compiled.values():
        for direct, ns, expr in _ratios(c):
            given_by_variables.add(direct)
            den = {t: rng.integers(50, 1000, n).astype(float) for t in expr.den if isinstance(t, str)}
            total = sum(den.values()) if den else np.full(n, 7.0)
            for t in expr.num:
                if isinstance(t, str):  # numerators together stay within the denominator
                    columns[f"{ns}.{t}"] = np.floor(rng.uniform(0, 1, n) * total / len(expr.num))
            for t, v in den.items():
                columns[f"{ns}.{t}"] = v
    for column, (_, spec) in plan.inputs.items():
        if column in columns or column in given_by_variables:
            continue
        if spec.kind is InputKind.YESNO:
            columns[column] = rng.integers(0, 2, n).astype(float)
        elif spec.kind is InputKind.OPTION:
            columns[column] = rng.integers(0, len(spec.options), n).astype(float)
        elif spec.kind is InputKind.FRACTION:
            columns[column] = rng.uniform(0, 1, n)
        else:
            columns[column] = np.round(rng.uniform(0, 25, n), 2)
    units = [f"u{i:05d}" for i in range(n)]
    group_names = [f"g{k}" for k in rng.integers(0, groups, n)] if groups else []
    conditions = {"no_online_services": rng.uniform(0, 1, n) < 0.03}
    not_applicable = {"6.8": rng.uniform(0, 1, n) < 0.02}
    return Cohort(units, columns, groups=group_names, conditions=conditions, not_applicable=not_applicable)


def write_csv(plan: Plan, cohort: Cohort, path: Path) -> None:
    """The cohort as a user would type it: option ids, có/không, numbers."""
    names = list(cohort.columns)
    text_columns: list[list[str]] = []
    for name in names:
        spec = plan.inputs[name][1]
        values = cohort.columns[name]
        if spec.kind is InputKind.OPTION:
            text_columns.append(["" if np.isnan(v) else spec.options[int(v)] for v in values])
        elif spec.kind is InputKind.YESNO:
            text_columns.append(["" if np.isnan(v) else ("có" if v else "không") for v in values])
        else:
            text_columns.append(["" if np.isnan(v) else repr(float(v)) for v in values])
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(["unit", *names]) + "\n")
        for i, unit in enumerate(cohort.units):
            f.write(",".join([unit, *(col[i] for col in text_columns)]) + "\n")


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median seconds of `repeat` runs, and the last result."""
    times: list[float] = []
    result: T
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def plain_read(path: Path) -> int:
    """Baseline: what reading the file costs with no check at all (csv module, float() of every number)."""
    numbers = 0
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            numbers += sum(1 for cell in row[1:] if _number(cell) is not None)
    return numbers


def file_to_csv(fw: DtiFramework, plan: Plan, path: Path, repeat: int) -> dict[str, float]:
    """The `certify score FILE --csv` path in this process, stage by stage (medians)."""
    out: dict[str, float] = {}
    out["read"], table = timed(lambda: read_table(path), repeat)
    out["check"], cohort = timed(lambda: cohort_from_table(table, plan), repeat)
    out["score"], results = timed(lambda: score_cohort(fw, cohort), repeat)

    def write() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            write_ranking(results)

    out["write CSV"], _ = timed(write, repeat)
    out["total"] = sum(out.values())
    return out


def whole_process(args: list[str], repeat: int) -> float:
    def run() -> None:
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    return timed(run, repeat)[0]


def verdict(measured: float, goal: float) -> str:
    return "met" if measured <= goal else "NOT met"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=10_600)
    ap.add_argument("--groups", type=int, default=0, help="ranking groups (0 = one cohort)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (the median is printed)")
    ap.add_argument("--no-cli", action="store_true", help="skip the whole-process timings")
    args = ap.parse_args()

    fw = Catalog([FRAMEWORKS]).load("vinh-long-2554-province").framework
    assert isinstance(fw, DtiFramework)
    plan = plan_for(fw)
    cohort = synthetic(plan, args.units, args.groups, np.random.default_rng(2554))
    score_cohort(fw, synthetic(plan, 50, args.groups, np.random.default_rng(1)))  # warm-up

    elapsed, results = timed(lambda: score_cohort(fw, cohort), args.repeat)
    tracemalloc.start()
    score_cohort(fw, cohort)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    top = results.order()[0]
    print(f"framework          {fw.ref}: {len(fw.criteria)} criteria, {len(cohort.columns)} input columns")
    print(
        f"units              {cohort.n:,}" + (f" in {args.groups} ranking groups" if args.groups else " (one cohort)")
    )
    print(f"repeats            {args.repeat} (medians)")
    print("1. in memory")
    print(f"   score + rank    {elapsed:.3f} s, {cohort.n / elapsed:,.0f} units/s")
    print(f"   peak memory     {peak / 2**20:.1f} MiB (tracemalloc, scoring run)")
    print(f"   best unit       {results.units[top]}: {results.total[top]:.2f} / {results.max_total[top]:.0f}")

    with tempfile.TemporaryDirectory() as tmp:
        files: dict[int, Path] = {}
        for n in sorted({max(args.units // 4, 1), args.units, args.units * 2}):
            files[n] = Path(tmp) / f"cohort-{n}.csv"
            write_csv(plan, synthetic(plan, n, args.groups, np.random.default_rng(n)), files[n])
        path = files[args.units]
        size = path.stat().st_size / 2**20
        stages = file_to_csv(fw, plan, path, args.repeat)
        base, _ = timed(lambda: plain_read(path), args.repeat)
        print(f"2. file → CSV in one process ({size:.1f} MiB file)")
        for name, t in stages.items():
            print(f"   {name:<15} {t:.3f} s")
        print(f"   baseline        {base:.3f} s (csv module + float() of every cell, no checks)")
        print(f"   ratio           {stages['total'] / base:.2f} × the plain read")
        sizes = sorted(files)
        totals = {n: file_to_csv(fw, plan, files[n], args.repeat)["total"] for n in sizes}
        exponent = math.log(totals[sizes[-1]] / totals[sizes[0]]) / math.log(sizes[-1] / sizes[0])
        print("3. scaling, file → CSV")
        for n in sizes:
            print(f"   {n:>7,} units   {totals[n]:.3f} s")
        print(f"   exponent        {exponent:.2f} (1 = linear in the cohort, 2 = quadratic)")
        exe = shutil.which("certify")
        if args.no_cli or exe is None:
            print("4. whole processes: skipped" + ("" if args.no_cli else " (no `certify` on PATH)"))
            return
        startup = whole_process([exe, "score", "--help"], args.repeat)
        whole = whole_process([exe, "score", str(path), "-f", str(fw.id), "--csv"], args.repeat)
        beyond = whole - startup
        print("4. whole processes")
        print(f"   start-up        {startup:.3f} s (`certify score --help`)")
        print(f"   score --csv     {whole:.3f} s ({args.units:,} units)")
        print(
            f"   beyond start-up {beyond:.3f} s — goal ≤ {GOAL_BEYOND_STARTUP} s for 10,600 units: "
            + (verdict(beyond, GOAL_BEYOND_STARTUP) if args.units == 10_600 else "not judged at this size")
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Benchmark: score and rank 10,600 synthetic units on the Vĩnh Long DTI framework.

    python bench/dti_bench.py [--units 10600] [--groups 0] [--csv]

Every unit gets data for all 104 criteria (ratios as the decision's variables a, b, …), some
units lack online public services (peer maximum) or list an irrelevant criterion, and the
min–max / best-unit criteria are normalised over the whole cohort (or per group with
--groups N). Prints the time for the cohort (score + rank), units per second and the peak
memory traced by tracemalloc (measured in a second, separate run: tracing slows allocation).
With --csv the same cohort is also written to a CSV file and read back through the validating
reader, whose time is reported apart. Target: the cohort in under 0.5 s. No assertion here.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from certify.catalog import Catalog
from certify.dti.cohort import Cohort, read_cohort
from certify.dti.methods import Compiled, InputKind
from certify.dti.methods.measure import Measured, RatioExpr, parse_ratio
from certify.dti.model import DtiFramework
from certify.dti.plan import Plan, plan_for
from certify.dti.scoring import score_cohort

FRAMEWORKS = Path(__file__).resolve().parents[1] / "frameworks"


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=10_600)
    ap.add_argument("--groups", type=int, default=0, help="ranking groups (0 = one cohort)")
    ap.add_argument("--csv", action="store_true", help="also time writing and reading back a CSV file")
    args = ap.parse_args()

    fw = Catalog([FRAMEWORKS]).load("vinh-long-2554-province").framework
    assert isinstance(fw, DtiFramework)
    plan = plan_for(fw)
    cohort = synthetic(plan, args.units, args.groups, np.random.default_rng(2554))
    score_cohort(fw, synthetic(plan, 50, args.groups, np.random.default_rng(1)))  # warm-up

    t0 = time.perf_counter()
    results = score_cohort(fw, cohort)
    elapsed = time.perf_counter() - t0

    tracemalloc.start()
    score_cohort(fw, cohort)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    top = results.order()[0]
    print(f"framework        {fw.ref}: {len(fw.criteria)} criteria, {len(cohort.columns)} input columns")
    print(f"units            {cohort.n:,}" + (f" in {args.groups} ranking groups" if args.groups else " (one cohort)"))
    print(f"cohort time      {elapsed:.3f} s (score every criterion, special rules, indices, ranks)")
    print(f"units per second {cohort.n / elapsed:,.0f}")
    print(f"peak memory      {peak / 2**20:.1f} MiB (tracemalloc, scoring run)")
    print(f"best unit        {results.units[top]}: {results.total[top]:.2f} / {results.max_total[top]:.0f}")
    if args.csv:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "cohort.csv"
            write_csv(plan, cohort, path)
            t0 = time.perf_counter()
            read_cohort(path, plan)
            read = time.perf_counter() - t0
            size = path.stat().st_size / 2**20
            print(f"CSV read+check   {read:.3f} s ({size:.1f} MiB file, not part of the cohort time)")


if __name__ == "__main__":
    main()

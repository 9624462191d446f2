"""Certify a synthetic nation-scale cohort and build its gap reports.

10,600 units on both tiers (about the pre-2025 count of communes plus the districts), values
drawn around each framework's thresholds so that every level occurs. Prints units per second,
peak memory, and the ratio against a plain per-unit, per-criterion Python loop.

    python bench/certify_bench.py [--units 10600] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from certify.catalog import Resolved, default_catalog
from certify.levels.assessment import Assessment, BoundAssessment, bind
from certify.levels.evaluate import evaluate_many
from certify.levels.gap import gap_report
from certify.levels.model import IndicatorType, LevelFramework

T = TypeVar("T")
TIERS = {"sample-2361-commune": 0.94, "sample-2361-district": 0.06}  # share of the cohort


def synthetic_values(fw: LevelFramework, rng: random.Random) -> dict[str, Any]:
    skill = rng.random()  # a unit's overall maturity drives all its indicators, as in real data
    values: dict[str, Any] = {}
    for crit in fw.criteria:
        assert crit.indicator is not None
        if rng.random() < 0.03:
            continue  # missing data
        thresholds = [float(r.threshold) for r in crit.requirements.values() if r.threshold is not None]
        top = max(thresholds)
        level = min(1.0, max(0.0, rng.gauss(skill, 0.15)))
        kind = crit.indicator.type
        if kind is IndicatorType.BOOLEAN:
            values[crit.code] = level > 0.3
        elif kind is IndicatorType.RATIO:
            den = rng.randint(20, 2000)
            values[crit.code] = {"numerator": round(level * den), "denominator": den}
        elif kind is IndicatorType.COUNT:
            values[crit.code] = round(level * top * 1.2)
        elif crit.indicator.direction == "lower":
            values[crit.code] = round(top * (2 - 1.5 * level), 2)
        else:
            values[crit.code] = round(level * top * 1.2, 2)
    return values


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def plain_loop(fw: LevelFramework, units: list[BoundAssessment]) -> list[tuple[str | None, list[str]]]:
    """The obvious implementation: per unit, per level, per criterion, in Python."""
    out = []
    for unit in units:
        level = None
        blocking: list[str] = []
        for lv in fw.level_ids:
            unmet = []
            for crit in fw.criteria:
                req = crit.requirements.get(lv)
                if req is None:
                    continue
                m = unit.measurements.get(crit.code)
                t = float(req.threshold)  # type: ignore[arg-type]
                assert crit.indicator is not None
                lower = crit.indicator.direction == "lower"
                if m is None or m.value is None or (m.value > t if lower else m.value < t):
                    unmet.append(crit.code)
            if unmet:
                blocking = unmet
                break
            level = lv
        out.append((level, blocking))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=10_600)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    catalog = default_catalog()
    cohorts: list[tuple[Resolved, list[dict[str, Any]]]] = []
    for ref, share in TIERS.items():
        resolved = catalog.load(ref)
        fw = resolved.framework
        assert isinstance(fw, LevelFramework)
        n = round(args.units * share)
        raw = [
            {"unit": f"{ref[:6]}-{i:05d}", "tier": fw.tier.value, "year": 2025, "framework": ref,
             "values": synthetic_values(fw, rng)}
            for i in range(n)
        ]
        cohorts.append((resolved, raw))

    def intake() -> list[list[BoundAssessment]]:
        return [[bind(r.framework, Assessment.model_validate(d)) for d in raw]  # type: ignore[arg-type]
                for r, raw in cohorts]

    tracemalloc.start()
    bound, t_intake = timed(intake)

    def certify_and_gap() -> list[Any]:
        reports = []
        for (resolved, _), units in zip(cohorts, bound, strict=True):
            reports += [gap_report(ev) for ev in evaluate_many(resolved, units)]
        return reports

    reports, t_core = timed(certify_and_gap)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    def loop_all() -> list[Any]:
        out = []
        for (resolved, _), units in zip(cohorts, bound, strict=True):
            out += plain_loop(resolved.framework, units)  # type: ignore[arg-type]
        return out

    loop, t_loop = timed(loop_all)
    agree = all(r.evaluation.level == lv for r, (lv, _) in zip(reports, loop, strict=True))
    total = sum(len(u) for u in bound)
    items = sum(len(r.next_level.items) for r in reports if r.next_level)
    levels = Counter(r.evaluation.level or "none" for r in reports)
    per_framework = ", ".join(f"{r.framework.id}: {len(u)}" for (r, _), u in zip(cohorts, bound, strict=True))
    print(f"units: {total} ({per_framework})")
    print(f"levels: {dict(sorted(levels.items()))}")
    print(f"gap items to the next level: {items}")
    print(f"intake (validate values):   {t_intake:.3f} s  ({total / t_intake:,.0f} units/s)")
    print(f"certify + gap reports:      {t_core:.3f} s  ({total / t_core:,.0f} units/s)  target < 1 s")
    print(f"plain Python loop (levels): {t_loop:.3f} s  ({total / t_loop:,.0f} units/s)")
    print(f"ratio plain loop / engine:  {t_loop / t_core:.2f}x   (same levels: {agree})")
    print(f"peak memory (tracemalloc):  {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()

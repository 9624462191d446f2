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
    """A unit's maturity is a position on the level scale; each indicator sits near the
    requirement at that position (with noise), so every level occurs in the cohort."""
    position = rng.uniform(-0.5, len(fw.levels) + 0.3)
    gaps_in_data = rng.random() < 0.1  # one unit in ten leaves a criterion or two without data
    values: dict[str, Any] = {}
    for crit in fw.criteria:
        assert crit.indicator is not None
        if gaps_in_data and rng.random() < 0.05:
            continue
        p = position + rng.gauss(0, 0.35)
        kind = crit.indicator.type
        steps = [
            float(crit.requirements[lv].threshold) if lv in crit.requirements else None  # type: ignore[arg-type]
            for lv in fw.level_ids
        ]
        known = [t for t in steps if t is not None]
        first = next(i for i, t in enumerate(steps) if t is not None)
        if kind is IndicatorType.BOOLEAN:
            values[crit.code] = p >= first
            continue
        lower = crit.indicator.direction == "lower"
        floor = known[0] * (2 if lower else 0.5)
        ladder = [floor, *known, known[-1] * (0.8 if lower else 1.05)]
        i = min(max(p - first + 1, 0), len(ladder) - 1)
        lo = int(i)
        hi = min(lo + 1, len(ladder) - 1)
        value = ladder[lo] + (ladder[hi] - ladder[lo]) * (i - lo)
        if kind is IndicatorType.RATIO:
            den = rng.randint(20, 2000)
            values[crit.code] = {"numerator": min(den, round(min(value, 1.0) * den)), "denominator": den}
        elif kind is IndicatorType.COUNT:
            values[crit.code] = round(value)
        else:
            values[crit.code] = round(value, 2)
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
            {
                "unit": f"{ref[:6]}-{i:05d}",
                "tier": fw.tier.value,
                "year": 2025,
                "framework": ref,
                "values": synthetic_values(fw, rng),
            }
            for i in range(n)
        ]
        cohorts.append((resolved, raw))

    def intake() -> list[list[BoundAssessment]]:
        return [
            [bind(r.framework, Assessment.model_validate(d)) for d in raw]  # type: ignore[arg-type]
            for r, raw in cohorts
        ]

    bound, t_intake = timed(intake)

    def certify_and_gap() -> list[Any]:
        reports = []
        for (resolved, _), units in zip(cohorts, bound, strict=True):
            reports += [gap_report(ev) for ev in evaluate_many(resolved, units)]
        return reports

    def certify_only() -> list[Any]:
        return [
            ev for (resolved, _), units in zip(cohorts, bound, strict=True) for ev in evaluate_many(resolved, units)
        ]

    certify_and_gap()  # warm caches (compiled arrays, plan order), as a running service would have
    _, t_certify = timed(certify_only)
    reports, t_core = timed(certify_and_gap)
    # Memory is measured on a separate run: tracing allocations slows everything down several times.
    tracemalloc.start()
    certify_and_gap()
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
    print(f"certify (levels, all verdicts): {t_certify:.3f} s  ({total / t_certify:,.0f} units/s)")
    print(f"certify + gap reports:      {t_core:.3f} s  ({total / t_core:,.0f} units/s)  target < 1 s")
    print(f"plain Python loop (levels): {t_loop:.3f} s  ({total / t_loop:,.0f} units/s)")
    print(f"ratio plain loop / engine (certify): {t_loop / t_certify:.1f}x   (same levels: {agree})")
    print(f"peak memory (tracemalloc):  {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()

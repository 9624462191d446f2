"""Certify a nation-scale cohort the way a user does, stage by stage, beside a fair plain loop and a spreadsheet.

    python bench/certify_bench.py [--units 10600] [--repeat 3] [--seed 1] [--scaling] [--no-soffice] [--no-whole]

10,600 units on both tiers (the pre-2025 communes plus the districts; 94 % commune, 6 % district), values
drawn around each sample framework's thresholds so that every level occurs, written as the YAML assessment
files a province receives. Printed, each the median of --repeat runs, in one run:

1. in this process, stage by stage: reading the files (libyaml), intake (every value checked, as for
   `certify evaluate FILE`), levels (every verdict at every level), the FULL gap content (every field of
   every unit's `certify gap --format json`: items to the next level and on to the target, their texts, counts,
   prerequisites, year and quarter — computed for the cohort at once by `certify.levels.gap_table`), the same
   content as one JSON-ready dict per unit, and a fair plain-Python loop giving the same verdicts and levels
   from the same checked values, with the framework's thresholds hoisted out of the loops;
2. whole processes, file → levels: this tool on the folder of files (the library path, and the command a
   user runs: `certify evaluate --batch FOLDER -o levels.csv`), and LibreOffice Calc recalculating the
   same cohort headless (a workbook with one row per unit and one formula per level), when `soffice` is
   installed; their wall time and peak RSS (each process's own, from the kernel);
   then the one-file cohort (all --units units of sample-2361-commune, as one province sheet saved as CSV, a ratio
   as its value): `certify evaluate --batch cohort.csv --framework … -o levels.csv` beside LibreOffice Calc
   recalculating a workbook of the same units (values and a formula per level and unit) and Calc merely opening
   the same CSV and saving it (the same bytes read, nothing computed: a floor); wall and CPU time (user + system,
   children included) and peak RSS; the goal (≥ 20× LibreOffice) is read on the recalculation, by wall time;
3. with --scaling: levels and levels + gap content at ¼, 1 and 4 × the cohort, the exponent of N, and the
   memory per unit (peak RSS of child processes at two sizes) up to 100,000 units.

Each goal of issue 13 is printed with its measured figure and «met» only when the figure meets it. The load
average is printed: on a shared machine figures grow with the load. No assertion; tests never time anything.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spreadsheet import calc_levels, calc_reads_csv, soffice

from certify.catalog import Resolved, default_catalog
from certify.intake.province_csv import sheet_text
from certify.levels.assessment import BoundCohort, CohortBinder, Intake, bind_cohort
from certify.levels.evaluate import CohortEvaluation, evaluate_many
from certify.levels.gap_table import GapTable
from certify.levels.model import IndicatorType, LevelFramework
from certify.sourcefile import SourceDoc, read_file

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]  # `python -m certify` runs this checkout's code
CSV_FRAMEWORK = "sample-2361-commune"  # a province sheet holds the units of one framework
TIERS = {"sample-2361-commune": 0.94, "sample-2361-district": 0.06}  # share of the cohort
GOAL_PLAIN = 20.0  # levels ≥ 20 × the fair plain loop
GOAL_CALC = 20.0  # file → levels ≥ 20 × LibreOffice, whole processes
GOAL_GAP = 2.0  # s, certify + full gap content of 10,600 units
GOAL_INTAKE = 0.5  # s, intake of 10,600 assessments (every value checked)
GOAL_UNITS = 10_600
GOAL_MEMORY = 500.0  # MB, 100,000 units
MET, NOT_MET = "met", "NOT met"


def verdict(ok: bool) -> str:
    return MET if ok else NOT_MET


# --------------------------------------------------------------------------------------------------------------
# The cohort


def synthetic_values(fw: LevelFramework, rng: random.Random) -> dict[str, Any]:
    """A unit's maturity is a position on the level scale; each indicator sits near the requirement at that
    position (with noise), so every level occurs in the cohort."""
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


def records(units: int, seed: int) -> Iterator[tuple[Resolved, dict[str, Any]]]:
    """The cohort's assessments, one at a time (framework, the record as its file holds it)."""
    rng = random.Random(seed)
    catalog = default_catalog()
    for ref, share in TIERS.items():
        resolved = catalog.load(ref)
        fw = resolved.framework
        assert isinstance(fw, LevelFramework)
        for i in range(round(units * share)):
            yield (
                resolved,
                {
                    "unit": f"{'X' if fw.tier.value == 'commune' else 'H'}{i:06d}",
                    "unit_name": f"Đơn vị thử {i}",
                    "tier": fw.tier.value,
                    "year": 2025,
                    "framework": ref,
                    "values": synthetic_values(fw, rng),
                },
            )


def write_files(folder: Path, units: int, seed: int) -> dict[str, list[Path]]:
    """One YAML file per unit, as a province receives them; grouped by framework."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    out: dict[str, list[Path]] = {}
    for resolved, record in records(units, seed):
        path = folder / f"{record['unit']}.yaml"
        path.write_text(yaml.dump(record, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
        out.setdefault(resolved.framework.ref, []).append(path)
    return out


def write_sheet(folder: Path, units: int, seed: int) -> tuple[Path, dict[str, list[Path]]]:
    """The cohort as one province sheet of sample-2361-commune saved as CSV (what Excel's «CSV UTF-8» writes of the
    sheet of `certify template`: one row per unit, one value per criterion, a ratio as its value), and the same
    units as YAML files (for the spreadsheet's workbook, which is written from files)."""
    rng = random.Random(seed)
    resolved = default_catalog().load(CSV_FRAMEWORK)
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    rows: list[tuple[str, str | None, dict[str, Any]]] = []
    paths: list[Path] = []
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    (folder / "files").mkdir()
    for i in range(units):
        values = {
            code: raw["numerator"] / raw["denominator"] if isinstance(raw, dict) else raw
            for code, raw in synthetic_values(fw, rng).items()
        }
        code, name = f"X{i:06d}", f"Đơn vị thử {i}"
        rows.append((code, name, values))
        record = {"unit": code, "unit_name": name, "tier": fw.tier.value, "year": 2025, "framework": fw.ref}
        path = folder / "files" / f"{code}.yaml"
        path.write_text(yaml.dump(record | {"values": values}, Dumper=dumper, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    sheet = folder / "cohort.csv"
    sheet.write_text(sheet_text(fw, rows, 2025), encoding="utf-8")
    return sheet, {fw.ref: paths}


# --------------------------------------------------------------------------------------------------------------
# The stages a user's command goes through


def read_stage(paths: Sequence[Path]) -> list[Any]:
    return [read_file(p) for p in paths]


def intake_stage(resolved: Resolved, docs: Sequence[SourceDoc]) -> BoundCohort:
    """The parsed files checked, every value, as `certify evaluate` checks them: bound into the cohort's arrays."""
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    bound = bind_cohort(fw, [Intake(d.data, d) for d in docs])
    if bound.refused:
        raise SystemExit(f"the cohort was refused: {bound.problems()[:3]}")
    return bound.cohort


def levels_stage(resolved: Resolved, cohort: BoundCohort) -> CohortEvaluation:
    return evaluate_many(resolved, cohort)


def gap_stage(evaluations: CohortEvaluation) -> GapTable:
    return GapTable.of(evaluations)


# --------------------------------------------------------------------------------------------------------------
# The fair plain loop: the same verdicts and levels from the same checked values, thresholds hoisted


MET_, NOT_MET_, MISSING_ = 0, 1, 2


def hoisted(fw: LevelFramework) -> list[list[tuple[str, float, bool]]]:
    """Per level, (criterion, threshold, lower is better) of the criteria that apply there: read once."""
    out = []
    for lv in fw.level_ids:
        reqs = []
        for crit in fw.criteria:
            req = crit.requirements.get(lv)
            if req is not None and req.threshold is not None:
                assert crit.indicator is not None
                reqs.append((crit.code, float(req.threshold), crit.indicator.direction == "lower"))
        out.append(reqs)
    return out


def plain_loop(plan: list[list[tuple[str, float, bool]]], rows: Sequence[dict[str, float]]) -> list[int]:
    """Every verdict at every level and the level (consecutive, 100 % rule), one unit at a time."""
    levels = []
    for values in rows:
        level, climbing = -1, True
        verdicts = []
        for li, reqs in enumerate(plan):
            held = True
            row = []
            for code, t, lower in reqs:
                v = values.get(code)
                if v is None:
                    row.append(MISSING_)
                    held = False
                elif v <= t if lower else v >= t:
                    row.append(MET_)
                else:
                    row.append(NOT_MET_)
                    held = False
            verdicts.append(row)
            if held and climbing:
                level = li
            else:
                climbing = False
        levels.append(level)
    return levels


# --------------------------------------------------------------------------------------------------------------
# Measuring


def median_time(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    times: list[float] = []
    result: T
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measured_cpu(cmd: Sequence[str], repeat: int) -> tuple[float, float, float, str]:
    """Median wall seconds, median CPU seconds (user + system, the process and its children) and peak RSS (MiB) of
    `repeat` runs of `cmd`, each in its own wrapper process, and the last run's output."""
    walls, cpus, peaks = [], [], []
    out = ""
    for _ in range(repeat):
        wrapper = [sys.executable, __file__, "--child", "rusage", "--", *cmd]
        proc = subprocess.run(wrapper, capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
        stats = json.loads(proc.stdout.splitlines()[-1])
        walls.append(stats["wall"])
        cpus.append(stats["cpu"])
        peaks.append(stats["rss_mb"])
        out = stats["stdout"]
    return statistics.median(walls), statistics.median(cpus), max(peaks), out


def measured(cmd: Sequence[str], repeat: int) -> tuple[float, float, str]:
    """Median wall seconds and peak RSS (MiB) of `repeat` runs of `cmd`, each in its own wrapper process."""
    wall, _, rss, out = measured_cpu(cmd, repeat)
    return wall, rss, out


def child_rusage(cmd: list[str]) -> None:
    """Run `cmd`; print its wall time, its own peak RSS and its output as one JSON line."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(err.decode("utf-8", "replace"))
        raise SystemExit(proc.returncode)
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the only child of this process
    text = out.decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": usage.ru_maxrss / 1024, "stdout": text[-4000:]}))


def child_certify(folder: str) -> None:
    """File → levels in one process, the library path a batch command takes: read each file, bind it into its
    framework's cohort (a chunk of files at a time), evaluate each cohort at once, write."""
    from certify.catalog import default_catalog
    from certify.levels.intake import load_units

    cohorts, problems = load_units(sorted(Path(folder).glob("*.yaml")), default_catalog())
    if problems:
        raise SystemExit(f"refused: {problems[:3]}")
    lines = ["unit,level"]
    for c in cohorts:
        evaluations = evaluate_many(c.resolved, c.cohort)
        ids = c.resolved.framework.level_ids  # type: ignore[attr-defined]
        for unit, li in zip(c.cohort.unit_codes(), evaluations.level_index.tolist(), strict=True):
            lines.append(f"{unit},{ids[li] if li >= 0 else ''}")
    sys.stdout.write("\n".join(lines) + "\n")


def bound_cohort(units: int, seed: int) -> list[tuple[Resolved, BoundCohort]]:
    """The cohort checked, generated one record at a time and bound a chunk at a time (only what certification
    keeps is held: the cohort's arrays)."""
    groups: dict[str, tuple[Resolved, CohortBinder]] = {}
    for resolved, record in records(units, seed):
        fw = resolved.framework
        assert isinstance(fw, LevelFramework)
        groups.setdefault(fw.ref, (resolved, CohortBinder(fw)))[1].add(Intake(record))
    return [(resolved, binder.finish().cohort) for resolved, binder in groups.values()]


def evaluate_all(groups: list[tuple[Resolved, BoundCohort]]) -> list[CohortEvaluation]:
    return [evaluate_many(r, b) for r, b in groups]


def gap_all(evaluations: list[CohortEvaluation]) -> list[GapTable]:
    return [GapTable.of(e) for e in evaluations]


def child_memory(units: int, seed: int, with_gap: bool) -> None:
    """Certify `units` generated one at a time (nothing held but what certification keeps); print the levels."""
    groups = bound_cohort(units, seed)
    held = 0
    for resolved, cohort in groups:
        evaluations = evaluate_many(resolved, cohort)
        held += int((evaluations.level_index >= 0).sum())
        if with_gap:
            GapTable.of(evaluations)
    print(held)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """What is running now, on a terminal (nothing in a log)."""
    shown = sys.stderr.isatty()
    if shown:
        print(f"  … {name}", end="\r", file=sys.stderr, flush=True)
    yield
    if shown:
        print(" " * 60, end="\r", file=sys.stderr, flush=True)


def load_text() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def exponent(sizes: Sequence[int], seconds: Sequence[float]) -> float:
    xs, ys = [math.log(n) for n in sizes], [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


# --------------------------------------------------------------------------------------------------------------


def in_process(files: dict[str, list[Path]], repeat: int) -> dict[str, Any]:
    catalog = default_catalog()
    resolved = {ref: catalog.load(ref) for ref in files}
    out: dict[str, Any] = {"units": sum(len(p) for p in files.values())}
    t = out["time"] = {}
    with stage("reading"):
        t["read"], docs = median_time(lambda: {ref: read_stage(p) for ref, p in files.items()}, repeat)
    with stage("intake"):
        t["intake"], bound = median_time(
            lambda: {ref: intake_stage(resolved[ref], d) for ref, d in docs.items()}, repeat
        )
    with stage("levels"):
        t["levels"], evaluations = median_time(
            lambda: {ref: levels_stage(resolved[ref], b) for ref, b in bound.items()}, repeat
        )
    with stage("gap content"):
        t["gap"], tables = median_time(lambda: {ref: gap_stage(e) for ref, e in evaluations.items()}, repeat)
    with stage("gap dicts"):
        t["dicts"], reports = median_time(lambda: [r for tb in tables.values() for r in tb.reports()], repeat)
    out["json_mb"] = sum(len(json.dumps(r, ensure_ascii=False, default=str)) for r in reports[:500]) / 500
    out["json_mb"] *= out["units"] / 2**20
    del reports
    rows = {ref: [{c: m.value for c, m in u.measurements.items()} for u in b] for ref, b in bound.items()}
    plans = {ref: hoisted(r.framework) for ref, r in resolved.items()}  # type: ignore[arg-type]
    with stage("plain loop"):
        t["plain"], loop = median_time(lambda: {ref: plain_loop(plans[ref], rows[ref]) for ref in rows}, repeat)
    out["agree"] = all(evaluations[ref].level_index.tolist() == loop[ref] for ref in evaluations)
    out["items"] = sum(len(tb.unit) for tb in tables.values())
    out["levels"] = {
        ref: [int((evs.level_index == i).sum()) for i in range(-1, len(resolved[ref].framework.levels))]  # type: ignore[attr-defined]
        for ref, evs in evaluations.items()
    }
    import resource

    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=10_600)
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (the median is printed)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scaling", action="store_true", help="also time ¼, 1 and 4 × the cohort and memory per unit")
    ap.add_argument("--no-soffice", action="store_true", help="skip LibreOffice even when installed")
    ap.add_argument("--no-whole", action="store_true", help="skip the whole processes (in this process only)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind = args.child[0]
        if kind == "rusage":
            child_rusage(args.rest)
        elif kind == "certify":
            child_certify(args.child[1])
        elif kind == "memory":
            child_memory(int(args.child[1]), args.seed, args.child[2] == "gap")
        return

    print(f"certify_bench: {args.units:,} units, medians of {args.repeat}, {os.cpu_count()} cores")
    print(f"load average at start: {load_text()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "assessments"
        folder.mkdir()
        with stage("writing the files"):
            files = write_files(folder, args.units, args.seed)
        report_in_process(in_process(files, args.repeat), files)
        if not args.no_whole:
            report_whole(folder, files, args)
    if not args.no_whole:
        report_sheet(args)
    if args.scaling:
        report_scaling(args)
    print(f"load average at end: {load_text()}")


def report_in_process(r: dict[str, Any], files: dict[str, list[Path]]) -> None:
    t = r["time"]
    n = r["units"]
    parts = ", ".join(f"{ref}: {len(p):,}" for ref, p in files.items())
    print(f"\nunits: {n:,} ({parts}); units per level (none first): {r['levels']}")
    print(f"gap items on the roadmaps: {r['items']:,}; their JSON ≈ {r['json_mb']:,.0f} MiB")
    print(f"\n{'stage (in this process)':<52} {'seconds':>8} {'units/s':>10}")
    rows = [
        ("read the YAML files (libyaml)", t["read"]),
        ("intake: every value checked", t["intake"]),
        ("levels: every verdict at every level", t["levels"]),
        ("full gap content (every field, cohort at once)", t["gap"]),
        ("  the same as one JSON-ready dict per unit", t["dicts"]),
        ("fair plain loop: same verdicts, thresholds hoisted", t["plain"]),
    ]
    for name, secs in rows:
        print(f"{name:<52} {secs:8.3f} {n / secs:10,.0f}")
    ratio = t["plain"] / t["levels"]
    core = t["levels"] + t["gap"]
    print(f"\nplain loop / levels: {ratio:.1f}×  (same levels: {r['agree']})")
    print(f"goal levels ≥ {GOAL_PLAIN:.0f}× the fair plain loop: {ratio:.1f}× — {verdict(ratio >= GOAL_PLAIN)}")
    at_goal_size = n >= GOAL_UNITS  # the goals are for 10,600 units: a smaller cohort says nothing of them
    intake_verdict = (
        verdict(t["intake"] <= GOAL_INTAKE) if at_goal_size else f"not measured (goal is for {GOAL_UNITS:,} units)"
    )
    print(f"goal intake of {GOAL_UNITS:,} assessments ≤ {GOAL_INTAKE} s: {t['intake']:.2f} s — {intake_verdict}")
    gap_verdict = verdict(core <= GOAL_GAP) if at_goal_size else f"not measured (goal is for {GOAL_UNITS:,} units)"
    print(f"goal certify + full gap content ≤ {GOAL_GAP:.0f} s: {core:.2f} s — {gap_verdict}")
    print(f"(with one dict per unit as well: {core + t['dicts']:.2f} s)")
    print(f"peak RSS of this process (files, inputs, evaluations and gap content held): {r['rss_mb']:,.0f} MiB")


def report_whole(folder: Path, files: dict[str, list[Path]], args: argparse.Namespace) -> None:
    print(f"\n{'whole process, file → levels':<52} {'wall s':>8} {'peak RSS':>10}")
    ours_cmd = [sys.executable, __file__, "--child", "certify", str(folder)]
    ours, ours_rss, ours_out = measured(ours_cmd, args.repeat)
    print(f"{'this tool (one process, the library path)':<52} {ours:8.2f} {ours_rss:8,.0f} MiB")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "levels.csv"
        batch_cmd = [sys.executable, "-m", "certify", "evaluate", "--batch", str(folder), "-o", str(out), "--force"]
        batch, batch_rss, _ = measured(batch_cmd, args.repeat)
    label = "certify evaluate --batch FOLDER -o levels.csv"
    print(f"{label:<52} {batch:8.2f} {batch_rss:8,.0f} MiB  (with each unit's gap to the next level)")
    office = None if args.no_soffice else soffice()
    if office is None:
        print("LibreOffice Calc: not installed (apt install libreoffice-calc) — no spreadsheet figure")
        return
    ours_levels = dict(line.split(",") for line in ours_out.strip().splitlines()[1:]) if ours_out else {}
    with tempfile.TemporaryDirectory() as tmp:
        calc, _, calc_rss, agree = calc_levels(office, files, Path(tmp), args.repeat, measured_cpu, ours_levels)
    print(f"{'LibreOffice Calc, headless recalculation':<52} {calc:8.2f} {calc_rss:8,.0f} MiB  (same levels: {agree})")
    ratio = calc / ours
    print(f"file → levels, folder of files: {ratio:.1f}× LibreOffice (the goal is read on the one-file cohort below)")


def report_sheet(args: argparse.Namespace) -> None:
    """The one-file cohort side by side, whole processes: the province sheet saved as CSV through the command a
    user runs, and LibreOffice Calc on the same units."""
    n = args.units
    print(f"\n{'whole process, one-file cohort (' + CSV_FRAMEWORK + f', {n:,} units)':<52} {'wall s':>8} {'CPU s':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with stage("writing the province sheet"):
            sheet, files = write_sheet(folder, n, args.seed)
        out = folder / "levels.csv"
        cmd = [sys.executable, "-m", "certify", "evaluate", "--batch", str(sheet), "--framework", CSV_FRAMEWORK]
        cmd += ["-o", str(out), "--force"]
        wall, cpu, rss, _ = measured_cpu(cmd, args.repeat)
        with out.open(encoding="utf-8", newline="") as f:
            ours = {row["unit"]: row["level"] for row in csv.DictReader(f)}
        size = sheet.stat().st_size / 2**20
        label = "certify evaluate --batch cohort.csv -o levels.csv"
        print(f"{label:<52} {wall:8.2f} {cpu:8.2f}  peak RSS {rss:,.0f} MiB")
        print(
            f"  reads the sheet ({size:.1f} MiB), checks every cell, certifies every unit, writes each one's level,"
            " next level and criteria missing for it"
        )
        office = None if args.no_soffice else soffice()
        if office is None:
            print(
                "LibreOffice Calc: not installed (apt install libreoffice-calc) — no spreadsheet figure;"
                " goal not measured"
            )
            return
        calc, calc_cpu, calc_rss, agree = calc_levels(office, files, folder / "calc", args.repeat, measured_cpu, ours)
        label = "LibreOffice Calc, headless recalculation"
        print(f"{label:<52} {calc:8.2f} {calc_cpu:8.2f}  peak RSS {calc_rss:,.0f} MiB")
        print(
            "  opens a workbook of the same units (their values, a formula per level and unit), computes every formula,"
            f" writes the sheet as CSV (same levels: {agree})"
        )
        read, read_cpu, read_rss = calc_reads_csv(office, sheet, folder / "calc-csv", args.repeat, measured_cpu)
        label = "LibreOffice Calc, the same CSV opened and saved"
        print(f"{label:<52} {read:8.2f} {read_cpu:8.2f}  peak RSS {read_rss:,.0f} MiB")
        print(
            "  reads the very file this tool reads and writes it back: no check, no level (a floor for any Calc work)"
        )
    ratio = calc / wall
    floor = read / wall
    print(f"ratio, wall: {ratio:.1f}× LibreOffice recalculating ({floor:.1f}× LibreOffice only reading the same CSV)")
    print(f"ratio, CPU: {calc_cpu / cpu:.1f}× LibreOffice recalculating ({read_cpu / cpu:.1f}× only reading)")
    at_goal_size = n >= GOAL_UNITS
    shown = verdict(ratio >= GOAL_CALC) if at_goal_size else f"not measured (goal is for {GOAL_UNITS:,} units)"
    print(f"goal file → levels ≥ {GOAL_CALC:.0f}× LibreOffice, whole processes: {ratio:.1f}× — {shown}")


def report_scaling(args: argparse.Namespace) -> None:
    sizes = [args.units // 4, args.units, args.units * 4]
    print(f"\n{'scaling (in this process)':<28} " + " ".join(f"{n:>10,}" for n in sizes) + "   exponent")
    lv, lg = [], []
    for n in sizes:
        groups = bound_cohort(n, args.seed)
        t_levels, evs = median_time(partial(evaluate_all, groups), args.repeat)
        t_gap, _ = median_time(partial(gap_all, evs), args.repeat)
        lv.append(t_levels)
        lg.append(t_levels + t_gap)
    print(f"{'levels (s)':<28} " + " ".join(f"{x:10.3f}" for x in lv) + f"   N^{exponent(sizes, lv):.2f}")
    print(f"{'levels + gap content (s)':<28} " + " ".join(f"{x:10.3f}" for x in lg) + f"   N^{exponent(sizes, lg):.2f}")
    small, big = 10_000, 100_000
    peaks = {}
    for n in (small, big):
        cmd = [sys.executable, __file__, "--child", "memory", str(n), "levels", "--seed", str(args.seed)]
        _, peaks[n], _ = measured(cmd, 1)
    per_unit = (peaks[big] - peaks[small]) * 2**20 / (big - small)
    print(f"peak RSS, certify {small:,} units: {peaks[small]:,.0f} MiB; {big:,} units: {peaks[big]:,.0f} MiB")
    print(f"memory per unit held: {per_unit / 1024:.1f} KiB (a million units ≈ {per_unit * 1e6 / 2**30:.1f} GiB)")
    mb = peaks[big] * 2**20 / 1e6
    print(f"goal peak memory for {big:,} units ≤ {GOAL_MEMORY:.0f} MB: {mb:,.0f} MB — {verdict(mb <= GOAL_MEMORY)}")


if __name__ == "__main__":
    main()

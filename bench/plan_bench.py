"""The province what-if over 3,321 communes (the number of communes since 1/7/2025), for all 38 criteria.

Synthetic values drawn from the sample framework (certify.plan.synthetic: each unit near one level, a few
criteria short). Printed side by side, all measured in this run:

- baseline: certifying the whole cohort once (one `evaluate_arrays` pass);
- the what-if on the cohort arrays: blocking table per level, every criterion raised where it blocks (exact
  units lifted, the evaluator re-run), the greedy 5-step plan — target ≤ 1 s for the what-if of all criteria;
- the same what-if done the object way (edit each unit's assessment, re-bind, re-evaluate), timed on a few
  criteria and scaled to all of them;
- the whole path a user runs: 3,321 assessment files in a folder → evaluations → cohort → what-if.

No asserts: this prints, CI does not judge.

    python bench/plan_bench.py [--units 3321] [--framework sample-2361-commune] [--files/--no-files]
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from certify.catalog import default_catalog
from certify.levels.assessment import Assessment, BoundAssessment, bind
from certify.levels.compiled import compile_framework
from certify.levels.evaluate import evaluate_arrays, evaluate_many
from certify.levels.model import IndicatorType, LevelFramework
from certify.plan.synthetic import synthetic_values
from certify.plan.whatif import Cohort, blocking, effects, greedy_plan, next_level_blocks


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, out = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def raw(fw: LevelFramework, code: str, value: float) -> Any:
    ind = fw.criterion_by_code[code].indicator
    assert ind is not None
    if ind.type is IndicatorType.BOOLEAN:
        return value >= 1
    return int(value) if ind.type is IndicatorType.COUNT else round(value, 6)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=3321)
    ap.add_argument("--framework", default="sample-2361-commune")
    ap.add_argument("--files", action=argparse.BooleanOptionalAction, default=True)
    args = ap.parse_args()
    resolved = default_catalog().load(args.framework)
    cf = compile_framework(resolved)
    fw = cf.fw
    n, n_crit = args.units, len(cf.codes)
    values, na = synthetic_values(cf, n, seed=2025)
    codes = tuple(f"{u:05d}" for u in range(n))
    cohort = Cohort(
        cf, codes, tuple(f"Xã mẫu {u}" for u in range(n)), tuple(f"Khu vực {u % 9}" for u in range(n)), values, na
    )

    t_base, matrix = timed(lambda: evaluate_arrays(cf, values, na))
    counts = [int((matrix.level_index == k).sum()) for k in range(-1, len(fw.levels))]
    print(f"{n} units × {n_crit} criteria ({fw.ref}); units per level (none first): {counts}")
    print(f"baseline  certify the cohort once (evaluate_arrays)      {t_base * 1000:8.1f} ms   1.0×")

    def fresh() -> Cohort:
        return Cohort(cf, codes, cohort.names, cohort.groups, values, na)

    t_block, _ = timed(lambda: blocking(fresh()))
    t_eff, found = timed(lambda: effects(fresh()))
    t_greedy, plan = timed(lambda: greedy_plan(fresh(), 5))
    t_all = t_block + t_eff
    print(
        f"what-if   blocking per level + all {len(found)} criteria raised  {t_all * 1000:8.1f} ms "
        f"{t_all / t_base:5.1f}×  (target ≤ 1 s: {'yes' if t_all <= 1 else 'NO'})"
    )
    print(
        f"what-if   greedy plan, 5 steps                          {t_greedy * 1000:8.1f} ms {t_greedy / t_base:5.1f}×"
    )
    print("          steps: " + ", ".join(f"{s.code} +{len(s.lifted)}" for s in plan.steps))

    # The object way: edit each blocked unit's assessment, bind it again, evaluate the objects.
    base = Assessment(unit="x", tier=fw.tier, year=2025, framework={"id": fw.id, "version": fw.version}, values={})  # type: ignore[arg-type]
    units: list[BoundAssessment] = []
    for u in range(n):
        vals = {code: raw(fw, code, float(v)) for code, v in zip(cf.codes, values[u], strict=True) if not math.isnan(v)}
        units.append(bind(fw, base.model_copy(update={"unit": codes[u], "values": vals})))
    _, blocks = next_level_blocks(cf, matrix)
    sample = [e.code for e in found[:3]]

    def objects_way(code: str) -> int:
        c = cf.index[code]
        edited = []
        for u, unit in enumerate(units):
            if blocks[u, c]:
                goal = float(cf.thresholds[matrix.level_index[u] + 1, c] * cf.sign[c])
                vals = dict(unit.assessment.values) | {code: raw(fw, code, goal)}
                unit = bind(fw, unit.assessment.model_copy(update={"values": vals}))
            edited.append(unit)
        after = evaluate_many(resolved, edited)
        return sum(a.level_index > int(matrix.level_index[u]) for u, a in enumerate(after))

    t_obj, _ = timed(lambda: [objects_way(code) for code in sample], repeat=1)
    t_obj_all = t_obj / len(sample) * len(found)
    print(
        f"objects   same what-if on assessment objects (scaled)   {t_obj_all * 1000:8.1f} ms "
        f"{t_obj_all / t_base:5.1f}×  (measured on {len(sample)} criteria)"
    )

    if args.files:
        from reports.inputs import load_folder

        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for unit in units:
                doc = unit.assessment.model_dump(mode="json", exclude_none=True)
                (folder / f"{unit.assessment.unit}.yaml").write_text(
                    yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8"
                )

            def whole_path() -> Any:
                evs = load_folder(folder)
                c = Cohort.of(evs)
                return blocking(c), effects(c), greedy_plan(c, 5)

            t_path, _ = timed(whole_path, repeat=1)
            print(
                f"path      {n} files → evaluations → cohort → what-if   {t_path * 1000:8.1f} ms "
                f"{t_path / t_base:5.1f}×  (reading the files dominates)"
            )


if __name__ == "__main__":
    main()

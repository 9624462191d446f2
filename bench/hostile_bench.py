"""Benchmark: each resource-exhaustion case of the bad-input corpus refused as a whole process, as a user runs it.

    python bench/hostile_bench.py [--runs 3] [CASE-ID ...]

The cases are those marked `exhaust: true` in tests/hostile/corpus/<kind>/index.yaml (anchor bomb, 20,000-deep
nesting, 300,000 unknown keys, 1,000,000-row workbook, 100,000 unknown codes, 1e300, impossible and implausible
dates, 100 kB texts, a form of another year, an unknown unit code …). Each is run `--runs` times as a separate
`certify` process; the median wall time and the peak resident memory are printed beside the baseline measured in
the same run (`certify --help`, the cost of starting at all), with «≤ 5 s: met / not met» and «≤ 200 MB: met / not
met» (issue 10). A case that does not exit 2 is flagged. No assertion: tests never time anything; the memory is
asserted by tests/hostile/test_corpus.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile.harness import MEMORY_GOAL_MB, SECONDS_GOAL, cases, make_store, run_process  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("ids", nargs="*", help="only these cases (kind/file)")
    args = ap.parse_args()
    os.environ.setdefault("CERTIFY_FRAMEWORKS", str(ROOT / "tests" / "fixtures" / "frameworks"))
    todo = [c for c in cases() if c.exhaust and (not args.ids or c.id in args.ids)]
    folder = Path(tempfile.mkdtemp(prefix="hostile-bench-"))
    store = make_store(folder) if any(c.uses_store for c in todo) else None
    db_env = {"CERTIFY_DATABASE_URL": store.url} if store is not None else {}

    base = [run_process(["--help"]) for _ in range(args.runs)]
    base_s = statistics.median(o.seconds or 0 for o in base)
    base_mb = max(o.peak_mb or 0 for o in base)
    print(f"load average {os.getloadavg()[0]:.2f} · {args.runs} runs each · median wall time, peak memory")
    print(f"{'baseline: certify --help':48} {base_s:6.2f} s {base_mb:6.0f} MB")
    for case in todo:
        env = {**(db_env if case.uses_store else {}), **case.env}
        outs = [run_process(case.args(store if case.uses_store else None), env) for _ in range(args.runs)]
        seconds = statistics.median(o.seconds or 0 for o in outs)
        peak = max(o.peak_mb or 0 for o in outs)
        exits = {o.exit for o in outs}
        time_verdict = "met" if seconds <= SECONDS_GOAL else "not met"
        mem_verdict = "met" if peak < MEMORY_GOAL_MB else "not met"
        flag = "" if exits == {case.spec.get("exit", 2)} else f"  ! exit {sorted(exits)}"
        print(
            f"{case.id:48} {seconds:6.2f} s {peak:6.0f} MB  (×{seconds / base_s:4.1f} start-up)"
            f"  ≤ {SECONDS_GOAL:g} s: {time_verdict} · ≤ {MEMORY_GOAL_MB} MB: {mem_verdict}{flag}"
        )


if __name__ == "__main__":
    main()

"""Import benchmark: generate N filled commune forms (default 1,000), import them in one go, print forms per
second and peak memory. Goal: 1,000 forms in at most 10 s, said «met» only when at least 1,000 forms were
imported within it (a smaller run prints what it projects, never «met»).

    python bench/import_bench.py [--forms 1000] [--url sqlite:///…|postgresql+psycopg://…]

Generation is not timed: one form is filled with openpyxl, then copied with each unit's code written into
the sheet (the forms differ only by unit code, which is what a province receives in bulk). Beside the import, in the
same run, the baseline: unzipping every part of the same forms (zipfile) — the reading floor of this machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from certify.catalog import default_catalog  # noqa: E402
from certify.intake.importer import import_files  # noqa: E402
from certify.intake.samples import fill_unit_form  # noqa: E402
from certify.intake.template import write_unit_form  # noqa: E402
from certify.levels.model import LevelFramework  # noqa: E402
from certify.store.cycles import open_cycle  # noqa: E402
from certify.store.engine import make_engine, transaction  # noqa: E402
from certify.store.migrate import upgrade  # noqa: E402
from certify.store.models import AdminUnit  # noqa: E402
from certify.store.units import load_units  # noqa: E402

PLACEHOLDER = "MAXA0"
GOAL_FORMS = 1000  # issue 13: 1,000 forms …
GOAL_SECONDS = 10.0  # … in at most 10 s
FW = "sample-2361-commune"


def make_forms(folder: Path, codes: list[str]) -> list[Path]:
    resolved = default_catalog().load(FW)
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    values = yaml.safe_load((ROOT / "samples/assessments/2024-xa-cai-nhum.yaml").read_text(encoding="utf-8"))
    template = write_unit_form(resolved, folder / "template.xlsx", year=2024, unit_map="pre2025")
    model = fill_unit_form(template, folder / "model.xlsx", fw, unit_code=PLACEHOLDER, values=values["values"])
    with zipfile.ZipFile(model) as zf:
        entries = [(info, zf.read(info.filename)) for info in zf.infolist()]
    out = []
    for code in codes:
        path = folder / f"{code}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in entries:
                if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml":
                    data = data.replace(PLACEHOLDER.encode(), code.encode())
                zf.writestr(info.filename, data)
        out.append(path)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--url", default=None, help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        engine = make_engine(args.url or f"sqlite:///{folder / 'bench.sqlite'}")
        upgrade(engine)
        with transaction(engine) as s:
            load_units(s)
            cycle = open_cycle(s, year=2024, framework=FW, actor="bench")
            codes = [
                c
                for (c,) in s.execute(
                    AdminUnit.__table__.select()
                    .with_only_columns(AdminUnit.code)
                    .where(AdminUnit.map == "pre2025", AdminUnit.tier == "commune")
                    .order_by(AdminUnit.code)
                    .limit(args.forms)
                )
            ]
        t0 = time.perf_counter()
        (folder / "forms").mkdir()
        files = make_forms(folder / "forms", codes)
        gen = time.perf_counter() - t0
        t0 = time.perf_counter()
        for path in files:  # the baseline: every part of every form inflated, nothing parsed
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    zf.read(name)
        unzip = time.perf_counter() - t0
        t0 = time.perf_counter()
        with transaction(engine) as s:
            result = import_files(s, cycle.id, files, "bench")
        elapsed = time.perf_counter() - t0
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if not result.ok:
            for p in result.problems[:10]:
                print(p.message())
            sys.exit(1)
        print(f"backend: {engine.url.get_backend_name()}")
        print(f"forms generated: {len(files)} in {gen:.1f} s (not timed below)")
        print(f"imported: {result.units_written} units, {result.values_written} values in {elapsed:.2f} s")
        print(f"forms per second: {len(files) / elapsed:.0f}")
        print(
            f"baseline, unzipping the same {len(files):,} forms: {unzip:.2f} s "
            f"(the import takes {elapsed / unzip:.0f} × as long)"
        )
        print(f"peak memory (max RSS of the process): {peak_mb:.0f} MB")
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
        if len(files) < GOAL_FORMS:
            # fewer forms say nothing about the goal: «met» is never printed for them
            projected = elapsed * GOAL_FORMS / len(files)
            print(
                f"goal: {GOAL_FORMS:,} forms in ≤ {GOAL_SECONDS:.0f} s — not measured ({len(files)} forms asked for; "
                f"at this rate {GOAL_FORMS:,} would take ≈ {projected:.1f} s)"
            )
        else:
            per_goal = elapsed * GOAL_FORMS / len(files)
            verdict = "met" if per_goal <= GOAL_SECONDS else "NOT met"
            print(
                f"goal: {GOAL_FORMS:,} forms in ≤ {GOAL_SECONDS:.0f} s — {per_goal:.1f} s per {GOAL_FORMS:,}: {verdict}"
            )


if __name__ == "__main__":
    main()

"""A province's whole list of communes in the demo's 2025 cycle, for the pages that must stay usable with 100+ units
(the dashboard's unit list): the demo holds three. Each added commune takes the figures of one of the 2025 sample
files in turn, or only part of them (no level yet), or none (not assessed), and some move on through the workflow,
so that the list has units at several levels and in several states."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# The states the added units end in, in turn: the workflow's steps from a draft, each from the one before.
STEPS: tuple[tuple[str, ...], ...] = (
    (),
    ("submitted",),
    ("submitted", "under_appraisal"),
    (),
    ("submitted", "under_appraisal", "appraised"),
    ("submitted", "returned"),
)


def _samples(year: int) -> list[dict[str, Any]]:
    from certify.paths import bundled_root

    files = sorted((bundled_root("samples") / "assessments").glob(f"{year}-xa-*.yaml"))
    return [yaml.safe_load(f.read_text(encoding="utf-8"))["values"] for f in files]


def add_units(db: Path, count: int, year: int = 2025) -> list[str]:
    """Add `count` communes of the demo province (those without a submission, by code) to the year's commune cycle;
    returns their codes."""
    from sqlalchemy import select

    from certify.store.demo import _jsonable
    from certify.store.engine import make_engine, transaction
    from certify.store.models import Cycle, Submission
    from certify.store.submissions import SELF, ensure_submission, set_values, transition, value_inputs
    from certify.store.units import units_of_province

    values = _samples(year)
    partial = {k: v for k, v in values[0].items() if not k.startswith("CQS-0")}  # part of the figures: no level
    choices = [*values, partial, {}]  # and a draft left empty: not assessed
    engine = make_engine(f"sqlite:///{db}")
    added: list[str] = []
    with transaction(engine, write=True) as s:
        cycle = s.scalars(
            select(Cycle).where(Cycle.year == year, Cycle.tier == "commune", Cycle.kind == "levels")
        ).one()
        taken = list(s.scalars(select(Submission).where(Submission.cycle_id == cycle.id)))
        province = taken[0].unit.province_code
        have = {sub.unit.code for sub in taken}
        free = [u for u in units_of_province(s, cycle.unit_map, province, "commune") if u.code not in have]
        assert len(free) >= count, f"the province has {len(free)} communes without a submission, not {count}"
        for i, unit in enumerate(free[:count]):
            sub = ensure_submission(s, cycle, unit, "test")
            chosen = value_inputs(_jsonable(choices[i % len(choices)]))
            set_values(s, sub, SELF, chosen, "test", expected_version=sub.version)
            for state in STEPS[i % len(STEPS)]:
                reasons = "Thiếu tài liệu kiểm chứng" if state == "returned" else None
                transition(s, sub, state, "test", reasons=reasons, expected_version=sub.version)
            added.append(unit.code)
    engine.dispose()
    return added

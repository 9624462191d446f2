"""The demo province loaded on first run of `certify serve`: a small but complete history to look at.

2024 (pre-1/7/2025 map): sample communes and districts taken through appraisal, recognition and publication,
and a published commune DTI ranking. 2025 (current map): sample communes as drafts to work on, and a published
commune DTI ranking whose communes carry their former communes' 2024 values across the merger.
All figures are invented (see the sample files); the frameworks say `sample`/`partial` on every page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from certify.catalog import Catalog
from certify.store.certification import certify_cycle
from certify.store.cycles import open_cycle
from certify.store.dti_results import import_dti, publish_dti
from certify.store.engine import transaction
from certify.store.models import Cycle, Submission
from certify.store.recognition import current_certification, holds_level, recognise
from certify.store.submissions import SELF, ensure_submission, set_values, transition, value_inputs
from certify.store.units import get_unit, load_units
from certify.store.workflow import State

DEMO_YEAR = 2025
# (year, framework, sample files, published); the cycle to work on first, so that it is cycle 1.
LEVEL_CYCLES = (
    (DEMO_YEAR, "sample-2361-commune", "2025-xa-*.yaml", False),
    (2024, "sample-2361-commune", "2024-xa-*.yaml", True),
    (2024, "sample-2361-district", "2024-huyen-*.yaml", True),
)
DTI_CYCLES = (
    (2024, "vinh-long-2554-commune", "vinh-long-2024-communes.csv"),
    (DEMO_YEAR, "vinh-long-2554-commune", "vinh-long-2025-communes.csv"),
)
DECISION = ("0000/QĐ-UBND (minh họa)", dt.date(2024, 12, 20), "Chủ tịch UBND tỉnh (minh họa)")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _publish_all(s: Session, cycle_id: int, actor: str, catalog: Catalog) -> None:
    subs = list(s.scalars(select(Submission).where(Submission.cycle_id == cycle_id)))
    for sub in subs:
        for state in (State.SUBMITTED, State.UNDER_APPRAISAL, State.APPRAISED):
            transition(s, sub, state.value, actor, expected_version=sub.version)
    certify_cycle(s, cycle_id, actor, catalog)
    number, day, signer = DECISION
    for sub in subs:
        cert = current_certification(s, sub.id)
        if cert is None or not holds_level(sub.state, cert.level):
            continue  # a unit meeting no level is not recognised: it stays appraised
        recognise(
            s, sub, decision_number=number, decision_date=day, signer=signer, actor=actor, expected_version=sub.version
        )
        transition(s, sub, State.PUBLISHED.value, actor, expected_version=sub.version)


def _level_cycle(
    s: Session,
    catalog: Catalog,
    samples_dir: Path,
    year: int,
    framework: str,
    pattern: str,
    published: bool,
    actor: str,
) -> None:
    info = open_cycle(
        s,
        year=year,
        framework=framework,
        actor=actor,
        catalog=catalog,
        title=f"Kỳ đánh giá mẫu {year} (dữ liệu minh họa)",
    )
    cycle = s.get(Cycle, info.id)
    assert cycle is not None
    for path in sorted(samples_dir.glob(pattern)):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # safe_load, with libyaml
        if str(doc.get("framework", "")).partition("@")[0] != framework or doc.get("year") != year:
            continue
        unit = get_unit(s, cycle.unit_map, str(doc["unit"]), cycle.tier)
        sub = ensure_submission(s, cycle, unit, actor)
        set_values(s, sub, SELF, value_inputs(_jsonable(doc.get("values", {}))), actor, expected_version=sub.version)
    if published:
        _publish_all(s, cycle.id, actor, catalog)


def load_demo(engine: Engine, catalog: Catalog, samples_dir: Path, actor: str = "demo") -> bool:
    """Load the demo into an empty database; False (and nothing done) when any cycle exists already.

    `samples_dir` holds the sample assessments; the DTI cohorts are in its sibling `dti/`.
    """
    with transaction(engine, write=True) as s:
        if s.scalars(select(Cycle.id)).first() is not None:
            return False
        load_units(s)
        for year, framework, pattern, published in LEVEL_CYCLES:
            _level_cycle(s, catalog, samples_dir, year, framework, pattern, published, actor)
        for year, framework, name in DTI_CYCLES:
            path = samples_dir.parent / "dti" / name
            if not path.exists():
                continue
            info = open_cycle(
                s,
                year=year,
                framework=framework,
                actor=actor,
                catalog=catalog,
                title=f"Chỉ số DTI cấp xã {year} (dữ liệu minh họa)",
            )
            import_dti(s, info.id, path, actor=actor, catalog=catalog)
            publish_dti(s, info.id, actor=actor)
    return True

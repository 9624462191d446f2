"""Stateless certification of one assessment: the core's intake, evaluator and gap report."""

from __future__ import annotations

from typing import Any

from certify.catalog import Catalog
from certify.levels.assessment import Assessment, bind
from certify.levels.evaluate import Evaluation, Status, evaluate
from certify.levels.gap import gap_report
from certify.levels.intake import level_framework
from certify.levels.model import LevelFramework


def certify_one(catalog: Catalog, assessment: Assessment) -> Evaluation:
    resolved = level_framework(catalog, assessment.framework.id, assessment.framework.version)
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    return evaluate(resolved, bind(fw, assessment, name="request"))


def evaluation_json(ev: Evaluation) -> dict[str, Any]:
    """Everything: per-criterion values and requirements as text, the gap report and whole roadmap."""
    return ev.to_dict() | {"gap": gap_report(ev).to_dict()}


def evaluation_summary(ev: Evaluation) -> dict[str, Any]:
    """Level, per-level verdicts by code, the next level's gap items, provenance and hashes.

    Texts are formatted only for the gap items: formatting every value at every level costs
    ~1,000 Babel calls per unit (see the report of bench/api_bench.py), `detail=full` has them.
    """
    fw = ev.fw
    a = ev.unit.assessment
    levels = []
    for li, lv in enumerate(fw.levels):
        results = ev.results(lv.id)
        levels.append({
            "id": lv.id,
            "name": lv.name,
            "held": bool(ev.holds[li]),
            "criteria_count": len(results),
            "met_count": sum(r.status in (Status.MET, Status.NA_DEEMED_MET) for r in results),
            "blocking": [r.code for r in results if r.blocking],
            "verdicts": {r.code: r.verdict.value for r in results},
        })
    report = gap_report(ev)
    return {
        "unit": a.unit,
        "unit_name": a.unit_name,
        "tier": a.tier.value,
        "year": a.year,
        "level": ev.level,
        "level_name": fw.level_name(ev.level),
        "next_level": ev.next_level,
        "target_level": a.target_level,
        **ev.provenance(),
        "levels": levels,
        "gap": {"next_level": ev.next_level,
                "items": [i.to_dict() for i in report.next_level.items] if report.next_level else []},
    }

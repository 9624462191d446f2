"""Stateless certification of one assessment: the core's intake, evaluator and gap report."""

from __future__ import annotations

from typing import Any

from certify.catalog import Catalog
from certify.levels.assessment import Assessment, bind
from certify.levels.evaluate import Evaluation, evaluate
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
    report = gap_report(ev)
    items = [report.item_dict(i) for i in report.next_level.items] if report.next_level else []
    return ev.to_dict(detail=False) | {"gap": {"next_level": ev.next_level, "items": items}}

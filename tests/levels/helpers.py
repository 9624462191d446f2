"""Building assessments in tests without files."""

from __future__ import annotations

from typing import Any

from certify.catalog import Resolved
from certify.levels.assessment import Assessment, BoundAssessment, bind
from certify.levels.evaluate import Evaluation, evaluate
from certify.levels.model import LevelFramework


def bound(resolved: Resolved, values: dict[str, Any], unit: str = "Xã Thử", **extra: Any) -> BoundAssessment:
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    data = {"unit": unit, "tier": fw.tier.value, "year": 2025, "framework": fw.ref, "values": values, **extra}
    return bind(fw, Assessment.model_validate(data), name="test")


def run(resolved: Resolved, values: dict[str, Any], **extra: Any) -> Evaluation:
    return evaluate(resolved, bound(resolved, values, **extra))

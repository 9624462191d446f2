"""`GET /api/samples`, `GET /api/samples/{name}`: the bundled sample units, evaluated."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import SamplesDep
from api.evaluation import evaluation_json
from api.problems import ERROR_RESPONSES
from api.samples import Sample

router = APIRouter(tags=["samples"], responses=ERROR_RESPONSES)


def row(s: Sample) -> dict[str, Any]:
    ev = s.evaluation
    a = ev.unit.assessment
    return {
        "name": s.name,
        "unit": a.unit,
        "unit_name": a.unit_name,
        "tier": a.tier.value,
        "year": a.year,
        "framework": ev.fw.ref,
        "level": ev.level,
        "level_name": ev.fw.level_name(ev.level),
        "next_level": ev.next_level,
        "blocking": len(ev.blocking(ev.next_level)) if ev.next_level else 0,
        "banner": ev.fw.banner[0] if ev.fw.banner else None,
    }


@router.get("/samples", summary="Các đơn vị mẫu (sample units) và mức đạt được")
def list_samples(samples: SamplesDep) -> list[dict[str, Any]]:
    return [row(s) for s in samples.all()]


@router.get("/samples/{name}", summary="Một đơn vị mẫu: đánh giá đầy đủ và khoảng cách")
def get_sample(name: str, samples: SamplesDep) -> dict[str, Any]:
    return evaluation_json(samples.get(name).evaluation)

"""Unit page for a sample unit: level badge, criteria per level, gap report and roadmap, evidence."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import SamplesDep
from api.evaluation import evaluation_json
from api.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/units/{name}")
def unit_page(request: Request, name: str, samples: SamplesDep) -> Response:
    sample = samples.get(name)
    data = evaluation_json(sample.evaluation)
    return page(request, "unit.html", data, sample=sample, fw=sample.evaluation.fw)

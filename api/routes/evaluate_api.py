"""`POST /api/evaluate`, `POST /api/gap`: stateless certification of one assessment sent as JSON."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse

from api.deps import CatalogDep
from api.evaluation import certify_one, evaluation_json, evaluation_summary
from api.problems import BODY_ERROR_RESPONSES, ERROR_RESPONSES
from certify.levels.assessment import Assessment
from certify.levels.gap import gap_report

router = APIRouter(tags=["evaluation"], responses=ERROR_RESPONSES | BODY_ERROR_RESPONSES)

EXAMPLE = {
    "unit": "29746",
    "unit_name": "Xã Mỹ Lộc",
    "tier": "commune",
    "year": 2024,
    "framework": "sample-2361-commune@1.0",
    "target_level": "ket-noi",
    "values": {"CQS-01": {"numerator": 52, "denominator": 95}, "CQS-04": True, "CQS-08": 80, "CQS-03": "32%"},
}

AssessmentBody = Annotated[Assessment, Body(openapi_examples={"xa": {"summary": "Một xã", "value": EXAMPLE}})]


Detail = Annotated[
    Literal["summary", "full"],
    Query(
        description="summary: mức, kết quả từng tiêu chí theo mức, khoảng cách đến mức tiếp theo; "
        "full: thêm giá trị/yêu cầu dạng chữ của mọi tiêu chí và toàn bộ lộ trình"
    ),
]

# The answers are plain dicts built by the core: returned as JSONResponse so FastAPI does not
# validate and re-encode ~100 KB per request (documented by `responses` instead).
OBJECT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": {"type": "object"}}}, "description": "OK"}
}


@router.post(
    "/evaluate",
    response_class=JSONResponse,
    responses=OBJECT,
    summary="Xác định mức đạt được, kèm khoảng cách (level, verdicts, gaps, provenance)",
)
# `async def`: certifying one unit is a millisecond of computing with no I/O (the framework is in the catalog's
# memory), so it runs in place rather than being handed to FastAPI's thread pool and back (a sixth of a request).
async def evaluate(assessment: AssessmentBody, catalog: CatalogDep, detail: Detail = "summary") -> JSONResponse:
    ev = certify_one(catalog, assessment)
    return CoreJSON(evaluation_summary(ev) if detail == "summary" else evaluation_json(ev))


# JSONResponse's encoding, with its encoder made once and no check for circular references (the core's answers are
# plain trees of dicts and lists): the same bytes.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False, separators=(",", ":"))


class CoreJSON(JSONResponse):
    def render(self, content: Any) -> bytes:
        return _ENCODER.encode(content).encode("utf-8")


@router.post(
    "/gap",
    response_class=JSONResponse,
    responses=OBJECT,
    summary="Báo cáo khoảng cách và lộ trình (gap report and roadmap)",
)
async def gap(assessment: AssessmentBody, catalog: CatalogDep) -> JSONResponse:  # as `evaluate`
    return CoreJSON(gap_report(certify_one(catalog, assessment)).to_dict())

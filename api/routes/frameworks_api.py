"""`GET /api/frameworks`, `GET /api/frameworks/{id}`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api import frameworks
from api.deps import CatalogDep
from api.problems import ERROR_RESPONSES

router = APIRouter(tags=["frameworks"], responses=ERROR_RESPONSES)

Version = Annotated[str | None, Query(pattern=r"^\d+(\.\d+)*$", description="phiên bản, e.g. 1.0 (mặc định: mới nhất)")]


@router.get("/frameworks", summary="Các bộ tiêu chí (list frameworks)")
def list_frameworks(catalog: CatalogDep) -> list[dict[str, Any]]:
    return frameworks.listing(catalog)


@router.get("/frameworks/{framework_id}", summary="Một bộ tiêu chí: mức, trụ cột, tiêu chí, ngưỡng")
def get_framework(framework_id: str, catalog: CatalogDep, version: Version = None) -> dict[str, Any]:
    return frameworks.summary(frameworks.find(catalog, framework_id, version))

"""Framework browser: criteria by level and pillar, thresholds, the dependency graph."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api import frameworks
from api.deps import CatalogDep
from api.graph_svg import dependency_svg, layout, pillar_colours
from api.rendering import page
from certify.levels.display import show_requirement
from certify.levels.model import LevelFramework

router = APIRouter(include_in_schema=False)


@router.get("/frameworks")
def framework_list(request: Request, catalog: CatalogDep) -> Response:
    return page(request, "frameworks.html", {"frameworks": frameworks.listing(catalog)})


@router.get("/frameworks/{framework_id}")
def framework_page(
    request: Request,
    framework_id: str,
    catalog: CatalogDep,
    version: Annotated[str | None, Query(pattern=r"^\d+(\.\d+)*$")] = None,
) -> Response:
    resolved = frameworks.find(catalog, framework_id, version)
    data = frameworks.summary(resolved)
    fw = resolved.framework
    if not isinstance(fw, LevelFramework):
        return page(request, "framework_dti.html", data)
    requirement_text = {
        c.code: {lv: show_requirement(c, r.threshold) if c.indicator else "—" for lv, r in c.requirements.items()}
        for c in fw.criteria
    }
    _, _, unlinked = layout(fw)
    return page(
        request,
        "framework.html",
        data,
        fw=fw,
        graph=dependency_svg(fw, fw.title),
        colours=pillar_colours(fw),
        requirement_text=requirement_text,
        unlinked=unlinked,
    )

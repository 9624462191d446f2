"""Home page: the frameworks and the sample units at a glance (the province dashboard needs storage)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api import frameworks
from api.deps import CatalogDep, SamplesDep
from api.rendering import page
from api.routes.samples_api import row

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, catalog: CatalogDep, samples: SamplesDep) -> Response:
    every = samples.all()
    data = {"frameworks": frameworks.listing(catalog), "samples": [row(s) for s in every]}
    return page(request, "home.html", data, fws={s.name: s.evaluation.fw for s in every})

"""The API reference offline: Swagger UI at /api/docs and ReDoc at /api/redoc from vendored files
(api/static/apidocs, no CDN), started by a static script so the Content-Security-Policy holds; /docs and
/redoc lead there; the site's icon at /favicon.ico."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from api.rendering import html

router = APIRouter(include_in_schema=False)
FAVICON = Path(__file__).resolve().parents[1] / "static" / "favicon.ico"


def _page(request: Request, viewer: str) -> Response:
    return html(request, "api_docs.html", viewer=viewer, openapi_url=request.app.openapi_url or "/openapi.json")


@router.get("/api/docs")
def swagger_ui(request: Request) -> Response:
    return _page(request, "swagger")


@router.get("/api/redoc")
def redoc(request: Request) -> Response:
    return _page(request, "redoc")


@router.get("/docs")
def docs_redirect() -> RedirectResponse:
    return RedirectResponse("/api/docs", status_code=308)


@router.get("/redoc")
def redoc_redirect() -> RedirectResponse:
    return RedirectResponse("/api/redoc", status_code=308)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(FAVICON, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"})

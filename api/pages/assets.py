"""Generated stylesheet: the level colours of `certify.labels`, so badges, charts and reports share one palette."""

from __future__ import annotations

import hashlib
from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import Response

from certify.labels import level_css

router = APIRouter(include_in_schema=False)


@cache
def _css() -> tuple[str, str]:
    text = level_css()
    return text, '"' + hashlib.sha256(text.encode()).hexdigest()[:16] + '"'


@router.get("/assets/levels.css")
def levels_css(request: Request) -> Response:
    text, etag = _css()
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(text, media_type="text/css", headers=headers)

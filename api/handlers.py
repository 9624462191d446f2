"""Every handled error leaves as `{"errors": [Problem…]}` (API, JSON twins) or a bilingual error page."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.authz import Forbidden
from api.csrf import CsrfError
from api.deps import wants_json
from api.headers import security_headers
from api.problems import NotFoundError, body, http_problem, internal_problem, problems_from_request
from api.store import StoreUnavailable
from certify.errors import CertifyError, Problem
from certify.store.engine import DatabaseBusy

log = logging.getLogger("certify.api")


def _status(exc: CertifyError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, CsrfError | Forbidden):
        return 403
    if isinstance(exc, StoreUnavailable | DatabaseBusy):  # busy: another writer held the database too long
        return 503
    if exc.problems and exc.problems[0].code == "conflict":  # optimistic concurrency: reload and redo
        return 409
    return 422


def respond(request: Request, problems: Sequence[Problem], status: int) -> Response:
    if request.url.path.startswith("/api/") or wants_json(request):
        return JSONResponse(body(problems), status_code=status)
    from api.rendering import html  # rendering imports the dependencies that import this module's peers

    return html(request, "error.html", status, problems=list(problems), status=status, back=_back(request))


def _back(request: Request) -> str | None:
    """The page the visitor came from on this site (a form that failed), to go back to it; None otherwise."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/") or referer.path == request.url.path:
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def install(app: FastAPI) -> None:
    @app.exception_handler(CertifyError)
    async def certify_error(request: Request, exc: CertifyError) -> Response:
        response = respond(request, exc.problems, _status(exc))
        if isinstance(exc, DatabaseBusy):
            response.headers["Retry-After"] = "30"
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, problems_from_request(exc.errors()), 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else None
        response = respond(request, [http_problem(exc.status_code, detail)], exc.status_code)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        response = respond(request, [internal_problem()], 500)
        # Starlette answers an unhandled error outside every middleware, the edge's headers included.
        for name, value in security_headers(request.url.path):
            response.headers[name.decode()] = value.decode()
        return response

"""Pages and their JSON twins from one data dict: HTML through jinja2 (autoescaped), or the data itself."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api import csrf
from api.deps import get_translator, wants_json
from api.flash import take
from api.sessions import is_https

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def html(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    tr = get_translator(request)
    if "user" not in context:
        from api.auth import current_user  # auth renders pages too

        try:
            context["user"] = current_user(request)
        except Exception:  # an error page must render even when the database is what failed
            context["user"] = None
    token = csrf.token_for(request)
    text = (
        environment()
        .get_template(template)
        .render(
            request=request,
            _=tr,
            lang=tr.lang,
            csrf_field=csrf.FIELD,
            csrf_token=token,
            flashes=lambda: take(request, tr),
            **context,
        )
    )
    response = HTMLResponse(text, status_code=status_code)
    anonymous = request.scope.get(csrf.COOKIE_KEY)
    if anonymous is not None and request.cookies.get(csrf.COOKIE) != anonymous:
        secure = is_https(request.scope, request.app.state.settings.secure_cookies)
        response.set_cookie(csrf.COOKIE, anonymous, httponly=True, samesite="strict", secure=secure)
    return response


def page(request: Request, template: str, data: dict[str, Any], status: int = 200, **view: Any) -> Response:
    """`data` is the page's JSON twin; `view` holds objects only the template needs."""
    if wants_json(request):
        return JSONResponse(data, status_code=status)
    return html(request, template, status, data=data, **view)

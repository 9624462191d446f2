"""Sessions and the logged-in user: login and logout pages, `current_user`, and the authorisation guard.

The session cookie is Starlette's SessionMiddleware: signed with the app's secret (itsdangerous), HttpOnly,
SameSite=Lax, `Secure` when the settings say so. It holds only the username; the account (role, unit,
active) is read from the store on every request, so a disabled account is out at once.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from api.authz import require
from api.csrf import require_csrf
from api.deps import wants_json
from api.problems import body
from api.rendering import html
from certify.errors import CertifyError
from certify.store.accounts import Account

router = APIRouter(include_in_schema=False)
SESSION_USER = "user"
BAD_LOGIN = CertifyError.one("bad-login", "Sai tên đăng nhập hoặc mật khẩu", "Wrong username or password",
                             path=("password",))


def current_user(request: Request) -> Account | None:
    """The logged-in account, or None (anonymous = public viewer)."""
    if "session" not in request.scope:
        return None
    username = request.session.get(SESSION_USER)
    store = request.app.state.store
    if not username or store is None:
        return None
    account: Account | None = store.account(username)
    return account


UserDep = Annotated[Account | None, Depends(current_user)]


def guard(user: Account | None, action: str, unit_code: str | None = None) -> None:
    require(user, action, unit_code)


def _safe_next(target: str | None) -> str:
    """Only a local path: never redirect to another site after login."""
    if not target:
        return "/dashboard"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/dashboard"
    return target


@router.get("/login")
def login_page(request: Request, user: UserDep, next: str | None = None) -> Response:
    return html(request, "login.html", user=user, next=_safe_next(next), failed=False, username="")


@router.post("/login", dependencies=[Depends(require_csrf)])
def login(request: Request, username: Annotated[str, Form(max_length=80)],
          password: Annotated[str, Form(max_length=200)],
          next: Annotated[str | None, Form(max_length=500)] = None) -> Response:
    from api.store import get_store

    store = get_store(request)
    account = store.authenticate(username, password)
    if account is None:
        if wants_json(request):
            return JSONResponse(body(BAD_LOGIN.problems), status_code=401)
        return html(request, "login.html", 401, user=None, next=_safe_next(next), failed=True, username=username)
    request.session.clear()  # a fresh session at login (no fixation)
    request.session[SESSION_USER] = account.username
    if wants_json(request):
        return JSONResponse({"user": account.username, "role": account.role.value, "unit": account.unit_code})
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)

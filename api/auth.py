"""Sessions and the logged-in user: login and logout pages, `current_user`, and the authorisation guard.

Sessions are rows in the database (`api.sessions`, `certify.store.web_sessions`): the cookie holds a random
token; the session and its account (role, unit, active) are read on every request, so a logout, a disabled
account or a password reset ends it at once, in every worker, and a cookie copied before no longer works.

Failed logins are limited per username and per client address (`LoginLimiter`), counted in the database so
that every worker sees every attempt. The client address is the connection's, or the one a trusted proxy
forwarded (`CERTIFY_TRUSTED_PROXIES`, see `api.edge`): a client cannot choose it with X-Forwarded-For.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from api import csrf, sessions
from api.authz import require
from api.csrf import require_csrf
from api.deps import wants_json
from api.problems import body
from api.rendering import html
from certify.errors import CertifyError
from certify.settings import Settings
from certify.store.accounts import Account

if TYPE_CHECKING:
    from api.store import Store

router = APIRouter(include_in_schema=False)
BAD_LOGIN = CertifyError.one(
    "bad-login", "Sai tên đăng nhập hoặc mật khẩu", "Wrong username or password", path=("password",)
)


def current_user(request: Request) -> Account | None:
    """The logged-in account, or None (anonymous = public viewer)."""
    found = sessions.open_session(request)
    return found.account if found is not None else None


UserDep = Annotated[Account | None, Depends(current_user)]


def guard(user: Account | None, action: str, unit_code: str | None = None) -> None:
    require(user, action, unit_code)


class LoginLimiter:
    """Failed logins per username and per client address over a sliding window, kept in the database
    (`Store.recent_failures`…): every worker counts the same failures, and a restart forgets none."""

    USER, IP = "user", "ip"

    def __init__(
        self, max_per_user: int, max_per_ip: int, window: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.max_per_user = max_per_user
        self.max_per_ip = max_per_ip
        self.window = window
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimiter:
        return cls(settings.login_max_failures, settings.login_max_failures_per_ip, settings.login_window_seconds)

    def _wait(self, store: Store, kind: str, key: str, limit: int, now: float) -> float:
        # Only the last `limit` failures matter: the oldest of them says when the block ends.
        failures = store.recent_failures(kind, key, now - self.window, limit)
        if len(failures) < limit:
            return 0.0
        return max(0.0, failures[-1] + self.window - now)

    def retry_after(self, store: Store, username: str, ip: str) -> float:
        """Seconds until `username` may try again from `ip`; 0 when it may now."""
        now = self.clock()
        return max(
            self._wait(store, self.USER, username, self.max_per_user, now),
            self._wait(store, self.IP, ip, self.max_per_ip, now),
        )

    def failed(self, store: Store, username: str, ip: str) -> None:
        now = self.clock()
        store.add_failure(self.USER, username, now, now - self.window)
        store.add_failure(self.IP, ip, now, now - self.window)

    def succeeded(self, store: Store, username: str) -> None:
        # The address keeps its count: one valid account must not reset the count of a guesser's address.
        store.clear_failures(self.USER, username)


def limiter(request: Request) -> LoginLimiter:
    found: LoginLimiter = request.app.state.login_limiter
    return found


def _client_ip(request: Request) -> str:
    # The connection's address, or the client's as forwarded by a trusted proxy (api.edge): never a header
    # an untrusted client sent.
    return request.client.host if request.client else "unknown"


def _too_many(request: Request, wait: float) -> Response:
    from api.handlers import respond  # handlers render pages, which import this module

    minutes = max(1, math.ceil(wait / 60))
    problem = CertifyError.one(
        "too-many-logins",
        f"Đăng nhập sai quá nhiều lần, thử lại sau {minutes} phút",
        f"Too many failed logins, try again in {minutes} minute{'s' if minutes > 1 else ''}",
        path=("username",),
    ).problems
    response = respond(request, problem, 429)
    response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


def _safe_next(target: str | None) -> str:
    """Only a local path: never redirect to another site after login."""
    if not target:
        return "/"  # each role's own home (api.pages.home)
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, user: UserDep, next: str | None = None) -> Response:
    return html(request, "login.html", user=user, next=_safe_next(next), failed=False, username="")


@router.post("/login", dependencies=[Depends(require_csrf)])
def login(
    request: Request,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str | None, Form(max_length=500)] = None,
) -> Response:
    from api.store import get_store

    store = get_store(request)
    limits, ip = limiter(request), _client_ip(request)
    wait = limits.retry_after(store, username, ip)
    if wait > 0:  # blocked: the password is not even checked, so guessing on gains nothing
        return _too_many(request, wait)
    account = store.authenticate(username, password)
    if account is None:
        limits.failed(store, username, ip)
        if wants_json(request):
            return JSONResponse(body(BAD_LOGIN.problems), status_code=401)
        return html(request, "login.html", 401, user=None, next=_safe_next(next), failed=True, username=username)
    limits.succeeded(store, username)
    sessions.start(request, account.username)  # a new session at every login (no fixation)
    if wants_json(request):
        token = csrf.token_for(request)  # the form token of the new session, for the next POSTs
        return JSONResponse(
            {"user": account.username, "role": account.role.value, "unit": account.unit_code, "csrf_token": token}
        )
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    sessions.end(request)  # revoked in the database: a copy of the cookie is refused from now on
    return RedirectResponse("/", status_code=303)


# --- a user's own password ------------------------------------------------------------------------------------

WRONG_CURRENT = CertifyError.one(
    "wrong-password", "Mật khẩu hiện tại không đúng", "The current password is wrong", path=("current",)
)
NOT_SAME = CertifyError.one(
    "password-mismatch",
    "Hai lần nhập mật khẩu mới không giống nhau",
    "The two new passwords differ",
    path=("confirm",),
)


@router.get("/account/password")
def password_page(request: Request, user: UserDep) -> Response:
    guard_logged_in(user)
    return html(request, "password.html", user=user, problems=[])


@router.post("/account/password", dependencies=[Depends(require_csrf)])
def change_password(
    request: Request,
    user: UserDep,
    current: Annotated[str, Form(max_length=200)],
    new: Annotated[str, Form(max_length=200)],
    confirm: Annotated[str, Form(max_length=200)],
) -> Response:
    """Change one's own password: the current one is asked (a wrong one counts as a failed login), the new
    one passes the policy; every other session of the account ends, this browser gets a new one."""
    from api.flash import flash
    from api.store import get_store

    account = guard_logged_in(user)
    store = get_store(request)
    limits, ip = limiter(request), _client_ip(request)
    wait = limits.retry_after(store, account.username, ip)
    if wait > 0:
        return _too_many(request, wait)
    try:
        if new != confirm:
            raise NOT_SAME
        changed = store.change_password(account.username, current, new)
        if changed is None:
            limits.failed(store, account.username, ip)
            raise WRONG_CURRENT
    except CertifyError as exc:
        if wants_json(request):
            return JSONResponse(body(exc.problems), status_code=422)
        return html(request, "password.html", 422, user=user, problems=exc.problems)
    sessions.start(request, changed.username)
    if wants_json(request):
        return JSONResponse({"user": changed.username, "csrf_token": csrf.token_for(request)})
    flash(request, "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.")
    return RedirectResponse("/", status_code=303)


def guard_logged_in(user: Account | None) -> Account:
    if user is None:
        from api.authz import Forbidden

        raise Forbidden.one(
            "forbidden",
            "Bạn không có quyền thực hiện thao tác này (hãy đăng nhập)",
            "You are not allowed to do this (log in first)",
            path=("action",),
            expected="change-password",
            found="anonymous",
        )
    return user

"""Sessions and the logged-in user: login and logout pages, `current_user`, and the authorisation guard.

The session cookie is Starlette's SessionMiddleware: signed with the app's secret (itsdangerous), HttpOnly,
SameSite=Lax, `Secure` when the settings say so. It holds the username and the account's password stamp; the
account (role, unit, active, stamp) is read from the store on every request, so a disabled account is out at
once and a password reset ends the sessions opened with the old password.

Failed logins are limited per username and per client address (`LoginLimiter`).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
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
from certify.settings import Settings
from certify.store.accounts import Account

router = APIRouter(include_in_schema=False)
SESSION_USER = "user"
SESSION_STAMP = "stamp"
BAD_LOGIN = CertifyError.one(
    "bad-login", "Sai tên đăng nhập hoặc mật khẩu", "Wrong username or password", path=("password",)
)


def current_user(request: Request) -> Account | None:
    """The logged-in account, or None (anonymous = public viewer)."""
    if "session" not in request.scope:
        return None
    username = request.session.get(SESSION_USER)
    store = request.app.state.store
    if not username or store is None:
        return None
    account: Account | None = store.account(username)
    # A store without stamps (a test fake) leaves the check out; a real account's stamp changes with its password.
    if account is not None and account.stamp and request.session.get(SESSION_STAMP) != account.stamp:
        return None
    return account


UserDep = Annotated[Account | None, Depends(current_user)]


def guard(user: Account | None, action: str, unit_code: str | None = None) -> None:
    require(user, action, unit_code)


class LoginLimiter:
    """Failed logins per username and per client address over a sliding window; thread-safe.

    In memory, in the process: `certify serve` runs one uvicorn process for the whole province office (it
    passes the app object to uvicorn, which then cannot fork workers), so that process sees every attempt.
    Several workers would each keep their own counts and let N times the limit through: they would need
    the counts in the database. A restart forgets the counts, which gives a guesser one more window at most.
    """

    # Past this many tracked names and addresses, forget the ones with no failure left in the window, so
    # that a spray of invented usernames cannot grow the memory without bound.
    SWEEP_AT = 10_000

    def __init__(
        self, max_per_user: int, max_per_ip: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_per_user = max_per_user
        self.max_per_ip = max_per_ip
        self.window = window
        self.clock = clock
        self._lock = threading.Lock()
        # Only the last `max` failures of each key matter: the oldest of them says when the block ends.
        self._users: dict[str, deque[float]] = {}
        self._ips: dict[str, deque[float]] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimiter:
        return cls(settings.login_max_failures, settings.login_max_failures_per_ip, settings.login_window_seconds)

    def _wait(self, failures: deque[float] | None, limit: int, now: float) -> float:
        if failures is None or len(failures) < limit:
            return 0.0
        return max(0.0, failures[0] + self.window - now)

    def retry_after(self, username: str, ip: str) -> float:
        """Seconds until `username` may try again from `ip`; 0 when it may now."""
        with self._lock:
            now = self.clock()
            return max(
                self._wait(self._users.get(username), self.max_per_user, now),
                self._wait(self._ips.get(ip), self.max_per_ip, now),
            )

    def failed(self, username: str, ip: str) -> None:
        with self._lock:
            now = self.clock()
            self._users.setdefault(username, deque(maxlen=self.max_per_user)).append(now)
            self._ips.setdefault(ip, deque(maxlen=self.max_per_ip)).append(now)
            if len(self._users) + len(self._ips) > self.SWEEP_AT:
                for table in (self._users, self._ips):
                    for key in [k for k, q in table.items() if q[-1] + self.window <= now]:
                        del table[key]

    def succeeded(self, username: str) -> None:
        # The address keeps its count: one valid account must not reset the count of a guesser's address.
        with self._lock:
            self._users.pop(username, None)


def limiter(request: Request) -> LoginLimiter:
    found: LoginLimiter = request.app.state.login_limiter
    return found


def _client_ip(request: Request) -> str:
    # Behind a reverse proxy this is the proxy's address unless uvicorn trusts its X-Forwarded-For
    # (--proxy-headers, --forwarded-allow-ips); the per-username limit holds either way.
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
    wait = limits.retry_after(username, ip)
    if wait > 0:  # blocked: the password is not even checked, so guessing on gains nothing
        return _too_many(request, wait)
    account = store.authenticate(username, password)
    if account is None:
        limits.failed(username, ip)
        if wants_json(request):
            return JSONResponse(body(BAD_LOGIN.problems), status_code=401)
        return html(request, "login.html", 401, user=None, next=_safe_next(next), failed=True, username=username)
    limits.succeeded(username)
    request.session.clear()  # a fresh session at login (no fixation)
    request.session[SESSION_USER] = account.username
    request.session[SESSION_STAMP] = account.stamp
    if wants_json(request):
        return JSONResponse({"user": account.username, "role": account.role.value, "unit": account.unit_code})
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)

"""Server-side sessions (ASGI middleware): the cookie holds a random token, the database the session
(`certify.store.web_sessions`), so logout, disabling an account and a password reset end it in every worker
at once, and a cookie copied before is refused after.

For each request the middleware looks the token up once: `request.session` is the session's small store of
one-time messages (`api.flash`), `open_session(request)` the live session with its account (None when
anonymous). The login page calls `start`, the logout `end`; the cookie is set or removed on the response.
Anonymous visitors get no database row. The cookie is HttpOnly, SameSite=Lax, and Secure when the request
came over HTTPS (directly or through a trusted proxy, see `api.edge`) or the settings say so.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from certify.store.web_sessions import OpenSession, session_id

COOKIE = "certify_session"
OPEN_KEY = "certify.open_session"
_NEW = "certify.new_session"  # token of the session the login just opened
_ENDED = "certify.session_ended"
_NO_SESSION = ("/static/", "/assets/", "/favicon.ico")


def open_session(request: Request) -> OpenSession | None:
    found: OpenSession | None = request.scope.get(OPEN_KEY)
    return found


def current_id(request: Request) -> str | None:
    """The id of the session this response belongs to: the one the login just opened, or the open one."""
    new: str | None = request.scope.get(_NEW)
    if new is not None:
        return session_id(new)
    found = open_session(request)
    return found.id if found is not None else None


def is_https(scope: Scope, force: bool) -> bool:
    return force or scope.get("scheme") == "https"


def start(request: Request, username: str) -> None:
    """A new session for `username` (after a good password); the one the browser had, if any, ends.
    Called from a route run in the thread pool (it waits for the database)."""
    store = request.app.state.store
    end(request)
    token: str = store.open_session(username, request.app.state.settings.session_seconds)
    request.scope.pop(_ENDED, None)
    request.scope[_NEW] = token
    request.session.clear()


def end(request: Request) -> None:
    """Logout: the session is revoked in the database and the cookie removed (from the thread pool too)."""
    found = open_session(request)
    if found is not None:
        request.app.state.store.end_session(found.id)
    request.scope[OPEN_KEY] = None
    request.scope[_ENDED] = True
    request.session.clear()


class Sessions:
    def __init__(self, app: ASGIApp, seconds: int, force_secure: bool) -> None:
        self.app = app
        self.seconds = seconds
        self.force_secure = force_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        store = scope["app"].state.store
        if scope["path"].startswith(_NO_SESSION):  # files: no database read for them
            scope[OPEN_KEY], scope["session"] = None, {}
            await self.app(scope, receive, send)
            return
        token = _cookie_token(scope)
        found: OpenSession | None = None
        if token and store is not None:
            found = await run_in_threadpool(store.find_session, token)
        scope[OPEN_KEY] = found
        scope["session"] = dict(found.data) if found else {}
        before = json.dumps(scope["session"], sort_keys=True) if found is not None else ""  # compared only then
        stale = token is not None and found is None  # expired, revoked or unknown: remove it

        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                new: str | None = scope.get(_NEW)
                data: dict[str, Any] = scope["session"]
                if new is not None:
                    headers.append(self._set_cookie(scope, new))
                    if data:
                        await run_in_threadpool(store.save_session, session_id(new), data)
                elif scope.get(_ENDED) or stale:
                    headers.append(self._set_cookie(scope, None))
                elif found is not None and json.dumps(data, sort_keys=True) != before:
                    await run_in_threadpool(store.save_session, found.id, data)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_session)

    def _set_cookie(self, scope: Scope, token: str | None) -> tuple[bytes, bytes]:
        parts = [f"{COOKIE}={token or ''}", "Path=/", "HttpOnly", "SameSite=Lax"]
        parts.append(f"Max-Age={self.seconds if token else 0}")
        if is_https(scope, self.force_secure):
            parts.append("Secure")
        return b"set-cookie", "; ".join(parts).encode("latin-1")


def _cookie_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name != b"cookie":
            continue
        text: str = value.decode("latin-1")
        for part in text.split(";"):
            key, _, token = part.strip().partition("=")
            if key == COOKIE and token:
                return token[:200]  # an unknown value is simply not found (and the cookie removed)
    return None

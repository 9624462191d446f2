"""CSRF protection for every form and API POST.

Logged in, the token is bound to the session: an HMAC of the session's id under the app's secret key, so only
a page of that session carries it, and a token of another session (or of the time before login) is refused.
Anonymous (the login form, the public forms), it is a signed double-submit token: random, signed with the
secret (itsdangerous), sent both as a cookie and as a hidden field; a POST is accepted only if the two match
and the signature holds. A cross-site page can make the browser send cookies but can read neither token.
A script sends the token in the `X-CSRF-Token` header instead of the field (the JSON login answers it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request
from itsdangerous import BadSignature, URLSafeSerializer

from api import sessions
from certify.errors import CertifyError

COOKIE = "certify_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
COOKIE_KEY = "certify.csrf"  # the anonymous token a page's response must set as the cookie (api.rendering)


class CsrfError(CertifyError):
    """Answered with 403, same error shape."""


def _signer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="csrf")


def issue(secret: str, current: str | None) -> str:
    """Keep a valid cookie token (several tabs stay usable); otherwise make a new one."""
    if current and valid(secret, current):
        return current
    return str(_signer(secret).dumps(secrets.token_urlsafe(16)))


def valid(secret: str, token: str) -> bool:
    try:
        _signer(secret).loads(token)
    except BadSignature:
        return False
    return True


def bound(secret: str, session_id: str) -> str:
    """The token of one session."""
    return hmac.new(secret.encode(), b"csrf:" + session_id.encode(), hashlib.sha256).hexdigest()


def _secret(request: Request) -> str:
    secret: str = request.app.state.secret_key
    return secret


def token_for(request: Request) -> str:
    """The token a page puts in its forms (an anonymous page's response also sets the cookie: api.rendering)."""
    secret = _secret(request)
    sid = sessions.current_id(request)
    if sid is not None:
        return bound(secret, sid)
    token = issue(secret, request.cookies.get(COOKIE))
    request.scope[COOKIE_KEY] = token
    return token


async def require_csrf(request: Request) -> None:
    """Dependency of every form POST."""
    secret = _secret(request)
    sent = request.headers.get(HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    sid = sessions.current_id(request)
    if sid is not None:
        ok = bool(sent) and hmac.compare_digest(str(sent), bound(secret, sid))
    else:
        cookie = request.cookies.get(COOKIE)
        ok = bool(cookie and sent and hmac.compare_digest(cookie, sent) and valid(secret, cookie))
    if not ok:
        raise CsrfError.one(
            "csrf",
            "Phiên biểu mẫu không hợp lệ hoặc đã hết hạn: tải lại trang rồi gửi lại",
            "Form token missing or invalid: reload the page and submit again",
            path=(FIELD,),
            expected="csrf token",
            found="missing" if not sent else "mismatch",
        )

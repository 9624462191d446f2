"""CSRF protection for every HTML form: a signed double-submit token.

The token is random, signed with the app's secret (itsdangerous) and sent both as a cookie and
as a hidden form field; a POST is accepted only if the two match and the signature holds. A
cross-site page can make the browser send the cookie but cannot read it to fill the field.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from itsdangerous import BadSignature, URLSafeSerializer

from certify.errors import CertifyError

COOKIE = "certify_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"


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


def token_for(request: Request) -> str:
    """The token a page puts in its forms; the cookie is set by the page's response (see pages.render)."""
    secret: str = request.app.state.settings.secret_key
    token = issue(secret, request.cookies.get(COOKIE))
    request.scope["certify.csrf"] = token
    return token


async def require_csrf(request: Request) -> None:
    """Dependency of every form POST."""
    secret: str = request.app.state.settings.secret_key
    cookie = request.cookies.get(COOKIE)
    sent = request.headers.get(HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    if not cookie or not sent or not hmac.compare_digest(cookie, sent) or not valid(secret, cookie):
        raise CsrfError.one(
            "csrf",
            "Phiên biểu mẫu không hợp lệ hoặc đã hết hạn: tải lại trang rồi gửi lại",
            "Form token missing or invalid: reload the page and submit again",
            path=(FIELD,),
            expected="csrf token",
            found="missing" if not sent else "mismatch",
        )

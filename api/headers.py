"""Security headers on every response: pages, API, static files, errors (the 500 page too, see `api.handlers`).

The Content-Security-Policy allows scripts, styles, fonts and connections from this site only: no inline
script, no inline event handler, no `style` attribute or element, no `eval` (the pages keep their scripts in
/static and htmx runs with its inline indicator styles and eval turned off, see base.html). No page may be
shown in a frame (`frame-ancestors 'none'`, and `X-Frame-Options: DENY` for old browsers), so a confirmation
page cannot be overlaid by another site (clickjacking). The offline API reference at /api/redoc is the one
page given inline styles and a worker from a blob: its vendored ReDoc inserts `<style>` elements and runs its
search in a worker; its scripts are still this site's files only.
"""

from __future__ import annotations

from starlette.types import Message

_BASE = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # data: for the SVG icons inside the vendored Swagger UI stylesheet
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
REDOC_PATH = "/api/redoc"


def _policy(**changes: str) -> str:
    return "; ".join(f"{k} {v}" for k, v in (_BASE | {k.replace("_", "-"): v for k, v in changes.items()}).items())


CSP = _policy()
REDOC_CSP = _policy(style_src="'self' 'unsafe-inline'", worker_src="'self' blob:")

_COMMON = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


# Encoded once: every response carries them.
_HEADERS = ((b"content-security-policy", CSP.encode()), *_COMMON)
_REDOC_HEADERS = ((b"content-security-policy", REDOC_CSP.encode()), *_COMMON)


def _ours(path: str) -> tuple[tuple[bytes, bytes], ...]:
    return _REDOC_HEADERS if path == REDOC_PATH else _HEADERS


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    """The headers every response of `path` carries."""
    return list(_ours(path))


def add_security_headers(message: Message, path: str) -> Message:
    """`message` (an ASGI http.response.start) with the security headers it does not already have."""
    headers = message.get("headers", [])
    present = {name.lower() for name, _ in headers}
    return {**message, "headers": [*headers, *[(name, value) for name, value in _ours(path) if name not in present]]}

"""ASGI middleware at the edge: trusted proxies, security headers, JSON twins (`/page.json`), language choice,
body size limit.

X-Forwarded-For and X-Forwarded-Proto are believed only when the connection comes from a trusted proxy
(`CERTIFY_TRUSTED_PROXIES`): then the client is the last address of X-Forwarded-For that is not itself a
trusted proxy, and the scheme the proxy saw (https makes cookies Secure). From anyone else they are ignored,
so a client can neither pick the address the login limit counts nor pretend to be on HTTPS.

Plain ASGI rather than `BaseHTTPMiddleware`, which would add a task hop to every request
(measured by bench/api_bench.py).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.headers import add_security_headers
from api.i18n import LANG_COOKIE, LANGS, pick_lang
from api.problems import body, http_problem

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
JSON_FLAG = "certify.json"
LANG_KEY = "certify.lang"
UPLOAD_SUFFIX = "/evidence"
_NOT_TWINS = ("/api/", "/static/", "/openapi.json")


class Edge:
    def __init__(
        self,
        app: ASGIApp,
        default_lang: str,
        max_body: int,
        secure: bool,
        max_upload: int | None = None,
        proxies: Sequence[Network] = (),
    ) -> None:
        self.app = app
        self.proxies = tuple(proxies)
        self.max_upload = max_upload or max_body  # evidence uploads (POST …/evidence) may be larger
        self.default_lang = default_lang
        self.max_body = max_body
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        path: str = scope["path"]
        send = _secured(send, path)
        if self.proxies:
            _apply_forwarded(scope, self.proxies)
        if path.endswith(".json") and not path.startswith(_NOT_TWINS):
            scope["path"] = path[: -len(".json")] or "/"
            scope["raw_path"] = scope["path"].encode()
            scope[JSON_FLAG] = True
        length, cookies = b"0", b""
        for name, value in scope["headers"]:  # the last of each, as a dict of them would keep
            if name == b"content-length":
                length = value
            elif name == b"cookie":
                cookies = value
        limit = self.max_upload if path.endswith(UPLOAD_SUFFIX) and scope["method"] == "POST" else self.max_body
        if length.isdigit() and int(length) > limit:
            response = JSONResponse(body([http_problem(413)]), status_code=413)
            await response(scope, receive, send)
            return
        raw_query: bytes = scope.get("query_string", b"")
        query = parse_qs(raw_query.decode("latin-1")).get("lang", [None])[-1] if raw_query else None
        cookie_lang = _cookie(cookies, LANG_COOKIE) if cookies else None
        scope[LANG_KEY] = pick_lang(query, cookie_lang, self.default_lang)
        if query not in LANGS or query == cookie_lang:
            await self.app(scope, receive, send)
            return
        secure = self.secure or scope.get("scheme") == "https"
        cookie = f"{LANG_COOKIE}={query}; Path=/; Max-Age=31536000; SameSite=Lax" + ("; Secure" if secure else "")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cookie(raw: bytes, name: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw.decode("latin-1"))
    except Exception:  # a malformed Cookie header only loses the language choice
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def _secured(send: Send, path: str) -> Send:
    """`send` adding the security headers (`api.headers`) to the response, whichever part of the app answers."""

    async def send_secured(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = add_security_headers(message, path)
        await send(message)

    return send_secured


def _trusted(host: str, proxies: Sequence[Network]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in proxies)


def _apply_forwarded(scope: Scope, proxies: Sequence[Network]) -> None:
    """Client address and scheme from a trusted proxy's X-Forwarded-For / -Proto (`scope` is the edge's copy)."""
    client = scope.get("client")
    if not client or not _trusted(client[0], proxies):
        return
    headers = [(k.lower(), v.decode("latin-1")) for k, v in scope["headers"]]
    hops = [h.strip() for k, v in headers if k == b"x-forwarded-for" for h in v.split(",") if h.strip()]
    for hop in reversed(hops):  # the nearest proxy appended last; the first untrusted address is the client
        if not _trusted(hop, proxies):
            scope["client"] = (hop, 0)
            break
    else:
        if hops:
            scope["client"] = (hops[0], 0)
    protos = [p.strip().lower() for k, v in headers if k == b"x-forwarded-proto" for p in v.split(",")]
    if protos and protos[-1] in ("http", "https"):
        scope["scheme"] = protos[-1]

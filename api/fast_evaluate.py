"""`POST /api/evaluate` answered without FastAPI's request machinery when the request is the plain case.

The route (`api.routes.evaluate_api.evaluate`) stays what documents and defines the endpoint: OpenAPI, validation
errors, every unusual request. This ASGI middleware, innermost of the app's (inside the edge and the sessions,
so the security headers, limits and cookies are theirs as for any answer), takes a request only when it is the
plain case — `POST /api/evaluate`, `Content-Type: application/json`, no query or `detail=summary|full`, a JSON
body that is a valid assessment of a framework the catalog has — and answers it with the route's own function
(`answer`), so the bytes are the route's. Anything else, or any error on the way (a body that does not parse or
validate, a problem the core raises), is handed to the app with the body replayed as it came: the route then
answers it, errors and all, exactly as without this middleware.

Why: the routing, dependency solving and request objects cost about a tenth of a stateless evaluation (measured
by bench/api_bench.py on 2 cores), the part of each request that is neither uvicorn's nor the certification's.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.routes.evaluate_api import answer
from certify.levels.assessment import Assessment

PATH = "/api/evaluate"
_DETAIL = {b"": "summary", b"detail=summary": "summary", b"detail=full": "full"}
_ASSESSMENT: TypeAdapter[Assessment] = TypeAdapter(Assessment)


class FastEvaluate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = _DETAIL.get(scope.get("query_string", b"")) if scope["type"] == "http" else None
        if detail is None or scope["path"] != PATH or scope["method"] != "POST" or not _json(scope["headers"]):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        chunks: list[bytes] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":  # the client went away: the app sees it as it came
                await self.app(scope, _replay(messages, receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        try:
            assessment = _ASSESSMENT.validate_python(json.loads(b"".join(chunks)))  # as the route reads its body
            response = answer(scope["app"].state.catalog, assessment, detail)
        except Exception:  # the route answers it again, the same way it answers without this middleware
            await self.app(scope, _replay(messages, receive), send)
            return
        await response(scope, receive, send)


def _json(headers: Any) -> bool:
    """The request says its body is JSON exactly so (the other spellings go the route's way)."""
    found = [value for name, value in headers if name == b"content-type"]
    return found == [b"application/json"]


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """`receive` giving the messages already read first, then the rest."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay

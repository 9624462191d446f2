"""POST /api/evaluate answers the same with and without `api.fast_evaluate`: status, headers and bytes, for the
plain requests it takes and for every other one it hands to the route (errors included)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from starlette.middleware import Middleware

from api.app import create_app
from api.evaluation import certify_one, evaluation_json, evaluation_summary
from api.fast_evaluate import FastEvaluate
from api.routes.evaluate_api import CoreJSON
from certify.catalog import Catalog, bundled_root
from certify.levels.assessment import Assessment
from certify.settings import Settings
from tests.api.conftest import SAMPLE
from tests.api.test_api import sample_body

BODY = sample_body(bundled_root("samples") / "assessments" / f"{SAMPLE}.yaml")
JSON = {"content-type": "application/json"}


def _app(fast: bool) -> FastAPI:
    app = create_app(Settings(secret_key="test-secret"), catalog=Catalog([bundled_root("frameworks")]), store=None)
    if not fast:
        app.user_middleware = [m for m in app.user_middleware if m.cls is not FastEvaluate]
    return app


@pytest.fixture(scope="module")
def clients() -> Any:
    with TestClient(_app(True)) as fast, TestClient(_app(False)) as plain:
        yield fast, plain


def _with(**changes: Any) -> bytes:
    return json.dumps(BODY | changes).encode()


def _values(**changes: Any) -> bytes:
    return _with(values=BODY["values"] | changes)


CASES: dict[str, tuple[str, bytes, dict[str, str]]] = {
    "summary": ("", json.dumps(BODY).encode(), JSON),
    "detail=summary": ("detail=summary", json.dumps(BODY).encode(), JSON),
    "detail=full": ("detail=full", json.dumps(BODY).encode(), JSON),
    "chosen language": ("lang=en", json.dumps(BODY).encode(), JSON),
    "unknown detail": ("detail=all", json.dumps(BODY).encode(), JSON),
    "charset given": ("", json.dumps(BODY).encode(), {"content-type": "application/json; charset=utf-8"}),
    "no content type": ("", json.dumps(BODY).encode(), {}),
    "form content type": ("", json.dumps(BODY).encode(), {"content-type": "application/x-www-form-urlencoded"}),
    "not JSON": ("", b"{not json", JSON),
    "empty body": ("", b"", JSON),
    "not UTF-8": ("", b'{"unit": "\xff"}', JSON),
    "a list": ("", b"[]", JSON),
    "unknown framework": ("", _with(framework="no-such@1.0"), JSON),
    "missing field": ("", json.dumps({k: v for k, v in BODY.items() if k != "tier"}).encode(), JSON),
    "bad value": ("", _values(**{"CQS-01": {"numerator": 9, "denominator": 3}}), JSON),
    "unknown criterion": ("", _values(**{"XX-99": 1}), JSON),
    "deep nesting": ("", b"[" * 100_000 + b"]" * 100_000, JSON),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_same_answer_with_and_without_the_fast_path(clients: Any, case: str) -> None:
    query, content, headers = CASES[case]
    url = "/api/evaluate" + (f"?{query}" if query else "")
    answers = [client.post(url, content=content, headers=headers) for client in clients]
    fast, plain = ((r.status_code, sorted(r.headers.multi_items()), r.content) for r in answers)
    assert fast == plain
    if case in ("summary", "detail=full"):
        assert answers[0].status_code == 200 and answers[0].json()["unit"] == BODY["unit"]
    elif case not in ("detail=summary", "chosen language", "charset given", "no content type"):
        assert answers[0].status_code >= 400 and answers[0].json()["errors"]


class _Recorder:
    """Records the requests that get past the fast path (set innermost, between it and the routes)."""

    def __init__(self, app: Any, seen: list[str]) -> None:
        self.app, self.seen = app, seen

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen.append(scope["path"])
        await self.app(scope, receive, send)


def test_the_plain_request_is_answered_before_the_route() -> None:
    """The middleware does answer the plain request itself; the others reach the route."""
    app = _app(True)
    reached: list[str] = []
    app.user_middleware.append(Middleware(_Recorder, seen=reached))
    with TestClient(app) as client:
        assert client.post("/api/evaluate", json=BODY).status_code == 200
        assert client.post("/api/evaluate?detail=full", json=BODY).status_code == 200
        assert reached == []
        assert client.post("/api/evaluate", content=b"{", headers=JSON).status_code == 422
        assert client.post("/api/gap", json=BODY).status_code == 200
        assert reached == ["/api/evaluate", "/api/gap"]


@pytest.mark.parametrize("detail", ["summary", "full"])
def test_the_answer_is_encoded_as_json_response_encodes_it(detail: str) -> None:
    catalog = Catalog([bundled_root("frameworks")])
    for path in sorted((bundled_root("samples") / "assessments").glob("*.yaml")):
        ev = certify_one(catalog, Assessment.model_validate(sample_body(path)))
        content = evaluation_summary(ev) if detail == "summary" else evaluation_json(ev)
        assert CoreJSON(content).body == JSONResponse(content).body

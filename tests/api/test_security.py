"""What a person, or an attacker, sees of the web app's defences: security headers on every kind of response,
framing refused, the API reference from this site only (see also test_e2e_api_docs.py in Chromium)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from certify.catalog import Catalog, bundled_root
from certify.settings import Settings
from tests.api.store_fixtures import login


def _csp(r: httpx.Response) -> dict[str, str]:
    policy = r.headers.get("content-security-policy", "")
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in (p.strip() for p in policy.split(";"))}


def _assert_secured(r: httpx.Response) -> None:
    where = f"{r.request.method} {r.request.url.path} → {r.status_code}"
    csp = _csp(r)
    assert csp.get("frame-ancestors") == "'none'", where
    assert csp.get("script-src") == "'self'", where  # no inline script, no eval, no other site
    assert csp.get("object-src") == "'none'" and csp.get("base-uri") == "'none'", where
    assert r.headers.get("x-frame-options") == "DENY", where
    assert r.headers.get("x-content-type-options") == "nosniff", where
    assert r.headers.get("referrer-policy") == "same-origin", where


@pytest.fixture(scope="module")
def plain() -> Iterator[TestClient]:
    """The stateless app, with one route that fails unexpectedly (an internal error)."""
    app = create_app(Settings(secret_key="test-secret"), catalog=Catalog([bundled_root("frameworks")]), store=None)

    def boom() -> None:
        raise RuntimeError("unexpected")

    app.add_api_route("/api/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/", 200),  # a page
        ("GET", "/frameworks.json", 200),  # a JSON twin
        ("GET", "/api/frameworks", 200),  # the API
        ("GET", "/openapi.json", 200),
        ("GET", "/static/app.css", 200),  # a static file
        ("GET", "/static/htmx.min.js", 200),
        ("GET", "/assets/levels.css", 200),  # a generated one
        ("GET", "/favicon.ico", 200),
        ("GET", "/api/docs", 200),
        ("GET", "/docs", 308),  # a redirect
        ("GET", "/no-such-page", 404),  # errors: a page, the API, a static file
        ("GET", "/api/frameworks/no-such", 404),
        ("GET", "/static/no-such.js", 404),
        ("POST", "/api/evaluate", 422),
        ("GET", "/api/boom", 500),
        ("DELETE", "/api/frameworks", 405),
    ],
)
def test_every_kind_of_response_carries_the_headers(plain: TestClient, method: str, url: str, status: int) -> None:
    r = plain.request(method, url, json={} if method == "POST" else None, follow_redirects=False)
    assert r.status_code == status
    _assert_secured(r)


def test_an_oversized_body_is_refused_with_the_headers(plain: TestClient) -> None:
    big = b"{" + b" " * 2_000_000 + b"}"
    r = plain.post("/api/evaluate", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    _assert_secured(r)


def test_pages_carry_no_inline_script_or_style(plain: TestClient) -> None:
    """The policy forbids inline code, so a page that had some would break: none has."""
    for url in ("/", "/frameworks", "/assess/sample-2361-commune", "/units/2024-xa-my-loc", "/login", "/api/docs"):
        text = plain.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), url
        assert not re.search(r"\son[a-z]+=|\sstyle=|<style|javascript:", text, re.I), url


def test_admin_confirmation_cannot_be_framed(stored_app: FastAPI) -> None:
    """The page that disables an account, as the admin sees it: a browser refuses to show it inside another site."""
    with TestClient(stored_app) as client:
        login(client, "admin")
        r = client.get("/admin/users/editor/disable")
        assert r.status_code == 200 and "editor" in r.text
        _assert_secured(r)


def test_api_reference_uses_only_this_sites_files(plain: TestClient) -> None:
    for url, viewer in (("/api/docs", "swagger-ui-bundle.js"), ("/api/redoc", "redoc.standalone.js")):
        page = plain.get(url)
        assert page.status_code == 200 and viewer in page.text
        refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert refs and all(ref.startswith("/") and not ref.startswith("//") for ref in refs), refs
        for ref in refs:
            assert plain.get(ref).status_code == 200, ref
    assert plain.get("/docs", follow_redirects=False).headers["location"] == "/api/docs"
    assert plain.get("/redoc", follow_redirects=False).headers["location"] == "/api/redoc"
    icon = plain.get("/favicon.ico")
    assert icon.headers["content-type"] == "image/x-icon" and icon.content[:4] == b"\x00\x00\x01\x00"

"""What a person, or an attacker, sees of the web app's defences: security headers on every kind of response,
framing refused, the API reference from this site only (see also test_e2e_api_docs.py in Chromium); sessions
that end at logout, disable and reset (a copied cookie included); cookies Secure over HTTPS; X-Forwarded-*
believed from configured proxies only; form tokens bound to the session."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from api import csrf
from api.app import create_app
from api.auth import LoginLimiter
from api.sessions import COOKIE
from certify.catalog import Catalog, bundled_root
from certify.settings import Settings
from certify.store.accounts import WebSession
from certify.store.engine import transaction
from tests.api.store_fixtures import OWN, PASSWORD, login, token


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


# --- sessions ----------------------------------------------------------------------------------------------

UNIT_JSON = f"/cycles/1/units/{OWN}.json"  # the editor's own unit file: 403 to anyone not logged in


def _session_cookie(r: httpx.Response) -> str:
    found = [c for c in r.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}=")]
    assert found, r.headers
    return found[-1]


def _as(app: FastAPI, cookie_value: str) -> int:
    """What someone holding a copy of the cookie gets on the editor's unit file, from another browser."""
    with TestClient(app) as other:
        other.cookies.set(COOKIE, cookie_value)
        status: int = other.get(UNIT_JSON).status_code
        return status


def test_a_cookie_copied_before_logout_is_refused_after(stored_app: FastAPI) -> None:
    with TestClient(stored_app) as client:
        tok = login(client, "editor")
        copied = client.cookies[COOKIE]
        assert _as(stored_app, copied) == 200  # the copy works while the session lives
        r = client.post("/logout", data={"csrf_token": tok}, follow_redirects=False)
        assert r.status_code == 303 and "Max-Age=0" in _session_cookie(r)
    assert _as(stored_app, copied) == 403
    with TestClient(stored_app) as other:  # a page shows the holder of the copy as anonymous
        other.cookies.set(COOKIE, copied)
        home = other.get("/")
        assert 'id="whoami"' not in home.text and "Đăng nhập" in home.text


def test_disabling_and_resetting_end_every_session(stored_app: FastAPI) -> None:
    with TestClient(stored_app) as editor, TestClient(stored_app) as editor2, TestClient(stored_app) as admin:
        login(editor, "editor")
        login(editor2, "editor2")
        tok = login(admin, "admin")
        copied, copied2 = editor.cookies[COOKIE], editor2.cookies[COOKIE]
        r = admin.post("/admin/users/editor/disable", data={"csrf_token": tok, "confirm": "yes"})
        assert r.status_code == 200
        r = admin.post("/admin/users/editor2/reset-password", data={"csrf_token": tok, "confirm": "yes"})
        assert r.status_code == 200
        assert editor.get(UNIT_JSON).status_code == 403 and _as(stored_app, copied) == 403
        assert _as(stored_app, copied2) == 403
        assert editor2.get("/cycles/1/units/29836.json").status_code == 403


def test_the_cookie_holds_a_random_token_only(stored_app: FastAPI) -> None:
    """Nothing readable in the cookie (no username); the database keeps the token's hash, not the token."""
    with TestClient(stored_app) as client:
        login(client, "editor")
        value = client.cookies[COOKIE]
    assert "editor" not in value and len(value) >= 40
    with transaction(stored_app.state.store.engine) as s:
        ids = list(s.scalars(select(WebSession.id)))
    assert value not in ids and hashlib.sha256(value.encode()).hexdigest() in ids


def _login_response(client: TestClient, **headers: str) -> httpx.Response:
    return client.post(
        "/login",
        data={"username": "editor", "password": PASSWORD, "csrf_token": token(client)},
        headers=headers,
        follow_redirects=False,
    )


def test_cookies_are_secure_over_https_only(stored_app: FastAPI) -> None:
    with TestClient(stored_app, base_url="https://certify.example") as client:
        cookie = _session_cookie(_login_response(client))
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with TestClient(stored_app) as client:  # plain HTTP in an office LAN: a Secure cookie would never come back
        assert "Secure" not in _session_cookie(_login_response(client))


def test_a_client_cannot_claim_https_or_an_address(stored_app: FastAPI) -> None:
    """X-Forwarded-* from a client that is not a configured proxy changes nothing."""
    with TestClient(stored_app, client=("203.0.113.7", 40000)) as client:
        r = _login_response(client, **{"x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.1"})
        assert "Secure" not in _session_cookie(r)


def _app_behind_proxy(stored_app: FastAPI) -> FastAPI:
    db = Path(stored_app.state.store.engine.url.database)
    settings = Settings(
        secret_key="test-secret",
        database_url=f"sqlite:///{db}",
        evidence_dir=db.parent / "evidence",
        trusted_proxies="10.0.0.5, 192.168.1.0/24",
    )
    return create_app(settings, catalog=Catalog([bundled_root("frameworks")]))


def test_a_trusted_proxy_is_believed(stored_app: FastAPI) -> None:
    app = _app_behind_proxy(stored_app)
    with TestClient(app, client=("10.0.0.5", 40000)) as client:  # the configured proxy
        r = _login_response(client, **{"x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.1"})
        assert "Secure" in _session_cookie(r)
    with TestClient(app, client=("203.0.113.7", 40000)) as client:  # anyone else, same headers
        r = _login_response(client, **{"x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.1"})
        assert "Secure" not in _session_cookie(r)


def _failures(app: FastAPI, client_address: str, forwarded: list[str]) -> list[int]:
    """Failed logins for invented names, each claiming another X-Forwarded-For: the answers' statuses."""
    statuses = []
    with TestClient(app, client=(client_address, 40000)) as client:
        for i, claimed in enumerate(forwarded):
            r = client.post(
                "/login",
                data={"username": f"guess{i}", "password": "wrong-password", "csrf_token": token(client)},
                headers={"x-forwarded-for": claimed},
            )
            statuses.append(r.status_code)
    return statuses


def test_the_login_limit_counts_the_real_address(stored_app: FastAPI) -> None:
    stored_app.state.login_limiter = LoginLimiter(100, 3, 900)
    # A guesser inventing a new X-Forwarded-For for each try is still one address: blocked after 3.
    assert _failures(stored_app, "127.0.0.1", ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"]) == [401, 401, 401, 429]
    # Behind a trusted proxy, the clients it forwards are counted apart (the proxy itself is not blocked).
    app = _app_behind_proxy(stored_app)
    app.state.login_limiter = LoginLimiter(100, 3, 900)
    claimed = ["198.51.100.1", "198.51.100.2", "198.51.100.1", "198.51.100.2", "198.51.100.1", "198.51.100.1"]
    assert _failures(app, "192.168.1.20", claimed) == [401, 401, 401, 401, 401, 429]


# --- CSRF bound to the session ------------------------------------------------------------------------------


def test_a_form_token_of_another_session_is_refused(stored_app: FastAPI) -> None:
    with TestClient(stored_app) as victim, TestClient(stored_app) as attacker:
        login(victim, "admin")
        stolen = login(attacker, "appraiser")  # a token the attacker can read: their own session's
        r = victim.post("/logout", data={"csrf_token": stolen}, headers={"accept": "application/json"})
        assert r.status_code == 403 and r.json()["errors"][0]["code"] == "csrf"
        # An anonymous cookie-and-field pair (valid before login, or planted by a sibling site) is refused too.
        anon = csrf.issue(stored_app.state.secret_key, None)
        victim.cookies.set(csrf.COOKIE, anon)
        r = victim.post("/logout", data={"csrf_token": anon}, headers={"accept": "application/json"})
        assert r.status_code == 403
        assert victim.get("/").text.count('id="whoami"') == 1  # still logged in: nothing happened


def test_the_json_login_hands_the_sessions_token(stored_app: FastAPI) -> None:
    with TestClient(stored_app) as client:
        r = client.post("/login.json", data={"username": "editor", "password": PASSWORD, "csrf_token": token(client)})
        assert r.status_code == 200
        tok = r.json()["csrf_token"]
        assert tok == token(client, "/")  # the same token the pages carry
        assert client.post("/logout", headers={"x-csrf-token": tok}, follow_redirects=False).status_code == 303


# --- password policy -------------------------------------------------------------------------------------------

WEAK = [
    ("password", "ít nhất 12 ký tự", "at least 12 characters"),
    ("12345678", "ít nhất 12 ký tự", "at least 12 characters"),
    ("123456789012", "chỉ gồm chữ số", "only digits"),
    ("qwerty123456", "quá phổ biến", "too common"),  # on the bundled list as it is
    ("Password2025!", "quá phổ biến", "too common"),  # a listed one with digits and signs around it
    ("xa.tracon-2025-ok", "chứa tên đăng nhập", "contain the username"),
    ("XA.TRACON.mua-thu", "chứa tên đăng nhập", "contain the username"),  # whatever the case
]


@pytest.mark.parametrize(("password", "vi", "en"), WEAK)
def test_the_admin_page_refuses_weak_passwords(stored_app: FastAPI, password: str, vi: str, en: str) -> None:
    with TestClient(stored_app) as client:
        tok = login(client, "admin")
        form = {"csrf_token": tok, "username": "xa.tracon", "role": "province_admin", "password": password}
        page = client.post("/admin/users", data=form)
        assert page.status_code == 422 and vi in page.text and f'value="{password}"' not in page.text  # not echoed
        r = client.post("/admin/users", data=form, headers={"accept": "application/json"})
        err = r.json()["errors"][0]
        assert r.status_code == 422 and err["code"] == "weak-password" and err["path"] == "password"
        assert vi in err["message_vi"] and en in err["message_en"]
        assert "xa.tracon" not in {u["username"] for u in client.get("/admin/users.json").json()["users"]}


def test_the_command_line_refuses_weak_passwords(stored_app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from rich.console import Console

    from certify.cli.app import app
    from certify.cli.common import EXIT_INVALID, run_guarded

    monkeypatch.setenv("CERTIFY_DATABASE_URL", str(stored_app.state.store.engine.url))

    def run(args: list[str], password: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
        err = Console(record=True, width=400)
        return run_guarded(app, err, args), err.export_text()

    add = ["user", "add", "xa.moi", "--role", "province_admin", "--password-stdin"]
    code, err = run(add, "qwerty123456")
    assert code == EXIT_INVALID and "quá phổ biến" in err and "too common" in err and "qwerty" not in err
    assert "found" not in err  # nothing of the password is shown
    code, err = run(add, "0912-345-678-1990")  # a phone number and a year
    assert code == EXIT_INVALID and "chỉ gồm chữ số và ký hiệu" in err
    code, err = run(["user", "reset-password", "editor", "--password-stdin", "--yes"], "editor-mua-he-2025")
    assert code == EXIT_INVALID and "chứa tên đăng nhập" in err and "contain the username" in err
    assert run(add, "ba con meo tren mai nha")[0] == 0  # a long phrase passes


def test_a_user_changes_their_own_password(stored_app: FastAPI) -> None:
    with TestClient(stored_app) as client, TestClient(stored_app) as elsewhere:
        login(elsewhere, "editor")  # the same account logged in on another computer
        tok = login(client, "editor")
        page = client.get("/account/password")
        assert page.status_code == 200 and "Đổi mật khẩu" in page.text
        form = {"csrf_token": tok, "current": PASSWORD, "new": "editor2026abc", "confirm": "editor2026abc"}
        r = client.post("/account/password", data=form)
        assert r.status_code == 422 and "không được chứa tên đăng nhập" in r.text
        wrong = {"current": "not-my-password", "new": "trang-len-den-giua-troi", "confirm": "trang-len-den-giua-troi"}
        r = client.post("/account/password", data=form | wrong)
        assert r.status_code == 422 and "Mật khẩu hiện tại không đúng" in r.text
        new = "trang-len-den-giua-troi"
        r = client.post("/account/password", data=form | {"new": new, "confirm": new + "!"})
        assert r.status_code == 422 and "không giống nhau" in r.text
        r = client.post("/account/password", data=form | {"new": new, "confirm": new})
        assert r.status_code == 200 and "Đã đổi mật khẩu" in r.text and 'id="whoami"' in r.text  # still in
        assert client.get(UNIT_JSON).status_code == 200
        assert elsewhere.get(UNIT_JSON).status_code == 403  # the other computer's session ended
    with TestClient(stored_app) as fresh:
        r = fresh.post("/login", data={"username": "editor", "password": new, "csrf_token": token(fresh)})
        assert r.status_code == 200 and 'id="whoami"' in r.text


def test_changing_a_password_needs_a_login(stored_app: FastAPI) -> None:
    with TestClient(stored_app) as client:
        assert client.get("/account/password").status_code == 403

"""Failed logins are limited per username and per client address: 429 with Retry-After, the password not even
checked while blocked, a success clearing the username's count; counted in the database (shared by every
worker); a fake clock instead of sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.auth import LoginLimiter
from api.store import Store
from certify.settings import Settings
from certify.store.engine import transaction
from certify.store.web_sessions import LoginFailure
from tests.api.store_fixtures import PASSWORD, make_app, token

WINDOW = 900.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    s = Settings(secret_key="x")
    assert (s.login_max_failures, s.login_max_failures_per_ip, s.login_window_seconds) == (5, 20, 900)
    monkeypatch.setenv("CERTIFY_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("CERTIFY_LOGIN_WINDOW_SECONDS", "60")
    limiter = LoginLimiter.from_settings(Settings(secret_key="x"))
    assert (limiter.max_per_user, limiter.max_per_ip, limiter.window) == (3, 20, 60)


@pytest.fixture
def store(stored_app: FastAPI) -> Store:
    found: Store = stored_app.state.store
    return found


def test_user_limit_and_window(store: Store) -> None:
    clock = Clock()
    lim = LoginLimiter(3, 100, WINDOW, clock=clock)
    for _ in range(2):
        lim.failed(store, "a", "1.1.1.1")
        clock.now += 10
    assert lim.retry_after(store, "a", "1.1.1.1") == 0
    lim.failed(store, "a", "1.1.1.1")  # third failure at t=1020; the first was at t=1000
    assert lim.retry_after(store, "a", "9.9.9.9") == pytest.approx(WINDOW - 20)  # from any address
    assert lim.retry_after(store, "b", "1.1.1.1") == 0  # another name from the same address is not blocked
    clock.now = 1000 + WINDOW  # the oldest failure leaves the window: one attempt more
    assert lim.retry_after(store, "a", "1.1.1.1") == 0
    lim.failed(store, "a", "1.1.1.1")
    assert lim.retry_after(store, "a", "1.1.1.1") == pytest.approx(10)


def test_success_clears_the_user_but_not_the_address(store: Store) -> None:
    lim = LoginLimiter(3, 4, WINDOW, clock=Clock())
    lim.failed(store, "a", "ip")
    lim.failed(store, "a", "ip")
    lim.succeeded(store, "a")
    lim.failed(store, "a", "ip")
    lim.failed(store, "a", "ip")
    assert lim.retry_after(store, "a", "other") == 0  # 2 since the success, not 4
    assert lim.retry_after(store, "z", "ip") > 0  # the address has 4 failures: blocked for every name


def test_address_limit_across_names(store: Store) -> None:
    lim = LoginLimiter(5, 3, WINDOW, clock=Clock())
    for name in ("a", "b", "c"):
        lim.failed(store, name, "ip")
    assert lim.retry_after(store, "fresh", "ip") == pytest.approx(WINDOW)
    assert lim.retry_after(store, "fresh", "other-ip") == 0


def test_old_failures_are_forgotten(store: Store) -> None:
    """A spray of invented usernames cannot grow the table without bound: failures past the window go."""
    clock = Clock()
    lim = LoginLimiter(5, 5, WINDOW, clock=clock)
    for i in range(10):
        lim.failed(store, f"user{i}", f"ip{i}")
    clock.now += WINDOW
    lim.failed(store, "late", "ip-late")
    with transaction(store.engine) as s:  # type: ignore[attr-defined]
        assert sorted(s.scalars(select(LoginFailure.key))) == ["ip-late", "late"]


def test_the_count_is_shared_by_every_worker(stored_app: FastAPI) -> None:
    """Two app instances on one database (two worker processes) count the same failures."""
    other = make_app(Path(stored_app.state.store.engine.url.database))
    lim = LoginLimiter(3, 100, WINDOW, clock=Clock())
    lim.failed(stored_app.state.store, "a", "ip1")
    lim.failed(other.state.store, "a", "ip2")
    lim.failed(stored_app.state.store, "a", "ip3")
    assert lim.retry_after(other.state.store, "a", "ip4") > 0


# --- over HTTP -------------------------------------------------------------------------------------------


@pytest.fixture
def limited(stored_app: FastAPI) -> Iterator[tuple[TestClient, Clock, list[str]]]:
    """3 failures per name, 5 per address; records which usernames reached the password check."""
    clock = Clock()
    stored_app.state.login_limiter = LoginLimiter(3, 5, WINDOW, clock=clock)
    store = stored_app.state.store
    checked: list[str] = []
    real = store.authenticate

    def spy(username: str, password: str) -> Any:
        checked.append(username)
        return real(username, password)

    store.authenticate = spy
    with TestClient(stored_app) as c:
        yield c, clock, checked


def _login(client: TestClient, username: str, password: str, **headers: str) -> Any:
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token(client)},
        headers=headers,
        follow_redirects=False,
    )


def test_429_with_retry_after_and_no_password_check(limited: tuple[TestClient, Clock, list[str]]) -> None:
    client, clock, checked = limited
    for _ in range(3):
        assert _login(client, "editor", "sai-mat-khau").status_code == 401
    assert len(checked) == 3
    r = _login(client, "editor", PASSWORD)  # even the right password: not checked while blocked
    assert r.status_code == 429 and r.headers["retry-after"] == str(int(WINDOW))
    assert "Đăng nhập sai quá nhiều lần, thử lại sau 15 phút" in r.text and len(checked) == 3
    r = _login(client, "editor", PASSWORD, accept="application/json")
    assert r.status_code == 429 and int(r.headers["retry-after"]) == int(WINDOW)
    err = r.json()["errors"][0]
    assert err["code"] == "too-many-logins" and err["path"] == "username"
    assert err["message_en"] == "Too many failed logins, try again in 15 minutes"
    assert len(checked) == 3
    assert _login(client, "appraiser", PASSWORD).status_code == 303  # others are not locked out

    clock.now += WINDOW - 30
    r = _login(client, "editor", PASSWORD, accept="application/json")
    assert r.status_code == 429 and r.headers["retry-after"] == "30"
    assert "thử lại sau 1 phút" in r.json()["errors"][0]["message_vi"]
    clock.now += 30
    assert _login(client, "editor", PASSWORD).status_code == 303


def test_success_clears_the_count(limited: tuple[TestClient, Clock, list[str]]) -> None:
    client, _, _ = limited
    for _ in range(2):
        assert _login(client, "editor", "sai").status_code == 401
    assert _login(client, "editor", PASSWORD).status_code == 303
    for _ in range(2):
        assert _login(client, "editor", "sai").status_code == 401
    assert _login(client, "editor", PASSWORD).status_code == 303


def test_per_address_limit(limited: tuple[TestClient, Clock, list[str]]) -> None:
    client, _, checked = limited
    for name in ("a1", "a2", "a3", "a4", "a5"):
        assert _login(client, name, "sai").status_code == 401
    r = _login(client, "admin", PASSWORD)
    assert r.status_code == 429 and "retry-after" in r.headers and "admin" not in checked


def test_unknown_users_count_too(limited: tuple[TestClient, Clock, list[str]]) -> None:
    client, _, _ = limited
    for _ in range(3):
        assert _login(client, "nobody", PASSWORD).status_code == 401
    assert _login(client, "nobody", PASSWORD).status_code == 429

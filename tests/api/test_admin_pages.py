"""The province admin's pages: disable / enable / reset accounts (with confirmation) and open cycles."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.store_fixtures import OWN, PASSWORD, form_of, login, token

JSON = {"accept": "application/json"}
SAMPLE = "sample-2361-commune@1.0"


@pytest.fixture
def admin(stored_app: FastAPI) -> Iterator[tuple[TestClient, str]]:
    with TestClient(stored_app) as c:
        yield c, login(c, "admin")


@pytest.fixture
def editor(stored_app: FastAPI) -> Iterator[TestClient]:
    """A second browser, logged in as the commune editor, on the same app as `admin`."""
    with TestClient(stored_app) as c:
        login(c, "editor")
        yield c


def _can_log_in(app: FastAPI, username: str, password: str) -> int:
    with TestClient(app) as c:
        r = c.post(
            "/login", data={"username": username, "password": password, "csrf_token": token(c)}, follow_redirects=False
        )
        status: int = r.status_code
        return status


def _users(client: TestClient) -> dict[str, bool]:
    return {u["username"]: u["active"] for u in client.get("/admin/users.json").json()["users"]}


def _cycles(client: TestClient) -> list[dict[str, object]]:
    cycles: list[dict[str, object]] = client.get("/admin/cycles.json").json()["cycles"]
    return cycles


def _error(r: httpx.Response, status: int) -> dict[str, str]:
    assert r.status_code == status, r.text
    errors: list[dict[str, str]] = r.json()["errors"]
    assert errors and errors[0]["message_vi"] and errors[0]["message_en"]
    return errors[0]


# --- accounts ------------------------------------------------------------------------------------------


def test_users_page_shows_state_and_actions(admin: tuple[TestClient, str]) -> None:
    client, _ = admin
    assert set(_users(client).values()) == {True}
    html = client.get("/admin/users").text
    assert 'href="/admin/users/editor/disable"' in html and 'href="/admin/users/editor/reset-password"' in html
    assert 'href="/admin/users/admin/disable"' not in html  # no button to lock oneself out
    assert 'href="/admin/cycles"' in html  # the nav for admins


def test_disable_needs_confirmation(admin: tuple[TestClient, str], stored_app: FastAPI) -> None:
    client, tok = admin
    for data in ({"csrf_token": tok}, {"csrf_token": tok, "confirm": "no"}):
        err = _error(client.post("/admin/users/editor/disable", data=data, headers=JSON), 400)
        assert err["code"] == "confirm-required" and err["path"] == "confirm"
    r = client.post("/admin/users/editor/disable", data={"csrf_token": tok})
    assert r.status_code == 400 and "xác nhận" in r.text  # the browser gets the error page
    assert _users(client)["editor"] is True
    assert _can_log_in(stored_app, "editor", PASSWORD) == 303


def test_disable_through_the_confirmation_page_ends_the_open_session(
    admin: tuple[TestClient, str], editor: TestClient, stored_app: FastAPI
) -> None:
    client, _ = admin
    assert editor.get(f"/cycles/1/units/{OWN}.json").status_code == 200
    page = client.get("/admin/users/editor/disable")
    assert page.status_code == 200 and 'id="confirm-form"' in page.text and 'role="alert"' in page.text
    form = form_of(page.text)
    assert form["confirm"] == "yes"
    r = client.post("/admin/users/editor/disable", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin/users"
    assert _users(client)["editor"] is False
    assert 'data-active="no"' in client.get("/admin/users").text
    # the editor's next request, with the same cookie, is anonymous
    assert editor.get(f"/cycles/1/units/{OWN}.json").status_code == 403
    assert 'id="whoami"' not in editor.get("/dashboard").text
    assert _can_log_in(stored_app, "editor", PASSWORD) == 401

    r = client.post("/admin/users/editor/enable.json", data={"csrf_token": form["csrf_token"]})
    assert r.status_code == 200 and r.json()["active"] is True
    assert _can_log_in(stored_app, "editor", PASSWORD) == 303


def test_self_disable_refused(admin: tuple[TestClient, str]) -> None:
    client, tok = admin
    err = _error(
        client.post("/admin/users/admin/disable", data={"csrf_token": tok, "confirm": "yes"}, headers=JSON), 422
    )
    assert err["code"] == "disable-self" and err["path"] == "username"
    assert _users(client)["admin"] is True


def test_reset_password(admin: tuple[TestClient, str], editor: TestClient, stored_app: FastAPI) -> None:
    client, tok = admin
    page = client.get("/admin/users/editor/reset-password")
    assert page.status_code == 200 and form_of(page.text)["confirm"] == "yes"
    assert (
        _error(client.post("/admin/users/editor/reset-password", data={"csrf_token": tok}, headers=JSON), 400)["code"]
        == "confirm-required"
    )
    assert _can_log_in(stored_app, "editor", PASSWORD) == 303  # refused: nothing changed

    r = client.post("/admin/users/editor/reset-password", data=form_of(page.text))
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    found = re.search(r'id="temporary-password">([^<]+)<', r.text)
    assert found
    temp = found.group(1)
    assert _can_log_in(stored_app, "editor", PASSWORD) == 401
    assert _can_log_in(stored_app, "editor", temp) == 303
    # the session opened with the old password is over
    assert editor.get(f"/cycles/1/units/{OWN}.json").status_code == 403
    assert temp not in client.get("/admin/users").text  # shown once, on the result page only

    again = client.post("/admin/users/editor/reset-password.json", data={"csrf_token": tok, "confirm": "yes"})
    assert again.status_code == 200 and again.json()["password"] not in (temp, PASSWORD)
    assert _can_log_in(stored_app, "editor", again.json()["password"]) == 303


def test_unknown_user_and_action(admin: tuple[TestClient, str]) -> None:
    client, tok = admin
    assert _error(client.get("/admin/users/nobody/disable.json"), 404)["code"] == "unknown-user"
    assert client.get("/admin/users/editor/delete").status_code == 404
    r = client.post("/admin/users/nobody/enable", data={"csrf_token": tok}, headers=JSON)
    assert _error(r, 422)["code"] == "unknown-user"


def test_account_actions_need_csrf(admin: tuple[TestClient, str]) -> None:
    client, _ = admin
    for action in ("disable", "enable", "reset-password"):
        r = client.post(f"/admin/users/editor/{action}", data={"confirm": "yes"}, headers=JSON)
        assert _error(r, 403)["code"] == "csrf"
    assert _users(client)["editor"] is True


# Everyone but the province admin is refused, for every new route, and nothing changes.
OTHERS = [None, "viewer", "editor", "editor2", "appraiser"]
ROUTES = [
    ("GET", "/admin/users/editor/disable"),
    ("GET", "/admin/users/editor/reset-password"),
    ("POST", "/admin/users/editor/disable"),
    ("POST", "/admin/users/appraiser/enable"),
    ("POST", "/admin/users/editor/reset-password"),
    ("GET", "/admin/cycles"),
    ("POST", "/admin/cycles"),
]


@pytest.fixture(scope="module")
def mclient(shared_app: FastAPI) -> TestClient:
    return TestClient(shared_app)


@pytest.mark.parametrize("who", OTHERS)
@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_refused_roles(mclient: TestClient, shared_app: FastAPI, who: str | None, method: str, url: str) -> None:
    login(mclient, "admin")
    cycles = _cycles(mclient)
    tok = login(mclient, who)
    if method == "GET":
        r = mclient.get(url + ".json")
    else:
        r = mclient.post(
            url, data={"csrf_token": tok, "confirm": "yes", "year": "2030", "framework": SAMPLE}, headers=JSON
        )
    assert _error(r, 403)["code"] == "forbidden"
    login(mclient, "admin")
    assert set(_users(mclient).values()) == {True}
    assert _cycles(mclient) == cycles
    assert _can_log_in(shared_app, "editor", PASSWORD) == 303


# --- cycles --------------------------------------------------------------------------------------------


def test_cycles_page_lists_cycles_and_frameworks(admin: tuple[TestClient, str]) -> None:
    client, _ = admin
    data = client.get("/admin/cycles.json").json()
    [cycle] = [c for c in data["cycles"] if c["id"] == 1]  # the demo's 2025 commune cycle
    assert (cycle["year"], cycle["tier"], cycle["framework"], cycle["kind"]) == (2025, "commune", SAMPLE, "levels")
    with TestClient(client.app) as appraiser:
        login(appraiser, "appraiser")
        units = appraiser.get("/dashboard.json?year=2025").json()["units"]
    assert cycle["submissions"] == len([u for u in units if u["cycle"] == 1]) > 0
    assert cycle["status"] == "sample" and cycle["banner"]
    dti = [c for c in data["cycles"] if c["kind"] == "dti"]  # the demo's scored cohorts: results count as units
    assert dti and all(isinstance(c["submissions"], int) and c["submissions"] > 0 for c in dti)
    kinds = {f["kind"] for f in data["frameworks"]}
    assert kinds == {"levels", "dti"}
    html = client.get("/admin/cycles").text
    assert 'id="cycle-1"' in html and f'<option value="{SAMPLE}"' in html
    warning = re.search(r'id="unofficial">(.*?)</div>', html, re.S)
    assert warning and "Bộ tiêu chí mẫu đánh giá mức độ chuyển đổi số cấp xã" in warning.group(1)
    assert "không phải ngưỡng chính thức" in warning.group(1)
    assert "vinh-long-2554-province@1.0" not in warning.group(1)  # official: no warning
    assert "Results computed with these frameworks are not official" in client.get("/admin/cycles?lang=en").text


def test_open_a_cycle(admin: tuple[TestClient, str]) -> None:
    client, tok = admin
    before = {c["id"] for c in _cycles(client)}
    r = client.post(
        "/admin/cycles",
        data={"csrf_token": tok, "year": "2026", "framework": SAMPLE, "title": "Kỳ đánh giá 2026", "deadline": "x"},
    )
    assert r.status_code == 422 and "Hạn nộp không phải một ngày" in r.text and 'value="Kỳ đánh giá 2026"' in r.text
    r = client.post(
        "/admin/cycles",
        data={
            "csrf_token": tok,
            "year": "2026",
            "framework": SAMPLE,
            "title": "Kỳ đánh giá 2026",
            "deadline": "2026-03-31",
        },
        follow_redirects=False,
    )
    [new] = [c for c in _cycles(client) if c["id"] not in before]
    assert new["deadline"] == "2026-03-31"
    assert 'data-label="Hạn nộp">31/03/2026</td>' in client.get("/admin/cycles").text
    assert r.status_code == 303 and r.headers["location"] == f"/admin/cycles#cycle-{new['id']}"
    assert (new["year"], new["tier"], new["framework"], new["title"], new["submissions"]) == (
        2026,
        "commune",
        SAMPLE,
        "Kỳ đánh giá 2026",
        0,
    )
    assert 2026 in client.get("/dashboard.json").json()["years"]

    r = client.post(
        "/admin/cycles.json", data={"csrf_token": tok, "year": "2023", "framework": "sample-2361-district@1.0"}
    )
    assert r.status_code == 201
    assert (r.json()["tier"], r.json()["unit_map"]) == ("district", "pre2025")


def test_duplicate_cycle_refused(admin: tuple[TestClient, str]) -> None:
    client, tok = admin
    before = _cycles(client)
    data = {"csrf_token": tok, "year": "2025", "framework": SAMPLE}
    err = _error(client.post("/admin/cycles", data=data, headers=JSON), 409)
    assert err["code"] == "cycle-exists" and err["path"] == "framework" and err["found"] == "1"
    page = client.post("/admin/cycles", data=data)
    assert page.status_code == 409 and 'id="cycle-errors"' in page.text
    assert _cycles(client) == before


@pytest.mark.parametrize(
    ("year", "framework", "code", "path"),
    [
        ("", SAMPLE, "bad-year", "year"),
        ("hai nghìn", SAMPLE, "bad-year", "year"),
        ("1999", SAMPLE, "bad-year", "year"),
        ("2026", "", "unknown-framework", "framework"),
        ("2026", "no-such-framework@1.0", "unknown-framework", "framework"),
        ("2026", "sample-2361-district@1.0", "no-districts", "year"),  # no districts after 1/7/2025
    ],
)
def test_bad_input_names_the_field(
    admin: tuple[TestClient, str], year: str, framework: str, code: str, path: str
) -> None:
    client, tok = admin
    before = _cycles(client)
    r = client.post("/admin/cycles", data={"csrf_token": tok, "year": year, "framework": framework}, headers=JSON)
    err = _error(r, 422)
    assert (err["code"], err["path"]) == (code, path)
    page = client.post("/admin/cycles", data={"csrf_token": tok, "year": year, "framework": framework})
    assert page.status_code == 422 and f'href="#field-{path}"' in page.text  # the summary links to the field
    assert f'id="field-{path}"' in page.text and "<code>" not in page.text.split('id="cycle-errors"')[1][:2000]
    assert code not in page.text  # the internal code stays in the JSON twin
    assert f'value="{year}"' in page.text or not year  # the form again, with what was typed
    assert _cycles(client) == before


def test_title_too_long(admin: tuple[TestClient, str]) -> None:
    client, tok = admin
    r = client.post(
        "/admin/cycles", data={"csrf_token": tok, "year": "2026", "framework": SAMPLE, "title": "x" * 301}, headers=JSON
    )
    assert _error(r, 422)["path"] == "title"


def test_open_a_dti_cycle(admin: tuple[TestClient, str]) -> None:
    """DTI frameworks are offered and open a `dti` cycle (certify.store.cycles accepts kind: dti)."""
    client, tok = admin
    r = client.post(
        "/admin/cycles.json", data={"csrf_token": tok, "year": "2027", "framework": "vinh-long-2554-province@1.0"}
    )
    assert r.status_code == 201, r.text
    assert (r.json()["kind"], r.json()["tier"]) == ("dti", "province")
    [listed] = [c for c in _cycles(client) if c["id"] == r.json()["id"]]
    assert (listed["framework"], listed["kind"], listed["year"]) == ("vinh-long-2554-province@1.0", "dti", 2027)
    assert client.get("/admin/cycles").status_code == 200

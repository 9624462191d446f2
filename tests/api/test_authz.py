"""The authorisation matrix: every (role, action, own/other unit) pair is refused or allowed as the policy says,
in `api.authz.can` and over HTTP (a refusal is 403 with the error shape, and changes nothing)."""

from __future__ import annotations

import itertools

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.authz import Action, can
from certify.store.accounts import Account, Role
from tests.api.store_fixtures import OTHER, OWN, login

ROLES: dict[str, Account | None] = {
    "anonymous": None,
    "public_viewer": Account("viewer", Role.PUBLIC_VIEWER),
    "unit_editor": Account("editor", Role.UNIT_EDITOR, OWN),
    "province_appraiser": Account("appraiser", Role.PROVINCE_APPRAISER),
    "province_admin": Account("admin", Role.PROVINCE_ADMIN),
}
LOGIN = {
    "anonymous": None,
    "public_viewer": "viewer",
    "unit_editor": "editor",
    "province_appraiser": "appraiser",
    "province_admin": "admin",
}

# The policy, written out: (role, action) -> allowed on own unit, allowed on another unit.
ALLOWED: dict[tuple[str, Action], tuple[bool, bool]] = {}
for role in ROLES:
    for action in Action:
        ALLOWED[role, action] = (action is Action.VIEW_PUBLISHED,) * 2
for action in (Action.VIEW, Action.EDIT, Action.SUBMIT):
    ALLOWED["unit_editor", action] = (True, False)
for action in (Action.VIEW, Action.APPRAISE, Action.RETURN, Action.APPROVE):
    ALLOWED["province_appraiser", action] = (True, True)
for action in (Action.VIEW, Action.OPEN_CYCLE, Action.RECOGNISE, Action.PUBLISH, Action.MANAGE_USERS):
    ALLOWED["province_admin", action] = (True, True)

CASES = [(role, action, where) for role, action, where in itertools.product(ROLES, Action, ("own", "other"))]


@pytest.mark.parametrize(("role", "action", "where"), CASES)
def test_policy_matrix(role: str, action: Action, where: str) -> None:
    expected = ALLOWED[role, action][0 if where == "own" else 1]
    assert can(ROLES[role], action, OWN if where == "own" else OTHER) is expected


def test_unknown_action_refused() -> None:
    assert not can(ROLES["province_admin"], "drop_database", OWN)


# --- over HTTP: each request names the action it needs ------------------------------------------------

REQUESTS: dict[Action, tuple[str, str, dict[str, str]]] = {
    Action.VIEW: ("GET", "/cycles/1/units/{unit}", {}),
    Action.EDIT: ("POST", "/cycles/1/units/{unit}/save", {"action": "draft"}),
    Action.SUBMIT: ("POST", "/cycles/1/units/{unit}/save", {"action": "submit"}),
    Action.APPRAISE: ("POST", "/cycles/1/units/{unit}/appraise", {"decision": "save"}),
    Action.RETURN: ("POST", "/cycles/1/units/{unit}/appraise", {"decision": "return", "reasons": "thiếu"}),
    Action.APPROVE: ("POST", "/cycles/1/units/{unit}/appraise", {"decision": "approve"}),
    Action.RECOGNISE: (
        "POST",
        "/recognition",
        {
            "action": "recognise",
            "unit": "1:{unit}",
            "decision_number": "1",
            "decision_date": "2026-01-01",
            "signer": "x",
        },
    ),
    Action.PUBLISH: ("POST", "/recognition", {"action": "publish", "unit": "1:{unit}"}),
    Action.MANAGE_USERS: (
        "POST",
        "/admin/users",
        {"username": "intruder", "role": "province_admin", "password": "long-enough-phrase"},
    ),
    Action.OPEN_CYCLE: ("POST", "/admin/cycles", {"year": "2031", "framework": "sample-2361-commune@1.0"}),
}
PAGES: dict[Action, str] = {
    Action.EDIT: "/cycles/1/units/{unit}/edit",
    Action.APPRAISE: "/cycles/1/units/{unit}/appraise",
    Action.RECOGNISE: "/recognition",
    Action.MANAGE_USERS: "/admin/users",
    Action.OPEN_CYCLE: "/admin/cycles",
}
REFUSED = [
    (role, action, where)
    for role, action, where in CASES
    if action in REQUESTS and not ALLOWED[role, action][0 if where == "own" else 1]
]


@pytest.fixture(scope="module")
def mclient(shared_app: FastAPI) -> TestClient:
    return TestClient(shared_app)


def _states(client: TestClient) -> dict[str, str]:
    login(client, "admin")
    return {u: client.get(f"/cycles/1/units/{u}.json").json()["state"] for u in (OWN, OTHER)}


@pytest.mark.parametrize(("role", "action", "where"), REFUSED)
def test_refused_over_http(mclient: TestClient, role: str, action: Action, where: str) -> None:
    before = _states(mclient)
    tok = login(mclient, LOGIN[role])
    unit = OWN if where == "own" else OTHER
    method, url, data = REQUESTS[action]
    if method == "GET":
        r = mclient.get(url.format(unit=unit) + ".json")
    else:
        body = {k: v.format(unit=unit) for k, v in data.items()} | {"csrf_token": tok}
        r = mclient.post(
            url.format(unit=unit), data=body, headers={"accept": "application/json"}, follow_redirects=False
        )
    assert r.status_code == 403, r.text
    errors = r.json()["errors"]
    assert errors and errors[0]["code"] == "forbidden" and errors[0]["message_en"]
    page = PAGES.get(action)
    if page is not None:
        assert mclient.get(page.format(unit=unit) + ".json").status_code == 403
    assert _states(mclient) == before


@pytest.mark.parametrize("role", ["anonymous", "public_viewer", "unit_editor"])
def test_unpublished_other_unit_hidden(mclient: TestClient, role: str) -> None:
    login(mclient, LOGIN[role])
    assert mclient.get(f"/cycles/1/units/{OTHER}.json").status_code == 403
    dash = mclient.get("/dashboard.json").json()
    assert OTHER not in [u["unit"] for u in dash["units"]]

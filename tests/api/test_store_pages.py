"""Login, sessions and CSRF; the stored pages (dashboard, unit, self-assessment, appraisal, recognition) on SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.store_fixtures import OTHER, OWN, PASSWORD, form_of, login, token


def test_login_sets_a_signed_httponly_lax_session(sclient: TestClient) -> None:
    tok = token(sclient)
    r = sclient.post(
        "/login",
        data={"username": "editor", "password": PASSWORD, "csrf_token": tok, "next": "/dashboard"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/dashboard"
    cookie = r.headers["set-cookie"].lower()
    assert "certify_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert 'id="whoami"' in sclient.get("/dashboard").text


def test_wrong_password_and_unknown_user(sclient: TestClient) -> None:
    tok = token(sclient)
    for user, pw in (("editor", "sai-mat-khau"), ("nobody", PASSWORD)):
        r = sclient.post("/login", data={"username": user, "password": pw, "csrf_token": tok})
        assert r.status_code == 401 and 'id="login-error"' in r.text
    r = sclient.post("/login.json", data={"username": "editor", "password": "x", "csrf_token": tok})
    assert r.status_code == 401 and r.json()["errors"][0]["code"] == "bad-login"
    assert "certify_session" not in sclient.cookies or 'id="whoami"' not in sclient.get("/dashboard").text


def test_login_needs_csrf(sclient: TestClient) -> None:
    token(sclient)
    r = sclient.post("/login", data={"username": "editor", "password": PASSWORD})
    assert r.status_code == 403
    r = sclient.post("/login", data={"username": "editor", "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403


def test_no_open_redirect_after_login(sclient: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        tok = token(sclient)  # logged in after the first round: the login form carries the session's token
        r = sclient.post(
            "/login",
            data={"username": "editor", "password": PASSWORD, "csrf_token": tok, "next": target},
            follow_redirects=False,
        )
        assert r.headers["location"] == "/"


def test_logout_needs_csrf_and_ends_the_session(sclient: TestClient) -> None:
    tok = login(sclient, "editor")
    assert sclient.post("/logout", data={}).status_code == 403
    assert sclient.post("/logout", data={"csrf_token": tok}, follow_redirects=False).status_code == 303
    assert sclient.get(f"/cycles/1/units/{OWN}.json").status_code == 403


def test_tampered_session_cookie_is_anonymous(sclient: TestClient) -> None:
    login(sclient, "editor")
    value = sclient.cookies["certify_session"]
    sclient.cookies.clear()
    sclient.cookies.set("certify_session", value[:-3] + "AAA")
    assert sclient.get(f"/cycles/1/units/{OWN}.json").status_code == 403


def test_dashboard_counts_chart_and_blocking(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    data = sclient.get("/dashboard.json?year=2025").json()
    assert data["year"] == 2025 and data["years"] == [2025, 2024] and not data["public_only"]
    assert data["tier"] == "commune" and data["tiers"] == ["commune"]
    assert {u["unit"] for u in data["units"]} == {OWN, OTHER, "29677"}
    assert sum(c["units"] for c in data["by_level"]) == 3
    assert sum(c["previous"] for c in data["by_level"]) == data["previous_total"] == 6  # the 2024 sample communes
    assert data["blocking"] and all(b["units"] >= 1 for b in data["blocking"])
    page = sclient.get("/dashboard?year=2025")
    assert page.status_code == 200 and "<svg" in page.text and 'class="barchart"' in page.text
    assert sclient.get("/dashboard.json?year=1999").status_code == 422


def test_unit_page_badge_criteria_gap_history(sclient: TestClient) -> None:
    login(sclient, "editor")
    data = sclient.get(f"/cycles/1/units/{OTHER}.json")
    assert data.status_code == 403
    data = sclient.get(f"/cycles/1/units/{OWN}.json").json()
    assert data["state"] == "draft" and data["level"] and "gap" in data and data["history"][0]["year"] == 2025
    page = sclient.get(f"/cycles/1/units/{OWN}").text
    assert 'id="level-badge"' in page and 'id="history"' in page and 'id="edit-link"' in page
    assert sclient.get("/cycles/1/units/99999.json").status_code == 404


def _edit_form(client: TestClient) -> dict[str, str]:
    r = client.get(f"/cycles/1/units/{OWN}/edit")
    assert r.status_code == 200 and 'id="save-draft"' in r.text
    return form_of(r.text)


def test_editor_saves_draft_then_submits(sclient: TestClient) -> None:
    login(sclient, "editor")
    form = _edit_form(sclient)
    assert form["v:CQS-08"] == "300"
    live = sclient.post(f"/cycles/1/units/{OWN}/live", data=form | {"v:CQS-08": "1"})
    assert live.status_code == 200 and "level-badge" in live.text
    r = sclient.post(f"/cycles/1/units/{OWN}/save.json", data=form | {"v:CQS-08": "280", "action": "draft"})
    assert r.status_code == 200 and r.json()["state"] == "draft"
    form = _edit_form(sclient)
    assert form["v:CQS-08"] == "280"
    bad = sclient.post(f"/cycles/1/units/{OWN}/save.json", data=form | {"v:CQS-08": "-5", "action": "draft"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"]
    r = sclient.post(f"/cycles/1/units/{OWN}/save", data=form | {"action": "submit"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"/cycles/1/units/{OWN}/submit")
    confirm = sclient.get(r.headers["location"])  # a person confirms, seeing the unit and what follows
    assert confirm.status_code == 200 and "Xã Long Hồ" in confirm.text and "không sửa được số liệu" in confirm.text
    assert sclient.get(f"/cycles/1/units/{OWN}.json").json()["state"] == "draft"  # saved, not yet submitted
    confirm_form = form_of(confirm.text)
    unconfirmed = sclient.post(r.headers["location"], data=confirm_form | {"confirm": ""})
    assert unconfirmed.status_code == 200 and 'id="confirm-form"' in unconfirmed.text
    assert sclient.get(f"/cycles/1/units/{OWN}.json").json()["state"] == "draft"
    done = sclient.post(r.headers["location"], data=confirm_form)
    assert done.status_code == 200 and "Đã nộp hồ sơ của Xã Long Hồ" in done.text  # followed to the unit page
    assert sclient.get(f"/cycles/1/units/{OWN}.json").json()["state"] == "submitted"
    again = sclient.post(f"/cycles/1/units/{OWN}/save.json", data=form | {"action": "draft"})
    assert again.status_code in (409, 422)  # the version moved on, and the state no longer allows edits


def _submit(client: TestClient) -> None:
    login(client, "editor")
    form = _edit_form(client)
    assert client.post(f"/cycles/1/units/{OWN}/save.json", data=form | {"action": "submit"}).status_code == 200


def test_appraisal_side_by_side_comment_conflict_approve(sclient: TestClient) -> None:
    _submit(sclient)
    login(sclient, "appraiser")
    page = sclient.get(f"/cycles/1/units/{OWN}/appraise")
    assert page.status_code == 200 and 'id="appraisal"' in page.text
    form = form_of(page.text)
    no_comment = sclient.post(
        f"/cycles/1/units/{OWN}/appraise.json", data=form | {"v:CQS-08": "100", "decision": "save"}
    )
    assert no_comment.status_code == 422 and no_comment.json()["errors"][0]["code"] == "comment-required"
    ok = sclient.post(
        f"/cycles/1/units/{OWN}/appraise.json",
        data=form | {"v:CQS-08": "100", "c:CQS-08": "Theo biên bản kiểm tra", "decision": "save"},
    )
    assert ok.status_code == 200 and ok.json()["state"] == "under_appraisal"
    stale = sclient.post(
        f"/cycles/1/units/{OWN}/appraise.json", data=form | {"v:CQS-08": "90", "c:CQS-08": "x", "decision": "approve"}
    )
    assert stale.status_code == 409 and stale.json()["errors"][0]["code"] == "conflict"
    stale_html = sclient.post(
        f"/cycles/1/units/{OWN}/appraise", data=form | {"v:CQS-08": "90", "c:CQS-08": "x", "decision": "approve"}
    )
    assert stale_html.status_code == 409 and "người khác" in stale_html.text
    page = sclient.get(f"/cycles/1/units/{OWN}/appraise").text
    form = form_of(page)
    assert form["v:CQS-08"] == "100" and form["c:CQS-08"] == "Theo biên bản kiểm tra"
    data = sclient.get(f"/cycles/1/units/{OWN}/appraise.json").json()
    assert data["self_values"]["CQS-08"] == {"value": 300} and data["appraised_values"]["CQS-08"] == {"value": 100}
    r = sclient.post(f"/cycles/1/units/{OWN}/appraise.json", data=form | {"decision": "approve"})
    assert r.status_code == 200 and r.json()["state"] == "appraised"


def test_return_with_reasons(sclient: TestClient) -> None:
    _submit(sclient)
    login(sclient, "appraiser")
    form = form_of(sclient.get(f"/cycles/1/units/{OWN}/appraise").text)
    r = sclient.post(f"/cycles/1/units/{OWN}/appraise.json", data=form | {"decision": "return"})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "reasons-required"
    r = sclient.post(
        f"/cycles/1/units/{OWN}/appraise.json",
        data=form | {"decision": "return", "reasons": "Thiếu văn bản kiểm chứng CQS-02"},
    )
    assert r.status_code == 200 and r.json()["state"] == "returned"
    login(sclient, "editor")
    page = sclient.get(f"/cycles/1/units/{OWN}/edit").text
    assert "Thiếu văn bản kiểm chứng CQS-02" in page and 'id="submit"' in page


def test_recognise_publish_then_public_sees_it(sclient: TestClient) -> None:
    _submit(sclient)
    login(sclient, "appraiser")
    form = form_of(sclient.get(f"/cycles/1/units/{OWN}/appraise").text)
    assert sclient.post(f"/cycles/1/units/{OWN}/appraise.json", data=form | {"decision": "approve"}).status_code == 200
    anon = login(sclient, None)
    assert sclient.get(f"/cycles/1/units/{OWN}.json").status_code == 403
    del anon
    tok = login(sclient, "admin")
    page = sclient.get("/recognition")
    assert page.status_code == 200 and f'value="1:{OWN}"' in page.text
    seen = form_of(page.text)[f"version:1:{OWN}"]  # the version the page was built on travels with the unit
    r = sclient.post(
        "/recognition.json",
        data={
            "csrf_token": tok,
            "unit": f"1:{OWN}",
            f"version:1:{OWN}": seen,
            "action": "recognise",
            "decision_number": "15/QĐ-UBND",
            "decision_date": "2026-02-01",
            "signer": "Chủ tịch UBND tỉnh",
        },
    )
    assert r.status_code == 200, r.text
    seen = form_of(sclient.get("/recognition").text)[f"version:1:{OWN}"]
    r = sclient.post(
        "/recognition.json",
        data={"csrf_token": tok, "unit": f"1:{OWN}", f"version:1:{OWN}": seen, "action": "publish"},
    )
    assert r.status_code == 200
    login(sclient, None)
    data = sclient.get(f"/cycles/1/units/{OWN}.json").json()
    assert data["state"] == "published" and data["decision_number"] == "15/QĐ-UBND"
    dash = sclient.get("/dashboard.json").json()
    assert dash["public_only"] and [u["unit"] for u in dash["units"]] == [OWN]


def test_stored_pages_without_a_database_answer_503(client: TestClient) -> None:
    r = client.get("/dashboard.json")
    assert r.status_code == 503 and r.json()["errors"][0]["code"] == "no-store"


def test_serve_migrates_loads_the_demo_once_and_prints_the_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from certify.cli.app import app

    ran: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda asgi, **kw: ran.append((asgi, kw)))
    monkeypatch.setenv("CERTIFY_DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'certify.sqlite'}")
    first = CliRunner().invoke(app, ["serve", "--port", "8123"])
    assert first.exit_code == 0, first.output
    assert "http://localhost:8123/" in first.output and "demo" in first.output
    again = CliRunner().invoke(app, ["serve", "--port", "8123"])
    assert again.exit_code == 0 and "demo" not in again.output
    asgi = ran[-1][0]
    with TestClient(asgi) as c:
        assert c.get("/dashboard.json").json()["years"] == [2025, 2024]


def test_forbidden_page_offers_login(sclient: TestClient) -> None:
    login(sclient, None)
    r = sclient.get(f"/cycles/1/units/{OWN}")
    assert r.status_code == 403 and 'id="login-link"' in r.text and "next=/cycles/1/units/" in r.text


def test_unit_page_lists_evidence(sclient: TestClient) -> None:
    login(sclient, "editor")
    page = sclient.get(f"/cycles/1/units/{OWN}").text
    assert 'id="evidence"' in page and "210/BC-UBND" in page


def test_saving_the_form_keeps_evidence_details(sclient: TestClient) -> None:
    login(sclient, "editor")
    form = _edit_form(sclient)
    assert sclient.post(f"/cycles/1/units/{OWN}/save.json", data=form | {"action": "draft"}).status_code == 200
    page = sclient.get(f"/cycles/1/units/{OWN}").text
    assert "7.720/8.300 hồ sơ trực tuyến" in page


def test_admin_adds_an_account_that_can_log_in(sclient: TestClient) -> None:
    tok = login(sclient, "admin")
    assert 'id="users"' in sclient.get("/admin/users").text
    r = sclient.post(
        "/admin/users.json",
        data={"csrf_token": tok, "username": "xa.tracon", "role": "unit_editor", "unit": OTHER, "password": PASSWORD},
    )
    assert r.status_code == 200 and r.json() == {
        "username": "xa.tracon",
        "role": "unit_editor",
        "unit": OTHER,
        "active": True,
    }
    bad = sclient.post(
        "/admin/users.json", data={"csrf_token": tok, "username": "x2", "role": "unit_editor", "password": PASSWORD}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "unit-required"
    login(sclient, "xa.tracon")
    assert sclient.get(f"/cycles/1/units/{OTHER}.json").status_code == 200

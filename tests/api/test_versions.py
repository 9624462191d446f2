"""Optimistic concurrency that cannot be skipped, on the web and JSON twins: every write names the version it
was loaded with; a missing or malformed one is 422 (nothing stored), a stale one 409. An appraiser's comment on a
figure the council keeps is stored and audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.errors import CertifyError
from certify.store.submissions import MAX_VERSION, parse_version
from tests.api.store_fixtures import OWN, form_of, login

EDIT = f"/cycles/1/units/{OWN}"


@settings(deadline=None, max_examples=200)
@given(st.integers(1, MAX_VERSION))
def test_a_version_reads_back_as_itself(n: int) -> None:
    assert parse_version(str(n)) == parse_version(f" {n} ") == parse_version(n) == n


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, "version-required"),
        ("", "version-required"),
        ("   ", "version-required"),
        ("abc", "bad-version"),
        ("0", "bad-version"),
        ("-3", "bad-version"),
        ("3.0", "bad-version"),
        ("1e3", "bad-version"),
        ("٣", "bad-version"),  # an Arabic-Indic digit: isdigit() says yes, a version it is not
        (str(MAX_VERSION + 1), "bad-version"),
        (True, "bad-version"),
    ],
)
def test_a_missing_or_malformed_version_is_refused_with_its_reason(raw: object, code: str) -> None:
    with pytest.raises(CertifyError) as err:
        parse_version(raw)
    problem = err.value.problems[0]
    assert problem.code == code and problem.path == ("version",) and problem.vi and problem.en


def _edit_form(client: TestClient) -> dict[str, str]:
    return form_of(client.get(f"{EDIT}/edit").text)


def _values(client: TestClient) -> dict[str, object]:
    data: dict[str, object] = client.get(f"/api/cycles/1/assessments/{OWN}").json()["self_values"]
    return data


@pytest.mark.parametrize(("version", "status", "code"), [(None, 422, "version-required"), ("abc", 422, "bad-version")])
def test_a_save_without_a_valid_version_stores_nothing(
    sclient: TestClient, version: str | None, status: int, code: str
) -> None:
    login(sclient, "editor")
    form = {k: v for k, v in _edit_form(sclient).items() if k != "version"}
    if version is not None:
        form["version"] = version
    before = _values(sclient)
    r = sclient.post(f"{EDIT}/save.json", data=form | {"v:CQS-08": "777", "action": "draft"})
    assert r.status_code == status and r.json()["errors"][0]["code"] == code
    assert r.json()["errors"][0]["path"] == "version"
    html = sclient.post(f"{EDIT}/save", data=form | {"v:CQS-08": "777", "action": "draft"})
    assert html.status_code == status and "phiên bản" in html.text
    assert _values(sclient) == before  # 555 → 777 no more


def test_a_stale_form_is_refused_not_saved_over_the_newer_value(sclient: TestClient) -> None:
    login(sclient, "editor")
    old = _edit_form(sclient)
    assert sclient.post(f"{EDIT}/save.json", data=old | {"v:CQS-08": "555", "action": "draft"}).status_code == 200
    r = sclient.post(f"{EDIT}/save.json", data=old | {"v:CQS-08": "777", "action": "draft"})
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "conflict"
    assert _values(sclient)["CQS-08"] == {"value": 555}


def _under_appraisal(client: TestClient) -> dict[str, str]:
    login(client, "editor")
    assert client.post(f"{EDIT}/save.json", data=_edit_form(client) | {"action": "submit"}).status_code == 200
    login(client, "appraiser")
    return form_of(client.get(f"{EDIT}/appraise").text)


def test_a_comment_only_appraisal_is_stored_and_audited(sclient: TestClient) -> None:
    form = _under_appraisal(sclient)
    level = sclient.get(f"{EDIT}.json").json()["level"]
    note = "Đã đối chiếu hợp đồng, số liệu đúng"
    r = sclient.post(f"{EDIT}/appraise.json", data=form | {"c:CQS-08": note, "decision": "save"})
    assert r.status_code == 200 and r.json()["version"] > int(form["version"])
    data = sclient.get(f"{EDIT}/appraise.json").json()
    assert data["comments"]["CQS-08"] == note
    assert "CQS-08" not in data["appraised_values"] and data["level"] == level  # the unit's figure stands
    assert form_of(sclient.get(f"{EDIT}/appraise").text)["c:CQS-08"] == note
    from certify.store.engine import transaction
    from certify.store.models import AuditEvent

    store = sclient.app.state.store  # type: ignore[attr-defined]
    with transaction(store.engine) as s:
        events = s.query(AuditEvent).filter(AuditEvent.field == "appraised:CQS-08:explanation").all()
        assert [(e.actor, e.new) for e in events] == [("appraiser", note)]


def test_a_figure_set_back_to_the_units_own_drops_the_appraised_one(sclient: TestClient) -> None:
    form = _under_appraisal(sclient)
    own = form["v:CQS-08"]
    r = sclient.post(f"{EDIT}/appraise.json", data=form | {"v:CQS-08": "100", "c:CQS-08": "Sai", "decision": "save"})
    assert r.status_code == 200
    form = form_of(sclient.get(f"{EDIT}/appraise").text)
    assert form["v:CQS-08"] == "100"
    r = sclient.post(f"{EDIT}/appraise.json", data=form | {"v:CQS-08": own, "c:CQS-08": "Đúng", "decision": "save"})
    assert r.status_code == 200
    data = sclient.get(f"{EDIT}/appraise.json").json()
    assert "CQS-08" not in data["appraised_values"] and data["comments"]["CQS-08"] == "Đúng"


def test_recognition_needs_each_units_version(sclient: TestClient) -> None:
    form = _under_appraisal(sclient)
    assert sclient.post(f"{EDIT}/appraise.json", data=form | {"decision": "approve"}).status_code == 200
    tok = login(sclient, "admin")
    decision = {"decision_number": "15/QĐ-UBND", "decision_date": "2026-02-01", "signer": "Chủ tịch UBND tỉnh"}
    bare = {"csrf_token": tok, "unit": f"1:{OWN}", "action": "recognise"} | decision
    r = sclient.post("/recognition.json", data=bare)
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "version-required"
    assert r.json()["errors"][0]["path"] == f"version:1:{OWN}"
    stale = bare | {f"version:1:{OWN}": "1"}
    assert sclient.post("/recognition.json", data=stale).status_code == 409
    assert sclient.get(f"{EDIT}.json").json()["state"] == "appraised"

"""The web app and the JSON API recognise only at a level the unit holds (the rule of certify.store.recognition):
a unit appraised at «Chưa đạt mức nào» has no box to tick, and a forged POST naming it is refused."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from certify.store.engine import transaction
from certify.store.submissions import find_submission
from tests.api.store_fixtures import form_of, login
from tests.store.test_recognition_rule import EMPTY, FULL, appraise_two


def test_no_level_cannot_be_recognised_on_the_page_nor_through_the_api(
    stored_app: FastAPI, sclient: TestClient
) -> None:
    engine = stored_app.state.store.engine
    cycle = appraise_two(engine, 2023)
    tok = login(sclient, "admin")
    page = sclient.get("/recognition?year=2023")
    assert page.status_code == 200
    picks = form_of(page.text)
    assert f'value="{cycle}:{FULL}"' in page.text and f'value="{cycle}:{EMPTY}"' not in page.text
    assert "chưa đạt mức nào" in page.text.lower()
    with transaction(engine) as s:
        version = find_submission(s, cycle, EMPTY).version
    decision = {"decision_number": "15/QĐ-UBND", "decision_date": "2026-02-01", "signer": "Chủ tịch UBND tỉnh"}
    r = sclient.post(
        "/recognition.json",
        data={"csrf_token": tok, "unit": f"{cycle}:{EMPTY}", f"version:{cycle}:{EMPTY}": str(version)}
        | {"action": "recognise"}
        | decision,
    )
    assert r.status_code in (409, 422), r.text
    [problem] = r.json()["errors"]
    assert problem["code"] == "no-level-held" and EMPTY in problem["message_vi"] and "no level" in problem["message_en"]
    with transaction(engine) as s:
        assert find_submission(s, cycle, EMPTY).state == "appraised"
    r = sclient.post(
        "/recognition.json",
        data={"csrf_token": tok, "unit": f"{cycle}:{FULL}", f"version:{cycle}:{FULL}": picks[f"version:{cycle}:{FULL}"]}
        | {"action": "recognise"}
        | decision,
    )
    assert r.status_code == 200, r.text
    with transaction(engine) as s:
        assert find_submission(s, cycle, FULL).state == "recognised"

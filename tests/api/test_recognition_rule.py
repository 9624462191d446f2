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


DECISION = {"decision_number": "15/QĐ-UBND", "decision_date": "2026-02-01", "signer": "Chủ tịch UBND tỉnh"}


def test_a_person_is_told_which_unit_has_no_level_before_any_confirmation(
    stored_app: FastAPI, sclient: TestClient
) -> None:
    engine = stored_app.state.store.engine
    cycle = appraise_two(engine, 2023)
    tok = login(sclient, "admin")
    with transaction(engine) as s:
        versions = {code: find_submission(s, cycle, code).version for code in (EMPTY, FULL)}
    forged = sclient.post(  # an old page, another tab: both units ticked
        "/recognition",
        data={"csrf_token": tok, "unit": [f"{cycle}:{EMPTY}", f"{cycle}:{FULL}"], "action": "recognise"}
        | {f"version:{cycle}:{code}": str(v) for code, v in versions.items()}
        | DECISION,
    )
    assert forged.status_code == 422 and 'id="confirm-form"' not in forged.text
    assert "Không công nhận được Thị trấn Cái Nhum: đơn vị chưa đạt mức nào" in forged.text
    assert 'value="15/QĐ-UBND"' in forged.text  # what was typed is kept
    assert f'id="pick-{cycle}-{FULL}" checked' in forged.text  # the unit that can be recognised stays ticked
    with transaction(engine) as s:
        assert {find_submission(s, cycle, c).state for c in (EMPTY, FULL)} == {"appraised"}


def test_recognising_under_a_sample_framework_needs_the_box_ticked(stored_app: FastAPI, sclient: TestClient) -> None:
    engine = stored_app.state.store.engine
    cycle = appraise_two(engine, 2023)
    tok = login(sclient, "admin")
    page = sclient.get("/recognition?year=2023").text
    assert 'id="recognition-banner"' in page and "không phải ngưỡng chính thức" in page  # the sample banner
    picks = form_of(page)
    data = (
        {"csrf_token": tok, "unit": f"{cycle}:{FULL}", "action": "recognise"}
        | {f"version:{cycle}:{FULL}": picks[f"version:{cycle}:{FULL}"]}
        | DECISION
    )
    ask = sclient.post("/recognition", data=data)
    assert ask.status_code == 200 and 'id="confirm-banner"' in ask.text
    assert "Tôi hiểu kết quả này tính theo bộ tiêu chí mẫu hoặc chưa đầy đủ" in ask.text
    assert 'name="acknowledge"' in ask.text and "Thị trấn Long Hồ (2023)" in ask.text
    unticked = sclient.post("/recognition", data=data | {"confirm": "yes"})
    assert unticked.status_code == 422 and "Đánh dấu ô xác nhận" in unticked.text
    with transaction(engine) as s:
        assert find_submission(s, cycle, FULL).state == "appraised"
    done = sclient.post("/recognition", data=data | {"confirm": "yes", "acknowledge": "yes"})
    assert (
        done.status_code == 200
        and "Đã ghi quyết định công nhận 15/QĐ-UBND cho 1 đơn vị: Thị trấn Long Hồ." in done.text
    )
    with transaction(engine) as s:
        assert find_submission(s, cycle, FULL).state == "recognised"
    again = sclient.post("/recognition", data=data | {"confirm": "yes", "acknowledge": "yes"})  # the back button
    assert again.status_code == 422 and "Về trang chủ" not in again.text
    assert "Không công nhận được Thị trấn Long Hồ" in again.text and "không còn chờ công nhận" in again.text


def test_a_conflict_at_the_last_step_shows_the_page_again(stored_app: FastAPI, sclient: TestClient) -> None:
    engine = stored_app.state.store.engine
    cycle = appraise_two(engine, 2023)
    tok = login(sclient, "admin")
    seen = int(form_of(sclient.get("/recognition?year=2023").text)[f"version:{cycle}:{FULL}"])
    stale = (
        {"csrf_token": tok, "unit": f"{cycle}:{FULL}", "action": "recognise", "confirm": "yes", "acknowledge": "yes"}
        | {f"version:{cycle}:{FULL}": str(seen - 1)}  # the page was built before someone else's change
        | DECISION
    )
    r = sclient.post("/recognition", data=stale)
    assert r.status_code == 409 and 'id="recognise-form"' in r.text and "Về trang chủ" not in r.text
    assert "người khác" in r.text and 'value="Chủ tịch UBND tỉnh"' in r.text
    with transaction(engine) as s:
        assert find_submission(s, cycle, FULL).state == "appraised"

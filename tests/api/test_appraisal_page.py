"""The appraisal page as the appraiser uses it: the unit's figure beside the appraised one, each criterion's verdict
against its threshold, the evidence, the level recomputed while typing, and a comment required — and said so at the
criterion, live and on saving — when a value differs from the unit's own."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.store_fixtures import OWN, form_of, login

UNIT = f"/cycles/1/units/{OWN}"


def _under_review(client: TestClient) -> dict[str, str]:
    login(client, "editor")
    form = form_of(client.get(f"{UNIT}/edit").text)
    assert client.post(f"{UNIT}/save.json", data=form | {"action": "submit"}).status_code == 200
    login(client, "appraiser")
    return form_of(client.get(f"{UNIT}/appraise").text)


def _row(html: str, code: str) -> str:
    found = re.search(rf'<div class="crit[^"]*" id="crit-{code}">(.*?)\n</div>', html, re.S)
    assert found, code
    return found.group(1)


def test_figures_verdicts_and_the_live_level(sclient: TestClient) -> None:
    form = _under_review(sclient)
    page = sclient.get(f"{UNIT}/appraise").text
    row = _row(page, "CQS-08")
    assert "Đơn vị tự đánh giá: <strong>300</strong>" in row and 'name="v:CQS-08"' in row
    assert re.search(r'id="verdict-CQS-08"><span class="v-(met|not_met)">(Đạt|Chưa đạt)</span>', row)
    assert 'id="changed-CQS-08" class="change-note "></span>' in row  # the unit's own figure: nothing to say
    level = re.search(r'id="level-badge"[^>]*>([^<]+)<', page)
    assert level and "Mức sau thẩm định" in page
    live = sclient.post(f"{UNIT}/live?appraise=1", data=form | {"v:CQS-08": "0"})
    assert live.status_code == 200
    needs = 'id="changed-CQS-08" class="change-note needs" hx-swap-oob="true">'
    assert needs + "Đã sửa so với số liệu của đơn vị: cần ghi nhận xét" in live.text
    assert re.search(r'id="verdict-CQS-08" hx-swap-oob="true"><span class="v-not_met">Chưa đạt</span>', live.text)
    after = re.search(r'id="level-badge"[^>]*>([^<]+)<', live.text)
    assert after and after.group(1) != level.group(1)  # the level follows the appraiser's figure
    same = sclient.post(
        f"{UNIT}/live?appraise=1", data=form | {"v:CQS-08": "300,0"}
    )  # the same figure, typed otherwise
    assert 'id="changed-CQS-08" class="change-note " hx-swap-oob="true"></span>' in same.text
    noted = sclient.post(f"{UNIT}/live?appraise=1", data=form | {"v:CQS-08": "0", "c:CQS-08": "Theo biên bản"})
    assert 'class="change-note commented" hx-swap-oob="true">Đã sửa so với số liệu của đơn vị<' in noted.text
    english = sclient.post(f"{UNIT}/live?appraise=1&lang=en", data=form | {"v:CQS-08": "0"}).text
    assert "Changed from the unit&#39;s figure: a comment is required" in english


def test_a_changed_value_without_a_comment_is_refused_at_its_criterion_keeping_the_input(sclient: TestClient) -> None:
    form = _under_review(sclient)
    r = sclient.post(f"{UNIT}/appraise", data=form | {"v:CQS-08": "120", "c:CQS-09": "đã xem", "decision": "save"})
    assert r.status_code == 422
    row = _row(r.text, "CQS-08")
    assert "CQS-08: cần ghi nhận xét cho giá trị đã sửa" in row and 'value="120"' in row
    assert 'class="change-note needs">Đã sửa so với số liệu của đơn vị: cần ghi nhận xét' in row
    assert 'aria-invalid="true"' in row and "schema:" not in r.text and "comment-required" not in r.text
    assert 'value="đã xem"' in _row(r.text, "CQS-09")  # every comment typed is kept too
    ok = sclient.post(
        f"{UNIT}/appraise", data=form | {"v:CQS-08": "120", "c:CQS-08": "Theo biên bản kiểm tra", "decision": "save"}
    )
    assert ok.status_code == 200 and "Đã lưu kết quả thẩm định của" in ok.text
    row = _row(ok.text, "CQS-08")
    assert 'value="120"' in row and "Đơn vị tự đánh giá: <strong>300</strong>" in row
    assert 'class="change-note commented">Đã sửa so với số liệu của đơn vị<' in row


def test_no_appraisal_form_on_a_draft(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    page = sclient.get(f"{UNIT}/appraise").text
    assert "không thẩm định được" in page and 'id="approve"' not in page and 'id="save"' not in page
    assert f'href="{UNIT}/appraise"' not in sclient.get(UNIT).text  # the unit page offers no appraisal

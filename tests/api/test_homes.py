"""Each role lands on its own page: the editor on their unit, the appraiser on the queue, the province officer on
what awaits them; the public dashboard shows published results of the latest year that has any."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from certify.store.engine import transaction
from certify.store.models import Cycle
from tests.api.store_fixtures import OTHER, OWN, PASSWORD, form_of, login, token


def test_login_lands_on_the_role_home(sclient: TestClient) -> None:
    tok = token(sclient)
    r = sclient.post("/login", data={"username": "editor", "password": PASSWORD, "csrf_token": tok})
    assert r.status_code == 200 and 'id="my-unit"' in r.text  # followed to /
    assert "Xã Long Hồ — kỳ đánh giá năm 2025" in r.text and 'data-state="draft"' in r.text
    assert f'href="/cycles/1/units/{OWN}/edit"' in r.text and 'id="continue"' in r.text


def test_editor_sees_what_blocks_the_next_level(sclient: TestClient) -> None:
    tok = login(sclient, "editor")
    form = form_of(sclient.get(f"/cycles/1/units/{OWN}/edit").text)
    r = sclient.post(
        f"/cycles/1/units/{OWN}/save.json", data=form | {"v:CQS-08": "50", "action": "draft", "csrf_token": tok}
    )
    assert r.status_code == 200
    home = sclient.get("/").text
    assert 'id="blockers"' in home and "CQS-08" in home and "Vì sao chưa đạt mức" in home


def test_appraiser_queue_and_admin_awaiting(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    assert 'id="queue-empty"' in sclient.get("/").text
    login(sclient, "editor")
    form = form_of(sclient.get(f"/cycles/1/units/{OWN}/edit").text)
    assert sclient.post(f"/cycles/1/units/{OWN}/save.json", data=form | {"action": "submit"}).status_code == 200
    login(sclient, "appraiser")
    home = sclient.get("/").text
    assert f'data-unit="{OWN}"' in home and f'href="/cycles/1/units/{OWN}/appraise"' in home
    assert '<p class="stat" id="waiting">1</p>' in home
    assert sclient.get("/?sort=level").status_code == 200 and sclient.get("/?sort=x").status_code == 422
    data = sclient.get("/.json").json()
    assert [u["unit"] for u in data["queue"]["units"]] == [OWN]
    appraisal = form_of(sclient.get(f"/cycles/1/units/{OWN}/appraise").text)
    assert (
        sclient.post(f"/cycles/1/units/{OWN}/appraise.json", data=appraisal | {"decision": "approve"}).status_code
        == 200
    )
    login(sclient, "admin")
    admin = sclient.get("/").text
    assert '<p class="stat" id="to-recognise">1</p>' in admin and 'href="/recognition#to-recognise"' in admin


def test_public_dashboard_defaults_to_the_latest_published_year(sclient: TestClient) -> None:
    login(sclient, None)
    data = sclient.get("/dashboard.json").json()
    assert data["public_only"] and all(u["state"] == "published" for u in data["units"])
    login(sclient, "editor")  # an editor's own draft is on their home, not on the public dashboard
    assert OWN not in [u["unit"] for u in sclient.get("/dashboard.json?year=2025").json()["units"]]


def _submit(client: TestClient, editor: str, code: str) -> None:
    login(client, editor)
    form = form_of(client.get(f"/cycles/1/units/{code}/edit").text)
    assert client.post(f"/cycles/1/units/{code}/save.json", data=form | {"action": "submit"}).status_code == 200


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-unit="([^"]+)"', html)


def test_queue_sorts_by_date_district_and_level_with_counts(sclient: TestClient) -> None:
    _submit(sclient, "editor2", OTHER)  # submitted first
    _submit(sclient, "editor", OWN)
    login(sclient, "appraiser")
    home = sclient.get("/").text
    assert _rows(home) == [OTHER, OWN]  # oldest submission first
    assert 'id="sort-date"' in home and "ngày nộp" in home and 'aria-current="true"' in home
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y")
    assert home.count(f'data-label="Ngày nộp">{today}</td>') == 2
    assert _rows(sclient.get("/?sort=date&order=desc").text) == [OWN, OTHER]
    data = sclient.get("/.json?sort=district").json()["queue"]
    districts = [", ".join(u["districts"]) for u in data["units"]]
    assert all(districts) and districts == sorted(districts)
    by_district = sclient.get("/?sort=district").text
    assert _rows(by_district) == [u["unit"] for u in data["units"]]
    for name in districts:
        assert f'data-label="Huyện (trước 01/7/2025)">{name}</td>' in by_district
    for each in {d for u in data["units"] for d in u["districts"]}:  # a merged commune counts in each of its districts
        assert f"<li>{each}: <strong>" in by_district
    levels = sclient.get("/.json?sort=level").json()["queue"]
    assert sum(c["units"] for c in levels["by_level"]) == 2
    assert 'id="waiting-by-level"' in sclient.get("/?sort=level").text


def test_editor_home_shows_the_cycle_deadline(sclient: TestClient, stored_app: FastAPI) -> None:
    login(sclient, "editor")
    assert 'id="deadline"' not in sclient.get("/").text  # no deadline set: nothing shown
    due = dt.date.today() + dt.timedelta(days=12)
    with transaction(stored_app.state.store.engine, write=True) as s:
        s.get(Cycle, 1).deadline = due  # type: ignore[union-attr]
    home = sclient.get("/").text
    assert "Hạn nộp hồ sơ" in home and due.strftime("%d/%m/%Y") in home and "còn 12 ngày" in home
    with transaction(stored_app.state.store.engine, write=True) as s:
        s.get(Cycle, 1).deadline = dt.date.today() - dt.timedelta(days=3)  # type: ignore[union-attr]
    assert "đã quá hạn 3 ngày" in sclient.get("/").text
    assert "3 days overdue" in sclient.get("/?lang=en").text

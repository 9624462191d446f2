"""Each role lands on its own page: the editor on their unit, the appraiser on the queue, the province officer on
what awaits them; the public dashboard shows published results of the latest year that has any."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.store_fixtures import OWN, PASSWORD, form_of, login, token


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

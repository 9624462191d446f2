"""The dashboard's DTI ranking: filters by tier, district and level, last year beside this year, publication."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from certify.store.engine import transaction
from certify.store.models import Cycle
from tests.api.store_fixtures import OWN, login


def _dti(client: TestClient, query: str = "") -> dict:
    r = client.get(f"/dashboard.json?year=2025&per=200{query}")  # every row on one page
    assert r.status_code == 200
    table = r.json()["dti"]
    assert table is not None
    return table


def test_ranking_with_last_year_across_the_merger(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    t = _dti(sclient)
    assert t["tier"] == "commune" and t["max_points"] == 800 and t["summary"]["of"] == 124 == len(t["rows"])
    assert t["status"] == "partial" and "chỉ có chỉ số chính" in t["banner"][0]
    ranks = [r["rank"] for r in t["rows"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    values = [r["value"] for r in t["rows"]]
    assert values == sorted(values, reverse=True)
    cai_nhum = next(r for r in t["rows"] if r["unit"] == "29641")  # formed from several 2024 communes
    prev = cai_nhum["previous"]
    assert prev["year"] == 2024 and prev["rank"] is None and len(prev["units"]) >= 2
    assert abs(cai_nhum["change"] - (cai_nhum["value"] - prev["value"])) < 1e-12
    # Communes that came from Bến Tre or Trà Vinh were not in Vĩnh Long's 2024 ranking: no prior, not zero.
    assert any(r["previous"] is None and r["change"] is None for r in t["rows"])
    assert t["summary"]["with_previous"] == sum(1 for r in t["rows"] if r["previous"])


def test_filters_by_district_and_level(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    t = _dti(sclient, "&district=Huyện Long Hồ")
    assert 0 < len(t["rows"]) < 124 and all("Huyện Long Hồ" in r["districts"] for r in t["rows"])
    assert t["summary"]["units"] == len(t["rows"]) and "Huyện Long Hồ" in t["filters"]["districts"]
    own = next(r for r in _dti(sclient)["rows"] if r["unit"] == OWN)
    assert own["assessed"] and own["level"]
    same_level = _dti(sclient, f"&level={own['level']}")
    assert OWN in {r["unit"] for r in same_level["rows"]}
    assert all(r["level"] == own["level"] for r in same_level["rows"])
    nobody = _dti(sclient, "&district=Huyện Long Hồ&level=khong-co-muc-nay")
    assert nobody["rows"] == [] and nobody["summary"]["mean_value"] is None
    page = sclient.get("/dashboard?year=2025&district=Huyện Long Hồ")
    assert page.status_code == 200 and 'id="dti-ranking"' in page.text and 'hx-select="#dti"' in page.text
    assert page.text.count("<tr data-unit=") == len(t["rows"])


def test_tier_switch_and_a_year_without_dti(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    data = sclient.get("/dashboard.json?year=2024&tier=district").json()
    assert data["tier"] == "district" and data["tiers"] == ["commune", "district"]
    assert sum(c["units"] for c in data["by_level"]) == 6 and data["dti"] is None
    assert "Chưa có kết quả DTI" in sclient.get("/dashboard?year=2024&tier=district").text
    assert sclient.get("/dashboard.json?year=2024&tier=ward").status_code == 422


def test_public_sees_published_rankings_only(stored_app: FastAPI) -> None:
    client = TestClient(stored_app)
    assert _dti(client)["summary"]["of"] == 124  # the demo publishes its rankings
    with transaction(stored_app.state.store.engine) as s:
        s.execute(update(Cycle).where(Cycle.kind == "dti").values(published_at=None))
    assert client.get("/dashboard.json?year=2025").json()["dti"] is None
    login(client, "appraiser")
    t = _dti(client)
    assert t["published"] is False and t["summary"]["of"] == 124
    assert "chưa công bố" in client.get("/dashboard?year=2025").text


def test_unit_page_shows_points_by_main_index(sclient: TestClient) -> None:
    login(sclient, "editor")
    data = sclient.get(f"/cycles/1/units/{OWN}.json").json()
    d = data["dti"]
    assert d["row"]["unit"] == OWN and d["of"] == 124 and 1 <= d["row"]["rank"] <= 124
    parts = [d["row"]["indices"][i["code"]]["points"] for i in d["indices"]]
    assert len(parts) == 8 and abs(sum(parts) - d["row"]["points"]) < 1e-6
    page = sclient.get(f"/cycles/1/units/{OWN}").text
    assert 'id="dti-indices"' in page and 'class="barchart"' in page and "An toàn, an ninh mạng" in page
    assert page.count("<rect") >= 8  # one bar per main index


def test_unpublished_rank_is_the_province_s_only(stored_app: FastAPI) -> None:
    with transaction(stored_app.state.store.engine) as s:
        s.execute(update(Cycle).where(Cycle.kind == "dti").values(published_at=None))
    editor = TestClient(stored_app)
    login(editor, "editor")
    assert editor.get(f"/cycles/1/units/{OWN}.json").json()["dti"] is None
    appraiser = TestClient(stored_app)
    login(appraiser, "appraiser")
    assert appraiser.get(f"/cycles/1/units/{OWN}.json").json()["dti"]["published"] is False


def _row_html(page: str, unit: str) -> str:
    start = page.index(f'<tr data-unit="{unit}">')
    return page[start : page.index("</tr>", start)]


def test_a_doubtful_merger_link_is_marked_until_the_province_corrects_it(stored_app: FastAPI) -> None:
    """Xã Tân Thành Bình (28921, from Mỏ Cày Bắc's communes) is linked by the packages to Xã Hòa Lộc of Huyện Tam
    Bình (29734), the only one of its «former units» in Vĩnh Long's 2024 ranking: the value shown as last year's
    is that commune's, so it is marked, in the page, the page's JSON and the API, until the province acts."""
    from certify.store.merger_links import relink

    client = TestClient(stored_app)
    login(client, "appraiser")
    row = next(r for r in _dti(client)["rows"] if r["unit"] == "28921")
    assert row["previous"]["units"] == ["29734"] and row["previous"]["unconfirmed"] == ["29734"]
    cell = _row_html(client.get("/dashboard?year=2025&lang=vi").text, "28921")
    assert "⚠ liên kết chưa xác nhận: 29734" in cell and "ước lượng (xã cũ bị chia tách): 29734" in cell
    assert "liên kết chưa xác nhận" not in _row_html(client.get("/dashboard?year=2025&lang=vi").text, "29641")
    api = client.get("/api/dti/rankings?year=2025&tier=commune").json()
    api_row = next(r for t in api["tables"] for r in t["rows"] if r["unit"] == "28921")
    assert api_row["previous"]["unconfirmed"] == ["29734"]
    assert api_row["previous"]["marks"][0] == "liên kết chưa xác nhận: 29734"
    english = client.get("/dashboard?year=2025&lang=en").text
    assert "link not yet confirmed: 29734" in _row_html(english, "28921")
    # The page's downloads say it in their own column, in the page's language.
    for lang, note in (("vi", "liên kết chưa xác nhận: 29734"), ("en", "link not yet confirmed: 29734")):
        rows = list(csv.reader(io.StringIO(client.get(f"/dashboard/ranking.csv?year=2025&per=200&lang={lang}").text)))
        column = rows[0].index({"vi": "Lưu ý năm trước", "en": "Note on last year"}[lang])
        found = {row[1]: row[column] for row in rows[1:]}
        assert found["28921"].startswith(note) and found["29641"] == ""
    # The unit's own page, once it has a form in the 2025 cycle, says it beside «năm trước» too.
    from certify.store.cycles import get_cycle
    from certify.store.submissions import ensure_submission
    from certify.store.units import get_unit

    with transaction(stored_app.state.store.engine, write=True) as s:
        levels = s.scalars(select(Cycle).where(Cycle.year == 2025, Cycle.kind == "levels")).first()
        assert levels is not None
        ensure_submission(s, get_cycle(s, levels.id), get_unit(s, "current", "28921", "commune"), "so")
        cycle_id = levels.id
    page = client.get(f"/cycles/{cycle_id}/units/28921?lang=vi").text
    total = page[page.index('<p id="dti-total">') :]
    total = total[: total.index("</p>")]
    assert "năm trước" in total and "⚠ liên kết chưa xác nhận: 29734" in total

    # The list a province official works from, as the API gives it (the province's people only).
    links = {(x["old_unit"], x["new_unit"]): x for x in client.get("/api/units/merger-links?province=86").json()}
    clash = links[("29734", "28921")]
    assert clash["doubtful"] and clash["reasons"][0]["code"] == "other-province" and clash["weight"] == 0.5
    assert TestClient(stored_app).get("/api/units/merger-links").status_code in (401, 403)

    with transaction(stored_app.state.store.engine, write=True) as s:
        relink(s, "29734", "28921", None, actor="so-khcn", note="trùng tên")
    settled = client.get("/api/units/merger-links?province=86&all=true").json()
    assert {(x["old_unit"], x["new_unit"], x["status"], x["note"]) for x in settled} >= {
        ("29734", "28921", "removed", "trùng tên")
    }
    assert ("29734", "28921") not in {
        (x["old_unit"], x["new_unit"]) for x in client.get("/api/units/merger-links?province=86").json()
    }
    row = next(r for r in _dti(client)["rows"] if r["unit"] == "28921")
    assert row["previous"] is None and row["change"] is None  # none of its true former communes was scored in 2024
    assert "liên kết chưa xác nhận" not in _row_html(client.get("/dashboard?year=2025&lang=vi").text, "28921")

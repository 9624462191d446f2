"""JSON API: units scored but left out of the ranking come apart, with their reason; caveats travel with scores."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from certify.store.cycles import open_cycle
from certify.store.dti_results import import_dti
from certify.store.engine import transaction
from tests.api.store_fixtures import login

ROW = {str(k): 0.5 for k in range(1, 9)}


def test_stored_ranking_lists_units_left_out_apart(stored_app: FastAPI, tmp_path: Path) -> None:
    path = tmp_path / "xa.csv"
    path.write_text(
        "unit,1,2,3,4,5,6,7,8,not_ranked\n"
        "29602,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7,\n"
        "29836,0.9,0.9,0.9,0.9,0.9,0.9,0.9,0.9,tính chất đặc thù\n",
        encoding="utf-8",
    )
    catalog = stored_app.state.catalog
    with transaction(stored_app.state.store.engine) as s:
        cycle = open_cycle(s, year=2026, framework="vinh-long-2554-commune", actor="test", catalog=catalog)
        import_dti(s, cycle.id, path, actor="test", catalog=catalog, index_level=True)
    with TestClient(stored_app) as client:
        login(client, "admin")
        (table,) = client.get("/api/dti/rankings", params={"year": 2026}).json()["tables"]
    assert [(r["unit"], r["rank"]) for r in table["rows"]] == [("29602", 1)]
    (apart,) = table["not_ranked"]
    assert (apart["unit"], apart["rank"], apart["not_ranked_reason"], apart["value"]) == (
        "29836",
        None,
        "tính chất đặc thù",
        0.9,
    )
    assert table["caveats"][0][0].startswith("Bộ chỉ số chưa đầy đủ")


def test_stateless_scoring_gives_not_ranked_and_caveats(client: TestClient) -> None:
    rows = [
        {"unit": "P1", **ROW},
        {"unit": "P2", **ROW, "6": 0.9, "not_ranked": "chưa thẩm định"},
    ]
    r = client.post("/api/dti/score", json={"framework": "national-405-province", "index_level": True, "rows": rows})
    assert r.status_code == 200, r.text
    data = r.json()
    assert [u["unit"] for u in data["units"]] == ["P1"] and data["units"][0]["rank"] == 1
    assert data["not_ranked"][0]["not_ranked_reason"] == "chưa thẩm định"
    # P2: 0.5 × 740 + 0.9 × 200 = 550 of 940 → 0.5851
    assert data["not_ranked"][0]["points"] == 550.0 and data["not_ranked"][0]["value"] == 0.5851
    assert any("940/940" in c["vi"] for c in data["framework"]["caveats"])

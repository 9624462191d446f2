"""DTI figures are published one way everywhere: values with 4 decimals, points with 2 (certify.dti.numbers)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from tests.api.store_fixtures import login


def decimals(x: float) -> int:
    return max(0, -Decimal(repr(x)).normalize().as_tuple().exponent)  # type: ignore[operator]


def test_the_dashboard_and_the_rankings_api_give_the_same_figures(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    for year in (2024, 2025):
        api = sclient.get(f"/api/dti/rankings?year={year}").json()["tables"]
        assert api
        for table in api:
            board = sclient.get(f"/dashboard.json?year={year}&tier={table['tier']}&per=200").json()["dti"]
            assert board["cycle"] == table["cycle"]
            shown: dict[str, Any] = {r["unit"]: r for r in board["rows"]}
            assert set(shown) == {r["unit"] for r in table["rows"]}
            for row in table["rows"]:
                same = shown[row["unit"]]
                for key in ("rank", "points", "max_points", "value", "change", "previous", "indices"):
                    assert same[key] == row[key], (row["unit"], key, same[key], row[key])
                assert decimals(row["value"]) <= 4 and decimals(row["points"]) <= 2
                assert all(decimals(i["points"]) <= 2 for i in row["indices"].values())
            assert decimals(board["summary"]["mean_value"]) <= 4


def test_a_change_is_the_difference_of_the_published_values(sclient: TestClient) -> None:
    login(sclient, "appraiser")
    rows = [r for t in sclient.get("/api/dti/rankings?year=2025").json()["tables"] for r in t["rows"]]
    with_prior = [r for r in rows if r["previous"]]
    assert with_prior
    for r in with_prior:
        assert decimals(r["change"]) <= 4
        assert abs(r["change"] - (r["value"] - r["previous"]["value"])) < 1e-12


def test_the_store_keeps_the_numbers_as_computed(sclient: TestClient) -> None:
    from sqlalchemy import select

    from certify.store.engine import transaction
    from certify.store.models import DtiResult

    with transaction(sclient.app.state.store.engine) as s:  # type: ignore[attr-defined]
        details = list(s.scalars(select(DtiResult.detail)))
    assert details
    values = [i["value"] for d in details for i in d["indices"].values() if i["value"] is not None]
    # Unrounded: some index value needs more than the 4 published decimals.
    assert any(decimals(v) > 4 for v in values)


def test_published_rounds_values_points_and_traces() -> None:
    from certify.dti.numbers import published

    row = {
        "unit": "29584",
        "rank": 3,
        "points": 326.845,
        "max_points": 800.0,
        "value": 0.9032412500000001,
        "previous": {"year": 2024, "value": 0.88885, "rank": None},
        "change": 0.01439125,
        "indices": {"1": {"points": 12.3456, "max_points": 100.0, "value": 0.123456}},
        "criteria": [{"code": "3.6", "points": 15.142857, "explanation": "… = 15.1429"}],
    }
    out = published(row)
    assert out["points"] == 326.85 and out["value"] == 0.9032 and out["previous"]["value"] == 0.8889
    assert out["change"] == 0.0143  # 0.9032 − 0.8889, what a reader computes from the two published values
    assert out["indices"]["1"] == {"points": 12.35, "max_points": 100.0, "value": 0.1235}
    assert out["criteria"][0]["points"] == 15.1429 and out["criteria"][0]["explanation"] == "… = 15.1429"
    assert out["rank"] == 3 and row["value"] == 0.9032412500000001  # the record itself is left as it was

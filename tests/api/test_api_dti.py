"""JSON API for DTI: stored rankings (published only for the public) and stateless scoring equal to the core's."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.routes.dti_api import MAX_ROWS
from certify.catalog import Catalog, bundled_root
from certify.dti.score_file import load_dti, score_file
from certify.store.cycles import open_cycle
from certify.store.dti_results import import_dti
from certify.store.engine import transaction
from tests.api.store_fixtures import login

DTI_DIR = bundled_root("samples") / "dti"
PROVINCES = DTI_DIR / "vinh-long-2554-demo.csv"  # six provinces, criterion-level columns
COMMUNES = DTI_DIR / "vinh-long-2025-communes.csv"  # main-index values of the 2025 communes


def rows_of(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def core(path: Path, ref: str) -> dict[str, Any]:
    fw = load_dti(ref, Catalog([bundled_root("frameworks")])).framework
    return score_file(path, fw).to_json()  # type: ignore[arg-type]


def error(r: httpx.Response, status: int = 422) -> list[dict[str, Any]]:
    assert r.status_code == status, r.text
    errors: list[dict[str, Any]] = r.json()["errors"]
    assert errors and all(e["message_vi"] and e["message_en"] for e in errors)
    return errors


def _number(cell: str) -> str | float:
    try:
        return float(cell)
    except ValueError:  # a name, a choice (`bi-thu-chu-tich`), an empty cell
        return cell


def four_decimals(x: float) -> bool:
    return round(x, 4) == x


# --- stored rankings ----------------------------------------------------------------------------------


@pytest.fixture
def shared(shared_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(shared_app) as c:
        yield c


def test_published_ranking_for_everyone(shared: TestClient) -> None:
    data = shared.get("/api/dti/rankings", params={"year": 2025}).json()
    assert data["year"] == 2025 and data["published_only"] is True
    (table,) = data["tables"]
    assert (table["cycle"], table["tier"], table["framework"], table["published"]) == (
        5,
        "commune",
        "vinh-long-2554-commune@1.0",
        True,
    )
    assert table["max_points"] == 800 and table["indices"][0]["name"] == "Nhận thức số"
    assert len(table["rows"]) == 124
    first = table["rows"][0]
    assert (first["rank"], first["name"]) == (1, "Phường Trường Long Hòa")
    assert first["value"] == 0.9032 and first["districts"] == ["Thị xã Duyên Hải"]
    assert all(four_decimals(r["value"]) for r in table["rows"])
    ranks = [r["rank"] for r in table["rows"]]
    assert ranks == sorted(ranks)
    merged = [r for r in table["rows"] if r["previous"] is not None]
    assert merged and all(four_decimals(r["previous"]["value"]) and four_decimals(r["change"]) for r in merged)
    # The default year is the latest; the tier filter leaves out other tiers.
    assert shared.get("/api/dti/rankings").json()["year"] == 2025
    assert shared.get("/api/dti/rankings", params={"year": 2025, "tier": "district"}).json()["tables"] == []
    assert len(shared.get("/api/dti/rankings", params={"year": 2024}).json()["tables"][0]["rows"]) == 102


def test_unpublished_ranking_for_the_province_only(stored_app: FastAPI) -> None:
    catalog = stored_app.state.catalog
    with transaction(stored_app.state.store.engine) as s:
        cycle = open_cycle(s, year=2026, framework="vinh-long-2554-commune", actor="test", catalog=catalog)
        import_dti(s, cycle.id, COMMUNES, actor="test", catalog=catalog)
    with TestClient(stored_app) as client:
        for who in (None, "viewer", "editor"):
            login(client, who)
            data = client.get("/api/dti/rankings", params={"year": 2026}).json()
            assert data["published_only"] and data["tables"] == [], who
        for who in ("appraiser", "admin"):
            login(client, who)
            data = client.get("/api/dti/rankings", params={"year": 2026}).json()
            assert not data["published_only"] and data["tables"][0]["published"] is False, who
            assert data["tables"][0]["rows"][0]["rank"] == 1


def test_rankings_bad_query(shared: TestClient) -> None:
    assert error(shared.get("/api/dti/rankings", params={"year": 1999}))[0]["path"] == "query.year"
    assert error(shared.get("/api/dti/rankings", params={"tier": "village"}))[0]["path"] == "query.tier"


# --- stateless scoring --------------------------------------------------------------------------------


def test_score_criterion_level_equals_the_core(client: TestClient) -> None:
    r = client.post("/api/dti/score", json={"framework": "vinh-long-2554-province", "rows": rows_of(PROVINCES)})
    assert r.status_code == 200, r.text
    got, expected = r.json(), core(PROVINCES, "vinh-long-2554-province")
    assert got["units"] == expected["units"] and got["framework"] == expected["framework"]
    assert got["framework"]["status"] == "official" and got["cohort"]["units"] == 6
    names = {u["name"]: (u["rank"], u["value"]) for u in got["units"]}
    assert "Tỉnh Vĩnh Long" in names and "Tỉnh Đồng Tháp" in names
    assert sorted(rank for rank, _ in names.values()) == [1, 2, 3, 4, 5, 6]
    assert all(four_decimals(value) for _, value in names.values())
    assert got["units"][0]["criteria"][0]["explanation"]


def test_score_typed_cells_as_the_file(client: TestClient) -> None:
    """Numbers sent as JSON numbers score exactly as the same cells read from the CSV file."""
    typed = [{k: _number(v) for k, v in row.items()} for row in rows_of(PROVINCES)]
    r = client.post("/api/dti/score", json={"framework": "vinh-long-2554-province@1.0", "rows": typed})
    assert r.json()["units"] == core(PROVINCES, "vinh-long-2554-province")["units"]


def test_score_index_level(client: TestClient) -> None:
    r = client.post(
        "/api/dti/score", json={"framework": "vinh-long-2554-commune", "index_level": None, "rows": rows_of(COMMUNES)}
    )
    expected = core(COMMUNES, "vinh-long-2554-commune")
    assert r.status_code == 200 and r.json()["units"] == expected["units"]
    assert r.json()["framework"]["banner"].startswith("Bộ chỉ số chưa đầy đủ")


def test_bad_cells_are_named_by_row_and_column(client: TestClient) -> None:
    rows = rows_of(PROVINCES)
    rows[3]["6.12.a"] = "abc"
    rows[1]["6.12.b"] = "-5"
    rows[2]["9.9.z"] = "1"
    errors = error(client.post("/api/dti/score", json={"framework": "vinh-long-2554-province", "rows": rows}))
    by_path = {e["path"]: e for e in errors}
    assert by_path["rows[3].6.12.a"]["code"] == "bad-cell" and by_path["rows[3].6.12.a"]["found"] == "'abc'"
    assert by_path["rows[3].6.12.a"]["message_vi"] == "Không phải là số"
    assert by_path["rows[1].6.12.b"]["message_en"] == "Negative value"
    assert by_path["rows[2].9.9.z"]["code"] == "unknown-criterion"
    assert all(e["file"] is None and e["row"] is None for e in errors)  # the path says it, once


def test_bad_rows_and_cells_of_an_index_level_cohort(client: TestClient) -> None:
    rows = rows_of(COMMUNES)[:3]
    rows[0]["3"] = "1.5"
    rows[2]["unit"] = rows[1]["unit"]
    errors = error(client.post("/api/dti/score", json={"framework": "vinh-long-2554-commune", "rows": rows}))
    assert {(e["path"], e["code"]) for e in errors} >= {("rows[0].3", "bad-cell"), ("rows[2].unit", "duplicate-unit")}
    missing = error(
        client.post(
            "/api/dti/score", json={"framework": "vinh-long-2554-commune", "rows": [{"name": "Xã A", "1": 0.5}]}
        )
    )
    assert missing[0]["code"] == "missing-unit-column" and missing[0]["path"] == "rows[0].unit"
    nested = error(
        client.post("/api/dti/score", json={"framework": "vinh-long-2554-commune", "rows": [{"unit": "1", "1": [0.5]}]})
    )
    assert [e["path"] for e in nested] == ["rows[0].1"]


@pytest.mark.parametrize(
    ("body", "path", "code"),
    [
        ({"framework": "khong-co", "rows": [{"unit": "1"}]}, "framework", "unknown-framework"),
        ({"framework": "vinh-long-2554-commune@9.9", "rows": [{"unit": "1"}]}, "framework", "unknown-version"),
        ({"framework": "sample-2361-commune", "rows": [{"unit": "1"}]}, "framework", "not-dti"),
        ({"framework": "Vinh Long", "rows": []}, "framework", "schema:string_pattern_mismatch"),
        (
            {"framework": "vinh-long-2554-commune", "index_level": False, "rows": [{"unit": "1"}]},
            "index_level",
            "index-level-only",
        ),
        ({"framework": "vinh-long-2554-commune", "rows": []}, "rows", "missing-unit-column"),
        ({"framework": "vinh-long-2554-commune", "rows": {"unit": "1"}}, "rows", "schema:list_type"),
        ({"framework": "vinh-long-2554-commune", "rows": [], "extra": 1}, "extra", "schema:extra_forbidden"),
    ],
)
def test_bad_request(client: TestClient, body: dict[str, Any], path: str, code: str) -> None:
    first = error(client.post("/api/dti/score", json=body))[0]
    assert (first["path"], first["code"]) == (path, code)


def test_row_cap(client: TestClient) -> None:
    too_many = [{"unit": str(i)} for i in range(MAX_ROWS + 1)]
    (problem,) = error(client.post("/api/dti/score", json={"framework": "vinh-long-2554-commune", "rows": too_many}))
    assert problem["path"] == "rows" and f"Tối đa {MAX_ROWS} dòng" in problem["message_vi"]
    assert f"At most {MAX_ROWS} rows" in problem["message_en"]

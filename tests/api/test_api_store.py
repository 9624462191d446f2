"""JSON API on the stored cycles (demo database): cycles, assessments, one unit, history; who sees what."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.routes.store_api import UnitMap
from certify.store.unit_sources import CURRENT, PRE2025
from tests.api.conftest import SAMPLE_BANNER
from tests.api.store_fixtures import OTHER, OWN, login

# The demo: cycle 1 = 2025 communes (drafts), 2 = 2024 communes and 3 = 2024 districts (published),
# 4 and 5 = the 2024 and 2025 commune DTI rankings (published).
DRAFTS, PUBLISHED, DTI_2025 = 1, 2, 5
HOA_NINH = "29584"  # Xã Hòa Ninh, published in 2024 at Cơ bản
TRA_CON, TAN_MY = OTHER, "29839"  # Xã Trà Côn (2025) was formed from Xã Tân Mỹ (2024), among others


@pytest.fixture
def shared(shared_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(shared_app) as c:
        yield c


def error(r: httpx.Response, status: int) -> dict[str, Any]:
    """The first problem of an answer in the API's error shape, bilingual."""
    assert r.status_code == status, r.text
    errors = r.json()["errors"]
    assert errors and all(e["message_vi"] and e["message_en"] for e in errors)
    first: dict[str, Any] = errors[0]
    return first


def test_cycles_list_kind_framework_and_title(shared: TestClient) -> None:
    cycles = {c["id"]: c for c in shared.get("/api/cycles").json()}
    assert set(cycles) == {1, 2, 3, 4, 5}
    assert cycles[DRAFTS] | {"title": None} == {
        "id": 1,
        "year": 2025,
        "tier": "commune",
        "unit_map": "current",
        "framework": "sample-2361-commune@1.0",
        "framework_id": "sample-2361-commune",
        "framework_version": "1.0",
        "kind": "levels",
        "title": None,
        "deadline": None,
    }
    assert cycles[DRAFTS]["title"] == "Kỳ đánh giá mẫu 2025 (dữ liệu minh họa)"
    assert cycles[DTI_2025]["kind"] == "dti" and cycles[DTI_2025]["framework"] == "vinh-long-2554-commune@1.0"
    assert cycles[3]["tier"] == "district" and cycles[3]["unit_map"] == "pre2025"
    assert {c["id"] for c in shared.get("/api/cycles", params={"year": 2024}).json()} == {2, 3, 4}
    assert error(shared.get("/api/cycles", params={"year": 1999}), 422)["path"] == "query.year"


def test_published_assessments_with_levels_for_everyone(shared: TestClient) -> None:
    rows = shared.get(f"/api/cycles/{PUBLISHED}/assessments").json()
    # the 2024 demo commune at «Chưa đạt mức nào» stays appraised: never recognised, so never published
    assert len(rows) == 5 and {r["state"] for r in rows} == {"published"}
    assert all(r["level"] is not None for r in rows)
    hoa_ninh = next(r for r in rows if r["unit"] == HOA_NINH)
    assert hoa_ninh == {
        "cycle": 2,
        "year": 2024,
        "unit": HOA_NINH,
        "unit_name": "Xã Hòa Ninh",
        "state": "published",
        "state_vi": "đã công bố",
        "version": hoa_ninh["version"],
        "framework": "sample-2361-commune@1.0",
        "level": "co-ban",
        "level_name": "Cơ bản",
    }
    assert {r["level_name"] for r in rows} >= {"Nâng cao", "Khởi động"}


@pytest.mark.parametrize(
    ("who", "units"),
    [
        (None, set()),
        ("viewer", set()),
        ("editor", {OWN}),
        ("editor2", {OTHER}),
        ("appraiser", {OWN, OTHER, "29677"}),
        ("admin", {OWN, OTHER, "29677"}),
    ],
)
def test_draft_assessments_by_role(shared: TestClient, who: str | None, units: set[str]) -> None:
    login(shared, who)
    rows = shared.get(f"/api/cycles/{DRAFTS}/assessments").json()
    assert {r["unit"] for r in rows} == units
    assert all(r["state"] == "draft" and r["state_vi"] == "bản nháp" for r in rows)


def test_assessments_of_missing_or_dti_cycle(shared: TestClient) -> None:
    missing = error(shared.get("/api/cycles/999/assessments"), 404)
    assert (missing["code"], missing["path"], missing["found"]) == ("unknown-cycle", "path.cycle_id", "999")
    dti = error(shared.get(f"/api/cycles/{DTI_2025}/assessments"), 422)
    assert (dti["code"], dti["path"]) == ("not-levels-cycle", "path.cycle_id")
    assert "/api/dti/rankings" in dti["message_en"]
    for bad in ("0", "abc", str(2**40)):
        assert error(shared.get(f"/api/cycles/{bad}/assessments"), 422)["path"] == "path.cycle_id"


def test_one_published_unit_matches_its_page_twin(shared: TestClient) -> None:
    data = shared.get(f"/api/cycles/{PUBLISHED}/assessments/{HOA_NINH}").json()
    assert (data["unit_name"], data["level"], data["level_name"]) == ("Xã Hòa Ninh", "co-ban", "Cơ bản")
    assert data["decision_number"] == "0000/QĐ-UBND (minh họa)" and data["unit_map"] == "pre2025"
    assert data["self_values"]["CQS-01"] == {"numerator": 82, "denominator": 95}
    assert data["appraised_values"] == {} and data["self_level"] == "co-ban" and data["problems"] == []
    assert data["comments"] is None  # the council's notes are not for the public
    twin = shared.get(f"/cycles/{PUBLISHED}/units/{HOA_NINH}.json").json()
    assert data["evaluation"] == twin["evaluation"] and data["gap"] == twin["gap"]
    assert data["evaluation"]["level"] == "co-ban" and data["gap"]["next_level"] == "nang-cao"
    assert data["gap"]["items"] and data["gap"]["banner"] == SAMPLE_BANNER


def test_draft_unit_visible_to_its_editor_and_the_province_only(shared: TestClient) -> None:
    url = f"/api/cycles/{DRAFTS}/assessments/{OWN}"
    assert error(shared.get(url), 403)["code"] == "forbidden"
    login(shared, "editor2")  # the editor of another unit
    assert error(shared.get(url), 403)["found"] == f"editor2 @ {OWN}"
    login(shared, "editor")
    own = shared.get(url).json()
    assert own["state"] == "draft" and own["unit_name"] == "Xã Long Hồ" and own["comments"] == {}
    assert own["self_values"]["CQS-08"] == {"value": 300}
    login(shared, "appraiser")
    assert shared.get(url).json()["level"] == own["level"]


def test_missing_unit_and_bad_code(shared: TestClient) -> None:
    missing = error(shared.get(f"/api/cycles/{PUBLISHED}/assessments/99999"), 404)
    assert missing["code"] == "no-submission" and missing["path"] == "path.unit_code"
    assert error(shared.get(f"/api/cycles/{PUBLISHED}/assessments/a%20b"), 422)["path"] == "path.unit_code"


def test_history_across_the_merger(shared: TestClient) -> None:
    data = shared.get(f"/api/units/current/{TRA_CON}/history").json()
    # Anonymous: the former commune's published 2024 level, not Trà Côn's own 2025 draft.
    assert [(r["year"], r["unit"], r["unit_name"], r["level_name"]) for r in data["levels"]] == [
        (2024, TAN_MY, "Xã Tân Mỹ", "Cơ bản")
    ]
    dti = data["dti"][0]
    assert (dti["year"], dti["cycle"], dti["published"], dti["of"]) == (2025, DTI_2025, True, 124)
    assert dti["rank"] >= 1 and round(dti["value"], 4) == dti["value"]
    assert TAN_MY in dti["previous"]["units"] and dti["previous"]["rank"] is None
    login(shared, "editor2")  # Trà Côn's own editor sees its draft too
    assert [(r["year"], r["state"]) for r in shared.get(f"/api/units/current/{TRA_CON}/history").json()["levels"]] == [
        (2024, "published"),
        (2025, "draft"),
    ]
    login(shared, "editor")
    assert [r["year"] for r in shared.get(f"/api/units/current/{TRA_CON}/history").json()["levels"]] == [2024]


def test_history_of_unknown_unit_or_map(shared: TestClient) -> None:
    assert set(get_args(get_args(UnitMap)[0])) == {PRE2025, CURRENT}  # the path parameter follows the store
    assert error(shared.get("/api/units/current/00000/history"), 404)["path"] == "path.unit_code"
    assert error(shared.get(f"/api/units/1990/{HOA_NINH}/history"), 422)["path"] == "path.unit_map"

"""JSON API: frameworks, stateless evaluation equal to the core's, samples, one error shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from certify.catalog import Catalog, bundled_root
from certify.levels.evaluate import evaluate
from certify.levels.gap import gap_report
from certify.levels.intake import load_unit
from tests.api.conftest import COMMUNE, SAMPLE

SAMPLES = sorted((bundled_root("samples") / "assessments").glob("*.yaml"))


def sample_body(path: Path) -> dict[str, Any]:
    # YAML dates (evidence) become strings, as a JSON client would send them.
    body: dict[str, Any] = _jsonable(yaml.safe_load(path.read_text(encoding="utf-8")))
    return body


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def test_frameworks_list_and_detail(client: TestClient) -> None:
    ids = {f["id"] for f in client.get("/api/frameworks").json()}
    assert {COMMUNE, "sample-2361-district", "mic-2361-commune"} <= ids
    detail = client.get(f"/api/frameworks/{COMMUNE}", params={"version": "1.0"}).json()
    assert detail["banner"] == "Bộ tiêu chí mẫu — không phải ngưỡng chính thức"
    assert len(detail["criteria"]) == detail["counts"]["total"] == 38
    assert detail["levels"][0]["id"] == "khoi-dong"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_evaluate_equals_the_core(client: TestClient, path: Path) -> None:
    resolved, bound = load_unit(path, Catalog([bundled_root("frameworks")]))
    ev = evaluate(resolved, bound)
    expected = ev.to_dict()
    r = client.post("/api/evaluate", params={"detail": "full"}, json=sample_body(path))
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["level"] == expected["level"]
    assert got["levels"] == expected["levels"]
    assert got["framework"] == expected["framework"]
    assert got["input_hash"] == expected["input_hash"]
    assert got["gap"]["roadmap"] == gap_report(ev).to_dict()["roadmap"]
    summary = client.post("/api/evaluate", json=sample_body(path)).json()
    assert (summary["level"], summary["input_hash"], summary["framework"]) == (
        expected["level"],
        expected["input_hash"],
        expected["framework"],
    )
    for short, full in zip(summary["levels"], expected["levels"], strict=True):
        assert short["verdicts"] == {c["code"]: c["verdict"] for c in full["criteria"]}
        assert (short["held"], short["met_count"], short["blocking"]) == (
            full["held"],
            full["met_count"],
            full["blocking"],
        )
    assert summary["gap"]["items"] == gap_report(ev).to_dict()["items"]
    assert client.post("/api/gap", json=sample_body(path)).json()["items"] == gap_report(ev).to_dict()["items"]


def test_samples_are_listed_and_evaluated(client: TestClient) -> None:
    rows = client.get("/api/samples").json()
    assert len(rows) == len(SAMPLES)
    assert any(r["name"] == SAMPLE for r in rows)
    one = client.get(f"/api/samples/{SAMPLE}").json()
    assert one["unit"] == "29746" and "gap" in one and one["banner"]


# Bad bodies (unknown criterion, ratio above one, malformed JSON, …): the corpus tests/hostile/corpus/api, run by
# tests/hostile/test_corpus.py.


def test_not_found_has_the_same_shape(client: TestClient) -> None:
    for url in (
        "/api/frameworks/khong-co",
        f"/api/frameworks/{COMMUNE}?version=9.9",
        "/api/samples/khong-co",
        "/api/khong-co",
    ):
        r = client.get(url)
        assert r.status_code == 404, url
        assert r.json()["errors"][0]["message_vi"]


def test_wrong_method_and_too_large_body(client: TestClient) -> None:
    r = client.get("/api/evaluate")
    assert r.status_code == 405 and r.json()["errors"][0]["code"] == "method-not-allowed"
    r = client.post("/api/evaluate", content=b"x" * 2_000_000, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["errors"][0]["code"] == "too-large"


def test_openapi_documents_the_api_only(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/frameworks",
        "/api/frameworks/{framework_id}",
        "/api/evaluate",
        "/api/gap",
        "/api/samples",
        "/api/samples/{name}",
        "/api/cycles",
        "/api/cycles/{cycle_id}/assessments",
        "/api/cycles/{cycle_id}/assessments/{unit_code}",
        "/api/units/{unit_map}/{unit_code}/history",
        "/api/units/merger-links",
        "/api/dti/rankings",
        "/api/dti/score",
        "/api/reports/gap",
        "/api/plan/simulate",
    } == paths
    assert "ErrorsOut" in schema["components"]["schemas"]

"""Self-assessment form: CSRF, live level and gap (the HTMX partial), YAML download, autoescaping."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.form_values import form_values
from api.samples import Samples
from certify.catalog import Catalog, bundled_root
from certify.levels.assessment import bind, parse_assessment
from certify.levels.evaluate import evaluate
from tests.api.conftest import COMMUNE, SAMPLE, csrf_token

LIVE = f"/assess/{COMMUNE}/live"


@pytest.mark.parametrize("url", [LIVE, f"/assess/{COMMUNE}/download"])
def test_form_posts_need_the_csrf_token(client: TestClient, url: str) -> None:
    client.get(f"/assess/{COMMUNE}")  # cookie set, but no field sent
    r = client.post(url, data={"v:CQS-04": "có"})
    assert r.status_code == 403 and "Phiên biểu mẫu không hợp lệ" in r.text
    r = client.post(url, data={"v:CQS-04": "có", "csrf_token": "forged"}, headers={"accept": "application/json"})
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "csrf"


def test_token_from_another_secret_is_refused(client: TestClient) -> None:
    from api import csrf

    forged = csrf.issue("another-secret", None)
    client.cookies.set(csrf.COOKIE, forged)
    r = client.post(LIVE, data={"csrf_token": forged})
    assert r.status_code == 403


def test_live_result_changes_as_values_are_entered(client: TestClient) -> None:
    token = csrf_token(client)
    empty = client.post(LIVE, data={"csrf_token": token})
    assert empty.status_code == 200 and 'data-level=""' in empty.text
    start = client.post(
        LIVE,
        data={"csrf_token": token, "v:CQS-03": "25", "v:CQS-04": "có", "v:CQS-05": "có", "v:CQS-09": "có"},
        headers={"accept": "application/json"},
    ).json()
    assert start["result"]["ok"]
    ev = start["result"]["evaluation"]
    assert ev["levels"][0]["met_count"] >= 3


def test_live_shows_problems_in_place(client: TestClient) -> None:
    token = csrf_token(client)
    r = client.post(LIVE, data={"csrf_token": token, "v:CQS-01": "150"})
    assert r.status_code == 200  # HTMX swaps only 2xx answers
    assert 'data-bad="CQS-01"' in r.text and 'href="#field-CQS-01"' in r.text  # the field is named and linked
    # 150 typed in a percentage field is a percentage above 100 %, not a ratio above 1
    assert "tỷ lệ phần trăm phải từ 0% đến 100%" in r.text and "«150" in r.text and "values.CQS-01" not in r.text


def test_sample_prefill_gives_the_sample_level(client: TestClient) -> None:
    samples = Samples(bundled_root("samples") / "assessments", Catalog([bundled_root("frameworks")]))
    for sample in samples.all():
        fw = sample.evaluation.fw
        if fw.id != COMMUNE:
            continue
        values = form_values(fw, sample.evaluation.unit)
        token = csrf_token(client)
        got = client.post(LIVE, data=values | {"csrf_token": token}, headers={"accept": "application/json"}).json()
        assert got["result"]["evaluation"]["level"] == sample.evaluation.level, sample.name


def test_download_is_an_assessment_file_the_core_reads(client: TestClient) -> None:
    token = csrf_token(client, f"/assess/{COMMUNE}?from={SAMPLE}")
    form = {
        "csrf_token": token,
        "unit": "29746",
        "unit_name": "Xã Thử",
        "year": "2025",
        "v:CQS-04": "có",
        "e:CQS-04": "19/QĐ-UBND",
        "n:CQS-01": "52",
        "d:CQS-01": "95",
        "v:CQS-08": "80",
        "na:CQS-24": "1",
        "r:CQS-24": "Xã không có đối tượng áp dụng",
    }
    r = client.post(f"/assess/{COMMUNE}/download", data=form)
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="2025-29746.yaml"'
    assessment, doc = parse_assessment(r.text, "saved.yaml")
    catalog = Catalog([bundled_root("frameworks")])
    resolved = catalog.load(assessment.framework.id, assessment.framework.version)
    bound = bind(resolved.framework, assessment, doc)  # type: ignore[arg-type]
    assert bound.measurements["CQS-01"].numerator == 52
    assert bound.measurements["CQS-24"].na
    assert bound.measurements["CQS-04"].evidence is not None
    live = client.post(LIVE, data=form, headers={"accept": "application/json"}).json()
    assert live["result"]["evaluation"]["input_hash"] == evaluate(resolved, bound).input_hash


def test_user_text_is_escaped(client: TestClient) -> None:
    token = csrf_token(client)
    r = client.post(LIVE, data={"csrf_token": token, "v:CQS-04": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text

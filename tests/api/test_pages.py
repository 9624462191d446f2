"""Server-rendered pages: Vietnamese by default, English on request, JSON twins, sample banner."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import COMMUNE, SAMPLE, SAMPLE_BANNER

PAGES = {
    "/": "Đơn vị mẫu",
    "/frameworks": "Bộ tiêu chí",
    f"/frameworks/{COMMUNE}": "Sơ đồ phụ thuộc giữa các tiêu chí",
    "/frameworks/vinh-long-2554-province": "Chỉ số chính",
    f"/units/{SAMPLE}": "Tiêu chí theo từng mức",
    f"/assess/{COMMUNE}": "Tự đánh giá",
    f"/assess/{COMMUNE}?from={SAMPLE}": "Kết quả tạm tính",
}


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_in_vietnamese(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in r.text
    assert PAGES[url] in r.text


@pytest.mark.parametrize("url", [f"/frameworks/{COMMUNE}", f"/units/{SAMPLE}", f"/assess/{COMMUNE}", "/"])
def test_sample_results_carry_the_banner(client: TestClient, url: str) -> None:
    assert SAMPLE_BANNER in client.get(url).text


def test_unit_page_shows_badge_gap_and_evidence(client: TestClient) -> None:
    data = client.get(f"/units/{SAMPLE}.json").json()
    text = client.get(f"/units/{SAMPLE}").text
    assert 'id="level-badge"' in text and f'data-level="{data["level"] or ""}"' in text
    assert "Vì sao chưa đạt mức" in text and "Lộ trình" in text
    assert "19/QĐ-UBND" in text  # evidence list
    for verdict in ("Đạt", "Chưa đạt", "Thiếu số liệu"):
        assert verdict in text


TWINS = ["/", "/frameworks", f"/frameworks/{COMMUNE}", f"/units/{SAMPLE}", f"/assess/{COMMUNE}"]


@pytest.mark.parametrize("url", TWINS)
def test_json_twin_by_suffix_and_by_accept(client: TestClient, url: str) -> None:
    path, _, query = url.partition("?")
    by_suffix = client.get(f"{path}.json" + (f"?{query}" if query else ""))
    by_accept = client.get(url, headers={"accept": "application/json"})
    assert by_suffix.status_code == by_accept.status_code == 200
    assert by_suffix.headers["content-type"] == "application/json"
    assert by_suffix.json() == by_accept.json()


def test_unit_twin_equals_the_api(client: TestClient) -> None:
    assert client.get(f"/units/{SAMPLE}.json").json() == client.get(f"/api/samples/{SAMPLE}").json()


def test_english_switch_sets_a_cookie(client: TestClient) -> None:
    r = client.get("/?lang=en")
    assert '<html lang="en">' in r.text and "Sample units" in r.text
    assert "lang=en" in r.headers["set-cookie"]
    again = client.get("/frameworks")  # the cookie keeps the choice
    assert '<html lang="en">' in again.text and "Frameworks" in again.text
    back = client.get("/?lang=vi")
    assert '<html lang="vi">' in back.text


def test_unknown_page_is_a_bilingual_404_page(client: TestClient) -> None:
    r = client.get("/units/khong-co")
    assert r.status_code == 404
    assert "Không tìm thấy trang" in r.text and "Không có đơn vị mẫu «khong-co»" in r.text
    assert "unknown-sample" not in r.text  # the internal code stays in the JSON twin
    assert "No sample unit" in client.get("/units/khong-co?lang=en").text
    r = client.get("/units/khong-co.json")
    assert r.status_code == 404 and r.json()["errors"][0]["code"] == "unknown-sample"


def test_framework_graph_is_inline_svg(client: TestClient) -> None:
    text = client.get(f"/frameworks/{COMMUNE}").text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="depgraph"' in text
    assert "marker-end" in text and "<script" not in text.split("<main")[1]


def test_no_cdn_links(client: TestClient) -> None:
    for url in PAGES:
        text = client.get(url).text
        assert "//cdn" not in text and "unpkg" not in text and 'src="http' not in text
    js = client.get("/static/htmx.min.js")
    assert js.status_code == 200 and "htmx" in js.text[:200]

"""The province what-if on the stored demo cycles: `POST /api/plan/simulate`, the planning page and its JSON twin,
`certify plan --cycle`; the greedy plan's first step checked against brute force on the demo cycle."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from certify.cli.app import app
from certify.cli.common import console, run_guarded
from certify.levels.evaluate import evaluate_many
from reports.from_store import ALL_STATES, StoredCycle, load_cycle
from tests.api.live_server import needs_chromium, open_page
from tests.api.store_fixtures import login
from tests.levels.test_properties import level_framework
from tests.plan.test_whatif import check_first_step_against_brute_force, edited, next_threshold

COMMUNES_2024, COMMUNES_2025 = 2, 1  # demo cycles (certify.store.demo)


@pytest.fixture(scope="module")
def demo_db(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("plan") / "certify.sqlite"
    shutil.copy(template_db, db)
    return db


def stored(db: Path, cycle: int) -> StoredCycle:
    return load_cycle(cycle, url=f"sqlite:///{db}", states=ALL_STATES, previous=False)


@pytest.mark.parametrize("cycle", [COMMUNES_2025, COMMUNES_2024, 3])
def test_greedy_first_step_equals_brute_force_on_the_demo_cycle(demo_db: Path, cycle: int) -> None:
    evs = stored(demo_db, cycle).evaluations
    check_first_step_against_brute_force(evs[0].compiled.resolved, evs)


def test_simulate_equals_a_re_evaluation_of_edited_stored_assessments(sclient: TestClient, demo_db: Path) -> None:
    login(sclient, "appraiser")
    body = {
        "cycle": COMMUNES_2024,
        "steps": 3,
        "changes": [{"criterion": "CQS-02", "threshold": 0.8}, {"criterion": "XHS-07"}],
    }
    r = sclient.post("/api/plan/simulate", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["units"] == 6 and data["year"] == 2024 and data["plan_year"] == 2025
    evs = stored(demo_db, COMMUNES_2024).evaluations
    resolved = evs[0].compiled.resolved
    fw = level_framework(resolved)
    units = [edited(fw, edited(fw, e.unit, "CQS-02", 0.8), "XHS-07", next_threshold(fw, e, "XHS-07")) for e in evs]
    after = evaluate_many(resolved, units)
    moved = sum(a.level_index > e.level_index for a, e in zip(after, evs, strict=True))
    assert data["simulation"]["moved_up"] == moved
    assert data["simulation"]["after"] == [sum(a.level_index == k for a in after) for k in range(-1, 5)]
    assert len(data["greedy"]["steps"]) == 3
    assert data["banner"] == "Bộ tiêu chí mẫu — không phải ngưỡng chính thức"


def test_simulate_is_for_province_roles_and_refuses_what_it_cannot_do(sclient: TestClient) -> None:
    body = {"cycle": COMMUNES_2024}
    login(sclient, None)
    assert sclient.post("/api/plan/simulate", json=body).status_code == 403
    login(sclient, "editor")  # a commune sees its own unit, not the province's unpublished figures
    assert sclient.post("/api/plan/simulate", json=body).status_code == 403
    login(sclient, "admin")
    assert sclient.post("/api/plan/simulate", json={"cycle": 999}).status_code == 404
    bad = sclient.post("/api/plan/simulate", json={"cycle": COMMUNES_2024, "steps": 50})
    assert bad.status_code == 422 and "steps" in str(bad.json()["errors"][0]["path"])
    unknown = sclient.post("/api/plan/simulate", json={"cycle": COMMUNES_2024, "changes": [{"criterion": "ZZZ-9"}]})
    assert unknown.status_code in (400, 422) and "ZZZ-9" in unknown.text
    area = sclient.post(
        "/api/plan/simulate", json={"cycle": COMMUNES_2024, "changes": [{"criterion": "CQS-02", "area": "Nowhere"}]}
    )
    assert area.status_code in (400, 422) and "Huyện Long Hồ" in area.text  # the areas that exist are listed


def test_planning_page_json_twin_and_scenario_form(sclient: TestClient) -> None:
    login(sclient, "admin")
    html = sclient.get(f"/plan/province/{COMMUNES_2024}").text
    assert "Kế hoạch nâng mức chuyển đổi số — Vĩnh Long" in html
    assert '<script src="/plan/static/table-sort.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP)
    assert 'style="' not in html.split("<main", 1)[1]  # nor inline styles on this page
    twin = sclient.get(f"/plan/province/{COMMUNES_2024}.json").json()
    assert twin["units"] == 6 and twin["cycle"] == COMMUNES_2024
    page = sclient.get(
        f"/plan/province/{COMMUNES_2024}", params={"criterion": "CQS-02", "threshold": "80%", "area": "Huyện Long Hồ"}
    ).text
    assert 'id="scenario-result"' in page and "<option selected>Huyện Long Hồ</option>" in page
    wrong = sclient.get(f"/plan/province/{COMMUNES_2024}", params={"criterion": "CQS-02", "threshold": "80,5,1"}).text
    assert 'role="alert"' in wrong and "Có hơn một dấu phẩy" in wrong and 'value="80,5,1"' in wrong  # input kept
    js = sclient.get("/plan/static/table-sort.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")


def test_cli_plan_from_a_stored_cycle(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", f"sqlite:///{demo_db}")
    out = tmp_path / "kh.docx"
    assert run_guarded(app, console, ["plan", "--cycle", str(COMMUNES_2025), "--unit", "29677", "-o", str(out)]) == 0
    assert out.stat().st_size > 10_000
    pdf = tmp_path / "tinh.pdf"
    assert run_guarded(app, console, ["plan", "--province", "--cycle", str(COMMUNES_2025), "-o", str(pdf)]) == 0
    import pypdf

    text = " ".join(p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages)
    assert "gồm 3 đơn vị chưa gửi số liệu (bản nháp)" in " ".join(text.split())


@needs_chromium
def test_planning_page_in_chromium_at_1366_and_390(demo_server: str, chromium: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    shots = Path(os.environ.get("CERTIFY_SCREENSHOTS", tmp_path))
    for width in (1366, 390):
        page = open_page(chromium, demo_server, "admin", width)
        page.goto(f"{demo_server}/plan/province/{COMMUNES_2024}")
        expect(page.locator("h1")).to_contain_text("Kế hoạch nâng mức chuyển đổi số")
        page.select_option("#criterion", "CQS-02")
        page.fill("#threshold", "80%")
        page.click("#scenario button[type=submit]")
        expect(page.locator("#scenario-result")).to_contain_text("đơn vị lên mức")
        # sorting the effects table by units moved up (a static script, no inline code)
        header = page.locator("#effects th").nth(3)
        header.locator("button").click()
        expect(header).to_have_attribute("aria-sort", "ascending")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"the page scrolls sideways at {width} px"
        page.screenshot(path=str(shots / f"plan-province-{width}.png"), full_page=True)
        page.context.close()


def test_stored_summary_compares_across_the_merger(demo_db: Path) -> None:
    from reports.province import summarise

    got = load_cycle(COMMUNES_2025, url=f"sqlite:///{demo_db}", states=ALL_STATES)
    assert {e.unit.assessment.year for e in got.previous} == {2024}  # the pre-2025 map's cycle of communes
    assert got.formers is not None and "29839" in got.formers["29836"]  # Trà Côn ← Tân Mỹ, from unit_merger
    s = summarise(got.evaluations + got.previous, 2025, formers=got.formers, districts=got.districts)
    (t,) = s.tiers
    assert [c["before"] for c in t.changes] == ["Cơ bản (đơn vị cũ: Xã Tân Mỹ)"]
    assert t.previous_missing == 2 and "1/3 đơn vị có kết quả năm trước" in t.previous_basis

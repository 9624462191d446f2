"""The year's work in Chromium, as each role does it on the demo province, asserting what the person sees.

A commune editor types «85,5» and «72%» in the self-assessment form and watches the level beside the form change,
mistypes a number and keeps everything typed (the message at the field), uploads a PDF as evidence and submits after
a confirmation; a second commune submits at «Chưa đạt mức nào». The appraiser opens the queue, sees the evidence and
the verdicts, changes one value (a comment is required) and watches the level recompute, then approves both. The
province officer cannot recognise the unit without a level, recognises the other (acknowledging the sample
framework) and publishes it; the public pages show it. axe-core checks the states only typing reaches (a form with
errors, the live result, a confirmation page).

The walk runs once (a module fixture on the session's live server and browser); each test reads its outcome.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.api.live_server import needs_chromium, open_page
from tests.api.site_survey import axe_violations
from tests.api.store_fixtures import OTHER, OWN

pytestmark = needs_chromium

CYCLE = 1  # the demo province's 2025 cycle of communes (certify.store.demo): its units start as drafts
LONG_HO, TRA_CON = "Xã Long Hồ", "Xã Trà Côn"  # OWN (user "editor") and OTHER (user "editor2")
# A PDF as small as a PDF can be: the upload reads the type from the content, not from the name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Walk:
    failure: BaseException | None = None  # the first failed step of the walk: the walk stopped there
    axe: dict[str, list[str]] = field(default_factory=dict)  # state → serious or critical violations

    def check_axe(self, state: str, page: Any) -> None:
        found = axe_violations(page)
        if found:
            self.axe[state] = found


def _unit(base: str, code: str, tail: str = "") -> str:
    return f"{base}/cycles/{CYCLE}/units/{code}{tail}"


def _editor(w: Walk, browser: Any, base: str, shots: Path) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, base, "editor")
    # the home of a commune: its unit's cycle, the state, the live level and a button to continue
    expect(page.locator("#my-unit")).to_contain_text("bản nháp")
    expect(page.locator("#level-badge")).to_have_text("Toàn diện")
    # keyboard first: the first Tab shows the skip link, which leads into the page's content
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    expect(page.locator("a.skip")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.locator("#continue").click()
    expect(page.locator("h1")).to_have_text(f"Tự đánh giá: {LONG_HO} — 2025")

    live, badge = page.locator("#live"), page.locator("#level-badge")
    expect(badge).to_have_text("Toàn diện")
    # «85,5» in the percentage of CQS-02 (its counts cleared): 85.5 %, not 855, and the level follows the typing
    page.fill('input[name="n:CQS-02"]', "")
    page.fill('input[name="d:CQS-02"]', "")
    page.locator("#field-CQS-02").press_sequentially("85,5")
    expect(badge).to_have_text("Nâng cao")
    expect(live).to_contain_text("Vì sao chưa đạt mức Toàn diện: 1 tiêu chí")
    expect(live).to_contain_text("CQS-02 85,5% → ≥ 90% (+4,5 điểm phần trăm)")
    page.fill('input[name="n:CQS-03"]', "")
    page.fill('input[name="d:CQS-03"]', "")
    page.locator("#field-CQS-03").press_sequentially("72%")
    expect(live).to_contain_text("CQS-03 72% → ≥ 80% (+8 điểm phần trăm)")
    expect(live).to_contain_text("Vì sao chưa đạt mức Toàn diện: 2 tiêu chí")
    # the level stays in sight beside the form while typing far down it
    form_box, live_box = page.locator("#assess-form").bounding_box(), live.bounding_box()
    assert form_box and live_box and live_box["x"] >= form_box["x"] + form_box["width"], (form_box, live_box)
    page.locator("#field-CQS-17").scroll_into_view_if_needed()
    expect(live.locator("#level-badge")).to_be_in_viewport()
    page.screenshot(path=str(shots / "walk-editor-form.png"))
    # on a phone the same result stands directly above the fields, with the level typed so far (nothing saved yet)
    phone = open_page(browser, base, "editor", width=390, height=844)
    phone.goto(_unit(base, OWN, "/edit"))
    expect(phone.locator("#level-badge")).to_have_text("Toàn diện")
    above, fields = phone.locator("#live").bounding_box(), phone.locator("#assess-form").bounding_box()
    assert above and fields and above["y"] + above["height"] <= fields["y"], (above, fields)
    phone.context.close()

    # a mistyped number: said at once in the live result, then at the field on saving; nothing typed is lost
    page.locator("#field-CQS-08").fill("abc")
    expect(live).to_contain_text("Tiêu chí CQS-08: không phải là số — bạn đã nhập «abc»")
    expect(page.locator("#crit-CQS-08")).to_have_class(re.compile(r"\bbad\b"))
    w.check_axe("editor: the live result with an error", page)
    page.locator("#save-draft").click()
    expect(page.locator("#error-summary")).to_contain_text("Cần sửa trước khi lưu")
    expect(page.locator("#error-summary")).to_contain_text("CQS-08: không phải là số — bạn đã nhập «abc»")
    at_field = page.locator("#crit-CQS-08 .field-error")
    expect(at_field).to_have_text("Tiêu chí CQS-08: không phải là số — bạn đã nhập «abc»")
    expect(page.locator("#field-CQS-08")).to_have_value("abc")
    expect(page.locator("#field-CQS-08")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-CQS-02")).to_have_value("85,5")
    expect(page.locator("#field-CQS-03")).to_have_value("72%")
    w.check_axe("editor: the form with an error", page)
    page.locator("#error-summary a").first.click()  # the message leads to its field
    expect(page.locator("#field-CQS-08")).to_be_in_viewport()
    page.locator("#field-CQS-08").fill("300")
    page.locator("#save-draft").click()
    expect(page.locator(".flash")).to_contain_text(f"Đã lưu bản nháp của {LONG_HO}")
    expect(page.locator("#field-CQS-02")).to_have_value("85,5")  # stored as typed, shown as typed
    expect(page.locator("#level-badge")).to_have_text("Nâng cao")

    # evidence: a PDF for CQS-02, reached from the criterion's own link
    page.locator('#crit-CQS-02 a[href$="/evidence#ev-CQS-02"]').click()
    expect(page.locator("h1")).to_have_text(f"Tệp kiểm chứng: {LONG_HO} — 2025")
    page.select_option("#field-criterion", "CQS-02")
    page.set_input_files(
        "#field-file", files=[{"name": "bao-cao-dvc-2025.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.fill("#field-document_number", "210/BC-UBND")
    page.fill("#field-document_date", "2025-11-20")
    page.locator("#upload").click()
    expect(page.locator(".flash")).to_contain_text(
        f"Đã tải lên tệp bao-cao-dvc-2025.pdf cho tiêu chí CQS-02 của {LONG_HO}"
    )
    expect(page.locator("#ev-CQS-02")).to_contain_text("bao-cao-dvc-2025.pdf")
    expect(page.locator("#ev-CQS-02")).to_contain_text("số 210/BC-UBND")
    w.check_axe("editor: evidence after an upload", page)
    # deleting a file asks first, naming it; cancelled here
    page.get_by_role("link", name="Xóa bao-cao-dvc-2025.pdf").click()
    expect(page.locator("#confirm-question")).to_contain_text("bao-cao-dvc-2025.pdf")
    w.check_axe("editor: the deletion's confirmation", page)
    page.locator("#cancel").click()
    expect(page.locator("#ev-CQS-02")).to_contain_text("bao-cao-dvc-2025.pdf")

    # submit: a confirmation naming the unit, the level and the consequence, answered from the keyboard
    page.goto(_unit(base, OWN, "/edit"))
    expect(page.locator("#crit-CQS-02")).to_contain_text("Tệp kiểm chứng (1)")
    page.locator("#submit").click()
    expect(page.locator("#confirm-question")).to_contain_text(f"{LONG_HO}, năm 2025, với mức tự đánh giá «Nâng cao»")
    expect(page.locator("#confirm-consequence")).to_contain_text("không sửa được số liệu nữa")
    w.check_axe("editor: the submission's confirmation", page)
    page.locator("#confirm").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text(f"Đã nộp hồ sơ của {LONG_HO}, năm 2025")
    expect(page.locator("#state")).to_have_text("đã gửi")
    expect(page.locator("#edit-link")).to_have_count(0)  # nothing to edit any more
    page.context.close()

    # a second commune submits at «Chưa đạt mức nào» (no steering committee)
    other = open_page(browser, base, "editor2")
    other.goto(_unit(base, OTHER, "/edit"))
    other.select_option('select[name="v:CQS-04"]', "không")
    expect(other.locator("#level-badge")).to_have_text("Chưa đạt mức nào")
    other.locator("#submit").click()
    expect(other.locator("#confirm-question")).to_contain_text("«Chưa đạt mức nào»")
    other.locator("#confirm").click()
    expect(other.locator("#state")).to_have_text("đã gửi")
    other.context.close()


def _appraiser(w: Walk, browser: Any, base: str, shots: Path) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, base, "appraiser")
    # the queue: both submissions with their self-assessed level
    expect(page.locator("h1")).to_have_text("Hồ sơ chờ thẩm định")
    expect(page.locator("#waiting")).to_have_text("2")
    expect(page.locator(f'#queue tr[data-unit="{OWN}"]')).to_contain_text("Nâng cao")
    expect(page.locator(f'#queue tr[data-unit="{OTHER}"]')).to_contain_text("Chưa đạt mức nào")

    # sorted by the date of submission
    page.get_by_role("link", name=re.compile("^ngày nộp")).click()
    expect(page.locator("#sort-date")).to_have_attribute("aria-current", "true")
    expect(page.locator("#queue thead")).to_contain_text("Ngày nộp")
    expect(page.locator("#queue tbody tr")).to_have_count(2)
    w.check_axe("appraiser: the queue", page)

    page.goto(base + "/")
    page.get_by_role("link", name=f"Thẩm định {LONG_HO}").click()
    expect(page.locator("h1")).to_have_text(f"Thẩm định: {LONG_HO} — 2025")
    expect(page.locator("#appraise-banner")).to_contain_text("không phải ngưỡng chính thức")
    expect(page.locator("#self-level")).to_have_text("Nâng cao")
    # each criterion: the unit's value, its evidence (document number and file) and its verdict
    crit = page.locator("#crit-CQS-02")
    expect(crit).to_contain_text("Đơn vị tự đánh giá: 85,5 %")
    expect(crit).to_contain_text("210/BC-UBND")
    expect(crit.get_by_role("link", name="bao-cao-dvc-2025.pdf")).to_be_visible()
    expect(page.locator("#verdict-CQS-02")).to_contain_text("Chưa đạt ≥ 90% (Toàn diện)")
    expect(page.locator("#crit-CQS-03")).to_contain_text("Đơn vị tự đánh giá: 72 %")
    expect(page.locator("#verdict-CQS-08")).to_contain_text("Đạt ≥ 200 Mbps (Toàn diện)")
    live = page.locator("#live")
    expect(live.locator("#level-badge")).to_have_text("Nâng cao")

    # the bandwidth measured on site is 40 Mbps: the level recomputes as the appraiser types
    page.locator("#field-CQS-08").fill("40")
    expect(live.locator("#level-badge")).to_have_text("Khởi động")
    expect(live).to_contain_text("CQS-08 40 Mbps → ≥ 50 Mbps (+10 Mbps)")
    expect(page.locator("#verdict-CQS-08")).to_contain_text("Chưa đạt ≥ 50 Mbps (Kết nối)")
    page.screenshot(path=str(shots / "walk-appraisal.png"))
    w.check_axe("appraiser: the live result after a change", page)
    # approving a changed value without a comment: refused at the field, the value kept
    page.locator("#approve").click()
    expect(page.locator("#error-summary")).to_contain_text("CQS-08: cần ghi nhận xét cho giá trị đã sửa")
    expect(page.locator("#field-CQS-08")).to_have_value("40")
    w.check_axe("appraiser: the appraisal with an error", page)
    page.fill("#comment-CQS-08", "Đo thực tế tại trụ sở ngày 20/11/2025: 40 Mbps")
    page.locator("#approve").click()
    expect(page.locator("#confirm-question")).to_contain_text(LONG_HO)
    expect(page.locator("#confirm-question")).to_contain_text("Khởi động")
    page.locator("#confirm").click()
    expect(page.locator(".flash")).to_contain_text(f"Đã thông qua hồ sơ của {LONG_HO} ở mức «Khởi động»")
    expect(page.locator("#state")).to_have_attribute("data-state", "appraised")
    expect(page.locator("#level-badge")).to_have_text("Khởi động")

    page.goto(_unit(base, OTHER, "/appraise"))
    expect(page.locator("#self-level")).to_have_text("Chưa đạt mức nào")
    page.locator("#approve").click()
    page.locator("#confirm").click()
    expect(page.locator(".flash")).to_contain_text(f"Đã thông qua hồ sơ của {TRA_CON}")
    page.goto(base + "/")
    expect(page.locator("#queue-empty")).to_have_text("Không có hồ sơ nào chờ thẩm định.")
    page.context.close()


def _province(w: Walk, browser: Any, base: str, shots: Path) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, base, "admin")
    expect(page.locator("#to-recognise")).to_have_text("2")
    page.get_by_role("link", name="Ghi quyết định công nhận").click()
    expect(page.locator("h1")).to_have_text("Công nhận và công bố — 2025")
    expect(page.locator("#recognition-banner")).to_contain_text("không phải ngưỡng chính thức")
    # the unit without a level cannot be ticked, and the page says why
    row = page.locator("#recognition tr", has_text=TRA_CON)
    expect(row).to_contain_text("Không công nhận được: chưa đạt mức nào")
    expect(row.locator('input[type="checkbox"]')).to_have_count(0)
    expect(page.locator("#recognition tr", has_text=LONG_HO)).to_contain_text("Khởi động")
    w.check_axe("admin: recognition", page)

    # a form forged to tick it anyway (an old page, a crafted request) is refused by the server, in words
    version = page.request.get(f"{base}/api/cycles/{CYCLE}/assessments/{OTHER}").json()["version"]
    page.evaluate(
        """([key, version]) => {
            const form = document.getElementById('recognise-form');
            form.insertAdjacentHTML('beforeend', `<input type="hidden" name="unit" value="${key}">`);
            form.insertAdjacentHTML('beforeend', `<input type="hidden" name="version:${key}" value="${version}">`);
        }""",
        [f"{CYCLE}:{OTHER}", version],
    )
    page.fill("#field-decision_number", "14/QĐ-UBND")
    page.fill("#field-signer", "Chủ tịch UBND tỉnh")
    page.locator("#recognise").click()
    expect(page.locator("#error-summary")).to_contain_text(f"Không công nhận được {TRA_CON}: đơn vị chưa đạt mức nào")
    page.goto(base + "/recognition")
    expect(page.locator("#recognition tr", has_text=TRA_CON)).to_contain_text("Không công nhận được")

    # recognise the other: a decision, a confirmation that names the sample framework and wants it acknowledged
    page.check(f"#pick-{CYCLE}-{OWN}")
    page.fill("#field-decision_number", "15/QĐ-UBND")
    page.fill("#field-signer", "Chủ tịch UBND tỉnh")
    page.locator("#recognise").click()
    expect(page.locator("#confirm-banner")).to_contain_text("không phải ngưỡng chính thức")
    expect(page.locator("#confirm-question")).to_contain_text("Ghi quyết định công nhận số 15/QĐ-UBND")
    expect(page.locator("#confirm-items")).to_contain_text(LONG_HO)
    page.locator("#confirm").click()  # not acknowledged: refused, the box marked
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#field-acknowledge")).not_to_be_checked()
    w.check_axe("admin: a confirmation refused for want of the acknowledgement", page)
    page.check("#field-acknowledge")
    page.locator("#confirm").click()
    expect(page.locator(".flash")).to_contain_text("15/QĐ-UBND")
    expect(page.locator("#publishing tr", has_text=LONG_HO)).to_contain_text("15/QĐ-UBND")
    # publish
    page.check(f"#pub-{CYCLE}-{OWN}")
    page.locator("#publish").click()
    expect(page.locator("#confirm-items")).to_contain_text(LONG_HO)
    page.locator("#confirm").click()
    expect(page.locator(".flash")).to_contain_text("Đã công bố")
    expect(page.locator("#published tr", has_text=LONG_HO)).to_contain_text("Khởi động")
    page.screenshot(path=str(shots / "walk-recognition.png"))
    page.context.close()


def _public(w: Walk, browser: Any, base: str, shots: Path) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, base)
    page.goto(_unit(base, OWN))
    expect(page.locator("#state")).to_have_text("đã công bố")
    expect(page.locator("#level-badge")).to_have_text("Khởi động")
    expect(page.locator("main")).to_contain_text("quyết định công nhận số 15/QĐ-UBND")
    page.goto(_unit(base, OTHER))  # approved, not recognised: not public
    expect(page.locator("#level-badge")).to_have_count(0)
    # the province's results default to the latest year with a published result: now 2025, with this unit only
    page.goto(base + "/dashboard")
    units = page.locator("#units")
    expect(units.locator("tr", has_text=LONG_HO)).to_contain_text("Khởi động")
    expect(units).not_to_contain_text(TRA_CON)
    page.screenshot(path=str(shots / "walk-public.png"))

    # the DTI ranking sorted from the keyboard: the table is replaced (HTMX), the focus stays on the control
    page.locator("#sort-value").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#dti-ranking thead th[aria-sort]")).to_contain_text("Giá trị DTI")
    expect(page.locator("#sort-value")).to_be_focused()
    values = [float(t.replace(",", ".")) for t in page.locator("#dti-ranking tbody td:nth-child(6)").all_inner_texts()]
    assert len(values) > 1 and values in (sorted(values), sorted(values, reverse=True)), values
    # a filter likewise keeps the focus on the select that changed it
    district = page.locator("#filter-district")
    choice = district.locator("option").nth(1).text_content() or ""
    district.focus()
    district.select_option(label=choice)
    expect(page).to_have_url(re.compile("district="))
    expect(page.locator("#filter-district")).to_have_value(choice)
    expect(page.locator("#filter-district")).to_be_focused()
    # the CSV download holds exactly the rows shown
    shown = page.locator("#dti-ranking tbody tr").evaluate_all("rows => rows.map(r => r.dataset.unit)")
    with page.expect_download() as got:
        page.locator("#download-csv").click()
    text = Path(got.value.path()).read_text(encoding="utf-8-sig")
    assert shown and [code for code in shown if code in text] == shown
    assert len([line for line in text.splitlines() if line.strip()]) == len(shown) + 1, text  # a header, the rows
    page.context.close()


@pytest.fixture(scope="module")
def walk(chromium: Any, demo_server: str, tmp_path_factory: pytest.TempPathFactory) -> Walk:
    shots = Path(os.environ.get("CERTIFY_SCREENSHOTS") or tmp_path_factory.mktemp("walk"))
    w = Walk()
    try:
        for step in (_editor, _appraiser, _province, _public):
            step(w, chromium, demo_server, shots)
    except Exception as exc:  # kept for test_the_year_as_each_role, which raises it with its traceback
        w.failure = exc
    return w


def test_the_year_as_each_role(walk: Walk) -> None:
    if walk.failure is not None:
        raise walk.failure


def test_no_serious_accessibility_violation_in_the_states_typing_reaches(walk: Walk) -> None:
    if walk.failure is not None:
        pytest.fail(f"the walk stopped early: {walk.failure!r}")
    report = "\n".join(f"{state}\n    " + "\n    ".join(found) for state, found in walk.axe.items())
    assert walk.axe == {}, f"axe-core, serious or critical:\n{report}"

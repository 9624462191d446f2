"""Certification rules on a small framework with hand-checked expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from certify.catalog import Catalog, Resolved
from certify.levels.evaluate import Verdict
from certify.levels.gap import gap_report
from tests.levels.helpers import run

# Meets co-ban exactly at every threshold, nothing more.
AT_CO_BAN = {"A-PORTAL": True, "A-ONLINE": 0.5, "A-MEETINGS": 4, "A-DAYS": 5, "B-FIBRE": 0.6, "B-EHR": 0.5}


def test_thresholds_are_inclusive(tiny: Resolved) -> None:
    ev = run(tiny, AT_CO_BAN)
    assert ev.level == "co-ban"
    # A yes/no criterion met once is met at every level; the others all need more for nang-cao.
    assert {r.code for r in ev.blocking("nang-cao")} == set(AT_CO_BAN) - {"A-PORTAL"}


def test_just_below_a_threshold_drops_a_level(tiny: Resolved) -> None:
    ev = run(tiny, AT_CO_BAN | {"B-FIBRE": 0.599})
    assert ev.level == "ket-noi"
    assert [r.code for r in ev.blocking("co-ban")] == ["B-FIBRE"]


def test_lower_is_better_indicator(tiny: Resolved) -> None:
    assert run(tiny, AT_CO_BAN | {"A-DAYS": 5.5}).level == "ket-noi"
    ev = run(tiny, AT_CO_BAN | {"A-DAYS": 2})
    assert ev.level == "co-ban" and "A-DAYS" not in {r.code for r in ev.blocking("nang-cao")}


def test_missing_value_is_not_zero_and_blocks(tiny: Resolved) -> None:
    values = dict(AT_CO_BAN)
    del values["B-EHR"]
    ev = run(tiny, values)
    assert ev.level == "ket-noi"
    (blocker,) = ev.blocking("co-ban")
    assert blocker.code == "B-EHR" and blocker.verdict is Verdict.MISSING
    assert ev.to_dict()["why_not_next"][0]["value_text"] == "thiếu số liệu"


def test_empty_values_are_valid_and_certify_nothing(tiny: Resolved) -> None:
    ev = run(tiny, {})
    assert ev.level is None and ev.next_level == "khoi-dong"
    assert all(r.verdict is Verdict.MISSING for r in ev.blocking("khoi-dong"))


def _localised(tmp_path: Path, catalog: Catalog, policy: str) -> Resolved:
    folder = tmp_path / f"tiny-na-{policy.replace('_', '-')}"
    folder.mkdir()
    (folder / "1.0.yaml").write_text(
        f"kind: levels\nid: {folder.name}\nversion: '1.0'\nextends: tiny-commune@1.0\ntitle: NA\n"
        f"tier: commune\nstatus: sample\nsource: {{issuer: t, status: sample}}\n"
        f"rules: {{not_applicable: {policy}}}\n",
        encoding="utf-8",
    )
    return Catalog([tmp_path, *catalog.roots]).load(folder.name)


@pytest.mark.parametrize(
    ("policy", "level", "verdict_vi"),
    [
        ("exclude", "co-ban", "không tính vào mức độ"),
        ("deem_met", "co-ban", "được tính là đạt"),
        ("not_allowed", "ket-noi", "không cho phép"),
    ],
)
def test_not_applicable_follows_the_framework_policy(
    tmp_path: Path, catalog: Catalog, policy: str, level: str, verdict_vi: str
) -> None:
    fw = _localised(tmp_path, catalog, policy)
    ev = run(fw, AT_CO_BAN | {"B-EHR": {"not_applicable": True, "reason": "Xã không có trạm y tế"}})
    assert ev.level == level
    entry = next(c for c in ev.to_dict()["levels"][2]["criteria"] if c["code"] == "B-EHR")
    assert verdict_vi in entry["not_applicable"]["policy"]
    assert entry["not_applicable"]["reason"] == "Xã không có trạm y tế"


def test_yen_bai_rule_needs_all_mandatory_and_a_share_of_optional(catalog: Catalog) -> None:
    yb = catalog.load("tiny-yenbai")
    # At nang-cao the optional criteria are A-MEETINGS, A-DAYS, B-EHR: 30% of 3 → at least 1 must hold.
    strong_mandatory = {"A-PORTAL": True, "A-ONLINE": 0.8, "B-FIBRE": 0.8}
    assert run(yb, strong_mandatory | {"A-MEETINGS": 4, "A-DAYS": 5, "B-EHR": 0.5}).level == "co-ban"
    assert run(yb, strong_mandatory | {"A-MEETINGS": 8, "A-DAYS": 5, "B-EHR": 0.5}).level == "nang-cao"
    # A mandatory criterion cannot be compensated by optional ones.
    assert run(yb, strong_mandatory | {"A-ONLINE": 0.79, "A-MEETINGS": 12, "A-DAYS": 1, "B-EHR": 1}).level == "co-ban"


def test_gap_in_percentage_points_and_counts(tiny: Resolved) -> None:
    ev = run(tiny, AT_CO_BAN | {"A-ONLINE": {"numerator": 85, "denominator": 150}})
    item = next(i for i in gap_report(ev).next_level.items if i.code == "A-ONLINE")  # type: ignore[union-attr]
    assert item.target == 0.8
    assert item.count_gap == 35  # 0.8 × 150 = 120 dossiers, 85 done
    assert item.gap_text == "+23,3 điểm phần trăm (+35 hồ sơ)"
    assert item.agency == "Bộ phận một cửa"


def test_gap_orders_prerequisites_first_and_marks_root_causes(tiny: Resolved) -> None:
    ev = run(tiny, AT_CO_BAN | {"A-PORTAL": False, "A-ONLINE": 0.05})
    assert ev.level is None
    items = gap_report(ev).next_level.items  # type: ignore[union-attr]
    codes = [i.code for i in items]
    assert codes.index("A-PORTAL") < codes.index("A-ONLINE")
    online = next(i for i in items if i.code == "A-ONLINE")
    assert online.blocked_by == ("A-PORTAL",) and not online.root_cause
    assert next(i for i in items if i.code == "A-PORTAL").root_cause


def test_roadmap_reaches_the_top_level_with_years(tiny: Resolved) -> None:
    report = gap_report(run(tiny, AT_CO_BAN, target_level="toan-dien"))
    assert [s.level for s in report.roadmap] == ["nang-cao", "toan-dien"]
    assert [s.year for s in report.roadmap] == [2026, 2027]
    assert report.target is not None and report.target.level == "toan-dien"
    assert len(report.target.items) == 5


def test_json_output_is_auditable(tiny: Resolved) -> None:
    data = run(tiny, AT_CO_BAN).to_dict()
    assert data["level"] == "co-ban"
    assert data["framework"]["id"] == "tiny-commune" and data["framework"]["version"] == "1.0"
    assert data["framework"]["content_hash"].startswith("sha256:")
    assert data["input_hash"].startswith("sha256:")
    assert data["banner"] == "Bộ tiêu chí mẫu — không phải ngưỡng chính thức"
    assert [lv["held"] for lv in data["levels"]] == [True, True, True, False, False]
    verdicts = {c["code"]: c["verdict"] for c in data["levels"][3]["criteria"]}
    assert verdicts.pop("A-PORTAL") == "met" and set(verdicts.values()) == {"not_met"}


def test_evidence_travels_with_the_criterion(tiny: Resolved) -> None:
    evidence = {"document": "15/BC-UBND", "date": "2025-03-10", "summary": "Báo cáo kết quả CĐS"}
    ev = run(tiny, AT_CO_BAN | {"B-FIBRE": {"value": 0.62, "evidence": evidence}})
    entry = next(c for c in ev.to_dict()["levels"][0]["criteria"] if c["code"] == "B-FIBRE")
    assert entry["evidence"] == evidence


def test_input_hash_ignores_evidence_but_not_values(tiny: Resolved) -> None:
    plain = run(tiny, AT_CO_BAN).input_hash
    with_evidence = run(tiny, AT_CO_BAN | {"B-FIBRE": {"value": 0.6, "evidence": {"document": "1/BC"}}}).input_hash
    changed = run(tiny, AT_CO_BAN | {"B-FIBRE": 0.61}).input_hash
    assert plain == with_evidence != changed


def test_new_version_reuses_the_assessment(catalog: Catalog) -> None:
    """The same values are re-evaluated against v1.1 with no re-entry; v1.1 raised A-ONLINE at nang-cao."""
    values = AT_CO_BAN | {"A-ONLINE": 0.82, "A-MEETINGS": 8, "A-DAYS": 3, "B-FIBRE": 0.8, "B-EHR": 0.9}
    old, new = catalog.load("tiny-commune@1.0"), catalog.load("tiny-commune@1.1")
    assert run(old, values).level == "nang-cao"
    ev = run(new, values)
    assert ev.level == "co-ban"
    assert {r.code for r in ev.blocking("nang-cao")} == {"A-ONLINE", "B-SKILLS"}

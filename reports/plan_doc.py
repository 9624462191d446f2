"""What every rendering of a unit's draft «Kế hoạch chuyển đổi số năm …» says, from one gap report.

The plan year is the report's first roadmap year (`gap_report(ev, start_year=…)`); its tasks are the roadmap
tasks due that year (certify.plan.unit), one row per criterion, grouped by responsible agency. The Word draft
follows Nghị định 30/2020/NĐ-CP (reports/nd30.py); PDF, XLSX and Markdown say the same.
"""

from __future__ import annotations

import re
from typing import Any

from certify.framework_base import TIER_VI
from certify.levels.evaluate import Evaluation
from certify.levels.gap import GapReport
from certify.plan.unit import unit_plan
from reports.citations import citations
from reports.gap import context as gap_context

# «Xã Tân Mỹ, huyện Trà Ôn, tỉnh Vĩnh Long (mã …)» → «Xã», «Tân Mỹ»
_KIND = re.compile(r"^(xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố)\s+(.+)$", re.IGNORECASE)
NOT_OFFICIAL = (
    "Dự thảo do công cụ certify lập từ kết quả tự đánh giá; các mục tô vàng do cơ quan soạn thảo điền; "
    "nội dung phải được rà soát trước khi trình ký."
)


def unit_names(unit_name: str | None, unit: str, tier: str) -> tuple[str, str]:
    """(kind, name) of the unit: («xã», «Tân Mỹ»); the tier's word and the code when the name says nothing."""
    first = (unit_name or "").split(",")[0].split("(")[0].strip()
    m = _KIND.match(first)
    if m:
        return m.group(1).lower(), m.group(2).strip()
    kind = {"commune": "xã", "district": "huyện"}.get(tier, "")
    return kind, first or unit


def decision_bases(ev: Evaluation) -> list[dict[str, Any]]:
    """The decisions the framework and its parents cite in `source` (parent first): {number, text, dated}, text
    as «2361/QĐ-BTTTT ngày 31/12/2024 của Bộ Thông tin và Truyền thông ban hành Khung tiêu chí …»
    (reports/citations.py: the one rule, shared with the recognition decision)."""
    return [{"number": c.decision, "text": c.text, "dated": c.date is not None} for c in citations(ev)]


def plan_context(report: GapReport) -> dict[str, Any]:
    plan = unit_plan(report)
    data = plan.to_dict()
    gap = gap_context(report)
    kind, name = unit_names(data["unit_name"], data["unit"], data["tier"])
    by_code = {i["criterion"]: i for i in (i for y in gap["roadmap_by_year"] for i in y["items"])}
    for row in data["rows"]:
        shown = by_code.get(row["criterion"], {})
        row["progress_label"] = shown.get("progress_label", row["current_text"])
        row["indicator"] = row["gap_text"]
        row["prerequisites_text"] = ", ".join(c for c, _ in row["prerequisites"])
        row["note"] = "; ".join(row["flags"])
    for group in data["groups"]:
        group["codes"] = ", ".join(r["criterion"] for r in group["items"])
    ev = report.evaluation
    decisions = decision_bases(ev)
    late = sum(1 for r in data["rows"] if r["late"])
    slow = sum(1 for r in data["rows"] if r["out_of_reach"])
    data |= {
        "kind": kind,
        "name": name,
        "issuer": f"Ủy ban nhân dân {kind} {name}".strip(),
        "issuer_upper": f"{kind} {name}".upper().strip(),
        "tier_vi": TIER_VI[ev.unit.assessment.tier],
        "title": f"Kế hoạch chuyển đổi số năm {data['plan_year']}",
        "title_of": f"của Ủy ban nhân dân {kind} {name}".strip(),
        "target_text": gap["target_text"],
        "framework_title": gap["framework_title"],
        "framework_ref": gap["framework_ref"],
        "framework_status": gap["framework_status"],
        "framework_decisions": decisions,
        "banner_en": gap["banner_en"],
        "levels_counts": gap["levels"],
        "late_count": late,
        "slow_count": slow,
        "not_official": NOT_OFFICIAL,
        "roadmap_levels": [
            {"level_name": s["level_name"], "year": s["year"], "count": len(s["items"]), "overdue": s["overdue"]}
            for s in gap["roadmap"]
        ],
    }
    return data

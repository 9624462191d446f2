"""JSON-able summary of a DTI framework, for `frameworks show` and the API."""

from __future__ import annotations

from collections import Counter
from typing import Any

from certify.dti.caveats import caveats
from certify.dti.model import DtiFramework, IndexRole
from certify.dti.numbers import fmt
from certify.dti.plan import describe_inputs


def describe(fw: DtiFramework) -> dict[str, Any]:
    per_index = Counter(c.index_code for c in fw.top_level)
    notes = [
        f"Thang điểm / scale: {fmt(fw.max_points)} điểm; chỉ số chính / main indices: "
        + ", ".join(f"{i.code} {i.name} {fmt(i.max_points)}" for i in fw.indices)
    ]
    adjustments = [i for i in fw.indices if i.role is not IndexRole.SCORED]
    if adjustments:
        notes.append(
            "Điểm cộng/trừ (bonus/penalty, ngoài điểm tối đa): "
            + ", ".join(f"{i.code} {i.name} {i.role.value} ≤ {fmt(i.max_points)}" for i in adjustments)
        )
    if fw.denominator is not None:
        notes.append(f"Mẫu số / denominator: {fmt(fw.denominator)} (giá trị DTI = điểm ÷ {fmt(fw.denominator)})")
    if fw.rules.not_ranked_when:
        notes.append(
            "Không xếp hạng / not ranked: " + "; ".join(f"{r.condition} — {r.reason}" for r in fw.rules.not_ranked_when)
        )
    notes += [f"⚠ {vi} ({en})" for vi, en in caveats(fw) if (vi, en) != fw.banner]
    if fw.index_level_only:
        notes.append(
            "Chỉ có cấu trúc chỉ số chính: chấm điểm bằng `certify score --index-level` "
            "(main indices only: score with --index-level)"
        )
    methods = Counter(c.method for c in fw.criteria)
    if methods:
        notes.append("Phương pháp / methods: " + ", ".join(f"{m} {n}" for m, n in sorted(methods.items())))
    return {
        "counts": {
            "total": len(fw.top_level),
            "by_group": {i.code: per_index[i.code] for i in fw.indices},
            "declared": {i.code: i.criteria_count for i in fw.indices},
        },
        "groups": [{"id": i.code, "name": i.name, "name_en": i.name_en} for i in fw.indices],
        "max_points": fw.max_points,
        "indices": [
            {
                "code": i.code,
                "name": i.name,
                "max_points": i.max_points,
                "weight": i.effective_weight,
                "role": i.role.value,
                "pillar": i.pillar,
                "status": i.status.value,
            }
            for i in fw.indices
        ],
        "pillars": [{"id": p.id, "name": p.name, "name_en": p.name_en} for p in fw.pillars],
        "sub_criteria": len(fw.criteria) - len(fw.top_level),
        "methods": dict(sorted(methods.items())),
        "rules": fw.rules.model_dump(mode="json"),
        "bands": [b.model_dump(mode="json") for b in fw.bands],
        "notes": notes,
        "criteria": [
            {
                "code": c.code,
                "index": c.index_code,
                "name": c.name,
                "max_points": c.max_points,
                "method": c.method,
                "pillar": fw.pillar_of(c),
                "status": c.status.value,
                "lead_agency": c.lead_agency,
                "cohort_dependent": c.code in fw.plan.cohort_dependent,
            }
            for c in fw.criteria
        ],
        "inputs": describe_inputs(fw.plan),
    }

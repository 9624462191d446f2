"""JSON-able summary of a level framework, for `frameworks show` and the API."""

from __future__ import annotations

from collections import Counter
from typing import Any

from certify.levels.model import LevelFramework


def describe(fw: LevelFramework) -> dict[str, Any]:
    per_pillar = Counter(c.pillar for c in fw.criteria)
    return {
        "counts": {
            "total": len(fw.criteria),
            "by_group": {p.id: per_pillar[p.id] for p in fw.pillars},
            "declared": {p.id: p.count for p in fw.pillars},
        },
        "groups": [{"id": p.id, "name": p.name, "name_en": p.name_en} for p in fw.pillars],
        "levels": [
            {"id": lv.id, "name": lv.name, "name_en": lv.name_en, "description": lv.description} for lv in fw.levels
        ],
        "rules": fw.rules.model_dump(mode="json"),
        "thresholds_complete": fw.thresholds_complete,
        "criteria": [
            {
                "code": c.code,
                "group": c.pillar,
                "name": c.name,
                "status": c.status.value,
                "indicator": c.indicator.type.value if c.indicator else None,
                "requires": c.requires,
                "requirements": {lv: r.threshold for lv, r in c.requirements.items()},
            }
            for c in fw.criteria
        ],
    }

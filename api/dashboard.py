"""What the province dashboard shows, assembled from the store's views and DTI tables (no I/O here).

One tier at a time: levels, blocking criteria and the DTI ranking of districts and of communes are not
comparable with each other. Last year's figures sit beside this year's; for units formed on 1/7/2025, last
year's DTI value is the mean over the former units (see `certify.store.dti_results.previous_year`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from certify.dti.numbers import dti_value, published
from certify.labels import level_slot
from certify.levels.evaluate import next_level_blockers
from certify.store.views import DtiTable, UnitView
from certify.store.workflow import STATE_VI, State

NO_LEVEL = "0"  # filter value for "not at any level yet"
TIER_ORDER = ("commune", "district", "province")


def pick_tier(asked: str | None, views: Sequence[UnitView], dti: Sequence[DtiTable]) -> tuple[str | None, list[str]]:
    present = {v.fw.tier.value for v in views} | {t.tier for t in dti}
    tiers = [t for t in TIER_ORDER if t in present]
    return (asked if asked in tiers else (tiers[0] if tiers else None)), tiers


def _level_order(views: Sequence[UnitView]) -> list[tuple[str | None, str]]:
    order: list[tuple[str | None, str]] = []
    for v in views:
        for lv in [None, *v.fw.level_ids]:
            item = (lv, v.fw.level_name(lv))
            if item not in order:
                order.append(item)
    return order


def _level_of(v: UnitView) -> str | None:
    return v.level


def level_section(views: Sequence[UnitView], before: Sequence[UnitView]) -> dict[str, Any]:
    """Units per level this year and last (by level id; None for no level), and the criteria that most often
    block the next level, counted on the cohort's status arrays (the same items as each unit's gap report)."""
    by_level: Counter[str | None] = Counter(_level_of(v) for v in views)
    evaluations = [v.evaluation for v in views if v.evaluation is not None]
    frameworks = {id(v.fw): v.fw for v in views}.values()
    names = {c.code: c.name or c.code for fw in frameworks for c in fw.criteria}
    blocking = list(next_level_blockers(evaluations).items())[:10]
    rows = [v.summary() | {"state_vi": STATE_VI[State(v.state)]} for v in views]
    last: Counter[str | None] = Counter(_level_of(v) for v in before)
    fws = [v.fw for v in [*views, *before]]
    ids = fws[0].level_ids if fws else []
    return {
        "units": rows,
        "by_level": [
            {
                "level": lv,
                "level_name": name,
                "slot": level_slot(ids, lv),
                "units": by_level.get(lv, 0),
                "previous": last.get(lv, 0),
            }
            for lv, name in _level_order([*views, *before])
        ],
        "previous_total": len(before),
        "blocking": [{"criterion": code, "name": names[code], "units": n} for code, n in blocking],
    }


def dti_section(
    table: DtiTable | None, views: Sequence[UnitView], *, district: str | None, level: str | None
) -> dict[str, Any] | None:
    """The tier's DTI ranking with each unit's level this year, filtered by district and level."""
    if table is None:
        return None
    levels = {v.unit_code: (v.level, v.level_name) for v in views}
    rows = []
    for r in table.to_dict()["rows"]:
        lv, lv_name = levels.get(r["unit"], (None, None))
        rows.append(r | {"level": lv, "level_name": lv_name, "assessed": r["unit"] in levels})
    districts = sorted({d for r in rows for d in r["districts"]})
    shown = [
        r
        for r in rows
        if (not district or district in r["districts"])
        and (not level or ((r["level"] or NO_LEVEL) == level and r["assessed"]))
    ]
    with_prior = [r for r in shown if r["change"] is not None]
    return table.to_dict() | {
        "rows": published(shown),  # as /api/dti/rankings: values 4 decimals, points 2 (certify.dti.numbers)
        "filters": {
            "district": district or "",
            "level": level or "",
            "districts": districts,
            "levels": [{"id": lv or NO_LEVEL, "name": name} for lv, name in _level_order(views)],
        },
        "summary": {
            "units": len(shown),
            "of": len(rows),
            "mean_value": dti_value(sum(r["value"] for r in shown) / len(shown)) if shown else None,
            "with_previous": len(with_prior),
            "improved": sum(1 for r in with_prior if r["change"] > 0),
            "mean_change": dti_value(sum(r["change"] for r in with_prior) / len(with_prior)) if with_prior else None,
        },
    }

"""What the province dashboard shows, assembled from the store's views and DTI tables (no I/O here).

One tier at a time: levels, blocking criteria and the DTI ranking of districts and of communes are not
comparable with each other. Last year's figures sit beside this year's; for units formed on 1/7/2025, last
year's DTI value is the mean over the former units (see `certify.store.dti_results.previous_year`).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from certify.dti.numbers import dti_value, published
from certify.errors import Problem
from certify.labels import level_slot
from certify.levels.evaluate import next_level_blockers
from certify.store.merger_links import APPROXIMATE_VI, UNCONFIRMED_VI
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
    last: Counter[str | None] = Counter(_level_of(v) for v in before)
    fws = [v.fw for v in [*views, *before]]
    ids = fws[0].level_ids if fws else []
    return {
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
    whole = table.to_dict()  # once: every row's record
    rows = []
    for r in whole["rows"]:
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
    return whole | {
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


# --- the ranking as a table a person sorts, pages through and downloads ---------------------------------------------

RANKING_SORTS = ("rank", "name", "district", "level", "points", "value", "change")
# The way each column sorts when first chosen: ranks and names upwards, levels and figures from the top.
DESCENDING_FIRST = frozenset({"level", "points", "value", "change"})
PER_PAGE = 50
PER_PAGE_MAX = 200


def _plain(text: str) -> str:
    """A name as Vietnamese readers sort it: letters before their accented forms, đ after d."""
    base = unicodedata.normalize("NFD", text.replace("Đ", "D~").replace("đ", "d~"))
    return "".join(ch for ch in base if not unicodedata.combining(ch)).casefold()


def _sort_key(sort: str, level_ids: Sequence[str]) -> Callable[[dict[str, Any]], Any]:
    def key(r: dict[str, Any]) -> Any:
        if sort == "name":
            return (_plain(r["name"] or r["unit"]), r["unit"])
        if sort == "district":
            return (_plain(", ".join(r["districts"])), _plain(r["name"] or r["unit"]))
        if sort == "level":  # a unit not assessed this year has no level to sort by
            return None if not r["assessed"] else (level_ids.index(r["level"]) if r["level"] in level_ids else -1)
        return r[sort]  # rank, points, value, change: None when the unit has none

    return key


def ranking_page(
    section: dict[str, Any] | None,
    level_ids: Sequence[str],
    *,
    sort: str = "rank",
    order: str | None = None,
    page: int = 1,
    per: int = PER_PAGE,
) -> dict[str, Any] | None:
    """The filtered ranking sorted by a column (rows without a figure last, whichever way) and cut to one page;
    `paging` says which rows of how many are shown. What the page shows is what its downloads hold."""
    if section is None:
        return None
    sort = sort if sort in RANKING_SORTS else "rank"
    descending = order == "desc" if order in ("asc", "desc") else sort in DESCENDING_FIRST
    key = _sort_key(sort, level_ids)
    rows = section["rows"]
    present = [r for r in rows if key(r) is not None]
    absent = [r for r in rows if key(r) is None]
    # ties keep the ranking's order (rank, then unit) whichever way the column sorts
    present.sort(key=key, reverse=descending)
    ordered = present + absent
    per = max(1, min(per, PER_PAGE_MAX))
    shown, paging = one_page(ordered, page, per)
    return section | {"rows": shown, "sort": sort, "order": "desc" if descending else "asc", "paging": paging}


T = TypeVar("T")


def one_page(ordered: Sequence[T], page: int, per: int) -> tuple[list[T], dict[str, int]]:
    """Page `page` (1 on, past the end: the last) of `ordered`, `per` to a page, and what a pager says of it:
    the page, how many pages, and which rows of how many are shown («51–100 / 124»)."""
    pages = max(1, -(-len(ordered) // per))
    page = max(1, min(page, pages))
    start = (page - 1) * per
    shown = list(ordered[start : start + per])
    paging = {"page": page, "pages": pages, "per": per, "first": start + 1 if shown else 0}
    return shown, paging | {"last": start + len(shown), "total": len(ordered)}


RANKING_COLUMNS = (
    "Hạng",
    "Mã đơn vị",
    "Đơn vị",
    "Huyện (trước 01/7/2025)",
    "Mức",
    "Điểm",
    "Giá trị DTI",
    "Năm trước",
    "Hạng năm trước",
    "Thay đổi",
    "Lưu ý năm trước",
)


def prior_note(prev: dict[str, Any], tr: Callable[[str], str]) -> str | None:
    """Beside last year's value: the former units reached through a doubtful link no province confirmed, and
    the split ones whose share is not known (certify.store.merger_links), in the page's language."""
    parts = []
    if prev.get("unconfirmed"):
        parts.append(f"{tr(UNCONFIRMED_VI)}: {', '.join(prev['unconfirmed'])}")
    if prev.get("approximate"):
        parts.append(f"{tr(APPROXIMATE_VI)}: {', '.join(prev['approximate'])}")
    return "; ".join(parts) or None


def ranking_cells(
    rows: Sequence[dict[str, Any]], level_text: Callable[[str | None], str], tr: Callable[[str], str] = str
) -> list[list[Any]]:
    """The rows of a ranking page as the downloads hold them, in the columns of RANKING_COLUMNS: figures as
    published (values 4 decimals, points 2), a missing figure empty, the level's name in the page's language."""
    out = []
    for r in rows:
        prev = r["previous"] or {}
        out.append(
            [
                r["rank"],
                r["unit"],
                r["name"],
                ", ".join(r["districts"]),
                level_text(r["level"]) if r["assessed"] else None,
                r["points"],
                r["value"],
                prev.get("value"),
                prev.get("rank"),
                r["change"],
                prior_note(prev, tr),
            ]
        )
    return out


# --- the cycle's units as a list a person sorts, filters by state and pages through ------------------------------

UNIT_SORTS = ("code", "name", "state", "level")
UNITS_DESCENDING_FIRST = frozenset({"level"})  # as in the ranking: levels from the top, the rest upwards
UNITS_PER_PAGE = 50
STATE_ORDER = tuple(s.value for s in State if s is not State.DELETED)  # the workflow's order


@dataclass(frozen=True)
class UnitListQuery:
    """The unit list's sort, order, state filter and page, once checked (`unit_list_query`)."""

    sort: str = "code"
    order: str | None = None
    state: str | None = None
    page: int = 1


def _bad(name: str, found: str, vi: str, en: str, expected: str) -> Problem:
    return Problem("bad-query", vi, en, path=("query", name), expected=expected, found=found[:60])


def unit_list_query(
    sort: str | None, order: str | None, state: str | None, page: str | None
) -> tuple[UnitListQuery, list[Problem]]:
    """The unit list's query parameters as the address gives them (`units_sort`, `units_order`, `units_state`,
    `units_page`), checked: what is wrong is named and left out, and then the list starts again at its first
    page (the page says so; its JSON twin refuses the query)."""
    problems = []
    if sort is not None and sort not in UNIT_SORTS:
        problems.append(
            _bad(
                "units_sort",
                sort,
                f"Không sắp xếp danh sách đơn vị theo «{sort[:60]}» được",
                f"The unit list cannot be sorted by '{sort[:60]}'",
                " | ".join(UNIT_SORTS),
            )
        )
        sort = None
    if order is not None and order not in ("asc", "desc"):
        problems.append(
            _bad(
                "units_order",
                order,
                f"Thứ tự «{order[:60]}» không có: chỉ tăng dần (asc) hoặc giảm dần (desc)",
                f"No order '{order[:60]}': only ascending (asc) or descending (desc)",
                "asc | desc",
            )
        )
        order = None
    if state is not None and state not in STATE_ORDER and state != "":
        problems.append(
            _bad(
                "units_state",
                state,
                f"Không có trạng thái «{state[:60]}»",
                f"No state '{state[:60]}'",
                " | ".join(STATE_ORDER),
            )
        )
        state = None
    number = 1
    if page is not None:
        text = page.strip()
        if text.isascii() and text.isdigit() and len(text) <= 6 and int(text) >= 1:
            number = int(text)
        else:
            problems.append(
                _bad(
                    "units_page",
                    page,
                    f"Số trang «{page[:60]}» không hợp lệ: trang là một số từ 1",
                    f"Page '{page[:60]}' is not valid: a page is a number from 1",
                    "1, 2, 3…",
                )
            )
    if problems:
        number = 1
    return UnitListQuery(sort or "code", order, state or None, number), problems


def _unit_name(v: UnitView) -> tuple[str, str, int]:
    return (_plain(v.unit_name or v.unit_code), v.unit_code, v.cycle_id)


def _assessed(v: UnitView) -> bool:
    """A level to show: figures entered, and they bind to the framework (a draft left empty reaches no level only
    because nothing was measured yet)."""
    return v.evaluation is not None and bool(v.self_values or v.appraised_values)


def _unit_key(sort: str) -> Callable[[UnitView], Any]:
    """The column's own value (None: nothing to sort by); ties are left in the name order set before."""

    def key(v: UnitView) -> Any:
        if sort == "name":
            return _unit_name(v)
        if sort == "state":
            return STATE_ORDER.index(v.state) if v.state in STATE_ORDER else len(STATE_ORDER)
        if sort == "level":  # «no level yet» below the first level; a unit not assessed has none
            if not _assessed(v):
                return None
            ids = v.fw.level_ids
            return ids.index(v.level) + 1 if v.level in ids else 0
        code = v.unit_code  # GSO codes as numbers; a unit named instead of coded after them
        return (0, int(code), "", v.cycle_id) if code.isascii() and code.isdigit() else (1, 0, _plain(code), v.cycle_id)

    return key


def unit_list(views: Sequence[UnitView], q: UnitListQuery, per: int = UNITS_PER_PAGE) -> dict[str, Any]:
    """The tier's units of the year filtered by state, sorted (a unit not assessed last, whichever way; ties by
    name) and cut to one page: `units` the rows shown, `unit_list` what the list shows them by — the same for the
    page and its JSON twin."""
    counts = Counter(v.state for v in views)
    shown = [v for v in views if q.state is None or v.state == q.state]
    descending = q.order == "desc" if q.order else q.sort in UNITS_DESCENDING_FIRST
    key = _unit_key(q.sort)
    by_name = sorted(shown, key=_unit_name)
    ranked = [v for v in by_name if key(v) is not None]
    ranked.sort(key=key, reverse=descending)  # stable: within a state or a level, names stay A to Z
    ordered = ranked + [v for v in by_name if key(v) is None]
    rows, paging = one_page(ordered, q.page, per)
    states = [s for s in STATE_ORDER if counts[s] or s == q.state]
    return {
        "units": [v.summary() | {"state_vi": STATE_VI[State(v.state)], "assessed": _assessed(v)} for v in rows],
        "unit_list": {
            "sort": q.sort,
            "order": "desc" if descending else "asc",
            "state": q.state,
            "states": [{"state": s, "state_vi": STATE_VI[State(s)], "units": counts[s]} for s in states],
            "paging": paging | {"all": len(views)},
        },
    }


# --- year on year -------------------------------------------------------------------------------------------------


def level_trend(by_year: Mapping[int, Sequence[UnitView]]) -> dict[str, Any]:
    """Units per level in each year that has any (one tier's views per year), oldest first, and the levels in
    order («no level» first, then the latest framework's levels, then any other year's), each with its colour
    slot (certify.labels) so that a level wears the same colour in every year."""
    years = sorted(y for y, views in by_year.items() if views)
    order: list[str | None] = [None]
    slots: dict[str | None, int | None] = {None: None}
    for y in reversed(years):
        for v in by_year[y]:
            for lv in v.fw.level_ids:
                if lv not in order:
                    order.append(lv)
                    slots[lv] = level_slot(v.fw.level_ids, lv)
    rows = []
    for y in years:
        counts = Counter(v.level for v in by_year[y])
        rows.append(
            {"year": y, "units": len(by_year[y]), "by_level": [{"level": lv, "units": counts[lv]} for lv in order]}
        )
    return {"years": rows, "levels": [{"level": lv, "slot": slots[lv]} for lv in order]}

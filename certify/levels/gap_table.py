"""Every gap report of a cohort at once, on the cohort's status arrays.

`GapTable.of(evaluations)` computes, for all units of one framework together, the whole content that
`gap_report(ev).to_dict()` gives unit by unit (what `certify gap --format json` writes): the items to the next
level and on to the target level, their prerequisites, counts, texts, and the year and quarter of each on the
roadmap. `report(u)` returns unit `u`'s report as exactly that dict (tests/levels/test_gap_table.py compares
the JSON text on the sample units and on random cohorts).

How it stays cheap for a nation: which criteria are items at which level is one mask [unit, level, criterion];
the roadmap's years and quarters are computed criterion by criterion in plan order over all units at once (the
rules of `certify.levels.roadmap.schedule`); value and gap texts are formatted once per distinct rounded value
(`certify.numbers.fmt_numbers`); requirement texts once per level and criterion.

A unit with a history of earlier values (the pace of each value) is scheduled by `certify.levels.roadmap`
through `gap_report(ev, history=…)`; the table covers the reports without history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from certify.bulk import gc_paused
from certify.derived import cached_on
from certify.errors import CertifyError
from certify.levels.compiled import BoolArray, Compiled, FloatArray, IndexArray
from certify.levels.display import MISSING_VI, NA_VI, show_requirement
from certify.levels.evaluate import BLOCKS, VERDICT_NAMES, Evaluation, _share_blockers, distances
from certify.levels.graph import criterion_graph
from certify.levels.model import Criterion, IndicatorType, LevelRule
from certify.levels.roadmap import QUARTERS, level_years
from certify.numbers import fmt_numbers, fmt_percents

IntArray = npt.NDArray[np.int64]
RATIO_EPS = 1e-9  # as certify.levels.gap
_NO_YEAR = -1


def _ancestors(cf: Compiled) -> tuple[IndexArray, ...]:
    """Per criterion (compiled index), its direct and indirect prerequisites, as compiled indices in plan order."""

    def make() -> tuple[IndexArray, ...]:
        import networkx as nx

        graph = criterion_graph(cf.fw)
        order, index = cf.order, cf.index
        return tuple(
            np.array(sorted((index[a] for a in nx.ancestors(graph, code)), key=lambda i: order[cf.codes[i]]), np.intp)
            for code in cf.codes
        )

    return cached_on(cf, "gap-ancestors", make)


@dataclass(frozen=True)
class _Inputs:
    """A cohort's checked values as arrays [U, C] (NaN where missing or not applicable)."""

    values: FloatArray
    na: BoolArray
    numerator: FloatArray
    denominator: FloatArray


def _inputs(cf: Compiled, evaluations: Sequence[Evaluation]) -> _Inputs:
    shape = (len(evaluations), len(cf.codes))
    values, num, den = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    na = np.zeros(shape, dtype=np.bool_)
    index = cf.index
    for u, ev in enumerate(evaluations):
        for code, m in ev.unit.measurements.items():
            c = index[code]
            if m.na:
                na[u, c] = True
            elif m.value is not None:
                values[u, c] = m.value
            if m.numerator is not None and m.denominator is not None:
                num[u, c], den[u, c] = m.numerator, m.denominator
    return _Inputs(values, na, num, den)


@dataclass(frozen=True)
class GapTable:
    """The gap reports of units of one framework. Items are rows, ordered by unit, roadmap level, plan order."""

    compiled: Compiled
    evaluations: Sequence[Evaluation]
    start: IntArray  # [U] first plan year
    target_index: IntArray  # [U] target level (-1: the unit holds the top level)
    target_year: IntArray  # [U] (-1: none known)
    target_year_from: list[str]  # [U] "assessment" | "framework" | ""
    level_year: IntArray  # [U, L] the year each roadmap level is reached (-1 off the roadmap)
    level_due: IntArray  # [U, L] the framework's own due year (-1: none)
    level_overdue: BoolArray  # [U, L]
    # one row per item
    unit: IntArray
    level: IntArray
    crit: IntArray
    status: npt.NDArray[np.int8]
    year: IntArray
    quarter: IntArray
    verdict: list[str]
    years: list[int]
    quarters: list[int]
    quarter_text: list[str]
    late: list[bool]
    count_gap: list[int | None]
    current: list[float | None]
    gap: list[float | None]
    current_text: list[str]
    gap_text: list[str]
    blocked_by: list[tuple[str, ...]]
    offsets: IntArray  # [U + 1]: unit u's items are rows offsets[u]:offsets[u + 1]

    @classmethod
    def of(cls, evaluations: Sequence[Evaluation], start_year: int | None = None) -> GapTable:
        """The gap reports of `evaluations` (one framework), as `gap_report(ev, start_year=…)` would give them."""
        if not evaluations:
            raise ValueError("no evaluation")
        cf = evaluations[0].compiled
        if any(ev.compiled is not cf for ev in evaluations):
            raise ValueError("a gap table holds the units of one framework")
        years = np.array([ev.unit.assessment.year for ev in evaluations], dtype=np.int64)
        if start_year is not None and (years >= start_year).any():
            first = int(years.max())
            raise CertifyError.one(
                "bad-plan-year",
                f"Năm kế hoạch phải sau năm của số liệu ({first})",
                f"The plan year must come after the year of the data ({first})",
                expected=f"≥ {first + 1}",
                found=str(start_year),
            )
        with gc_paused():
            return _build(cf, evaluations, _inputs(cf, evaluations), years, start_year)

    @property
    def n(self) -> int:
        return len(self.evaluations)

    @cached_property
    def _constants(self) -> list[list[dict[str, Any] | None]]:
        """Per level and criterion, the part of an item that depends on nothing else, in the report's key order."""
        fw = self.compiled.fw
        out: list[list[dict[str, Any] | None]] = []
        for lv in fw.level_ids:
            row: list[dict[str, Any] | None] = []
            for crit in fw.criteria:
                req = crit.requirements.get(lv)
                if req is None or req.threshold is None:
                    row.append(None)
                    continue
                row.append(
                    {
                        "criterion": crit.code,
                        "name": crit.name or crit.code,
                        "pillar": crit.pillar,
                        "mandatory": crit.mandatory,
                        "level": lv,
                        "requirement": req.threshold,
                        "requirement_text": show_requirement(crit, req.threshold),
                        "count_unit": crit.indicator.count_unit if crit.indicator else None,
                        "agency": crit.agency,
                        "order": self.compiled.order[crit.code],
                    }
                )
            out.append(row)
        return out

    def _items(self, u: int) -> list[dict[str, Any]]:
        """Unit `u`'s items in the report's key order (read from the columns; nothing computed here)."""
        lo, hi = int(self.offsets[u]), int(self.offsets[u + 1])
        consts = self._constants
        measurements = self.evaluations[u].unit.measurements
        target_year = int(self.target_year[u])
        late_flag = [f"sau năm mục tiêu {target_year}"]
        out = []
        for li, c, verdict, current, current_text, gap, gap_text, count_gap, blocked, year, quarter, qt, late in zip(
            self.level_list[lo:hi],
            self.crit_list[lo:hi],
            self.verdict[lo:hi],
            self.current[lo:hi],
            self.current_text[lo:hi],
            self.gap[lo:hi],
            self.gap_text[lo:hi],
            self.count_gap[lo:hi],
            self.blocked_by[lo:hi],
            self.years[lo:hi],
            self.quarters[lo:hi],
            self.quarter_text[lo:hi],
            self.late[lo:hi],
            strict=True,
        ):
            k = consts[li][c]
            assert k is not None
            code = k["criterion"]
            m = measurements.get(code)
            out.append(
                {
                    "criterion": code,
                    "name": k["name"],
                    "pillar": k["pillar"],
                    "mandatory": k["mandatory"],
                    "level": k["level"],
                    "verdict": verdict,
                    "current": current,
                    "current_text": current_text,
                    "requirement": k["requirement"],
                    "requirement_text": k["requirement_text"],
                    "target": k["requirement"],
                    "gap": gap,
                    "gap_text": gap_text,
                    "count_gap": count_gap,
                    "count_unit": k["count_unit"],
                    "agency": k["agency"],
                    "order": k["order"],
                    "blocked_by": list(blocked),
                    "root_cause": not blocked,
                    "evidence": m.evidence.model_dump(mode="json", exclude_none=True)
                    if m is not None and m.evidence is not None
                    else None,
                    "year": year,
                    "quarter": quarter,
                    "quarter_text": qt,
                    "late": late,
                    "out_of_reach": False,
                    "pace": None,
                    "flags": list(late_flag) if late else [],
                }
            )
        return out

    @cached_property
    def level_list(self) -> list[int]:
        return self.level.tolist()  # type: ignore[no-any-return]

    @cached_property
    def crit_list(self) -> list[int]:
        return self.crit.tolist()  # type: ignore[no-any-return]

    def report(self, u: int) -> dict[str, Any]:
        """Unit `u`'s gap report: the dict `gap_report(ev).to_dict()` gives (items shared by its lists: read only)."""
        ev = self.evaluations[u]
        fw = ev.fw
        a = ev.unit.assessment
        ids = fw.level_ids
        items = self._items(u)
        steps: list[dict[str, Any]] = []
        by_level: dict[int, dict[str, Any]] = {}
        target_index = int(self.target_index[u])
        target_year = int(self.target_year[u])
        ty = None if target_year == _NO_YEAR else target_year
        for li in range(ev.level_index + 1, target_index + 1):
            y = int(self.level_year[u, li])
            due = int(self.level_due[u, li])
            step: dict[str, Any] = {
                "level": ids[li],
                "level_name": fw.levels[li].name,
                "year": y,
                "due_year": None if due == _NO_YEAR else due,
                "overdue": bool(self.level_overdue[u, li]),
                "late": ty is not None and y > ty,
                "items": [],
            }
            by_level[li] = step
            steps.append(step)
        for item in items:
            by_level[ids.index(item["level"])]["items"].append(item)
        years: dict[int, dict[str, Any]] = {}
        for step in steps:
            name = step["level_name"]
            years.setdefault(step["year"], {"year": step["year"], "levels": [], "items": []})["levels"].append(name)
            step_items: list[dict[str, Any]] = step["items"]
            for d in step_items:
                years.setdefault(d["year"], {"year": d["year"], "levels": [], "items": []})["items"].append(
                    d | {"level_name": name}
                )
        for entry in years.values():
            entry["items"].sort(key=lambda d: (d["quarter"], d["order"]))
        target = ids[target_index] if target_index >= 0 else None
        return {
            "unit": a.unit,
            "unit_name": a.unit_name,
            "tier": a.tier.value,
            "year": a.year,
            "level": ev.level,
            "level_name": fw.level_name(ev.level),
            "next_level": ev.next_level,
            "items": list(steps[0]["items"]) if steps else [],
            "roadmap": steps,
            "roadmap_by_year": [years[y] for y in sorted(years)],
            "start_year": int(self.start[u]),
            "target_level": target,
            "target_level_name": fw.level_name(target) if target else None,
            "target_level_set": a.target_level,
            "target_year": ty,
            "target_year_from": self.target_year_from[u],
            "target": steps[-1] if steps else None,
            **ev.provenance(),
        }

    def reports(self) -> list[dict[str, Any]]:
        """Every unit's report, in the order of the evaluations."""
        with gc_paused():
            return [self.report(u) for u in range(self.n)]


def _targets(
    cf: Compiled, evaluations: Sequence[Evaluation], level_index: IntArray
) -> tuple[IntArray, IntArray, list[str]]:
    """Per unit: the target level (at least the next one; -1 at the top), its year and where the year comes from."""
    fw = cf.fw
    n_levels = len(fw.levels)
    position = {lv: i for i, lv in enumerate(fw.level_ids)}
    target_index = np.full(len(evaluations), -1, dtype=np.int64)
    target_year = np.full(len(evaluations), _NO_YEAR, dtype=np.int64)
    source: list[str] = []
    for u, ev in enumerate(evaluations):
        a = ev.unit.assessment
        nxt = int(level_index[u]) + 1
        t = -1 if nxt >= n_levels else max(position[a.target_level] if a.target_level else n_levels - 1, nxt)
        target_index[u] = t
        if a.target_year is not None:
            target_year[u] = a.target_year
            source.append("assessment")
            continue
        due = fw.levels[t].target_year if t >= 0 else None
        if due is not None:
            target_year[u] = due.year
        source.append("framework" if due is not None else "")
    return target_index, target_year, source


def _items_mask(cf: Compiled, status: npt.NDArray[np.int8], values: FloatArray, road: BoolArray) -> BoolArray:
    """[U, L, C]: the criteria each unit's gap report lists at each level of its roadmap (the level's blocking
    criteria; under `mandatory_plus_share` the unmet mandatory ones and the nearest optional ones for the share)."""
    blocking = cf.applies[None, :, :] & BLOCKS[status]
    if cf.rule is LevelRule.MANDATORY_PLUS_SHARE:
        n_units = status.shape[0]
        for li in range(status.shape[1]):
            rows = status[:, li, :]
            applies = np.broadcast_to(cf.applies[li], rows.shape)
            at = np.full(n_units, li, dtype=np.intp)
            blocking[:, li, :] = _share_blockers(cf, rows, applies, blocking[:, li, :], distances(cf, rows, values, at))
    out: BoolArray = blocking & road[:, :, None]
    return out


def _schedule(
    cf: Compiled,
    items: BoolArray,  # [U, L, C] in plan order along C
    ancestors: Sequence[IndexArray],  # in plan-order positions
    level_year: IntArray,
    window: IntArray,
    road: BoolArray,
) -> tuple[IntArray, IntArray]:
    """Years and quarters [U, L, C] of every item, by the rules of `certify.levels.roadmap.schedule` (no pace)."""
    n_units, n_levels, n_crit = items.shape
    count = items.sum(axis=2)  # [U, L]
    rank = np.cumsum(items, axis=2) - 1
    span = level_year - window + 1
    year = window[:, :, None] + (rank * span[:, :, None]) // np.maximum(count, 1)[:, :, None]
    year = np.where(items, year, _NO_YEAR)
    # the same criterion's item at the last roadmap level below where it was an item
    previous = np.full((n_units, n_levels, n_crit), -1, dtype=np.int64)
    last = np.full((n_units, n_crit), -1, dtype=np.int64)
    for li in range(n_levels):
        previous[:, li, :] = last
        last = np.where(items[:, li, :], li, last)
    units = np.arange(n_units)
    for li in range(n_levels):
        if not road[:, li].any():
            continue
        for j in range(n_crit):
            here = year[:, li, j]
            for a in ancestors[j]:
                here = np.maximum(here, np.where(items[:, li, a], year[:, li, a], _NO_YEAR))
            prev = previous[:, li, j]
            has = prev >= 0
            here = np.maximum(here, np.where(has, year[units, np.maximum(prev, 0), j], _NO_YEAR))
            year[:, li, j] = np.where(items[:, li, j], here, _NO_YEAR)
    height = np.zeros((n_units, n_levels, n_crit), dtype=np.int64)
    for li in range(n_levels - 1, -1, -1):
        if not road[:, li].any():
            continue
        for j in range(n_crit - 1, -1, -1):
            present = items[:, li, j]
            if not present.any():
                continue
            y, up = year[:, li, j], height[:, li, j] + 1
            for a in ancestors[j]:
                same = present & items[:, li, a] & (year[:, li, a] == y)
                height[:, li, a] = np.where(same, np.maximum(height[:, li, a], up), height[:, li, a])
            prev = previous[:, li, j]
            at = np.flatnonzero(present & (prev >= 0))
            if len(at):
                p = prev[at]
                same = year[at, p, j] == y[at]
                at, p = at[same], p[same]
                height[at, p, j] = np.maximum(height[at, p, j], up[at])
    quarter = np.maximum(1, 4 - height)
    return year, quarter


def _build(
    cf: Compiled, evaluations: Sequence[Evaluation], inputs: _Inputs, years: IntArray, start_year: int | None
) -> GapTable:
    fw = cf.fw
    n_units, n_levels, n_crit = len(evaluations), len(fw.levels), len(cf.codes)
    status = np.stack([ev.status for ev in evaluations]).astype(np.int8)
    level_index = np.array([ev.level_index for ev in evaluations], dtype=np.int64)
    start = years + 1 if start_year is None else np.full(n_units, start_year, dtype=np.int64)
    target_index, target_year, source = _targets(cf, evaluations, level_index)
    levels = np.arange(n_levels)
    road = (levels[None, :] > level_index[:, None]) & (levels[None, :] <= target_index[:, None])

    # years of the levels on each roadmap, one computation per distinct (next, target, start, target year)
    level_year = np.full((n_units, n_levels), _NO_YEAR, dtype=np.int64)
    level_due = np.full((n_units, n_levels), _NO_YEAR, dtype=np.int64)
    level_overdue = np.zeros((n_units, n_levels), dtype=np.bool_)
    window = np.full((n_units, n_levels), _NO_YEAR, dtype=np.int64)
    keys = np.stack([level_index + 1, target_index, start, target_year], axis=1)
    distinct, where = np.unique(keys, axis=0, return_inverse=True)
    for k, (nxt, tgt, first, ty) in enumerate(distinct.tolist()):
        if tgt < 0:
            continue
        mine = np.flatnonzero(where.ravel() == k)
        spread = level_years(fw, fw.level_ids[nxt : tgt + 1], first, None if ty == _NO_YEAR else ty)
        prev = first
        for at, (y, due, overdue) in zip(range(nxt, tgt + 1), spread, strict=True):
            level_year[mine, at] = y
            level_due[mine, at] = _NO_YEAR if due is None else due
            level_overdue[mine, at] = overdue
            window[mine, at] = prev
            prev = y

    mask = _items_mask(cf, status, inputs.values, road)
    plan = np.argsort([cf.order[code] for code in cf.codes], kind="stable")  # plan position → compiled index
    position = np.empty(n_crit, dtype=np.intp)
    position[plan] = np.arange(n_crit)
    ancestors = [position[a] for a in (_ancestors(cf)[c] for c in plan)]
    items = mask[:, :, plan]
    year, quarter = _schedule(cf, items, ancestors, level_year, window, road)

    u, li, j = np.nonzero(items)  # unit, roadmap level, plan order
    c = plan[j]
    rows = _Rows(cf, inputs, u, li, c)
    # prerequisites still unmet at the same level: an item's ancestors that are items there too
    unmet = np.packbits(items, axis=2)  # [U, L, bytes]
    ancestor_bits = np.zeros((n_crit, unmet.shape[2]), dtype=np.uint8)
    for jj, anc in enumerate(ancestors):
        bits = np.zeros(n_crit, dtype=np.bool_)
        bits[anc] = True
        ancestor_bits[jj] = np.packbits(bits)
    blocked_by = _blocked_by(cf, plan, unmet[u, li] & ancestor_bits[j])
    offsets = np.searchsorted(u, np.arange(n_units + 1)).astype(np.int64)
    row_status, row_year, row_quarter = status[u, li, c], year[u, li, j], quarter[u, li, j]
    years_list, quarters_list = row_year.tolist(), row_quarter.tolist()
    texts = {(q, y): f"Quý {QUARTERS[q - 1]}/{y}" for q, y in set(zip(quarters_list, years_list, strict=True))}
    return GapTable(
        compiled=cf,
        evaluations=evaluations,
        start=start,
        target_index=target_index,
        target_year=target_year,
        target_year_from=source,
        level_year=level_year,
        level_due=level_due,
        level_overdue=level_overdue,
        unit=u.astype(np.int64),
        level=li.astype(np.int64),
        crit=c.astype(np.int64),
        status=row_status,
        year=row_year,
        quarter=row_quarter,
        verdict=VERDICT_NAMES[row_status].tolist(),
        years=years_list,
        quarters=quarters_list,
        quarter_text=[texts[(q, y)] for q, y in zip(quarters_list, years_list, strict=True)],
        late=((target_year[u] != _NO_YEAR) & (row_year > target_year[u])).tolist(),
        count_gap=rows.count_gap,
        current=rows.current,
        gap=rows.gap,
        current_text=rows.current_text,
        gap_text=rows.gap_text,
        blocked_by=blocked_by,
        offsets=offsets,
    )


def _blocked_by(cf: Compiled, plan: IndexArray, bits: npt.NDArray[np.uint8]) -> list[tuple[str, ...]]:
    """Per row, the codes of its unmet prerequisites in plan order (`bits` packed in plan order), built once per
    distinct set."""
    n_rows, width = bits.shape
    if not n_rows:
        return []
    if width <= 8:  # one whole number per row
        padded = np.zeros((n_rows, 8), dtype=np.uint8)
        padded[:, :width] = bits
        keys = padded.view(np.uint64).ravel()
        distinct, first, where = np.unique(keys, return_index=True, return_inverse=True)
    else:
        distinct, first, where = np.unique(bits, axis=0, return_index=True, return_inverse=True)
    del distinct
    codes = [cf.codes[c] for c in plan]
    n_crit = len(codes)
    tuples = [tuple(codes[p] for p in np.flatnonzero(np.unpackbits(bits[r])[:n_crit]).tolist()) for r in first.tolist()]
    return [tuples[w] for w in where.ravel().tolist()]


class _Rows:
    """The numbers and texts of each item row, formatted once per distinct rounded value."""

    def __init__(self, cf: Compiled, inputs: _Inputs, u: IndexArray, li: IndexArray, c: IndexArray) -> None:
        fw = cf.fw
        n = len(u)
        current = inputs.values[u, c]
        num, den = inputs.numerator[u, c], inputs.denominator[u, c]
        target = np.zeros((len(fw.levels), len(cf.codes)))
        for ci, crit in enumerate(fw.criteria):
            for lj, lv in enumerate(fw.level_ids):
                req = crit.requirements.get(lv)
                if req is not None and req.threshold is not None:
                    target[lj, ci] = 1.0 if req.threshold is True else float(req.threshold)
        tgt = target[li, c]
        kinds = np.array([_kind(crit) for crit in fw.criteria], dtype=np.int8)[c]
        has_value = ~np.isnan(current)
        has_counts = ~np.isnan(num) & ~np.isnan(den)
        ratio = kinds == _RATIO
        count_gap = np.where(
            ratio & has_counts, np.maximum(0, np.ceil(tgt * den - RATIO_EPS) - np.trunc(np.nan_to_num(num))), np.nan
        )
        diff = tgt - current

        # the value as it reads, once per unit and criterion (an item at several levels reads the same)
        n_crit = len(cf.codes)
        pairs, inverse = np.unique(u * n_crit + c, return_inverse=True)
        texts = _value_texts(cf, inputs, pairs // n_crit, pairs % n_crit)
        units = np.array([_unit(crit) for crit in fw.criteria], dtype=object)

        # the gap as it reads (`show_gap`)
        gap_text = np.empty(n, dtype=object)
        need = [
            [
                f"cần số liệu; mục tiêu {show_requirement(crit, float(target[lj, ci]))}"
                for ci, crit in enumerate(fw.criteria)
            ]
            for lj in range(len(fw.levels))
        ]
        at = np.flatnonzero(~has_value)
        gap_text[at] = [need[a][b] for a, b in zip(li[at].tolist(), c[at].tolist(), strict=True)]
        gap_text[has_value & (kinds == _BOOLEAN)] = "cần triển khai"
        sign = np.where(diff >= 0, "+", "−")
        at = np.flatnonzero(has_value & ratio)
        if len(at):
            points = [
                f"{s}{t} điểm phần trăm"
                for s, t in zip(sign[at].tolist(), fmt_numbers(np.abs(diff[at]) * 100, 1), strict=True)
            ]
            counted = ~np.isnan(count_gap[at])
            if counted.any():
                cu = np.array([_count_unit(crit) for crit in fw.criteria], dtype=object)
                k = np.flatnonzero(counted)
                extra = fmt_numbers(count_gap[at][k], 0)
                for p, e, s, unit_text in zip(
                    k.tolist(), extra, sign[at][k].tolist(), cu[c[at][k]].tolist(), strict=True
                ):
                    points[p] += f" ({s}{e}{unit_text})"
            gap_text[at] = points
        at = np.flatnonzero(has_value & ((kinds == _COUNT) | (kinds == _NUMBER)))
        if len(at):
            gap_text[at] = [
                f"{s}{t}{unit_text}"
                for s, t, unit_text in zip(
                    sign[at].tolist(), fmt_numbers(np.abs(diff[at])), units[c[at]].tolist(), strict=True
                )
            ]

        self.current: list[float | None] = [None if v != v else v for v in current.tolist()]
        self.gap: list[float | None] = [None if v != v else v for v in diff.tolist()]
        self.count_gap: list[int | None] = [None if v != v else int(v) for v in count_gap.tolist()]
        self.current_text: list[str] = [texts[i] for i in inverse.ravel().tolist()]
        self.gap_text: list[str] = gap_text.tolist()


def _value_texts(cf: Compiled, inputs: _Inputs, u: IndexArray, c: IndexArray) -> list[str]:
    """`show_measurement` of unit `u[i]`'s value of criterion `c[i]`, formatting each distinct rounded value once."""
    fw = cf.fw
    current = inputs.values[u, c]
    num, den = inputs.numerator[u, c], inputs.denominator[u, c]
    kinds = np.array([_kind(crit) for crit in fw.criteria], dtype=np.int8)[c]
    has_value = ~np.isnan(current)
    text = np.empty(len(u), dtype=object)
    text[:] = MISSING_VI
    na = inputs.na[u, c]
    text[na] = NA_VI
    at = np.flatnonzero(has_value & (kinds == _RATIO))
    text[at] = fmt_percents(current[at])
    at = np.flatnonzero(has_value & (kinds == _BOOLEAN))
    text[at] = np.where(current[at] >= 1, "Có", "Không")
    at = np.flatnonzero(has_value & ((kinds == _COUNT) | (kinds == _NUMBER)))
    units = np.array([_unit(crit) for crit in fw.criteria], dtype=object)
    text[at] = [t + s for t, s in zip(fmt_numbers(current[at]), units[c[at]].tolist(), strict=True)]
    at = np.flatnonzero(~np.isnan(num) & ~np.isnan(den) & ~na)
    if len(at):
        count_units = np.array([_count_unit(crit) for crit in fw.criteria], dtype=object)
        numerators, denominators = fmt_numbers(num[at], 0), fmt_numbers(den[at], 0)
        text[at] = [
            f"{t} ({a}/{b}{s})"
            for t, a, b, s in zip(text[at].tolist(), numerators, denominators, count_units[c[at]].tolist(), strict=True)
        ]
    out: list[str] = text.tolist()
    return out


_RATIO, _BOOLEAN, _COUNT, _NUMBER = 0, 1, 2, 3


def _kind(crit: Criterion) -> int:
    assert crit.indicator is not None
    kind = crit.indicator.type
    if kind is IndicatorType.RATIO:
        return _RATIO
    if kind is IndicatorType.BOOLEAN:
        return _BOOLEAN
    return _COUNT if kind is IndicatorType.COUNT else _NUMBER


def _unit(crit: Criterion) -> str:
    return f" {crit.indicator.unit}" if crit.indicator and crit.indicator.unit else ""


def _count_unit(crit: Criterion) -> str:
    return f" {crit.indicator.count_unit}" if crit.indicator and crit.indicator.count_unit else ""

"""Every gap report of a cohort at once, on the cohort's status arrays.

`GapTable.of(evaluations)` computes, for all units of one framework together, the whole content that
`gap_report(ev).to_dict()` gives unit by unit (what `certify gap --format json` writes): the items to the next
level and on to the target level, their prerequisites, counts, texts, and the year and quarter of each on the
roadmap. `report(u)` returns unit `u`'s report as exactly that dict (tests/levels/test_gap_table.py compares
the JSON text on the sample units and on random cohorts).

How it stays cheap for a nation: which criteria are items at which level is one mask [unit, level, criterion];
the roadmap's years and quarters are computed criterion by criterion in plan order over all units at once (the
rules of `certify.levels.roadmap.schedule`). Nothing is made per item: an item is a row of arrays (numbers as
numbers, texts as indices). Every number is formatted once per distinct rounded value
(`certify.numbers.fmt_numbers_distinct`) and every text composed once per distinct combination of its parts
(«+12,5 điểm phần trăm», « (+35 hồ sơ)»); requirement texts once per level and criterion. `report(u)` only
reads a unit's rows into dicts.

A unit with a history of earlier values (the pace of each value) is scheduled by `certify.levels.roadmap`
through `gap_report(ev, history=…)`; the table covers the reports without history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from certify.bulk import gc_paused
from certify.derived import cached_on
from certify.errors import CertifyError
from certify.levels.assessment import Assessment, BoundCohort, Measurement
from certify.levels.compiled import BoolArray, Compiled, FloatArray, IndexArray
from certify.levels.display import MISSING_VI, NA_VI, show_requirement
from certify.levels.evaluate import (
    BLOCKS,
    VERDICT_NAMES,
    CohortEvaluation,
    Evaluation,
    _share_blockers,
    cohort_arrays,
    distances,
)
from certify.levels.graph import ancestors
from certify.levels.model import Criterion, IndicatorType, LevelRule
from certify.levels.roadmap import QUARTERS, level_years
from certify.numbers import fmt_numbers_distinct

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
RATIO_EPS = 1e-9  # as certify.levels.gap
_NO_YEAR = -1


def _ancestors(cf: Compiled) -> tuple[IndexArray, ...]:
    """Per criterion (compiled index), its direct and indirect prerequisites, as compiled indices in plan order."""

    def make() -> tuple[IndexArray, ...]:
        before = ancestors(cf.fw)
        order, index = cf.order, cf.index
        return tuple(
            np.array(sorted((index[a] for a in before[code]), key=lambda i: order[cf.codes[i]]), np.intp)
            for code in cf.codes
        )

    return cached_on(cf, "gap-ancestors", make)


class UnitFacts(Protocol):
    """What a unit's file says besides its values: its assessment, or the record a cohort keeps in its stead."""

    @property
    def unit(self) -> str: ...

    @property
    def unit_name(self) -> str | None: ...

    @property
    def year(self) -> int: ...

    @property
    def target_level(self) -> str | None: ...

    @property
    def target_year(self) -> int | None: ...


def _facts(evaluations: Sequence[Evaluation]) -> Sequence[UnitFacts]:
    """Per unit, read from its cohort's records (no assessment made for a unit bound without one)."""
    if isinstance(evaluations, CohortEvaluation) and isinstance(evaluations.units, BoundCohort):
        return evaluations.units.meta
    return [ev.unit.cohort.meta[ev.unit.index] for ev in evaluations]


def unit_facts(evaluations: Sequence[Evaluation]) -> Sequence[UnitFacts]:
    """Per unit, what its file says besides its values (its assessment, or the record its cohort keeps instead)."""
    return _facts(evaluations)


@dataclass(frozen=True)
class _Inputs:
    """A cohort's checked values as arrays [U, C] (NaN where missing or not applicable)."""

    values: FloatArray
    na: BoolArray
    numerator: FloatArray
    denominator: FloatArray
    evidenced: BoolArray | None = None  # [U]: a document proves some value (None: not known, look in every unit)


def _inputs(cf: Compiled, evaluations: Sequence[Evaluation]) -> _Inputs:
    """Every measurement of the cohort read once into flat columns, then scattered into [U, C] at once (a bound
    cohort's units: its arrays as they are)."""
    arrays = cohort_arrays(cf, evaluations)
    if arrays is not None:
        return _Inputs(*arrays)
    shape = (len(evaluations), len(cf.codes))
    code_index = cf.index.__getitem__
    sizes: list[int] = []
    cols: list[int] = []
    held: list[Measurement] = []
    for ev in evaluations:
        measurements = ev.unit.measurements
        sizes.append(len(measurements))
        cols.extend(map(code_index, measurements))
        held.extend(measurements.values())
    u = np.repeat(np.arange(len(evaluations)), sizes)
    c = np.array(cols, dtype=np.intp)
    na_flat = np.array([m.na for m in held], dtype=np.bool_)
    value_flat = np.array([m.value for m in held], dtype=np.float64)  # None reads as NaN
    value_flat[na_flat] = np.nan
    num_flat = np.array([m.numerator for m in held], dtype=np.float64)
    den_flat = np.array([m.denominator for m in held], dtype=np.float64)
    counted = ~np.isnan(num_flat) & ~np.isnan(den_flat)
    values, num, den = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    na = np.zeros(shape, dtype=np.bool_)
    values[u, c] = value_flat
    na[u, c] = na_flat
    num[u[counted], c[counted]] = num_flat[counted]
    den[u[counted], c[counted]] = den_flat[counted]
    evidenced = np.zeros(len(evaluations), dtype=np.bool_)
    evidenced[u[np.array([m.evidence is not None for m in held], dtype=np.bool_)]] = True
    return _Inputs(values, na, num, den, evidenced)


@dataclass(frozen=True)
class Texts:
    """A column of texts, each row's text the parts that follow one another in it («+12,5 điểm phần trăm» then
    « (+35 hồ sơ)»), each part kept as an index into the distinct texts of that part, each composed once; a row's
    text is joined when it is read."""

    ids: tuple[IndexArray, ...]  # per part, [rows]
    texts: tuple[list[str], ...]  # per part, its distinct texts

    def __getitem__(self, row: int) -> str:
        return "".join(texts[int(ids[row])] for ids, texts in zip(self.ids, self.texts, strict=True))


@dataclass(frozen=True)
class GapTable:
    """The gap reports of units of one framework. Items are rows, ordered by unit, roadmap level, plan order.

    Every field of every report is computed here, for the cohort at once, as arrays: numbers one value per row,
    texts one index per row into the distinct texts of the cohort (each number formatted once, each text
    composed once). `report(u)` only reads a unit's rows into the dict a person's JSON shows."""

    compiled: Compiled
    evaluations: Sequence[Evaluation]
    facts: Sequence[UnitFacts]  # [U] what each unit's file says besides its values
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
    late: BoolArray
    count_gap: FloatArray  # NaN: none
    current: FloatArray  # NaN: none
    gap: FloatArray  # NaN: none
    current_text: Texts
    gap_text: Texts
    quarter_text: Texts
    blocked_by: IndexArray  # [rows] index into `prerequisites`
    prerequisites: list[tuple[str, ...]]  # the distinct sets of unmet prerequisites, in plan order
    offsets: IntArray  # [U + 1]: unit u's items are rows offsets[u]:offsets[u + 1]
    evidenced: BoolArray  # [U]: the unit has a document for some value

    @classmethod
    def of(cls, evaluations: Sequence[Evaluation], start_year: int | None = None) -> GapTable:
        """The gap reports of `evaluations` (one framework), as `gap_report(ev, start_year=…)` would give them."""
        if not evaluations:
            raise ValueError("no evaluation")
        if isinstance(evaluations, CohortEvaluation):
            cf = evaluations.compiled
        else:
            cf = evaluations[0].compiled
            if any(ev.compiled is not cf for ev in evaluations):
                raise ValueError("a gap table holds the units of one framework")
        facts = _facts(evaluations)
        years = np.array([f.year for f in facts], dtype=np.int64)
        if start_year is not None and (years >= start_year).any():
            first = int(years.max())
            raise CertifyError.one(
                "bad-plan-year",
                f"Năm kế hoạch phải sau năm của số liệu ({first})",
                f"The plan year must come after the year of the data ({first})",
                expected=f"≥ {first + 1}",
                found=str(start_year),
            )
        return _build(cf, evaluations, facts, _inputs(cf, evaluations), years, start_year)

    @property
    def n(self) -> int:
        return len(self.evaluations)

    @cached_property
    def _templates(self) -> list[list[dict[str, Any] | None]]:
        """Per level and criterion, an item with what depends on nothing else filled in, in the report's key
        order (each item is a copy, its other fields set)."""
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
                        "verdict": None,
                        "current": None,
                        "current_text": None,
                        "requirement": req.threshold,
                        "requirement_text": show_requirement(crit, req.threshold),
                        "target": req.threshold,
                        "gap": None,
                        "gap_text": None,
                        "count_gap": None,
                        "count_unit": crit.indicator.count_unit if crit.indicator else None,
                        "agency": crit.agency,
                        "order": self.compiled.order[crit.code],
                        "blocked_by": None,
                        "root_cause": None,
                        "evidence": None,
                        "year": None,
                        "quarter": None,
                        "quarter_text": None,
                        "late": None,
                        "out_of_reach": False,
                        "pace": None,
                        "flags": None,
                    }
                )
            out.append(row)
        return out

    @cached_property
    def _whole_rows(self) -> npt.NDArray[np.int64]:
        """[rows, 13]: the whole-number columns of the items side by side, so a unit's rows read in one go."""
        return np.stack(
            [
                self.level,
                self.crit,
                self.status.astype(np.int64),
                self.year,
                self.quarter,
                self.late.astype(np.int64),
                *self.current_text.ids,
                *self.gap_text.ids,
                *self.quarter_text.ids,
                self.blocked_by,
            ],
            axis=1,
        )

    @cached_property
    def _real_rows(self) -> FloatArray:
        """[rows, 3]: current value, gap and count gap (NaN: none) side by side."""
        return np.stack([self.current, self.gap, self.count_gap], axis=1)

    @cached_property
    def _by_year(self) -> IndexArray:
        """Per row, the position within its unit of the row that comes there in the roadmap by year: by year,
        quarter and plan order; the same criterion at two levels in one quarter, lower level first."""
        order = np.array([self.compiled.order[code] for code in self.compiled.codes], dtype=np.int64)[self.crit]
        rows = np.lexsort((order, self.quarter, self.year, self.unit))
        local: IndexArray = rows - self.offsets[self.unit]
        return local

    @cached_property
    def _prerequisite_lists(self) -> tuple[list[list[str]], list[bool]]:
        """Each distinct set of unmet prerequisites as the list a report shows (one list for every item with that
        set), and whether an item with it is a root cause."""
        return [list(p) for p in self.prerequisites], [not p for p in self.prerequisites]

    def _items(self, u: int) -> tuple[list[int], list[dict[str, Any]]]:
        """Unit `u`'s items in the report's key order, and the level index of each; read from the columns."""
        lo, hi = int(self.offsets[u]), int(self.offsets[u + 1])
        if lo == hi:
            return [], []
        templates = self._templates
        verdicts = _VERDICTS
        current_values, current_counted, current_of = self.current_text.texts  # «85,5%», « (171», «/200 hồ sơ)»
        gap_heads, gap_counts = self.gap_text.texts  # «+4,5 điểm phần trăm», « (+9 hồ sơ)»
        (quarter_texts,) = self.quarter_text.texts
        blocked_lists, root_causes = self._prerequisite_lists
        measurements = self.evaluations[u].unit.measurements if self.evidenced[u] else {}
        late_flags = [f"sau năm mục tiêu {int(self.target_year[u])}"]  # one list for the unit's late items
        on_time_flags: list[str] = []
        levels: list[int] = []
        out: list[dict[str, Any]] = []
        for (li, c, status, year, quarter, late, c1, c2, c3, g1, g2, qt, bb), (current, gap, count_gap) in zip(
            self._whole_rows[lo:hi].tolist(), self._real_rows[lo:hi].tolist(), strict=True
        ):
            item = templates[li][c]
            assert item is not None
            item = item.copy()
            item["verdict"] = verdicts[status]
            item["current"] = None if current != current else current
            item["current_text"] = current_values[c1] + current_counted[c2] + current_of[c3]
            item["gap"] = None if gap != gap else gap
            item["gap_text"] = gap_heads[g1] + gap_counts[g2]
            item["count_gap"] = None if count_gap != count_gap else int(count_gap)
            item["blocked_by"] = blocked_lists[bb]
            item["root_cause"] = root_causes[bb]
            if measurements:
                m = measurements.get(item["criterion"])
                if m is not None and m.evidence is not None:
                    item["evidence"] = m.evidence.model_dump(mode="json", exclude_none=True)
            item["year"] = year
            item["quarter"] = quarter
            item["quarter_text"] = quarter_texts[qt]
            if late:
                item["late"] = True
                item["flags"] = late_flags
            else:
                item["late"] = False
                item["flags"] = on_time_flags
            levels.append(li)
            out.append(item)
        return levels, out

    @cached_property
    def level_list(self) -> list[int]:
        return self.level.tolist()  # type: ignore[no-any-return]

    @cached_property
    def crit_list(self) -> list[int]:
        return self.crit.tolist()  # type: ignore[no-any-return]

    def report(self, u: int) -> dict[str, Any]:
        """Unit `u`'s gap report: the dict `gap_report(ev).to_dict()` gives. Read only: an item is shared by the
        report's lists, and its `blocked_by` and `flags` lists by the items that have the same ones."""
        ev = self.evaluations[u]
        fw = ev.fw
        a = self.facts[u]
        ids = fw.level_ids
        steps: list[dict[str, Any]] = []
        by_level: dict[int, list[dict[str, Any]]] = {}
        names: dict[int, str] = {}
        years: dict[int, dict[str, Any]] = {}
        target_index = int(self.target_index[u])
        target_year = int(self.target_year[u])
        ty = None if target_year == _NO_YEAR else target_year
        for li in range(ev.level_index + 1, target_index + 1):
            y = int(self.level_year[u, li])
            due = int(self.level_due[u, li])
            name = fw.levels[li].name
            step: dict[str, Any] = {
                "level": ids[li],
                "level_name": name,
                "year": y,
                "due_year": None if due == _NO_YEAR else due,
                "overdue": bool(self.level_overdue[u, li]),
                "late": ty is not None and y > ty,
                "items": [],
            }
            by_level[li] = step["items"]
            names[li] = name
            steps.append(step)
            entry = years.get(y)
            if entry is None:
                years[y] = entry = {"year": y, "levels": [], "items": []}
            entry["levels"].append(name)
        levels, items = self._items(u)
        for li, item in zip(levels, items, strict=True):
            by_level[li].append(item)
        if items:
            lo, hi = int(self.offsets[u]), int(self.offsets[u + 1])
            for k in self._by_year[lo:hi].tolist():  # the roadmap by year: each item with its level's name
                item = items[k]
                named = item.copy()
                named["level_name"] = names[levels[k]]
                y = item["year"]
                entry = years.get(y)
                if entry is None:
                    years[y] = entry = {"year": y, "levels": [], "items": []}
                entry["items"].append(named)
        target = ids[target_index] if target_index >= 0 else None
        return {
            "unit": a.unit,
            "unit_name": a.unit_name,
            "tier": a.tier.value if isinstance(a, Assessment) else fw.tier.value,
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


_VERDICTS: list[str] = VERDICT_NAMES.tolist()


def _targets(cf: Compiled, facts: Sequence[UnitFacts], level_index: IntArray) -> tuple[IntArray, IntArray, list[str]]:
    """Per unit: the target level (at least the next one; -1 at the top), its year and where the year comes from."""
    fw = cf.fw
    n_levels = len(fw.levels)
    position = {lv: i for i, lv in enumerate(fw.level_ids)}
    assessments = facts
    wanted = np.array(
        [position[a.target_level] if a.target_level else n_levels - 1 for a in assessments], dtype=np.int64
    )
    nxt = level_index + 1
    target_index = np.where(nxt >= n_levels, -1, np.maximum(wanted, nxt))
    # the framework's year of each level, and none past the top (index -1)
    due = np.array([lv.target_year.year if lv.target_year else _NO_YEAR for lv in fw.levels] + [_NO_YEAR])
    set_years = [a.target_year for a in assessments]
    own = np.array([_NO_YEAR if y is None else y for y in set_years], dtype=np.int64)
    has_own = np.array([y is not None for y in set_years], dtype=np.bool_)
    framework_year = due[target_index]
    target_year = np.where(has_own, own, framework_year)
    names = ("", "framework", "assessment")
    source_code = np.where(has_own, 2, np.where(framework_year != _NO_YEAR, 1, 0))
    source = [names[k] for k in source_code.tolist()]
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


def next_level_items(evaluations: Sequence[Evaluation]) -> tuple[IntArray, IndexArray]:
    """The items `GapTable.of(evaluations)` lists at each unit's next level, without the rest of the reports (a
    table of levels needs no texts, years or prerequisites): unit u's criteria are `crit[offsets[u]:offsets[u + 1]]`
    (compiled indices, in plan order, as the table's rows). The same mask decides (`_items_mask`)."""
    if isinstance(evaluations, CohortEvaluation):
        cf = evaluations.compiled
        status = evaluations.matrix.status.astype(np.int8)
        level_index = evaluations.level_index.astype(np.int64)
    else:
        cf = evaluations[0].compiled
        status = np.stack([ev.status for ev in evaluations]).astype(np.int8)
        level_index = np.array([ev.level_index for ev in evaluations], dtype=np.int64)
    n_levels = len(cf.fw.levels)
    road = np.arange(n_levels)[None, :] == (level_index + 1)[:, None]  # the target is at least the next level
    mask = _items_mask(cf, status, _inputs(cf, evaluations).values, road)
    plan = np.argsort([cf.order[code] for code in cf.codes], kind="stable")
    u, _, j = np.nonzero(mask[:, :, plan])
    offsets = np.searchsorted(u, np.arange(len(evaluations) + 1)).astype(np.int64)
    crit: IndexArray = plan[j]
    return offsets, crit


def _schedule(
    items: BoolArray,  # [L, C, U] in plan order along C
    ancestors: Sequence[IndexArray],  # in plan-order positions
    level_year: Int32Array,  # [L, U]
    window: Int32Array,  # [L, U]
) -> tuple[Int32Array, Int32Array]:
    """Years and quarters [L, C, U] of every item, by the rules of `certify.levels.roadmap.schedule` (no pace).

    Laid out level, criterion, unit: each step reads and writes one criterion's row of all units at once (years
    and heights as 32-bit numbers: half the memory to go through)."""
    n_levels, n_crit, n_units = items.shape
    count = items.sum(axis=1, dtype=np.int32)  # [L, U]
    rank = np.cumsum(items, axis=1, dtype=np.int32) - 1
    span = level_year - window + 1
    year = window[:, None, :] + (rank * span[:, None, :]) // np.maximum(count, 1)[:, None, :]
    year = np.where(items, year, np.int32(_NO_YEAR))
    at_level: BoolArray = np.logical_or.reduce(items, axis=2)  # [L, C]: an item of some unit
    # no earlier than its unmet prerequisites at the level (not items: _NO_YEAR, below any year) and than the same
    # criterion's item at the last level below where it was one
    below = np.full((n_crit, n_units), _NO_YEAR, dtype=np.int32)
    previous = np.full((n_levels, n_crit, n_units), -1, dtype=np.int32)  # that level (-1: none)
    last = np.full((n_crit, n_units), -1, dtype=np.int32)
    for li in range(n_levels):
        previous[li] = last
        if not at_level[li].any():
            continue
        for j in np.flatnonzero(at_level[li]).tolist():
            here = np.maximum(year[li, j], below[j])
            anc = ancestors[j]
            if len(anc):
                here = np.maximum(here, year[li, anc].max(axis=0))
            year[li, j] = np.where(items[li, j], here, np.int32(_NO_YEAR))
        below = np.where(items[li], year[li], below)
        last = np.where(items[li], np.int32(li), last)
    # the quarter: as late as the chain of items depending on it within its year allows
    height = np.zeros((n_levels, n_crit, n_units), dtype=np.int32)
    flat_height = height.reshape(-1)
    flat_year = year.reshape(-1)
    for li in range(n_levels - 1, -1, -1):
        for j in np.flatnonzero(at_level[li])[::-1].tolist():
            present = items[li, j]
            y, up = year[li, j], height[li, j] + 1
            anc = ancestors[j]
            if len(anc):
                same = present & (year[li, anc] == y)
                raised = height[li, anc]  # heights are ≥ 0: raising by 0 leaves one as it is
                np.maximum(raised, np.where(same, up, np.int32(0)), out=raised)
                height[li, anc] = raised
            prev = previous[li, j]
            at = np.flatnonzero(present & (prev >= 0))
            if len(at):
                flat = (prev[at].astype(np.intp) * n_crit + j) * n_units + at
                same = flat_year[flat] == y[at]
                flat, at = flat[same], at[same]
                flat_height[flat] = np.maximum(flat_height[flat], up[at])
    quarter = np.maximum(np.int32(1), 4 - height)
    return year, quarter


def _build(
    cf: Compiled,
    evaluations: Sequence[Evaluation],
    facts: Sequence[UnitFacts],
    inputs: _Inputs,
    years: IntArray,
    start_year: int | None,
) -> GapTable:
    fw = cf.fw
    n_units, n_levels, n_crit = len(evaluations), len(fw.levels), len(cf.codes)
    if isinstance(evaluations, CohortEvaluation):  # the cohort's arrays as they are
        status = evaluations.matrix.status.astype(np.int8)
        level_index = evaluations.level_index.astype(np.int64)
    else:
        status = np.stack([ev.status for ev in evaluations]).astype(np.int8)
        level_index = np.array([ev.level_index for ev in evaluations], dtype=np.int64)
    start = years + 1 if start_year is None else np.full(n_units, start_year, dtype=np.int64)
    target_index, target_year, source = _targets(cf, facts, level_index)
    levels = np.arange(n_levels)
    road = (levels[None, :] > level_index[:, None]) & (levels[None, :] <= target_index[:, None])

    # years of the levels on each roadmap, one computation per distinct (next, target, start, target year)
    level_year = np.full((n_units, n_levels), _NO_YEAR, dtype=np.int64)
    level_due = np.full((n_units, n_levels), _NO_YEAR, dtype=np.int64)
    level_overdue = np.zeros((n_units, n_levels), dtype=np.bool_)
    window = np.full((n_units, n_levels), _NO_YEAR, dtype=np.int64)
    keys = np.stack([level_index + 1, target_index, start, target_year], axis=1)
    distinct, where = np.unique(keys, axis=0, return_inverse=True)
    order = np.argsort(where.ravel(), kind="stable")
    bounds = np.searchsorted(where.ravel()[order], np.arange(len(distinct) + 1))
    for k, (nxt, tgt, first, ty) in enumerate(distinct.tolist()):
        if tgt < 0:
            continue
        mine = order[bounds[k] : bounds[k + 1]]
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
    ancestors = [np.sort(position[a]) for a in (_ancestors(cf)[c] for c in plan)]
    items = mask[:, :, plan]  # [U, L, C], C in plan order
    year, quarter = _schedule(
        np.ascontiguousarray(items.transpose(1, 2, 0)),
        ancestors,
        level_year.T.astype(np.int32),
        window.T.astype(np.int32),
    )

    u, li, j = np.nonzero(items)  # unit, roadmap level, plan order
    c = plan[j]
    # prerequisites still unmet at the same level: an item's ancestors that are items there too
    unmet = np.packbits(items, axis=2)  # [U, L, bytes]
    ancestor_bits = np.zeros((n_crit, unmet.shape[2]), dtype=np.uint8)
    for jj, anc in enumerate(ancestors):
        bits = np.zeros(n_crit, dtype=np.bool_)
        bits[anc] = True
        ancestor_bits[jj] = np.packbits(bits)
    blocked_by, prerequisites = _blocked_by(cf, plan, unmet[u, li] & ancestor_bits[j])
    offsets = np.searchsorted(u, np.arange(n_units + 1)).astype(np.int64)
    row_year, row_quarter = year[li, j, u].astype(np.int64), quarter[li, j, u].astype(np.int64)
    quarter_ids, quarter_first = _dense(row_quarter, row_year)
    quarter_texts = [
        f"Quý {QUARTERS[q - 1]}/{y}"
        for q, y in zip(row_quarter[quarter_first].tolist(), row_year[quarter_first].tolist(), strict=True)
    ]
    rows = _Rows(cf, inputs, u, li, c)
    return GapTable(
        compiled=cf,
        evaluations=evaluations,
        facts=facts,
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
        status=status[u, li, c],
        year=row_year,
        quarter=row_quarter,
        late=(target_year[u] != _NO_YEAR) & (row_year > target_year[u]),
        count_gap=rows.count_gap,
        current=rows.current,
        gap=rows.gap,
        current_text=rows.current_text,
        gap_text=rows.gap_text,
        quarter_text=Texts((quarter_ids,), (quarter_texts,)),
        blocked_by=blocked_by,
        prerequisites=prerequisites,
        offsets=offsets,
        evidenced=np.ones(n_units, dtype=np.bool_) if inputs.evidenced is None else inputs.evidenced,
    )


def _blocked_by(
    cf: Compiled, plan: IndexArray, bits: npt.NDArray[np.uint8]
) -> tuple[IndexArray, list[tuple[str, ...]]]:
    """Per row, the index of its set of unmet prerequisites (`bits` packed in plan order) among the distinct sets,
    and those sets as codes in plan order."""
    n_rows, width = bits.shape
    if not n_rows:
        return np.zeros(0, dtype=np.intp), []
    if width <= 8:  # one whole number per row
        padded = np.zeros((n_rows, 8), dtype=np.uint8)
        padded[:, :width] = bits
        _, first, where = np.unique(padded.view(np.uint64).ravel(), return_index=True, return_inverse=True)
    else:
        _, first, where = np.unique(bits, axis=0, return_index=True, return_inverse=True)
    where = where.ravel().astype(np.intp)
    codes = [cf.codes[c] for c in plan]
    n_crit = len(codes)
    sets = [tuple(codes[p] for p in np.flatnonzero(np.unpackbits(bits[r])[:n_crit]).tolist()) for r in first.tolist()]
    return where, sets


_DENSE_LIMIT = 1 << 62


def _dense(*columns: npt.NDArray[np.integer[Any]]) -> tuple[IndexArray, IndexArray]:
    """Per row, the index of its combination of `columns` among the distinct ones, and one row of each
    combination (rows with the same combination share its text, composed once from that row)."""
    n = len(columns[0])
    key = np.zeros(n, dtype=np.int64)
    size = 1
    for column in columns:
        if not n:
            break
        lo, hi = int(column.min()), int(column.max())
        if hi - lo < 1 << 31:
            col, width = column.astype(np.int64) - lo, hi - lo + 1
        else:  # spread too wide to combine as it is: its distinct values numbered
            _, inverse = np.unique(column, return_inverse=True)
            col = inverse.ravel().astype(np.int64)
            width = int(col.max()) + 1
        if size * width >= _DENSE_LIMIT:  # renumber what is combined so far: at most n values
            _, inverse = np.unique(key, return_inverse=True)
            key = inverse.ravel().astype(np.int64)
            size = int(key.max()) + 1
        key = key * width + col
        size *= width
    if size <= 4 * n + 1024:  # a table of every possible key is cheaper than sorting
        present = np.zeros(size, dtype=np.bool_)
        present[key] = True
        rank = np.cumsum(present) - 1
        where: IndexArray = rank[key].astype(np.intp)
    else:
        _, where = np.unique(key, return_inverse=True)
        where = where.ravel().astype(np.intp)
    one = np.zeros(int(where.max()) + 1 if n else 0, dtype=np.intp)
    one[where] = np.arange(n)
    return where, one


class _Rows:
    """The numbers of each item row, and its texts as indices into texts composed once per distinct value."""

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
        # the units written after numbers, each distinct one once, and per row the index of its criterion's
        units, unit_id = _distinct([_unit(crit) for crit in fw.criteria], c)
        count_units, count_unit_id = _distinct([_count_unit(crit) for crit in fw.criteria], c)

        # the value as it reads (`show_measurement`): its own text, then the counts it comes from
        na = inputs.na[u, c]
        state = np.full(n, _S_MISSING, dtype=np.int64)
        state[na] = _S_NA
        value_id = np.zeros(n, dtype=np.int64)
        unit_of = np.zeros(n, dtype=np.int64)  # the unit written after the value (numbers only)
        at = np.flatnonzero(has_value & ratio)
        state[at] = _S_RATIO
        percents, value_id[at] = fmt_numbers_distinct(current[at] * 100, 1)
        at = np.flatnonzero(has_value & (kinds == _BOOLEAN))
        state[at] = np.where(current[at] >= 1, _S_YES, _S_NO)
        at = np.flatnonzero(has_value & ((kinds == _COUNT) | (kinds == _NUMBER)))
        state[at] = _S_NUMBER
        numbers, value_id[at] = fmt_numbers_distinct(current[at])
        unit_of[at] = unit_id[at]
        base, base_row = _dense(state, value_id, unit_of)
        base_texts = [
            _value_text(s, v, units[k], percents, numbers)
            for s, v, k in zip(
                state[base_row].tolist(), value_id[base_row].tolist(), unit_of[base_row].tolist(), strict=True
            )
        ]
        # the counts: « (171» then «/200 hồ sơ)», each part composed once per distinct count (and unit)
        counted, of = np.zeros(n, dtype=np.intp), np.zeros(n, dtype=np.intp)
        counted_texts, of_texts = [""], [""]
        at = np.flatnonzero(has_counts & ~na)
        if len(at):
            numerators, num_id = fmt_numbers_distinct(num[at], 0)
            counted[at] = num_id + 1
            counted_texts += [f" ({t}" for t in numerators]
            denominators, den_id = fmt_numbers_distinct(den[at], 0)
            cu = count_unit_id[at]
            ids, first = _dense(den_id, cu)
            of[at] = ids + 1
            of_texts += [
                f"/{denominators[b]}{count_units[k]})"
                for b, k in zip(den_id[first].tolist(), cu[first].tolist(), strict=True)
            ]
        self.current_text = Texts((base, counted, of), (base_texts, counted_texts, of_texts))

        # the gap as it reads (`show_gap`): its own text, then the count still to reach
        gstate = np.full(n, _G_NEED, dtype=np.int64)
        first_id = li.astype(np.int64)  # need data: the level and criterion give the text
        second_id = c.astype(np.int64)
        gstate[has_value & (kinds == _BOOLEAN)] = _G_DEPLOY
        minus = (diff < 0).astype(np.int64)  # «+» when diff ≥ 0, else «−»
        at = np.flatnonzero(has_value & ratio)
        gstate[at] = _G_POINTS
        points, second_id[at] = fmt_numbers_distinct(np.abs(diff[at]) * 100, 1)
        first_id[at] = minus[at]
        at_numbers = np.flatnonzero(has_value & ((kinds == _COUNT) | (kinds == _NUMBER)))
        gstate[at_numbers] = _G_NUMBER
        amounts, amount_id = fmt_numbers_distinct(np.abs(diff[at_numbers]))
        first_id[at_numbers] = minus[at_numbers] + 2 * unit_id[at_numbers]
        second_id[at_numbers] = amount_id
        deploy = gstate == _G_DEPLOY
        first_id[deploy] = 0
        second_id[deploy] = 0
        base, base_row = _dense(gstate, first_id, second_id)
        need = [
            [
                f"cần số liệu; mục tiêu {show_requirement(crit, float(target[lj, ci]))}"
                for ci, crit in enumerate(fw.criteria)
            ]
            for lj in range(len(fw.levels))
        ]
        base_texts = [
            _gap_text(s, a, b, need, points, amounts, units)
            for s, a, b in zip(
                gstate[base_row].tolist(), first_id[base_row].tolist(), second_id[base_row].tolist(), strict=True
            )
        ]
        suffix = np.zeros(n, dtype=np.intp)
        suffix_texts = [""]
        at = np.flatnonzero(has_value & ratio & ~np.isnan(count_gap))
        if len(at):
            extra, extra_id = fmt_numbers_distinct(count_gap[at], 0)
            cu = count_unit_id[at]
            ids, first = _dense(minus[at], extra_id, cu)
            suffix[at] = ids + 1
            suffix_texts += [
                f" ({'−' if s else '+'}{extra[e]}{count_units[k]})"
                for s, e, k in zip(minus[at][first].tolist(), extra_id[first].tolist(), cu[first].tolist(), strict=True)
            ]
        self.gap_text = Texts((base, suffix), (base_texts, suffix_texts))
        self.current: FloatArray = current
        self.gap: FloatArray = diff
        self.count_gap: FloatArray = count_gap


def _distinct(per_criterion: list[str], c: IndexArray) -> tuple[list[str], IndexArray]:
    """The distinct texts of `per_criterion`, and per row (criterion `c`) the index of its criterion's text."""
    texts = list(dict.fromkeys(per_criterion))
    ids = np.array([texts.index(t) for t in per_criterion], dtype=np.intp)
    return texts, ids[c]


_S_MISSING, _S_NA, _S_RATIO, _S_YES, _S_NO, _S_NUMBER = range(6)
_G_NEED, _G_DEPLOY, _G_POINTS, _G_NUMBER = range(4)


def _value_text(state: int, value: int, unit: str, percents: list[str], numbers: list[str]) -> str:
    """`show_value` (or «missing», «not applicable») from the formatted numbers."""
    if state == _S_MISSING:
        return MISSING_VI
    if state == _S_NA:
        return NA_VI
    if state == _S_RATIO:
        return percents[value] + "%"
    if state == _S_YES:
        return "Có"
    if state == _S_NO:
        return "Không"
    return numbers[value] + unit


def _gap_text(
    state: int, first: int, second: int, need: list[list[str]], points: list[str], amounts: list[str], units: list[str]
) -> str:
    """`show_gap` without the counts, from the formatted numbers."""
    if state == _G_NEED:
        return need[first][second]
    if state == _G_DEPLOY:
        return "cần triển khai"
    sign = "−" if first % 2 else "+"
    if state == _G_POINTS:
        return f"{sign}{points[second]} điểm phần trăm"
    return f"{sign}{amounts[second]}{units[first // 2]}"


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

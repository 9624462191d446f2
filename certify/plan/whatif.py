"""The province's what-if: where next year's effort moves the most units up a level.

Everything works on the cohort's arrays (`certify.levels.evaluate.evaluate_arrays`), never on per-unit objects:

- `blocking`: per level, how many units each criterion keeps from that level (their next one), and how many
  it blocks alone (raising it alone would lift them);
- `simulate`: «if criterion X reaches threshold T in these units (all, a district, a list), how many units move
  up, to which level» — the values are raised (never lowered) and the evaluator re-run;
- `greedy_plan`: the k criteria that, each raised to the next-level threshold where it blocks, lift the most
  units, one after the other, with the units each lifts.

Exactness: a unit's level depends on its own values only (no cohort-relative rule in the level frameworks), so
re-running the evaluator on the rows whose values changed gives the same levels as re-running it on the whole
cohort; tests compare both, and with re-evaluating modified assessment objects one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from certify.errors import CertifyError
from certify.levels.compiled import NA_CODE, BoolArray, Compiled, FloatArray, IndexArray
from certify.levels.evaluate import BLOCKS, Evaluation, Matrix, evaluate_arrays, to_arrays
from certify.levels.model import LevelRule, NotApplicablePolicy

NOT_ALLOWED = NA_CODE[NotApplicablePolicy.NOT_ALLOWED]


@dataclass(frozen=True)
class Cohort:
    """Units assessed on one framework, as the evaluator's arrays, with names and areas for the outputs."""

    compiled: Compiled
    units: tuple[str, ...]
    names: tuple[str, ...]
    groups: tuple[str, ...]  # area of each unit (a district before 1/7/2025), "" when none
    values: FloatArray  # [U, C] in indicator units, NaN where missing
    na: BoolArray  # [U, C] claimed not applicable

    @classmethod
    def of(cls, evaluations: Sequence[Evaluation], groups: Sequence[str] | None = None) -> Cohort:
        if not evaluations:
            raise CertifyError.one("empty-cohort", "Không có đơn vị nào để phân tích", "No unit to analyse")
        cf = evaluations[0].compiled
        refs = {e.fw.ref for e in evaluations}
        if len(refs) > 1:
            raise CertifyError.one(
                "mixed-frameworks",
                "Các đơn vị được đánh giá theo nhiều bộ tiêu chí khác nhau; phân tích từng bộ một",
                "The units are assessed on different frameworks; analyse one framework at a time",
                found=", ".join(sorted(refs)),
            )
        values, na = to_arrays(cf, [e.unit for e in evaluations])
        return cls(
            cf,
            tuple(e.unit.assessment.unit for e in evaluations),
            tuple(e.unit.assessment.unit_name or e.unit.assessment.unit for e in evaluations),
            tuple(groups) if groups is not None else ("",) * len(evaluations),
            values,
            na,
        )

    @property
    def size(self) -> int:
        return len(self.units)

    @cached_property
    def baseline(self) -> Matrix:
        return evaluate_arrays(self.compiled, self.values, self.na)

    @cached_property
    def position(self) -> dict[str, int]:
        return {code: u for u, code in enumerate(self.units)}

    def select(self, units: Iterable[str] | None = None, group: str | None = None) -> BoolArray:
        """The units a change applies to: all, those of one area, or a list of unit codes."""
        mask = np.ones(self.size, dtype=np.bool_)
        if group is not None:
            if group not in set(self.groups):
                raise CertifyError.one(
                    "unknown-area",
                    f"Không có đơn vị nào thuộc «{group}»",
                    f"No unit belongs to '{group}'",
                    expected=" | ".join(sorted(set(self.groups) - {""})),
                    found=group,
                )
            mask &= np.array([g == group for g in self.groups])
        if units is not None:
            wanted = list(units)
            unknown = [u for u in wanted if u not in self.position]
            if unknown:
                raise CertifyError.one(
                    "unknown-unit",
                    f"Không có đơn vị mã {', '.join(unknown[:5])} trong kỳ này",
                    f"No unit {', '.join(unknown[:5])} in this cohort",
                    found=", ".join(unknown[:5]),
                )
            chosen = np.zeros(self.size, dtype=np.bool_)
            chosen[[self.position[u] for u in wanted]] = True
            mask &= chosen
        return mask

    def criterion(self, code: str) -> int:
        c = self.compiled.index.get(code)
        if c is None:
            raise CertifyError.one(
                "unknown-criterion",
                f"Không có tiêu chí «{code}» trong bộ tiêu chí {self.compiled.fw.ref}",
                f"No criterion '{code}' in framework {self.compiled.fw.ref}",
                found=code,
            )
        return c


# --- (a) what blocks whom ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Blocking:
    """`counts[l, c]`: units whose next level is `l` and that criterion `c` keeps from it; `alone[l, c]`: of
    those, the units `c` alone keeps from `l` (every other criterion of `l` is met)."""

    cohort: Cohort
    counts: IndexArray  # [L, C]
    alone: IndexArray  # [L, C]
    waiting: IndexArray  # [L] units whose next level is l

    def rows(self, level: int, top: int | None = None) -> list[dict[str, Any]]:
        fw = self.cohort.compiled.fw
        order = self.cohort.compiled.order
        codes = [c for c in range(len(fw.criteria)) if self.counts[level, c]]
        codes.sort(key=lambda c: (-int(self.counts[level, c]), order[fw.criteria[c].code]))
        return [
            {
                "criterion": fw.criteria[c].code,
                "name": fw.criteria[c].name or fw.criteria[c].code,
                "units": int(self.counts[level, c]),
                "alone": int(self.alone[level, c]),
                "share": int(self.counts[level, c]) / int(self.waiting[level]) if self.waiting[level] else 0.0,
            }
            for c in codes[:top]
        ]

    def to_dict(self, top: int | None = 10) -> dict[str, Any]:
        fw = self.cohort.compiled.fw
        return {
            "levels": [
                {
                    "level": lv.id,
                    "level_name": lv.name,
                    "units_waiting": int(self.waiting[li]),
                    "criteria": self.rows(li, top),
                }
                for li, lv in enumerate(fw.levels)
                if self.waiting[li]
            ]
        }


def next_level_blocks(cf: Compiled, matrix: Matrix) -> tuple[IndexArray, BoolArray]:
    """Each unit's next level (L: none) and, per unit, which criteria block it there ([U, C])."""
    n_levels = len(cf.fw.levels)
    nxt = matrix.level_index + 1
    has_next = nxt < n_levels
    at = np.minimum(nxt, n_levels - 1)
    rows = np.arange(len(nxt))
    status = matrix.status[rows, at, :]
    blocks = BLOCKS[status] & cf.applies[at, :] & has_next[:, None]
    return nxt, blocks


def blocking(cohort: Cohort) -> Blocking:
    cf = cohort.compiled
    n_levels, n_crit = cf.applies.shape
    nxt, blocks = next_level_blocks(cf, cohort.baseline)
    alone_rows = blocks & (blocks.sum(axis=1) == 1)[:, None]
    counts = np.zeros((n_levels, n_crit), dtype=np.intp)
    alone = np.zeros((n_levels, n_crit), dtype=np.intp)
    waiting = np.zeros(n_levels, dtype=np.intp)
    for li in range(n_levels):
        here = nxt == li
        waiting[li] = int(here.sum())
        counts[li] = blocks[here].sum(axis=0)
        alone[li] = alone_rows[here].sum(axis=0)
    return Blocking(cohort, counts, alone, waiting)


# --- (b) simulation ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """Raise criterion `code` to `threshold` (indicator units) in the units of `mask`; `threshold=None`: to the
    threshold of each unit's next level, where the criterion applies there. Values already better stay."""

    code: str
    threshold: float | None
    mask: BoolArray


@dataclass(frozen=True)
class Moved:
    unit: str
    name: str
    group: str
    before: int  # level index, -1: none
    after: int

    def to_dict(self, names: Sequence[str]) -> dict[str, Any]:
        """`names`: level names, «none» first."""
        return {
            "unit": self.unit,
            "name": self.name,
            "area": self.group,
            "before": names[self.before + 1],
            "after": names[self.after + 1],
        }


@dataclass
class Simulation:
    cohort: Cohort
    changes: tuple[Change, ...]
    level_before: IndexArray
    level_after: IndexArray
    changed_rows: IndexArray  # units whose values the changes touched
    values: FloatArray = field(repr=False)
    na: BoolArray = field(repr=False)

    @cached_property
    def moved(self) -> list[Moved]:
        c = self.cohort
        up = np.flatnonzero(self.level_after > self.level_before)
        return [
            Moved(c.units[u], c.names[u], c.groups[u], int(self.level_before[u]), int(self.level_after[u])) for u in up
        ]

    @property
    def moved_up(self) -> int:
        return int((self.level_after > self.level_before).sum())

    def counts(self, levels: IndexArray) -> list[int]:
        """Units per level, «none» first."""
        n = len(self.cohort.compiled.fw.levels)
        return np.bincount(levels + 1, minlength=n + 1).tolist()  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        fw = self.cohort.compiled.fw
        names = [fw.level_name(None), *(lv.name for lv in fw.levels)]
        reached: dict[str, int] = {}
        for m in self.moved:
            reached[names[m.after + 1]] = reached.get(names[m.after + 1], 0) + 1
        return {
            "changes": [
                {"criterion": ch.code, "threshold": ch.threshold, "units": int(ch.mask.sum())} for ch in self.changes
            ],
            "units_changed": len(self.changed_rows),
            "moved_up": self.moved_up,
            "reached": reached,
            "levels": names,
            "before": self.counts(self.level_before),
            "after": self.counts(self.level_after),
            "units": [m.to_dict(names) for m in self.moved],
        }


def raise_criterion(
    cf: Compiled,
    values: FloatArray,
    na: BoolArray,
    level_index: IndexArray,
    c: int,
    threshold: float | None,
    rows: IndexArray,
) -> IndexArray:
    """Raise criterion `c` in `rows` (in place); the rows whose value actually changed.

    A unit claiming «not applicable» where the framework does not allow the claim now reports the value.
    """
    sign = cf.sign[c]
    if threshold is None:
        nxt = level_index[rows] + 1
        ok = nxt < len(cf.fw.levels)
        rows, nxt = rows[ok], nxt[ok]
        goal = cf.thresholds[nxt, c]
        keep = np.isfinite(goal)
        rows, goal = rows[keep], goal[keep]
    else:
        goal = np.full(len(rows), sign * threshold)
    current = values[rows, c] * sign
    claim = na[rows, c]
    blocked_claim = claim & (cf.na_policy[c] == NOT_ALLOWED)
    needs = (np.isnan(current) | (current < goal)) & (~claim | blocked_claim)
    rows, goal = rows[needs], goal[needs]
    values[rows, c] = np.fmax(values[rows, c] * sign, goal) * sign
    na[rows, c] = False
    return rows


def simulate(cohort: Cohort, changes: Sequence[Change]) -> Simulation:
    """Apply the changes in order and re-run the evaluator on every unit they touched."""
    cf = cohort.compiled
    base = cohort.baseline.level_index
    values, na = cohort.values.copy(), cohort.na.copy()
    touched: set[int] = set()
    for ch in changes:
        rows = np.flatnonzero(ch.mask)
        touched.update(raise_criterion(cf, values, na, base, cohort.criterion(ch.code), ch.threshold, rows).tolist())
    changed = np.array(sorted(touched), dtype=np.intp)
    after = base.copy()
    if len(changed):
        after[changed] = evaluate_arrays(cf, values[changed], na[changed]).level_index
    return Simulation(cohort, tuple(changes), base, after, changed, values, na)


# --- (c) greedy plan -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Intervention:
    """One step of the plan: raise `code` to the next-level threshold in the units it blocks."""

    code: str
    name: str
    units_raised: int  # units whose value is raised
    lifted: tuple[Moved, ...]  # units that move up at this step (given the steps before)
    ties: tuple[str, ...] = ()  # other criteria that scored the same (lifted, within reach, raised)
    within_reach: int = 0  # units it unblocks that the remaining steps can still lift


@dataclass(frozen=True)
class GreedyPlan:
    cohort: Cohort
    steps: tuple[Intervention, ...]
    level_after: IndexArray

    def to_dict(self) -> dict[str, Any]:
        fw = self.cohort.compiled.fw
        names = [fw.level_name(None), *(lv.name for lv in fw.levels)]
        total = 0
        out = []
        for k, s in enumerate(self.steps, 1):
            total += len(s.lifted)
            out.append(
                {
                    "step": k,
                    "criterion": s.code,
                    "name": s.name,
                    "units_raised": s.units_raised,
                    "lifted": len(s.lifted),
                    "lifted_total": total,
                    "ties": list(s.ties),
                    "within_reach": s.within_reach,
                    "units": [m.to_dict(names) for m in s.lifted],
                }
            )
        return {"steps": out, "lifted_total": total}


def _try(
    cf: Compiled, values: FloatArray, na: BoolArray, level: IndexArray, rows: IndexArray, c: int
) -> tuple[IndexArray, IndexArray, FloatArray, BoolArray]:
    """Raise `c` in `rows` on copies of those rows: (rows changed, their new levels, new values, new claims)."""
    sub_values, sub_na = values[rows].copy(), na[rows].copy()
    local = np.arange(len(rows))
    changed = raise_criterion(cf, sub_values, sub_na, level[rows], c, None, local)
    new_level = evaluate_arrays(cf, sub_values[changed], sub_na[changed]).level_index if len(changed) else changed
    return rows[changed], new_level, sub_values[changed], sub_na[changed]


@dataclass(frozen=True)
class Effect:
    """Criterion `code` raised to the next-level threshold in every unit it keeps from its next level."""

    code: str
    name: str
    blocked: int  # units whose value is raised
    lifted: tuple[Moved, ...]  # units that move up


def _gains(
    cohort: Cohort,
    values: FloatArray,
    na: BoolArray,
    level: IndexArray,
    matrix: Matrix,
    allowed: BoolArray,
) -> tuple[BoolArray, dict[int, tuple[Moved, ...]]]:
    """Every criterion tried alone: (the blocking mask [U, C], criterion → the units it lifts).

    Under the 100 % rule with levels reached in order, a unit moves up only if the raised criterion was the
    last one keeping it from its next level, so the evaluator is re-run on those units only.
    """
    cf = cohort.compiled
    _, blocks = next_level_blocks(cf, matrix)
    blocks &= allowed[:, None]
    sole = cf.rule is LevelRule.ALL and cf.fw.rules.consecutive
    candidates = blocks & (blocks.sum(axis=1) == 1)[:, None] if sole else blocks
    out: dict[int, tuple[Moved, ...]] = {}
    for c in np.flatnonzero(blocks.any(axis=0)).tolist():
        rows = np.flatnonzero(candidates[:, c])
        got_rows, new_level, _, _ = _try(cf, values, na, level, rows, c)
        out[c] = _moved(cohort, level, got_rows, new_level)
    return blocks, out


def _moved(cohort: Cohort, level: IndexArray, rows: IndexArray, new_level: IndexArray) -> tuple[Moved, ...]:
    return tuple(
        Moved(cohort.units[u], cohort.names[u], cohort.groups[u], int(level[u]), int(after))
        for u, after in zip(rows.tolist(), new_level.tolist(), strict=True)
        if after > level[u]
    )


def effects(cohort: Cohort, mask: BoolArray | None = None) -> list[Effect]:
    """For every criterion that blocks some unit: raised alone where it blocks, which units move up.

    Sorted by units lifted, then by the framework's plan order."""
    cf = cohort.compiled
    allowed = np.ones(cohort.size, dtype=np.bool_) if mask is None else mask
    base = cohort.baseline
    blocks, gains = _gains(cohort, cohort.values, cohort.na, base.level_index, base, allowed)
    order = cf.order
    out = [
        Effect(cf.codes[c], cf.fw.criteria[c].name or cf.codes[c], int(blocks[:, c].sum()), lifted)
        for c, lifted in gains.items()
    ]
    return sorted(out, key=lambda e: (-len(e.lifted), order[e.code]))


def greedy_plan(cohort: Cohort, k: int = 5, mask: BoolArray | None = None) -> GreedyPlan:
    """The k criteria that lift the most units, chosen one after the other (each given the ones before).

    At each step every criterion is tried: raised to the next-level threshold in the units (of `mask`) it
    keeps from their next level, the evaluator re-run on them, and the units that move up counted. The step
    takes the criterion that lifts the most units; when several lift as many (often none: most units lack
    more than one criterion), the one that unblocks the most units still within reach of the remaining steps
    (no more criteria short than steps left), then the most units, then the first in the framework's plan
    order (prerequisites first); the others of equal score are listed as ties. The chosen criterion is then
    raised in every unit it blocks, which the next steps build on.
    """
    cf = cohort.compiled
    order = cf.order
    values, na = cohort.values.copy(), cohort.na.copy()
    level = cohort.baseline.level_index.copy()
    matrix = cohort.baseline
    allowed = np.ones(cohort.size, dtype=np.bool_) if mask is None else mask
    steps: list[Intervention] = []
    for step in range(k):
        blocks, gains = _gains(cohort, values, na, level, matrix, allowed)
        if not gains:
            break
        # Units still within reach: as many criteria keep them back as steps are left (this one included).
        reachable = blocks & (blocks.sum(axis=1) <= k - step)[:, None]

        n_reach, n_blocks = reachable.sum(axis=0), blocks.sum(axis=0)
        scores = {t: (len(m), int(n_reach[t]), int(n_blocks[t]), -order[cf.codes[t]]) for t, m in gains.items()}
        ranked = sorted(gains, key=scores.__getitem__, reverse=True)
        c = ranked[0]
        rows, new_level, new_values, new_na = _try(cf, values, na, level, np.flatnonzero(blocks[:, c]), c)
        lifted = _moved(cohort, level, rows, new_level)
        assert len(lifted) == len(gains[c])
        values[rows], na[rows] = new_values, new_na
        level[rows] = new_level
        matrix = _patched(matrix, cf, values, na, rows)
        ties = tuple(cf.codes[t] for t in ranked[1:] if scores[t][:3] == scores[c][:3])
        reach = int(reachable[:, c].sum())
        steps.append(Intervention(cf.codes[c], cf.fw.criteria[c].name or cf.codes[c], len(rows), lifted, ties, reach))
    return GreedyPlan(cohort, tuple(steps), level)


def _patched(matrix: Matrix, cf: Compiled, values: FloatArray, na: BoolArray, rows: IndexArray) -> Matrix:
    """The matrix with `rows` re-evaluated (the other rows' values did not change)."""
    if not len(rows):
        return matrix
    sub = evaluate_arrays(cf, values[rows], na[rows])
    status, holds, level = matrix.status.copy(), matrix.holds.copy(), matrix.level_index.copy()
    status[rows], holds[rows], level[rows] = sub.status, sub.holds, sub.level_index
    return Matrix(status=status, holds=holds, level_index=level)

"""When each gap is closed: the roadmap's years and quarters up to the target, prerequisites first.

Inputs are the tasks of a gap report — one per (criterion, level) still to reach, level by level from the
next one up to the target — and three kinds of year:

- the target year (the assessment's `target_year`, else the framework's `target_year` of the target level);
- each level's own due year from the framework (`levels[].target_year`, e.g. Nâng cao 2025 in the sample set);
- the pace read from the unit's history (how much a value moved per year), when known.

Rules (checked by a hypothesis property in tests/levels/test_roadmap.py):

1. Levels are reached in order, spread evenly from the first plan year to the target year (one level a year
   when no target year is known), and never after a level's own due year when that year is still ahead.
2. A level's tasks are spread evenly over its years (from the year the level below is reached to its own),
   in plan order (prerequisites first); a task comes no earlier than its unmet prerequisites (direct or
   through other criteria) and than the same criterion's task of the level below. Within a year, the
   quarter is the latest that still leaves the tasks depending on it a later quarter (most tasks close in
   quarter IV; their prerequisites before).
3. A value whose history shows how fast it moves is scheduled for the year its pace reaches the threshold,
   at the latest its level's year; when the pace needs longer (or the value did not move), the task is
   flagged «out of reach at this pace» with the year that pace would need.
4. Every year is ≤ the target year, or the task carries the `late` flag; a level whose own due year has
   passed is flagged `overdue`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from certify.levels.model import LevelFramework

# criterion code → (year, value) observed in earlier years, value in indicator units
History = Mapping[str, Sequence[tuple[int, float]]]
TaskKey = tuple[str, str]  # (criterion code, level id)
QUARTERS = ("I", "II", "III", "IV")
PACE_EPS = 1e-12


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast a value moved towards better, per year (indicator units; positive = improving)."""

    per_year: float
    since: int  # the year of the earlier value
    reach_year: int | None  # the year the threshold is reached at this pace; None: never (no progress)


@dataclass(frozen=True, slots=True)
class Slot:
    year: int
    quarter: int  # 1 … 4
    late: bool  # after the target year
    pace: Pace | None = None
    out_of_reach: bool = False  # the pace would reach the threshold only after the level's year

    @property
    def quarter_text(self) -> str:
        return f"Quý {QUARTERS[self.quarter - 1]}/{self.year}"


@dataclass(frozen=True, slots=True)
class LevelSlot:
    level: str
    year: int  # the year the level is reached
    due: int | None  # the framework's own target year for the level
    overdue: bool  # its due year was already past when the plan starts
    late: bool  # after the target year


@dataclass(frozen=True)
class Task:
    """What the scheduler needs of a gap item: the criterion, the level, its unmet prerequisites there,
    and the distance to the threshold (sign-adjusted: > 0 still to go) for the pace."""

    code: str
    level: str
    blocked_by: tuple[str, ...]
    current: float | None = None
    target: float | None = None
    lower_is_better: bool = False

    @property
    def key(self) -> TaskKey:
        return (self.code, self.level)

    @property
    def remaining(self) -> float | None:
        if self.current is None or self.target is None:
            return None
        diff = self.target - self.current
        return -diff if self.lower_is_better else diff


@dataclass(frozen=True)
class Schedule:
    start: int  # the first plan year
    target_level: str | None
    target_year: int | None
    target_year_from: str  # "assessment" | "framework" | "" (none known: one level a year)
    levels: tuple[LevelSlot, ...]
    slots: Mapping[TaskKey, Slot] = field(default_factory=dict)

    def slot(self, code: str, level: str) -> Slot:
        return self.slots[(code, level)]

    def level_year(self, level: str) -> int:
        return next(ls.year for ls in self.levels if ls.level == level)

    @property
    def years(self) -> list[int]:
        return sorted({s.year for s in self.slots.values()} | {ls.year for ls in self.levels})


def pace_of(task: Task, year: int, history: History | None) -> Pace | None:
    """The yearly move of the value from its latest earlier observation to `year`'s value."""
    if history is None or task.current is None or task.target is None:
        return None
    earlier = [(y, v) for y, v in history.get(task.code, ()) if y < year]
    if not earlier:
        return None
    since, before = max(earlier)
    moved = task.current - before
    per_year = (-moved if task.lower_is_better else moved) / (year - since)
    remaining = task.remaining
    assert remaining is not None
    if remaining <= PACE_EPS:
        return Pace(per_year, since, year)
    if per_year <= PACE_EPS:
        return Pace(per_year, since, None)
    return Pace(per_year, since, year + math.ceil(remaining / per_year - 1e-9))


def level_years(
    fw: LevelFramework, levels: Sequence[str], start: int, target_year: int | None
) -> list[tuple[int, int | None, bool]]:
    """(year, due year, overdue) per level: spread from `start` to `target_year`, capped by due years ahead."""
    n = len(levels)
    if n == 0:
        return []
    due = [t.year if (t := fw.level_by_id[lv].target_year) else None for lv in levels]
    if target_year is not None and target_year >= start and n > 1:
        span = target_year - start
        years = [start + math.floor(k * span / (n - 1) + 0.5) for k in range(n)]
    elif target_year is not None and target_year >= start:
        years = [start]
    else:
        years = [start + k for k in range(n)]
    for k in range(n - 1, -1, -1):  # a due year still ahead is a deadline; keep the levels in order
        d = due[k]
        if d is not None and d >= start:
            years[k] = min(years[k], d)
        if k + 1 < n:
            years[k] = min(years[k], years[k + 1])
    return [(years[k], due[k], due[k] is not None and due[k] < start) for k in range(n)]  # type: ignore[operator]


def schedule(
    fw: LevelFramework,
    steps: Sequence[tuple[str, Sequence[Task]]],
    start: int,
    target_year: int | None,
    target_year_from: str,
    observed: int,
    history: History | None = None,
) -> Schedule:
    """Years and quarters for every task of `steps` (level by level, lowest first); `observed` is the year of
    the values the tasks start from (the assessment's year), `start` the first year of the plan."""
    levels = [lv for lv, _ in steps]
    years = level_years(fw, levels, start, target_year)
    level_slots = tuple(
        LevelSlot(lv, y, due, overdue, target_year is not None and y > target_year)
        for lv, (y, due, overdue) in zip(levels, years, strict=True)
    )
    year_of: dict[TaskKey, int] = {}
    preds: dict[TaskKey, list[TaskKey]] = {}
    tasks: dict[TaskKey, Task] = {}
    pace: dict[TaskKey, Pace | None] = {}
    previous_level: dict[str, TaskKey] = {}  # criterion → its task at the level below
    window_start = start
    for (lv, items), ls in zip(steps, level_slots, strict=True):
        here = {t.code for t in items}
        span = ls.year - window_start + 1
        for i, t in enumerate(items):  # items come in plan order: prerequisites first
            key = t.key
            tasks[key] = t
            p = [(b, lv) for b in t.blocked_by if b in here]
            if t.code in previous_level:
                p.append(previous_level[t.code])
            preds[key] = p
            # the level's work spread evenly over its years, in plan order
            year = max([window_start + (i * span) // len(items), *(year_of[q] for q in p)])
            pace[key] = found = pace_of(t, observed, history)
            if found is not None and (found.reach_year is None or found.reach_year > year):
                year = max(year, min(found.reach_year or ls.year, ls.year))
            year_of[key] = year
            previous_level[t.code] = key
        window_start = ls.year
    # A task moved later by its pace takes its dependents along (they never come before it).
    for key in year_of:  # insertion order is topological: levels in order, prerequisites first
        year_of[key] = max([year_of[key], *(year_of[q] for q in preds[key])])
    quarter = _quarters(year_of, preds)
    slots: dict[TaskKey, Slot] = {}
    level_year = {ls.level: ls.year for ls in level_slots}
    for key, t in tasks.items():
        y, found = year_of[key], pace[key]
        slots[key] = Slot(
            y,
            quarter[key],
            target_year is not None and y > target_year,
            found,
            found is not None and (found.reach_year is None or found.reach_year > level_year[t.level]),
        )
    return Schedule(start, levels[-1] if levels else None, target_year, target_year_from, level_slots, slots)


def _quarters(year_of: Mapping[TaskKey, int], preds: Mapping[TaskKey, Iterable[TaskKey]]) -> dict[TaskKey, int]:
    """As late as possible within the year: quarter IV, minus the length of the chain depending on it that year."""
    height: dict[TaskKey, int] = dict.fromkeys(year_of, 0)
    for key in reversed(list(year_of)):  # dependents come after their prerequisites
        for q in preds[key]:
            if year_of[q] == year_of[key]:
                height[q] = max(height[q], height[key] + 1)
    return {key: max(1, 4 - h) for key, h in height.items()}

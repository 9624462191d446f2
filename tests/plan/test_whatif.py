"""The province what-if: checked against an independent oracle that edits assessments and re-evaluates them.

The oracle never touches the cohort arrays: it copies each unit's assessment, writes the raised value into it
(as a person would edit the file), binds it again and runs the evaluator on the objects.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.catalog import Catalog, Resolved, bundled_root
from certify.levels.assessment import BoundAssessment, bind
from certify.levels.evaluate import Evaluation, evaluate_many
from certify.levels.model import Criterion, IndicatorType, LevelFramework, NotApplicablePolicy
from certify.plan.synthetic import synthetic_values
from certify.plan.whatif import Change, Cohort, blocking, effects, greedy_plan, simulate
from reports.inputs import load_folder
from tests.levels.helpers import bound
from tests.levels.test_properties import REFS, SETTINGS, level_framework, value_strategy, values_for

SAMPLES = bundled_root("samples") / "assessments"


def _raw(crit: Criterion, value: float) -> Any:
    assert crit.indicator is not None
    return value >= 1 if crit.indicator.type is IndicatorType.BOOLEAN else value


def edited(fw: LevelFramework, unit: BoundAssessment, code: str, goal: float | bool | None) -> BoundAssessment:
    """The unit's assessment with criterion `code` raised to `goal` (never lowered), re-bound from scratch."""
    crit = fw.criterion_by_code[code]
    assert crit.indicator is not None
    if goal is None:
        return unit
    target = 1.0 if goal is True else float(goal)
    m = unit.measurements.get(code)
    if m is not None and m.na and fw.na_policy(crit) is not NotApplicablePolicy.NOT_ALLOWED:
        return unit  # an accepted «not applicable» claim is left alone
    current = None if m is None or m.na else m.value
    lower = crit.indicator.direction == "lower"
    if current is not None and (current <= target if lower else current >= target):
        return unit
    values = dict(unit.assessment.values) | {code: _raw(crit, target)}
    return bind(fw, unit.assessment.model_copy(update={"values": values}), name="edited")


def next_threshold(fw: LevelFramework, ev: Evaluation, code: str) -> float | bool | None:
    if ev.next_level is None:
        return None
    req = fw.criterion_by_code[code].requirements.get(ev.next_level)
    return None if req is None else req.threshold


def blocks_next(ev: Evaluation, code: str) -> bool:
    return ev.next_level is not None and code in {r.code for r in ev.blocking(ev.next_level)}


def brute_force(resolved: Resolved, evs: Sequence[Evaluation]) -> dict[str, tuple[int, int]]:
    """Per criterion: (units lifted, units raised) when raised to the next-level threshold in every unit it blocks."""
    fw = level_framework(resolved)
    out = {}
    for crit in fw.criteria:
        units = [
            edited(fw, e.unit, crit.code, next_threshold(fw, e, crit.code)) if blocks_next(e, crit.code) else e.unit
            for e in evs
        ]
        after = evaluate_many(resolved, units)
        lifted = sum(a.level_index > e.level_index for a, e in zip(after, evs, strict=True))
        out[crit.code] = (lifted, sum(blocks_next(e, crit.code) for e in evs))
    return out


def sample_cohorts(catalog: Catalog) -> list[list[Evaluation]]:
    evs = load_folder(SAMPLES, catalog)
    groups: dict[tuple[int, str], list[Evaluation]] = {}
    for e in evs:
        groups.setdefault((e.unit.assessment.year, e.fw.ref), []).append(e)
    return list(groups.values())


def synthetic_units(resolved: Resolved, n: int, seed: int) -> list[BoundAssessment]:
    """Synthetic values written as assessments (what a province's files would hold)."""
    fw = level_framework(resolved)
    from certify.levels.compiled import compile_framework

    values, _ = synthetic_values(compile_framework(resolved), n, seed=seed, short=1.5)
    units = []
    for u in range(n):
        raw = {c.code: _raw(c, float(v)) for c, v in zip(fw.criteria, values[u], strict=True) if not math.isnan(v)}
        units.append(bound(resolved, raw, unit=f"S{u:04d}"))
    return units


def check_first_step_against_brute_force(resolved: Resolved, evs: Sequence[Evaluation], k: int = 5) -> None:
    cohort = Cohort.of(evs)
    plan = greedy_plan(cohort, k)
    truth = brute_force(resolved, evs)
    best = max(lifted for lifted, _ in truth.values())
    if not plan.steps:
        assert all(raised == 0 for _, raised in truth.values())
        return
    first = plan.steps[0]
    assert len(first.lifted) == best == truth[first.code][0]
    assert first.units_raised == truth[first.code][1]
    # The pick maximises (lifted, units within reach of k steps, units raised), first in plan order on ties.
    fw = level_framework(resolved)
    short = {e.unit.assessment.unit: len(e.blocking(e.next_level)) if e.next_level else 0 for e in evs}
    order = evs[0].compiled.order

    def score(code: str) -> tuple[int, int, int, int]:
        reach = sum(blocks_next(e, code) and short[e.unit.assessment.unit] <= k for e in evs)
        return (truth[code][0], reach, truth[code][1], -order[code])

    candidates = [c.code for c in fw.criteria if truth[c.code][1]]
    assert first.code == max(candidates, key=score)
    lifted_units = {m.unit for m in first.lifted}
    edited_units = [
        edited(fw, e.unit, first.code, next_threshold(fw, e, first.code)) if blocks_next(e, first.code) else e.unit
        for e in evs
    ]
    after = evaluate_many(resolved, edited_units)
    assert lifted_units == {
        a.unit.assessment.unit for a, e in zip(after, evs, strict=True) if a.level_index > e.level_index
    }


def test_greedy_first_step_equals_brute_force_on_the_demo_cohorts(catalog: Catalog) -> None:
    for evs in sample_cohorts(catalog):
        check_first_step_against_brute_force(evs[0].compiled.resolved, evs)


@pytest.mark.parametrize("ref", ["sample-2361-commune@1.0", "sample-2361-district@1.0", "tiny-yenbai@1.0"])
def test_greedy_first_step_equals_brute_force_on_a_synthetic_cohort(catalog: Catalog, ref: str) -> None:
    resolved = catalog.load(ref)
    evs = evaluate_many(resolved, synthetic_units(resolved, 120, seed=7))
    plan = greedy_plan(Cohort.of(evs), 5)
    assert plan.steps and plan.steps[0].lifted, "a synthetic cohort has units one criterion short"
    check_first_step_against_brute_force(resolved, evs)


def test_effects_are_the_brute_force_table(catalog: Catalog) -> None:
    resolved = catalog.load("sample-2361-commune@1.0")
    evs = evaluate_many(resolved, synthetic_units(resolved, 80, seed=3))
    truth = brute_force(resolved, evs)
    got = {e.code: (len(e.lifted), e.blocked) for e in effects(Cohort.of(evs))}
    assert got == {code: t for code, t in truth.items() if t[1]}


def test_simulation_counts_equal_a_re_evaluation_of_edited_assessments(catalog: Catalog) -> None:
    resolved = catalog.load("sample-2361-commune@1.0")
    fw = level_framework(resolved)
    evs = evaluate_many(resolved, synthetic_units(resolved, 150, seed=11))
    cohort = Cohort.of(evs, groups=[f"Khu vực {u % 3}" for u in range(len(evs))])
    mask = cohort.select(group="Khu vực 1")
    # the two criteria that lift the most units of the area: one to a fixed threshold, one to the next level's
    first, second = (e.code for e in effects(cohort, mask)[:2])
    fixed = fw.criterion_by_code[first].requirements["nang-cao"].threshold
    assert isinstance(fixed, float)
    sim = simulate(cohort, [Change(first, fixed, mask), Change(second, None, mask)])
    units = []
    for e, chosen in zip(evs, mask.tolist(), strict=True):
        unit = e.unit
        if chosen:
            unit = edited(fw, unit, first, fixed)
            unit = edited(fw, unit, second, next_threshold(fw, e, second))
        units.append(unit)
    after = evaluate_many(resolved, units)
    assert sim.level_after.tolist() == [a.level_index for a in after]
    assert sim.moved_up == sum(a.level_index > e.level_index for a, e in zip(after, evs, strict=True)) > 0
    data = sim.to_dict()
    assert data["moved_up"] == len(data["units"]) == sum(data["reached"].values())
    assert all(u["area"] == "Khu vực 1" for u in data["units"])
    assert sum(data["before"]) == sum(data["after"]) == 150


def test_blocking_counts_per_level_match_the_gap_lists(catalog: Catalog) -> None:
    resolved = catalog.load("sample-2361-commune@1.0")
    evs = evaluate_many(resolved, synthetic_units(resolved, 100, seed=5))
    table = blocking(Cohort.of(evs))
    fw = level_framework(resolved)
    for li, lv in enumerate(fw.levels):
        waiting = [e for e in evs if e.next_level == lv.id]
        assert table.waiting[li] == len(waiting)
        for row in table.rows(li):
            blocked = [e for e in waiting if row["criterion"] in {r.code for r in e.blocking(lv.id)}]
            assert row["units"] == len(blocked)
            assert row["alone"] == sum(len(e.blocking(lv.id)) == 1 for e in blocked)


def test_a_change_for_an_unknown_area_or_unit_is_refused(catalog: Catalog) -> None:
    from certify.errors import CertifyError

    evs = sample_cohorts(catalog)[0]
    cohort = Cohort.of(evs, groups=["Huyện A"] * len(evs))
    with pytest.raises(CertifyError, match="Không có đơn vị nào thuộc «Huyện B»"):
        cohort.select(group="Huyện B")
    with pytest.raises(CertifyError, match="Không có đơn vị mã 99999"):
        cohort.select(units=["99999"])
    with pytest.raises(CertifyError, match="Không có tiêu chí «ZZZ-01»"):
        simulate(cohort, [Change("ZZZ-01", 1.0, cohort.select())])


@st.composite
def a_change(draw: st.DrawFn, fw: LevelFramework, n: int) -> tuple[str, float | None, list[bool]]:
    crit = draw(st.sampled_from(fw.criteria))
    raw = draw(st.one_of(st.none(), value_strategy(crit)))
    if isinstance(raw, dict):
        raw = raw["numerator"] / raw["denominator"]
    threshold = None if raw is None else (1.0 if raw is True else float(raw))
    return crit.code, threshold, draw(st.lists(st.booleans(), min_size=n, max_size=n))


@SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("ref", REFS)
def test_raising_a_criterion_never_lowers_a_level_and_the_count_is_exact(
    catalog: Catalog, ref: str, data: st.DataObject
) -> None:
    resolved = catalog.load(ref)
    fw = level_framework(resolved)
    n = data.draw(st.integers(1, 6))
    evs = evaluate_many(resolved, [bound(resolved, data.draw(values_for(fw)), unit=f"X{i}") for i in range(n)])
    code, threshold, chosen = data.draw(a_change(fw, n))
    cohort = Cohort.of(evs)
    sim = simulate(cohort, [Change(code, threshold, np.array(chosen, dtype=np.bool_))])
    assert (sim.level_after >= sim.level_before).all()  # monotone: no unit goes down
    goal = (lambda e: threshold) if threshold is not None else (lambda e: next_threshold(fw, e, code))
    units = [edited(fw, e.unit, code, goal(e)) if pick else e.unit for e, pick in zip(evs, chosen, strict=True)]
    after = evaluate_many(resolved, units)
    assert sim.level_after.tolist() == [a.level_index for a in after]
    assert sim.moved_up == sum(a.level_index > e.level_index for a, e in zip(after, evs, strict=True))


def test_cohort_of_mixed_frameworks_is_refused(catalog: Catalog) -> None:
    from certify.errors import CertifyError

    evs = load_folder(Path(SAMPLES), catalog)
    with pytest.raises(CertifyError, match="nhiều bộ tiêu chí khác nhau"):
        Cohort.of(evs)

"""Invariants of certification, checked by hypothesis on every complete level framework shipped
(and on the small test frameworks, which cover the Yên Bái rule and lower-is-better indicators)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certify.catalog import Catalog, Resolved
from certify.levels.assessment import BoundAssessment
from certify.levels.evaluate import evaluate, evaluate_many
from certify.levels.gap import gap_report
from certify.levels.model import (
    Criterion,
    IndicatorType,
    LevelFramework,
    LevelRule,
    NotApplicablePolicy,
)
from tests.conftest import FIXTURES
from tests.levels.helpers import bound

# The fixtures are read-only frameworks, so sharing them across examples is safe.
SETTINGS = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def complete_frameworks() -> list[str]:
    from certify.catalog import bundled_root

    catalog = Catalog([FIXTURES / "frameworks", bundled_root("frameworks")])
    refs = []
    for entry in catalog.entries():
        resolved, _ = catalog.check_path(entry.path)  # an invalid file fails test_shipped_frameworks instead
        fw = resolved.framework if resolved else None
        if isinstance(fw, LevelFramework) and fw.thresholds_complete:
            refs.append(f"{entry.id}@{entry.version}")
    return refs


REFS = complete_frameworks()


@pytest.fixture(params=REFS)
def framework(request: pytest.FixtureRequest, catalog: Catalog) -> Resolved:
    return catalog.load(request.param)


def level_framework(resolved: Resolved) -> LevelFramework:
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    return fw


def value_strategy(crit: Criterion) -> st.SearchStrategy[Any]:
    assert crit.indicator is not None
    thresholds = sorted(float(r.threshold) for r in crit.requirements.values() if r.threshold is not None)
    kind = crit.indicator.type
    if kind is IndicatorType.BOOLEAN:
        return st.booleans()
    if kind is IndicatorType.RATIO:
        near = st.sampled_from(sorted({0.0, 1.0, *thresholds}))
        counts = st.integers(1, 500).flatmap(
            lambda d: st.integers(0, d).map(lambda n: {"numerator": n, "denominator": d})
        )
        return st.one_of(near, st.floats(0, 1), counts)
    top = max(thresholds, default=1.0) * 2 + 1
    if kind is IndicatorType.COUNT:
        return st.one_of(st.sampled_from([int(t) for t in thresholds] or [0]), st.integers(0, int(top)))
    return st.one_of(st.sampled_from(thresholds or [0.0]), st.floats(0, top))


@st.composite
def values_for(draw: st.DrawFn, fw: LevelFramework) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for crit in fw.criteria:
        choice = draw(st.integers(0, 9))
        if choice == 0:
            continue  # missing
        if choice == 1:
            out[crit.code] = {"not_applicable": True, "reason": "không có đối tượng áp dụng"}
        else:
            out[crit.code] = draw(value_strategy(crit))
    return out


def oracle_level(fw: LevelFramework, unit: BoundAssessment) -> str | None:
    """The rule as written, one criterion at a time: highest level whose criteria all hold."""
    held = []
    for level in fw.level_ids:
        mandatory_ok, optional_n, optional_ok = True, 0, 0
        for crit in fw.criteria:
            req = crit.requirements.get(level)
            if req is None:
                continue
            m = unit.measurements.get(crit.code)
            if m is not None and m.na:
                policy = fw.na_policy(crit)
                if policy is NotApplicablePolicy.EXCLUDE:
                    continue
                passed = policy is NotApplicablePolicy.DEEM_MET
            elif m is None or m.value is None:
                passed = False
            else:
                assert crit.indicator is not None
                t = float(req.threshold)  # type: ignore[arg-type]
                passed = m.value <= t if crit.indicator.direction == "lower" else m.value >= t
            if fw.rules.level_rule is LevelRule.ALL or crit.mandatory:
                mandatory_ok &= passed
            else:
                optional_n += 1
                optional_ok += passed
        share_ok = optional_ok >= fw.rules.optional_min_share * optional_n - 1e-9
        held.append(mandatory_ok and (fw.rules.level_rule is LevelRule.ALL or share_ok))
    best = None
    for level, ok in zip(fw.level_ids, held, strict=True):
        if not ok:
            if fw.rules.consecutive:
                break
            continue
        best = level
    return best


def _index(fw: LevelFramework, level: str | None) -> int:
    return -1 if level is None else fw.level_ids.index(level)


@SETTINGS
@given(data=st.data())
def test_certified_level_is_the_highest_level_whose_criteria_all_hold(framework: Resolved, data: st.DataObject) -> None:
    fw = level_framework(framework)
    unit = bound(framework, data.draw(values_for(fw)))
    assert evaluate(framework, unit).level == oracle_level(fw, unit)


def improve(crit: Criterion, raw: Any, draw: st.DrawFn) -> Any:
    """A value at least as good as `raw` (or any value where `raw` was missing)."""
    assert crit.indicator is not None
    if raw is None:
        return draw(value_strategy(crit))
    kind = crit.indicator.type
    if isinstance(raw, dict):
        n, d = raw["numerator"], raw["denominator"]
        return {"numerator": draw(st.integers(n, d)), "denominator": d}
    if kind is IndicatorType.BOOLEAN:
        return raw or draw(st.booleans())
    if kind is IndicatorType.RATIO:
        return draw(st.floats(float(raw), 1.0))
    if kind is IndicatorType.COUNT:
        return raw + draw(st.integers(0, 20))
    if crit.indicator.direction == "lower":
        return raw * draw(st.floats(0, 1))
    return raw + draw(st.floats(0, 50))


@SETTINGS
@given(data=st.data())
def test_raising_an_indicator_never_lowers_the_level(framework: Resolved, data: st.DataObject) -> None:
    fw = level_framework(framework)
    values = data.draw(values_for(fw))
    crit = data.draw(st.sampled_from(fw.criteria))
    raw = values.get(crit.code)
    if isinstance(raw, dict) and "not_applicable" in raw:
        raw = None  # replacing an "N/A" claim by a measured value is not "raising": skip to a missing start
        values.pop(crit.code)
    before = evaluate(framework, bound(framework, values)).level
    after = evaluate(framework, bound(framework, values | {crit.code: improve(crit, raw, data.draw)})).level
    assert _index(fw, after) >= _index(fw, before)


@SETTINGS
@given(data=st.data())
def test_reaching_every_gap_target_certifies_the_next_level(framework: Resolved, data: st.DataObject) -> None:
    fw = level_framework(framework)
    values = data.draw(values_for(fw))
    ev = evaluate(framework, bound(framework, values))
    report = gap_report(ev)
    if report.next_level is None:
        return
    fixed = dict(values)
    for item in report.next_level.items:
        fixed[item.code] = item.target
    after = evaluate(framework, bound(framework, fixed))
    assert _index(fw, after.level) >= _index(fw, report.next_level.level)


@SETTINGS
@given(data=st.data())
def test_same_input_same_output_and_hashes_alone_or_in_a_cohort(framework: Resolved, data: st.DataObject) -> None:
    fw = level_framework(framework)
    units = [bound(framework, data.draw(values_for(fw)), unit=f"X{i}") for i in range(4)]
    alone = [evaluate(framework, u).to_dict() for u in units]
    again = [evaluate(framework, u).to_dict() for u in units]
    shuffled = list(range(4))
    random.Random(data.draw(st.integers())).shuffle(shuffled)
    cohort = evaluate_many(framework, [units[i] for i in shuffled])
    assert alone == again
    for position, i in enumerate(shuffled):
        assert cohort[position].to_dict() == alone[i]
    assert all(d["input_hash"].startswith("sha256:") for d in alone)


def test_the_properties_run_on_more_than_the_test_frameworks() -> None:
    assert {"tiny-commune@1.0", "tiny-yenbai@1.0"} <= set(REFS)

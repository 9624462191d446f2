"""A cohort bound at once into arrays (`bind_cohort`, columns checked with numpy) gives exactly what checking
each unit on its own gives: the same units accepted with the same measurements, the same units refused with the
same problems (code, words, file, line, key path, expected, found, in the same order), and the same verdict at
every level — on random cohorts mixing good values with every kind of bad one, on every complete framework."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certify.catalog import Catalog, Resolved
from certify.errors import CertifyError, Problem
from certify.levels import evaluate as evaluate_module
from certify.levels.assessment import COLUMNS_FROM, Assessment, Intake, bind, bind_cohort, check_unit
from certify.levels.compiled import Compiled, compile_framework
from certify.levels.evaluate import SHARE_EPS, Matrix, Status, evaluate, evaluate_arrays, evaluate_many
from certify.levels.gap import gap_report
from certify.levels.gap_table import GapTable
from certify.levels.model import Criterion, IndicatorType, LevelFramework, LevelRule
from certify.levels.rule import Rule
from certify.sourcefile import SourceDoc, validate_model
from tests.levels.test_properties import REFS, level_framework, oracle_level, value_strategy, values_for

SETTINGS = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@pytest.fixture(params=REFS)
def framework(request: pytest.FixtureRequest, catalog: Catalog) -> Resolved:
    return catalog.load(request.param)


BAD_SCALARS = st.sampled_from(
    [-1, -0.5, 1.5, 2, 10**12, 10**400, float("nan"), float("inf"), "85%", "120%", "1.000", "1,5", "abc", "có",
     "không", "", 0.5, 3.25, True, False, 1, 0, [1], None, dt.date(2025, 1, 1)]
)  # fmt: skip


def odd_entry(crit: Criterion) -> st.SearchStrategy[Any]:
    """Entries in every shape a file may hold, good and bad."""
    n = st.one_of(st.integers(-2, 600), st.sampled_from([0, 1.5, "12", "x", None, True, 10**10]))
    return st.one_of(
        BAD_SCALARS,
        st.builds(lambda a, b: {"numerator": a, "denominator": b}, n, n),
        st.builds(lambda a: {"numerator": a}, n),
        st.builds(lambda v: {"value": v}, BAD_SCALARS),
        st.builds(lambda v, a, b: {"value": v, "numerator": a, "denominator": b}, BAD_SCALARS, n, n),
        st.sampled_from(
            [
                {"not_applicable": True},
                {"not_applicable": True, "reason": "không có đối tượng"},
                {"not_applicable": "yes", "reason": "x"},
                {"not_applicable": True, "value": 1},
                {"value": 1, "note": "ghi chú", "evidence": {"document": "15/BC-UBND", "date": "2025-03-01"}},
                {"value": 1, "evidence": {"date": "1990-01-01"}},
                {"value": 1, "evidence": {"bogus": 1}},
                {"value": 1, "wrong": 2},
                {"numerator": 3, "denominator": 4, "reason": 5},
                {},
            ]
        ),
        value_strategy(crit),
    )


@st.composite
def unit_data(draw: st.DrawFn, fw: LevelFramework, i: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    messy = draw(st.integers(0, 3)) == 0  # one unit in four has something odd somewhere
    for crit in fw.criteria:
        choice = draw(st.integers(0, 12))
        if choice == 0:
            continue
        if choice == 1:
            values[crit.code] = None
        elif choice == 2:
            values[crit.code] = {"not_applicable": True, "reason": "không có đối tượng áp dụng"}
        elif messy and choice == 3:
            values[crit.code] = draw(odd_entry(crit))
        else:
            values[crit.code] = draw(value_strategy(crit))
    if messy and draw(st.integers(0, 4)) == 0:
        values[draw(st.sampled_from(["ZZZ-99", fw.criteria[0].code.lower(), "7"]))] = 1
    data: dict[str, Any] = {
        "unit": draw(st.sampled_from([f"X{i:05d}", i + 10, f"Xã {i}"])),
        "tier": fw.tier.value,
        "year": 2025,
        "framework": draw(st.sampled_from([fw.id, fw.ref])),
        "values": values,
    }
    if draw(st.booleans()):
        data["unit_name"] = f"Đơn vị {i}"
    if draw(st.integers(0, 3)) == 0:
        data["target_level"] = draw(st.sampled_from([*fw.level_ids, "no-such-level"] if messy else fw.level_ids))
    if draw(st.integers(0, 3)) == 0:
        data["target_year"] = draw(st.integers(2020, 2032) if messy else st.integers(2025, 2032))
    if messy and draw(st.integers(0, 5)) == 0:
        key, odd = draw(
            st.sampled_from(
                [("tier", "province"), ("year", "2025"), ("year", 1999), ("unit", ""), ("framework", "other-fw"),
                 ("extra", 1), ("values", [1]), ("unit_name", "x" * 300), ("target_year", True)]
            )
        )  # fmt: skip
        data[key] = odd
    return data


def doc_for(data: dict[str, Any], i: int) -> SourceDoc:
    """A parsed file for `data`, each key path on a line of its own."""
    lines: dict[tuple[str | int, ...], int] = {(): 1}
    for n, key in enumerate(data, 2):
        lines[(key,)] = n
    for n, code in enumerate(data.get("values") or {} if isinstance(data.get("values"), dict) else {}, 100):
        lines[("values", str(code))] = n
    return SourceDoc(name=f"unit-{i}.yaml", data=data, lines=lines)


def alone(fw: LevelFramework, data: dict[str, Any], doc: SourceDoc) -> tuple[list[Problem], dict[str, Any]]:
    """The per-unit path: the model, then the unit's values one by one in the order of its file."""
    try:
        a = validate_model(Assessment, data, doc)
    except CertifyError as exc:
        return list(exc.problems), {}
    return check_unit(fw, a, doc, None, Rule.of(fw, a.year))


def reference_matrix(cf: Compiled, values: Any, na: Any) -> Matrix:
    """The verdicts as first written (before evaluation went a block of units at a time)."""
    signed = values * cf.sign
    with np.errstate(invalid="ignore"):
        met = signed[:, None, :] >= cf.thresholds[None, :, :]
    missing = np.isnan(values)[:, None, :]
    status = np.where(met, Status.MET, np.where(missing, Status.MISSING, Status.NOT_MET)).astype(np.int8)
    na_status = (Status.NA_EXCLUDED + cf.na_policy).astype(np.int8)
    status = np.where(na[:, None, :], na_status[None, None, :], status)
    applies = cf.applies[None, :, :]
    ok = (status == Status.MET) | (status == Status.NA_DEEMED_MET)
    counts = applies & ~(status == Status.NA_EXCLUDED)
    if cf.rule is LevelRule.MANDATORY_PLUS_SHARE:
        mandatory = cf.mandatory[None, None, :]
        holds = np.all(ok | ~counts | ~mandatory, axis=2)
        optional = counts & ~mandatory
        holds &= (optional & ok).sum(axis=2) >= cf.fw.rules.optional_min_share * optional.sum(axis=2) - SHARE_EPS
    else:
        holds = np.all(ok | ~counts, axis=2)
    if cf.fw.rules.consecutive:
        holds = np.logical_and.accumulate(holds, axis=1)
        level_index = holds.sum(axis=1) - 1
    else:
        n = holds.shape[1]
        level_index = np.where(holds.any(axis=1), n - 1 - np.argmax(holds[:, ::-1], axis=1), -1)
    return Matrix(status=status, holds=holds, level_index=level_index)


@SETTINGS
@given(data=st.data())
def test_a_cohort_bound_at_once_is_each_unit_bound_alone(framework: Resolved, data: st.DataObject) -> None:
    fw = level_framework(framework)
    n = data.draw(st.integers(1, 50))  # past a few dozen units the columns are checked with numpy
    records = [data.draw(unit_data(fw, i)) for i in range(n)]
    docs = [doc_for(r, i) for i, r in enumerate(records)]
    got = bind_cohort(fw, [Intake(r, d) for r, d in zip(records, docs, strict=True)])
    accepted = dict(zip(got.positions, got.cohort, strict=True))
    for i, (record, doc) in enumerate(zip(records, docs, strict=True)):
        problems, measurements = alone(fw, record, doc)
        if problems:
            assert got.refused.get(i) == problems
            assert i not in accepted
            continue
        assert i not in got.refused, got.refused.get(i)
        unit = accepted[i]
        assert unit.measurements == measurements
        if n < COLUMNS_FROM:  # bound alone or with a few others: the assessment is kept whole
            assert unit.assessment.values == validate_model(Assessment, record, doc).values
        assert unit.source_name == doc.name
        a = unit.assessment
        model = validate_model(Assessment, record, doc)
        assert (a.unit, a.unit_name, a.tier, a.year, a.framework, a.target_level, a.target_year) == (
            model.unit, model.unit_name, model.tier, model.year, model.framework, model.target_level,
            model.target_year,
        )  # fmt: skip
    assert got.problems() == [p for i in sorted(got.refused) for p in got.refused[i]]
    if not len(got.cohort):
        return
    # the same verdicts at every level as each unit evaluated on its own, and as the arrays first written
    cohort = evaluate_many(framework, got.cohort)
    cf = compile_framework(framework)
    reference = reference_matrix(cf, got.cohort.value, got.cohort.na)
    assert (cohort.matrix.status == reference.status).all()
    assert (cohort.matrix.holds == reference.holds).all()
    assert (cohort.matrix.level_index == reference.level_index).all()
    for u, ev in enumerate(cohort):
        unit = got.cohort[u]
        one = evaluate(framework, bind(fw, Assessment.model_validate(records[got.positions[u]]), name="alone"))
        assert ev.level == one.level == oracle_level(fw, unit)
        assert (ev.status == one.status).all()
        assert ev.tallies() == one.tallies()


@pytest.mark.parametrize("block", [1, 7, 64, 100_000])
def test_verdicts_are_the_same_whatever_the_block_of_units(
    framework: Resolved, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Evaluation goes a block of units at a time, laid out criterion by criterion: every verdict, level held
    and level of a cohort across many blocks (one unit, a few, one block for all) is the one first written, on
    values at, just below and just above each threshold, missing, and claimed not applicable."""
    monkeypatch.setattr(evaluate_module, "BLOCK", block)
    cf = compile_framework(framework)
    rng = np.random.default_rng(block)
    n_units, n_crit = 300, len(cf.codes)
    finite = np.where(np.isfinite(cf.thresholds), cf.thresholds * cf.sign, np.nan)  # thresholds as written
    picks = finite[rng.integers(0, finite.shape[0], (n_units, n_crit)), np.arange(n_crit)]
    nudged = picks + rng.choice([-1e-9, 0.0, 0.0, 1e-9, 0.05], (n_units, n_crit))
    values = np.where(np.isnan(picks), rng.random((n_units, n_crit)), np.abs(nudged))
    values[rng.random((n_units, n_crit)) < 0.1] = np.nan
    na = rng.random((n_units, n_crit)) < 0.05
    values[na] = np.nan
    got = evaluate_arrays(cf, values, na)
    reference = reference_matrix(cf, values, na)
    column_major = evaluate_arrays(cf, np.asfortranarray(values), np.asfortranarray(na))  # as a cohort binds them
    assert (column_major.status == got.status).all() and (column_major.holds == got.holds).all()
    assert got.status.shape == reference.status.shape
    assert (got.status == reference.status).all()
    assert (got.holds == reference.holds).all()
    assert (got.level_index == reference.level_index).all()
    for u in (0, n_units // 2, n_units - 1):  # a unit's own verdicts, read as one unit's evaluation reads them
        assert got.status[u].tolist() == reference.status[u].tolist()


@SETTINGS
@given(data=st.data())
def test_a_cohorts_input_hashes_are_each_units_own(framework: Resolved, data: st.DataObject) -> None:
    """The input hash of every unit of a cohort, read from the cohort's arrays at once, is to the character the
    hash of the unit bound and evaluated alone (values as numbers or counts, missing, not applicable, with a
    reason, evidence or a note; units kept whole or as the records of a batch)."""
    fw = level_framework(framework)
    n = data.draw(st.integers(2, 60))
    records = [data.draw(unit_data(fw, i)) for i in range(n)]
    got = bind_cohort(fw, [Intake(r, doc_for(r, i)) for i, r in enumerate(records)])
    if len(got.cohort) < 2:
        return
    hashes = got.cohort.input_hashes()
    assert len(hashes) == len(got.cohort)
    for u, ev in enumerate(evaluate_many(framework, got.cohort)):
        one = evaluate(framework, bind(fw, Assessment.model_validate(records[got.positions[u]]), name="alone"))
        assert ev.input_hash == hashes[u] == one.input_hash


@SETTINGS
@given(data=st.data())
def test_odd_values_are_told_as_when_checked_alone(framework: Resolved, data: st.DataObject) -> None:
    """A column with every kind of odd value in it: each unit refused for exactly its own problems."""
    fw = level_framework(framework)
    crit = data.draw(st.sampled_from([c for c in fw.criteria if c.indicator is not None]))
    n = data.draw(st.integers(30, 60))
    records = []
    for i in range(n):
        entry = data.draw(odd_entry(crit)) if data.draw(st.integers(0, 2)) == 0 else data.draw(value_strategy(crit))
        records.append(
            {"unit": f"X{i}", "tier": fw.tier.value, "year": 2025, "framework": fw.ref, "values": {crit.code: entry}}
        )
    docs = [doc_for(r, i) for i, r in enumerate(records)]
    got = bind_cohort(fw, [Intake(r, d) for r, d in zip(records, docs, strict=True)])
    accepted = dict(zip(got.positions, got.cohort, strict=True))
    for i, (record, doc) in enumerate(zip(records, docs, strict=True)):
        problems, measurements = alone(fw, record, doc)
        assert got.refused.get(i, []) == problems
        if not problems:
            assert accepted[i].measurements == measurements


ODD_COUNTS = [
    {"numerator": 10**400, "denominator": 10**401},
    {"numerator": 3, "denominator": 10**400},
    {"numerator": 1, "denominator": 2, "note": "ghi chú"},
    {"numerator": True, "denominator": 2},
    {"numerator": 1.0, "denominator": 2.0},
    {"numerator": 1.5, "denominator": 2},
    {"numerator": float("nan"), "denominator": 2},
    {"numerator": 2, "denominator": 0},
    {"numerator": 3, "denominator": 2},
    {"numerator": "1", "denominator": 2},
    {"denominator": 2, "value": 0.5},
    {"numerator": 1, "denominator": 2},
    None,
    0.5,
    10**400,
    True,
]
ODD_NUMBERS = [10**400, 2**70, -1, 1.5, float("inf"), float("nan"), True, None, "12", {"value": 3}, 3, 3.0, 0]


def test_a_chunks_odd_values_read_row_after_row_are_told_as_alone(catalog: Catalog) -> None:
    """A chunk's values are read unit after unit and checked a column at a time: numbers beyond float range,
    counts that are not two plain numbers, yes/no where a number is due, each in any column — every unit is
    refused for exactly its own problems, or given exactly the values it has alone."""
    resolved = catalog.load("sample-2361-commune")
    fw = level_framework(resolved)
    ratio = next(c for c in fw.criteria if c.indicator and c.indicator.type is IndicatorType.RATIO)
    count = next(c for c in fw.criteria if c.indicator and c.indicator.type is IndicatorType.COUNT)
    yes = next(c for c in fw.criteria if c.indicator and c.indicator.type is IndicatorType.BOOLEAN)
    n = COLUMNS_FROM + len(ODD_COUNTS) * len(ODD_NUMBERS) // 4
    records = []
    for i in range(n):
        values: dict[str, Any] = {
            ratio.code: ODD_COUNTS[i % len(ODD_COUNTS)],
            count.code: ODD_NUMBERS[i % len(ODD_NUMBERS)],
            yes.code: [True, False, 1, None, "có"][i % 5],
        }
        records.append({"unit": f"X{i}", "tier": fw.tier.value, "year": 2025, "framework": fw.ref, "values": values})
    docs = [doc_for(r, i) for i, r in enumerate(records)]
    got = bind_cohort(fw, [Intake(r, d) for r, d in zip(records, docs, strict=True)])
    accepted = dict(zip(got.positions, got.cohort, strict=True))
    assert got.refused and accepted  # both kinds of unit are in the cohort
    for i, (record, doc) in enumerate(zip(records, docs, strict=True)):
        problems, measurements = alone(fw, record, doc)
        assert got.refused.get(i, []) == problems
        if not problems:
            assert accepted[i].measurements == measurements


def test_a_ratio_column_of_plain_counts_is_read_whole(catalog: Catalog) -> None:
    """The shapes nearly every file uses go into the arrays as they are: counts, yes/no, plain numbers."""
    resolved = catalog.load("sample-2361-commune")
    fw = level_framework(resolved)
    ratio = next(c for c in fw.criteria if c.indicator and c.indicator.type is IndicatorType.RATIO)
    yes = next(c for c in fw.criteria if c.indicator and c.indicator.type is IndicatorType.BOOLEAN)
    intakes = [
        Intake(
            {
                "unit": f"X{i}",
                "tier": fw.tier.value,
                "year": 2025,
                "framework": fw.id,
                "values": {ratio.code: {"numerator": i, "denominator": 100}, yes.code: i % 2 == 0},
            },
            name=f"u{i}",
        )
        for i in range(100)
    ]
    got = bind_cohort(fw, intakes)
    assert not got.refused and len(got.cohort) == 100
    c = fw.criteria.index(ratio)
    assert got.cohort.value[:, c].tolist() == [i / 100 for i in range(100)]
    assert got.cohort.numerator[:, c].tolist() == list(range(100))
    assert not got.cohort.extras
    assert got.cohort[7].measurements[ratio.code].numerator == 7
    assert got.cohort[7].measurements[yes.code].value == 0.0
    assert got.cohort[7].assessment.unit == "X7"


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_bound_cohorts_gap_reports_are_each_units_own(framework: Resolved, data: st.DataObject) -> None:
    """The gap table reads a bound cohort's arrays as they are (values, counts, not applicable, which units
    have evidence): every report is, to the character, the unit's own `certify gap --format json`."""
    fw = level_framework(framework)
    n = data.draw(st.integers(COLUMNS_FROM, COLUMNS_FROM + 20))
    records = []
    for i in range(n):
        values = data.draw(values_for(fw))
        if data.draw(st.integers(0, 3)) == 0 and values:
            code = data.draw(st.sampled_from(sorted(values)))
            value = values[code]
            evidence = {"document": "15/BC-UBND", "date": "2025-03-01"}
            values[code] = (
                value | {"evidence": evidence} if isinstance(value, dict) else {"value": value, "evidence": evidence}
            )
        records.append({"unit": f"X{i}", "tier": fw.tier.value, "year": 2025, "framework": fw.ref, "values": values})
    got = bind_cohort(fw, [Intake(r, name=f"u{i}") for i, r in enumerate(records)])
    assert not got.refused
    table = GapTable.of(evaluate_many(framework, got.cohort))
    for u, report in enumerate(table.reports()):
        alone = evaluate(framework, bind(fw, Assessment.model_validate(records[u]), name=f"u{u}"))
        assert json.dumps(report, ensure_ascii=False, default=str) == json.dumps(
            gap_report(alone).to_dict(), ensure_ascii=False, default=str
        )

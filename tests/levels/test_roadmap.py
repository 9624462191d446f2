"""The roadmap: levels spread over the years up to the target, prerequisites first, late or slow work flagged."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.catalog import Catalog, Resolved, bundled_root
from certify.levels.assessment import bind
from certify.levels.evaluate import evaluate
from certify.levels.gap import GapReport, gap_report
from certify.levels.intake import load_unit
from certify.levels.roadmap import Task, pace_of
from tests.levels.helpers import bound, run
from tests.levels.test_evaluate import AT_CO_BAN
from tests.levels.test_properties import REFS, SETTINGS, level_framework, values_for

SAMPLES = bundled_root("samples") / "assessments"


def sample(name: str, catalog: Catalog, change: dict[str, Any] | None = None, **kw: Any) -> GapReport:
    resolved, unit = load_unit(SAMPLES / name, catalog)
    if change:
        unit = bind(level_framework(resolved), unit.assessment.model_copy(update=change), name=name)
    return gap_report(evaluate(resolved, unit), **kw)


def test_sample_framework_target_years_come_from_its_own_rationale(catalog: Catalog) -> None:
    fw = level_framework(catalog.load("sample-2361-commune"))
    years = {lv.id: lv.target_year for lv in fw.levels if lv.target_year}
    assert {k: v.year for k, v in years.items()} == {"nang-cao": 2025, "toan-dien": 2030}
    assert years["nang-cao"].rationale and "đến năm 2025 đã đạt được" in years["nang-cao"].rationale
    assert years["toan-dien"].status.value == "inferred"  # our extrapolation, said so


def test_toan_dien_is_planned_for_2030_not_next_year(catalog: Catalog) -> None:
    # Xã Quới Thiện (Cơ bản in 2025) aiming at the top level, no year of its own: the framework's 2030 applies;
    # Nâng cao, due 2025 in the sample set, is overdue and comes first.
    report = sample("2025-xa-quoi-thien.yaml", catalog, {"target_level": None})
    d = report.to_dict()
    assert d["target_level"] == "toan-dien" and d["target_year"] == 2030 and d["target_year_from"] == "framework"
    assert [(s.level, s.year) for s in report.roadmap] == [("nang-cao", 2026), ("toan-dien", 2030)]
    assert d["roadmap"][0]["overdue"] and not d["roadmap"][0]["late"]
    years = sorted({report.slot(i).year for s in report.roadmap for i in s.items})
    assert years == [2026, 2027, 2028, 2029, 2030]  # Toàn diện's work spread over its years
    by_year = d["roadmap_by_year"]
    assert [y["year"] for y in by_year] == years
    assert all(i["name"] and i["quarter_text"].endswith(str(y["year"])) for y in by_year for i in y["items"])


def test_overdue_level_is_flagged_and_the_plan_still_starts_next_year(catalog: Catalog) -> None:
    # Tân Mỹ (Cơ bản in 2024) targets Nâng cao, which the sample set dates 2025; planning from 2026 is late.
    report = sample("2024-xa-tan-my.yaml", catalog, start_year=2026)
    step = report.to_dict()["roadmap"][0]
    assert step["level"] == "nang-cao" and step["year"] == 2026
    assert step["due_year"] == 2025 and step["overdue"] and step["late"]
    assert all(i["late"] and "sau năm mục tiêu 2025" in i["flags"] for i in step["items"])


def test_assessment_target_year_wins_over_the_framework(tiny: Resolved) -> None:
    report = gap_report(run(tiny, {"A-PORTAL": True}, target_level="toan-dien", target_year=2033))
    assert report.target_year == (2033, "assessment")
    assert [s.year for s in report.roadmap][-1] == 2033
    assert report.roadmap[0].year == 2026
    assert all(report.slot(i).year <= 2033 and not report.slot(i).late for s in report.roadmap for i in s.items)


def test_no_target_year_means_one_level_a_year(tiny: Resolved) -> None:
    report = gap_report(run(tiny, {}, target_level="co-ban"))
    assert [(s.level, s.year) for s in report.roadmap] == [("khoi-dong", 2026), ("ket-noi", 2027), ("co-ban", 2028)]


def test_prerequisite_comes_in_an_earlier_quarter_of_the_same_year(tiny: Resolved) -> None:
    report = gap_report(run(tiny, {"A-PORTAL": False, "A-ONLINE": 0.05}, target_level="khoi-dong"))
    portal = report.slot(next(i for i in report.roadmap[0].items if i.code == "A-PORTAL"))
    online = report.slot(next(i for i in report.roadmap[0].items if i.code == "A-ONLINE"))
    assert portal.year == online.year == 2026
    assert (portal.quarter, online.quarter) == (3, 4)
    assert online.quarter_text == "Quý IV/2026"


def test_pace_from_history_flags_a_target_out_of_reach(tiny: Resolved) -> None:
    values = AT_CO_BAN | {"A-ONLINE": 0.45, "B-FIBRE": 0.5}
    ev = run(tiny, values, target_level="co-ban", target_year=2026)
    assert ev.level == "ket-noi"
    # A-ONLINE moved 0.40 → 0.45 in a year: +5 points a year; 0.5 is reached in 2026 (in time).
    # B-FIBRE moved 0.48 → 0.50: +2 points a year; 0.6 needs 5 years: 2030, after the target 2026.
    history = {"A-ONLINE": [(2024, 0.40)], "B-FIBRE": [(2024, 0.48)]}
    report = gap_report(ev, history=history)
    items = {i["criterion"]: i for i in report.to_dict()["items"]}
    assert not items["A-ONLINE"]["out_of_reach"] and items["A-ONLINE"]["pace"]["reach_year"] == 2026
    fibre = items["B-FIBRE"]
    assert fibre["out_of_reach"] and fibre["pace"]["reach_year"] == 2030
    assert fibre["pace"]["per_year_text"] == "+2 điểm phần trăm/năm"
    assert any("phải đến năm 2030 mới đạt" in f for f in fibre["flags"])


def test_pace_of_a_value_that_did_not_move_never_reaches() -> None:
    task = Task("X", "co-ban", (), current=3.0, target=1.5, lower_is_better=True)
    assert pace_of(task, 2025, {"X": [(2024, 3.0)]}).reach_year is None  # type: ignore[union-attr]
    assert pace_of(task, 2025, {"X": [(2023, 5.0)]}).reach_year == 2027  # type: ignore[union-attr]  # −1 day/year


def test_plan_year_must_follow_the_data(tiny: Resolved) -> None:
    from certify.errors import CertifyError

    with pytest.raises(CertifyError, match="Năm kế hoạch phải sau năm của số liệu"):
        gap_report(run(tiny, {}), start_year=2025)


@SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("ref", REFS)
def test_roadmap_never_schedules_a_criterion_before_its_prerequisites(
    catalog: Catalog, ref: str, data: st.DataObject
) -> None:
    resolved = catalog.load(ref)
    fw = level_framework(resolved)
    values = data.draw(values_for(fw))
    extra: dict[str, Any] = {"target_level": data.draw(st.sampled_from([None, *fw.level_ids]))}
    target_year = data.draw(st.one_of(st.none(), st.integers(2025, 2036)))
    if target_year is not None:
        extra["target_year"] = target_year
    start = data.draw(st.one_of(st.none(), st.integers(2026, 2031)))
    history = {c.code: [(2024, data.draw(st.floats(0, 1)))] for c in fw.criteria if data.draw(st.booleans())}
    report = gap_report(evaluate(resolved, bound(resolved, values, **extra)), start_year=start, history=history)
    first = start or 2026
    goal, _ = report.target_year
    seen: dict[tuple[str, str], tuple[int, int]] = {}
    level_years = [s.year for s in report.roadmap]
    assert level_years == sorted(level_years)
    for step in report.roadmap:
        for item in step.items:
            slot = report.slot(item)
            when = (slot.year, slot.quarter)
            assert first <= slot.year <= step.year
            for pre in item.blocked_by:  # unmet prerequisites at this level are listed and come first
                if (pre, step.level) in seen:
                    assert seen[(pre, step.level)] <= when, (pre, item.code)
                else:
                    assert pre not in {i.code for i in step.items}
            lower = [v for (code, _), v in seen.items() if code == item.code]
            assert all(v <= when for v in lower)  # the same criterion's lower level first
            assert goal is None or slot.year <= goal or slot.late
            seen[(item.code, step.level)] = when

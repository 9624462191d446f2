"""The five former ways from stored figures to a level — certification, the web store's unit view and its year
list, the province reports, the self-assessment form — now one (`certify.store.evaluations`), give the levels the
former code gave: each unit on its own, stored values → Assessment → bind → evaluate (written out below, once).

On the demo province, with one unit appraised to a different figure than its own, so that the effective values
(appraised over self-assessed) and the unit's own figures differ; the dashboard's counts and blockers too.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from api.pages.store_pages import _form_of, _values_from_form
from api.sql_store import SqlStore
from certify.catalog import Catalog, bundled_root
from certify.levels.assessment import Assessment, FrameworkRef, bind
from certify.levels.evaluate import evaluate
from certify.levels.gap import gap_report
from certify.store.certification import certify_cycle
from certify.store.cycles import frozen_framework
from certify.store.engine import make_engine, transaction
from certify.store.evaluations import bind_values
from certify.store.models import Cycle, Submission
from certify.store.submissions import effective_values
from certify.store.workflow import State
from reports.from_store import ALL_STATES, read_cycle
from tests.api.store_fixtures import OWN

ACTIVE = [s.value for s in State if s is not State.DELETED]


def _catalog() -> Catalog:
    return Catalog([bundled_root("frameworks")])


def _one_by_one(db: Path, catalog: Catalog) -> dict[tuple[int, str], tuple[str | None, str | None]]:
    """The former path, unit by unit: (cycle, unit) → (level on the effective values, level on the unit's own)."""
    engine = make_engine(f"sqlite:///{db}")
    out: dict[tuple[int, str], tuple[str | None, str | None]] = {}
    with transaction(engine) as s:
        for cycle in s.scalars(select(Cycle).where(Cycle.kind == "levels")):
            resolved, fw = frozen_framework(cycle, catalog)
            for sub in s.scalars(
                select(Submission).where(Submission.cycle_id == cycle.id, Submission.state.in_(ACTIVE))
            ):
                levels = []
                for own in (False, True):
                    # the former self-level read the effective values of the unit's criteria, i.e. the council's
                    # figures where it had changed them: the unit's own figures are what it means
                    values = effective_values(sub, appraised=not own)
                    a = Assessment(
                        unit=sub.unit.code,
                        unit_name=sub.unit.name,
                        tier=fw.tier,
                        year=cycle.year,
                        framework=FrameworkRef(id=fw.id, version=fw.version),
                        values=values,
                    )
                    levels.append(evaluate(resolved, bind(fw, a, name=sub.unit.code)).level)
                out[(cycle.id, sub.unit.code)] = (levels[0], levels[1])
    engine.dispose()
    return out


@pytest.fixture(scope="module")
def demo(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo province with unit OWN submitted and appraised to a figure unlike its own."""
    db = tmp_path_factory.mktemp("paths") / "certify.sqlite"
    shutil.copy(template_db, db)
    store = SqlStore(make_engine(f"sqlite:///{db}"), _catalog())
    view = store.unit(1, OWN)
    info = store.save_self(1, OWN, view.self_values, "editor", view.version, submit=True)
    assert view.evaluation is not None and view.evaluation.level is not None, "the demo unit should hold a level"
    code = next(  # a criterion the unit meets at the first level, whose figure the council lowers to nothing
        r.code
        for r in view.evaluation.results(view.fw.level_ids[0])
        if r.verdict.value == "met" and view.fw.criterion_by_code[r.code].indicator.direction == "higher"  # type: ignore[union-attr]
    )
    crit = view.fw.criterion_by_code[code]
    assert crit.indicator is not None
    changed = {"value": False} if crit.indicator.type.value == "boolean" else {"value": 0}
    values = view.self_values | {code: changed}
    store.appraise(1, OWN, values, {code: "Theo biên bản kiểm tra"}, "appraiser", info.version)
    store.engine.dispose()
    return db


def test_five_former_paths_give_the_same_levels(demo: Path) -> None:
    catalog = _catalog()
    expected = _one_by_one(demo, catalog)
    assert len(expected) >= 15 and len({k[0] for k in expected}) == 3  # the demo's three level cycles
    assert any(eff != own for eff, own in expected.values()), "the appraisal should change a level"
    store = SqlStore(make_engine(f"sqlite:///{demo}"), catalog)

    # 1. the web store's unit view (api/sql_store.py: effective and own figures)
    for (cycle_id, code), (eff, own) in expected.items():
        view = store.unit(cycle_id, code)
        assert view.evaluation is not None and view.self_evaluation is not None
        assert (view.evaluation.level, view.self_evaluation.level) == (eff, own), (cycle_id, code)

    # 2. the year lists (dashboard, recognition page, API), one batch per cycle
    listed = {
        (v.cycle_id, v.unit_code): (v.level, v.self_evaluation.level if v.self_evaluation else None)
        for year in store.years()
        for v in store.submissions(year, public_only=False)
    }
    assert listed == expected

    # 3. the self-assessment form: stored values → form fields → values → level
    for (cycle_id, code), (eff, _) in expected.items():
        view = store.unit(cycle_id, code)
        values = effective_values_of(view)
        again = _values_from_form(view, _form_of(view, values))
        bound = bind_values(view.fw, view.year, code, again)
        assert evaluate(view.resolved, bound).level == eff, (cycle_id, code)

    # 4. the province reports (reports/from_store.py)
    with transaction(store.engine) as s:
        for cycle_id in {k[0] for k in expected}:
            read = read_cycle(s, cycle_id, catalog, states=ALL_STATES, previous=False)
            got = {e.unit.assessment.unit: e.level for e in read.evaluations}
            assert got == {code: eff for (c, code), (eff, _) in expected.items() if c == cycle_id}

    # 5. certification (certify/store/certification.py), every unit whatever its state
    with transaction(store.engine) as s:
        for cycle_id in {k[0] for k in expected}:
            done = certify_cycle(s, cycle_id, "test", catalog, states=tuple(State(x) for x in ACTIVE))
            assert {c.unit_code: c.level for c in done} == {
                code: eff for (c, code), (eff, _) in expected.items() if c == cycle_id
            }
        s.rollback()
    store.engine.dispose()


def effective_values_of(view: object) -> dict[str, object]:
    from certify.store.views import UnitView

    assert isinstance(view, UnitView)
    return dict(view.self_values) | view.appraised_values


def test_dashboard_counts_and_blockers_as_one_gap_report_per_unit(demo: Path) -> None:
    """The former dashboard built a gap report per unit to count blockers; the arrays give the same list."""
    from api.dashboard import level_section

    store = SqlStore(make_engine(f"sqlite:///{demo}"), _catalog())
    views = [v for v in store.submissions(2025, public_only=False) if v.fw.tier.value == "commune"]
    before = [v for v in store.submissions(2024, public_only=False) if v.fw.tier.value == "commune"]
    section = level_section(views, before)
    blocking: Counter[str] = Counter()
    for v in views:
        assert v.evaluation is not None
        report = gap_report(v.evaluation)
        if report.next_level:
            for item in report.next_level.items:
                blocking[item.criterion.code] += 1
    assert [(b["criterion"], b["units"]) for b in section["blocking"]] == blocking.most_common(10)
    by_level = Counter(v.fw.level_name(v.evaluation.level) for v in views if v.evaluation)
    assert {c["level_name"]: c["units"] for c in section["by_level"] if c["units"]} == dict(by_level)
    store.engine.dispose()

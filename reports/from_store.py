"""Province-wide reports from a stored assessment cycle (certify/store) instead of a folder of files.

A cycle's submissions are turned back into the same `Evaluation` objects the folder input produces:
the effective values (appraised, else self-assessed) are bound to the cycle's frozen framework and
evaluated with the core, so the renderers have one path only. What a folder cannot say and the
database can — the district a commune belonged to (its parent in the pre-2025 map), the province,
the recognition decision — comes along in `StoredCycle`.

The evaluation is the store's one path (`certify.store.evaluations`); nothing is written here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from certify.catalog import Catalog
from certify.errors import CertifyError
from certify.levels.evaluate import Evaluation
from certify.store.cycles import CycleInfo, get_cycle
from certify.store.engine import transaction
from certify.store.evaluations import cycle_submissions, evaluate_submissions
from certify.store.merger_links import FormerLink, links_of
from certify.store.models import AdminUnit, Cycle, Submission
from certify.store.recognition import current_certification, holds_level
from certify.store.submissions import effective_values
from certify.store.unit_sources import PRE2025
from certify.store.workflow import State
from reports.inputs import NO_DISTRICT

RECOGNISED = (State.RECOGNISED.value, State.PUBLISHED.value)
# Units whose figures are final enough to count in a province summary (drafts and returned forms are not).
REPORTED = (State.SUBMITTED.value, State.UNDER_APPRAISAL.value, State.APPRAISED.value, *RECOGNISED)
ALL_STATES = tuple(s.value for s in State if s is not State.DELETED)


@dataclass(frozen=True)
class DecisionInfo:
    """A recognition decision as `certify recognise` recorded it."""

    number: str
    date: dt.date | None
    signer: str | None


@dataclass
class StoredUnit:
    code: str
    name: str
    state: str
    district: str
    certified_level: str | None  # the stored certification, None when not certified (yet)
    decision: DecisionInfo | None


@dataclass
class StoredCycle:
    cycle: CycleInfo
    province: str | None
    evaluations: list[Evaluation]
    units: dict[str, StoredUnit]  # by unit code (unique within a cycle: one map, one tier)
    previous: list[Evaluation] = field(default_factory=list)  # the same tier one year earlier
    # Across the merger (last year on the map before 1/7/2025): current unit code → its former units' codes,
    # and the links themselves (weights, doubts a province has not confirmed: certify.store.merger_links).
    formers: dict[str, tuple[str, ...]] | None = None
    former_links: dict[str, list[FormerLink]] | None = None

    @property
    def districts(self) -> dict[str, str]:
        return {code: u.district for code, u in self.units.items()}

    def recognised(self) -> list[Evaluation]:
        return [e for e in self.evaluations if self.units[e.unit.assessment.unit].state in RECOGNISED]

    def for_decision(self) -> list[Evaluation]:
        """The recognised units; before any recognition is recorded, the appraised ones a decision may recognise
        (the one rule, `certify.store.recognition.holds_level`: a level held, never «Chưa đạt mức nào»)."""
        return self.recognised() or [
            e for e in self.evaluations if holds_level(self.units[e.unit.assessment.unit].state, e.level)
        ]

    def decision(self, evaluations: list[Evaluation]) -> DecisionInfo | None:
        """The decision shared by the given units; None when they have none or several different ones."""
        found = {self.units[e.unit.assessment.unit].decision for e in evaluations}
        return found.pop() if len(found) == 1 else None

    def evaluation(self, code: str) -> Evaluation:
        for e in self.evaluations:
            if e.unit.assessment.unit == code:
                return e
        raise CertifyError.one(
            "no-submission",
            f"Đơn vị {code} không có hồ sơ được đánh giá trong kỳ {self.cycle.id}",
            f"Unit {code} has no evaluated submission in cycle {self.cycle.id}",
            found=code,
            expected=", ".join(sorted(self.units)[:10]),
        )


def bare_name(unit: AdminUnit) -> str:
    """«Tỉnh Vĩnh Long» → «Vĩnh Long» (the division type is said by the surrounding text)."""
    kind = unit.division_type or ""
    if kind and unit.name.lower().startswith(kind.lower() + " "):
        return unit.name[len(kind) + 1 :]
    return unit.name


def district_name(unit: AdminUnit) -> str:
    """The district a unit belongs to in the pre-2025 map (a district is its own); none in the current map."""
    if unit.map != PRE2025:
        return NO_DISTRICT
    if unit.tier == "district":
        return unit.name
    parent = unit.parent
    return parent.name if parent is not None and parent.tier == "district" else NO_DISTRICT


def _province(unit: AdminUnit) -> AdminUnit | None:
    u: AdminUnit | None = unit
    while u is not None and u.tier != "province":
        u = u.parent
    return u


def _evaluate(
    session: Session, cycle: Cycle, states: tuple[str, ...], catalog: Catalog | None
) -> tuple[list[Evaluation], list[Submission]]:
    """The cycle's units in `states` that hold any figure, evaluated in one batch; any value that does not bind
    is an error naming its unit (a report is never made from part of a cycle without saying so)."""
    subs = [sub for sub in cycle_submissions(session, [cycle.id], states) if effective_values(sub)]
    cohort = evaluate_submissions(cycle, subs, catalog, with_self=False)
    cohort.raise_problems()
    return cohort.evaluations(), subs


def read_cycle(
    session: Session,
    cycle_id: int,
    catalog: Catalog | None = None,
    states: tuple[str, ...] = REPORTED,
    previous: bool = True,
) -> StoredCycle:
    """Evaluate the cycle's units in `states`; with `previous`, also the cycle one year earlier (same tier, map)."""
    cycle = get_cycle(session, cycle_id)
    evaluations, subs = _evaluate(session, cycle, states, catalog)
    units: dict[str, StoredUnit] = {}
    provinces: Counter[str] = Counter()
    for sub in subs:
        cert = current_certification(session, sub.id)
        decision = DecisionInfo(sub.decision_number, sub.decision_date, sub.signer) if sub.decision_number else None
        units[sub.unit.code] = StoredUnit(
            sub.unit.code, sub.unit.name, sub.state, district_name(sub.unit), cert.level if cert else None, decision
        )
        if (prov := _province(sub.unit)) is not None:
            provinces[bare_name(prov)] += 1
    earlier: list[Evaluation] = []
    formers: dict[str, tuple[str, ...]] | None = None
    former_links: dict[str, list[FormerLink]] | None = None
    if previous:
        before = session.scalars(
            select(Cycle)
            .where(Cycle.year == cycle.year - 1, Cycle.tier == cycle.tier, Cycle.kind == cycle.kind)
            .order_by((Cycle.unit_map == cycle.unit_map).desc(), Cycle.id.desc())
        ).first()
        if before is not None:
            earlier, _ = _evaluate(session, before, states, catalog)
            if before.unit_map != cycle.unit_map:
                former_links = {
                    links[0].new_code: links for links in links_of(session, [sub.unit_id for sub in subs]).values()
                }
                formers = {code: tuple(link.old_code for link in links) for code, links in former_links.items()}
    return StoredCycle(
        CycleInfo.of(cycle),
        provinces.most_common(1)[0][0] if provinces else None,
        evaluations,
        units,
        earlier,
        formers,
        former_links,
    )


def load_cycle(
    cycle_id: int,
    url: str | None = None,
    catalog: Catalog | None = None,
    states: tuple[str, ...] = REPORTED,
    previous: bool = True,
) -> StoredCycle:
    """Open the database (`CERTIFY_DATABASE_URL`, default ./data/certify.sqlite) and read one cycle."""
    from certify.store.engine import make_engine

    engine: Engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return read_cycle(session, cycle_id, catalog, states, previous)
    except OperationalError as exc:  # no tables: a database never migrated (`certify db upgrade`)
        raise CertifyError.one(
            "database-not-ready",
            f"Không đọc được cơ sở dữ liệu: {exc.orig}",
            f"Cannot read the database: {exc.orig}",
            expected="certify db upgrade",
        ) from None
    finally:
        engine.dispose()

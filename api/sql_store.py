"""The `Store` on `certify.store` (SQLAlchemy): what the stored pages read and write, one transaction per call.

Thin: every rule lives in `certify.store` (evaluation in `evaluations`, workflow in `editing`, recognition in
`recognition`); this class opens the transaction, finds the submission and hands back typed views
(`certify.store.views`). Results shown before recognition are computed live from the effective values
(appraised over self-assessed), a year's units in one batch per cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select

from certify.catalog import Catalog
from certify.errors import CertifyError
from certify.store import editing, web_sessions
from certify.store.accounts import (
    Account,
    add_user,
    authenticate,
    change_password,
    find_user,
    list_users,
    reset_password,
    set_active,
)
from certify.store.cycles import LEVELS, CycleInfo, frozen_dti, list_cycles, open_cycle
from certify.store.dti_results import dti_cycles, ranked, unit_dti
from certify.store.engine import transaction
from certify.store.evaluations import cycle_submissions, evaluate_grouped
from certify.store.history import HistoryRow, unit_history
from certify.store.merger_links import FormerLink, doubtful_links
from certify.store.models import Cycle, DtiResult, Submission
from certify.store.queue import with_queue_facts
from certify.store.submissions import SubmissionInfo, find_submission
from certify.store.units import find_unit
from certify.store.views import CycleRow, DtiHeading, DtiTable, UnitDti, UnitView
from certify.store.web_sessions import OpenSession
from certify.store.workflow import State

if TYPE_CHECKING:
    from reports.from_store import StoredCycle

__all__ = ["CycleExists", "SqlStore", "UnitView"]

PUBLIC_STATES = frozenset({State.PUBLISHED.value})


class CycleExists(CertifyError):
    """Opening a cycle that is already open: answered with 409 by the admin page."""


class SqlStore:
    def __init__(self, engine: Engine, catalog: Catalog) -> None:
        self.engine = engine
        self.catalog = catalog

    # --- accounts -------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> Account | None:
        with transaction(self.engine, write=True) as s:
            return authenticate(s, username, password)

    def account(self, username: str) -> Account | None:
        with transaction(self.engine) as s:
            user = find_user(s, username)
            return Account.of(user) if user is not None and user.active else None

    def users(self) -> list[Account]:
        with transaction(self.engine) as s:
            return list_users(s)

    def add_user(self, username: str, role: str, password: str, unit_code: str | None, by: str) -> Account:
        with transaction(self.engine, write=True) as s:
            return add_user(s, username, role, password, unit_code=unit_code, actor=by)

    def set_user_active(self, username: str, active: bool, by: str) -> Account:
        with transaction(self.engine, write=True) as s:
            return set_active(s, username, active, actor=by)

    def reset_password(self, username: str, by: str) -> str:
        with transaction(self.engine, write=True) as s:
            return reset_password(s, username, actor=by)

    def change_password(self, username: str, current: str, new: str) -> Account | None:
        with transaction(self.engine, write=True) as s:
            return change_password(s, username, current, new)

    # --- sessions, failed logins, the secret key (shared by every worker) -----------------------------
    def open_session(self, username: str, seconds: int) -> str:
        with transaction(self.engine, write=True) as s:
            web_sessions.sweep_sessions(s)
            return web_sessions.open_session(s, username, dt.timedelta(seconds=seconds))

    def find_session(self, token: str) -> OpenSession | None:
        with transaction(self.engine) as s:
            return web_sessions.find_session(s, token)

    def save_session(self, session_id: str, data: dict[str, Any]) -> None:
        with transaction(self.engine, write=True) as s:
            web_sessions.save_data(s, session_id, data)

    def end_session(self, session_id: str) -> None:
        with transaction(self.engine, write=True) as s:
            web_sessions.revoke(s, session_id)

    def recent_failures(self, kind: str, key: str, since: float, limit: int) -> list[float]:
        with transaction(self.engine) as s:
            return web_sessions.recent_failures(s, kind, key, since, limit)

    def add_failure(self, kind: str, key: str, at: float, forget_before: float) -> None:
        with transaction(self.engine, write=True) as s:
            web_sessions.add_failure(s, kind, key, at, forget_before=forget_before)

    def clear_failures(self, kind: str, key: str) -> None:
        with transaction(self.engine, write=True) as s:
            web_sessions.clear_failures(s, kind, key)

    def secret_key(self) -> str:
        with transaction(self.engine, write=True) as s:
            return web_sessions.shared_secret(s)

    # --- cycles (province admin) -----------------------------------------------------------------
    def cycle_rows(self) -> list[CycleRow]:
        """Every cycle with its number of units: submissions (deleted ones not counted) or scored DTI results."""
        with transaction(self.engine) as s:
            counts: dict[int, int] = {}
            # A cycle holds one or the other, by its kind: adding both counts needs no look at the kind.
            for query in (
                select(Submission.cycle_id, func.count())
                .where(Submission.state != State.DELETED.value)
                .group_by(Submission.cycle_id),
                select(DtiResult.cycle_id, func.count()).group_by(DtiResult.cycle_id),
            ):
                for cycle_id, n in s.execute(query):
                    counts[cycle_id] = counts.get(cycle_id, 0) + n
            return [CycleRow(c, counts.get(c.id, 0)) for c in list_cycles(s)]

    def open_cycle(
        self, year: int, framework: str, by: str, title: str | None = None, deadline: dt.date | None = None
    ) -> CycleInfo:
        """A new cycle; `CycleExists` (nothing written) when the same year, tier, map and framework is open."""
        with transaction(self.engine, write=True) as s:
            before = {c.id for c in list_cycles(s)}
            info = open_cycle(
                s, year=year, framework=framework, actor=by, title=title, deadline=deadline, catalog=self.catalog
            )
            if info.id in before:  # open_cycle hands back the existing cycle rather than a second one
                raise CycleExists.one(
                    "cycle-exists",
                    f"Kỳ đánh giá này đã có (số {info.id}): năm {info.year}, {info.tier}, "
                    f"{info.framework_id}@{info.framework_version}",
                    f"This cycle already exists (no. {info.id}): {info.year}, {info.tier}, "
                    f"{info.framework_id}@{info.framework_version}",
                    path=("framework",),
                    found=str(info.id),
                )
            return info

    # --- DTI (cycles of kind dti; the public sees published rankings only) -----------------------------
    def dti_tables(self, year: int, *, public_only: bool) -> list[DtiTable]:
        """The year's DTI rankings, one per DTI cycle, each row with last year's value (across the merger)."""
        with transaction(self.engine) as s:
            return [
                DtiTable(
                    DtiHeading.of(c, frozen_dti(c, self.catalog)[1]),
                    tuple(ranked(s, c.id, published_only=public_only)),
                )
                for c in dti_cycles(s, year, published_only=public_only)
            ]

    def unit_dti(self, unit_map: str, code: str, year: int, *, public_only: bool) -> UnitDti | None:
        """One unit's DTI result of `year`: points per main index, rank among how many, last year's value."""
        with transaction(self.engine) as s:
            unit = find_unit(s, unit_map, code)
            found = unit_dti(s, unit.id, year, published_only=public_only) if unit else None
            if unit is None or found is None:
                return None
            cycle, _ = found
            every = ranked(s, cycle.id, published_only=public_only)  # read once: the row and the cohort size
            row = next(r for r in every if r.row.unit_code == code)
            return UnitDti(DtiHeading.of(cycle, frozen_dti(cycle, self.catalog)[1]), row, len(every))

    # --- reading --------------------------------------------------------------------------------
    def years(self) -> list[int]:
        with transaction(self.engine) as s:
            return sorted({c.year for c in list_cycles(s)}, reverse=True)

    def _views(self, subs: list[Submission]) -> list[UnitView]:
        """Views of submissions of any cycles, evaluated one batch per cycle (own figures in the same batch)."""
        return [UnitView.of(unit) for unit in evaluate_grouped(subs, self.catalog)]

    def unit(self, cycle_id: int, code: str) -> UnitView:
        with transaction(self.engine) as s:
            return self._views([find_submission(s, cycle_id, code)])[0]

    def cycles(self, year: int | None = None) -> list[CycleInfo]:
        with transaction(self.engine) as s:
            return [c for c in list_cycles(s) if year is None or c.year == year]

    def submissions(self, year: int, *, public_only: bool) -> list[UnitView]:
        """The year's submissions (deleted ones left out), by cycle then unit code."""
        with transaction(self.engine) as s:
            cycle_ids = list(s.scalars(select(Cycle.id).where(Cycle.year == year).order_by(Cycle.id)))
            subs = cycle_submissions(
                s,
                cycle_ids,
                states=PUBLIC_STATES if public_only else None,
                exclude=() if public_only else (State.DELETED.value,),
            )
            subs.sort(key=lambda sub: (sub.cycle_id, sub.unit.code))
            return self._views(subs)

    def queue(self, states: Collection[str]) -> list[UnitView]:
        """Submissions of every cycle in `states` (the appraiser's queue), each with the moment it was submitted and
        its districts."""
        with transaction(self.engine) as s:
            cycle_ids = list(s.scalars(select(Cycle.id).where(Cycle.kind == LEVELS)))
            subs = cycle_submissions(s, cycle_ids, states=states)
            return with_queue_facts(s, subs, self._views(subs))

    def history(self, unit_map: str, code: str) -> list[HistoryRow]:
        with transaction(self.engine) as s:
            return unit_history(s, unit_map, code)

    def merger_links(self, province: str | None, *, everything: bool) -> list[FormerLink]:
        with transaction(self.engine) as s:
            return doubtful_links(s, province=province, everything=everything)

    def planning_cycle(self, cycle_id: int) -> StoredCycle:
        from reports.from_store import ALL_STATES, read_cycle

        with transaction(self.engine) as s:
            return read_cycle(s, cycle_id, self.catalog, states=ALL_STATES, previous=False)

    # --- writing (the rules are certify.store.editing's) ------------------------------------------
    def save_self(
        self, cycle_id: int, code: str, values: dict[str, Any], by: str, version: int, *, submit: bool = False
    ) -> SubmissionInfo:
        with transaction(self.engine, write=True) as s:
            sub = find_submission(s, cycle_id, code, for_update=True)
            return editing.save_self_assessment(s, sub, values, by, version, submit=submit, catalog=self.catalog)

    def appraise(
        self,
        cycle_id: int,
        code: str,
        values: dict[str, Any],
        comments: dict[str, str],
        by: str,
        version: int,
        *,
        decision: str | None = None,
        reasons: str | None = None,
    ) -> SubmissionInfo:
        """Store the appraised values that differ from the unit's (with a comment each); then return or approve."""
        with transaction(self.engine, write=True) as s:
            sub = find_submission(s, cycle_id, code, for_update=True)
            return editing.appraise(
                s, sub, values, comments, by, version, decision=decision, reasons=reasons, catalog=self.catalog
            )

    def recognise(
        self, cycle_id: int, versions: dict[str, int], number: str, day: dt.date, signer: str, by: str
    ) -> int:
        with transaction(self.engine, write=True) as s:
            return editing.recognise_units(
                s,
                cycle_id,
                versions,
                decision_number=number,
                decision_date=day,
                signer=signer,
                actor=by,
                catalog=self.catalog,
            )

    def publish(self, cycle_id: int, versions: dict[str, int], by: str) -> int:
        with transaction(self.engine, write=True) as s:
            return editing.publish_units(s, cycle_id, versions, by)

"""The seam where assessment-cycle storage (`certify.store`) plugs into the web app.

Pages that need stored units, cycles or accounts take `store: StoreDep`. `create_app(settings, store=...)`
injects the implementation (`api.sql_store.SqlStore` when `CERTIFY_DATABASE_URL` is set); tests may inject
a fake. Without one, the stored pages answer 503 and the stateless pages keep working.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Annotated, Any, Protocol

from fastapi import Depends, Request

from certify.errors import CertifyError
from certify.store.accounts import Account

if TYPE_CHECKING:
    from certify.store.cycles import CycleInfo
    from certify.store.history import HistoryRow
    from certify.store.merger_links import FormerLink
    from certify.store.submissions import SubmissionInfo
    from certify.store.views import CycleRow, DtiTable, UnitDti, UnitView
    from certify.store.web_sessions import OpenSession
    from reports.from_store import StoredCycle


class Store(Protocol):
    """Every answer is a typed view (`certify.store.views`, `Account`, `CycleInfo`, `HistoryRow`, …), never a dict."""

    # accounts (passwords hashed with argon2 in certify.store.accounts)
    def authenticate(self, username: str, password: str) -> Account | None: ...
    def account(self, username: str) -> Account | None: ...
    def users(self) -> list[Account]: ...
    def add_user(self, username: str, role: str, password: str, unit_code: str | None, by: str) -> Account: ...
    def set_user_active(self, username: str, active: bool, by: str) -> Account: ...
    def reset_password(self, username: str, by: str) -> str: ...
    def change_password(self, username: str, current: str, new: str) -> Account | None: ...
    # what every web worker shares (certify.store.web_sessions): sessions, failed logins, the secret key
    def open_session(self, username: str, seconds: int) -> str: ...
    def find_session(self, token: str) -> OpenSession | None: ...
    def save_session(self, session_id: str, data: dict[str, Any]) -> None: ...
    def end_session(self, session_id: str) -> None: ...
    def recent_failures(self, kind: str, key: str, since: float, limit: int) -> list[float]: ...
    def add_failure(self, kind: str, key: str, at: float, forget_before: float) -> None: ...
    def clear_failures(self, kind: str, key: str) -> None: ...
    def secret_key(self) -> str: ...
    # cycles (province admin): each cycle with its number of submissions; open one
    def cycle_rows(self) -> list[CycleRow]: ...
    def open_cycle(
        self, year: int, framework: str, by: str, title: str | None = None, deadline: dt.date | None = None
    ) -> CycleInfo: ...
    # dashboard, unit page, history
    def years(self) -> list[int]: ...
    def cycles(self, year: int | None = None) -> list[CycleInfo]: ...
    def submissions(self, year: int, *, public_only: bool) -> list[UnitView]: ...
    def unit(self, cycle_id: int, code: str) -> UnitView: ...
    def queue(self, states: Collection[str]) -> list[UnitView]: ...  # with submitted_at and districts
    def history(self, unit_map: str, code: str) -> list[HistoryRow]: ...
    # merger links a province should look at (certify.store.merger_links; `everything`: also those it settled)
    def merger_links(self, province: str | None, *, everything: bool) -> list[FormerLink]: ...
    # planning (province what-if): every unit of a cycle with figures, drafts included, with areas and states
    def planning_cycle(self, cycle_id: int) -> StoredCycle: ...
    # DTI rankings stored per cycle (see certify.store.dti_results)
    def dti_tables(self, year: int, *, public_only: bool) -> list[DtiTable]: ...
    def unit_dti(self, unit_map: str, code: str, year: int, *, public_only: bool) -> UnitDti | None: ...
    # self-assessment, appraisal, recognition: every write names the version the user read (code → version for
    # several units); the store refuses a stale one (conflict, 409). Workflow rules: certify.store.editing.
    def save_self(
        self, cycle_id: int, code: str, values: dict[str, Any], by: str, version: int, *, submit: bool = False
    ) -> SubmissionInfo: ...
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
    ) -> SubmissionInfo: ...
    def recognise(
        self, cycle_id: int, versions: dict[str, int], number: str, day: dt.date, signer: str, by: str
    ) -> int: ...
    def publish(self, cycle_id: int, versions: dict[str, int], by: str) -> int: ...


class StoreUnavailable(CertifyError):
    """No storage configured: answered with 503 (stored pages only; stateless pages never need it)."""


def get_store(request: Request) -> Store:
    store: Store | None = request.app.state.store
    if store is None:
        raise StoreUnavailable.one(
            "no-store", "Chưa cấu hình cơ sở dữ liệu", "No database configured", expected="CERTIFY_DATABASE_URL"
        )
    return store


StoreDep = Annotated[Store, Depends(get_store)]

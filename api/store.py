"""The seam where assessment-cycle storage (issue 4, `certify.store`) plugs into the web app.

Pages and API routes that need stored units, cycles or accounts take `store: Store = Depends(get_store)`.
`create_app(settings, store=...)` injects the implementation; tests inject a fake. The protocol lists
what the planned pages read and write — adapt the names to `certify.store` once it exists, keep the
routes thin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from fastapi import Request

from certify.errors import CertifyError


class Store(Protocol):
    # dashboard: units by level, blocking criteria, DTI ranking, progress against last year
    def units(self, *, year: int, tier: str | None = None, district: str | None = None) -> Sequence[Any]: ...
    def years(self) -> Sequence[int]: ...
    # unit page and history
    def cycle(self, unit: str, year: int) -> Any: ...
    def history(self, unit: str) -> Sequence[Any]: ...
    # self-assessment, appraisal, recognition (workflow transitions are checked by the store)
    def save_draft(self, unit: str, year: int, values: dict[str, Any], by: str) -> Any: ...
    def transition(self, unit: str, year: int, action: str, by: str, comment: str | None = None) -> Any: ...
    # accounts (passwords hashed with api.passwords)
    def user(self, login: str) -> Any: ...


class StoreUnavailable(CertifyError):
    """No storage configured: answered with 503 (stored pages only; stateless pages never need it)."""


def get_store(request: Request) -> Store:
    store: Store | None = request.app.state.store
    if store is None:
        raise StoreUnavailable.one("no-store", "Chưa cấu hình cơ sở dữ liệu", "No database configured",
                                   expected="CERTIFY_DATABASE_URL")
    return store

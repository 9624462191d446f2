"""Evidence files of stored submissions (certify.store.evidence) on the web store's database and a folder outside
the web root (`CERTIFY_EVIDENCE_DIR`, default ./data/evidence beside the SQLite database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine

from api.problems import NotFoundError
from api.store import get_store
from certify.errors import CertifyError
from certify.store import evidence
from certify.store.engine import transaction
from certify.store.evidence import EvidenceInfo
from certify.store.submissions import find_submission
from certify.store.views import UnitView


class EvidenceStore:
    def __init__(self, engine: Engine, root: Path, max_bytes: int) -> None:
        self.engine = engine
        self.root = root
        self.max_bytes = max_bytes

    def listing(self, cycle_id: int, code: str) -> list[EvidenceInfo]:
        with transaction(self.engine) as s:
            return evidence.listing(s, find_submission(s, cycle_id, code).id)

    def add(
        self,
        cycle_id: int,
        code: str,
        criterion: str,
        filename: str,
        data: bytes,
        by: str,
        *,
        number: str | None,
        issued: dt.date | None,
        effective: dt.date | None,
    ) -> EvidenceInfo:
        with transaction(self.engine, write=True) as s:  # a writer: waits for another (certify.store.engine)
            sub = find_submission(s, cycle_id, code)
            return evidence.add(
                s,
                self.root,
                sub,
                criterion,
                filename,
                data,
                actor=by,
                document_number=number,
                document_date=issued,
                effective_date=effective,
                max_bytes=self.max_bytes,
            )

    def get(self, cycle_id: int, code: str, file_id: int) -> tuple[EvidenceInfo, Path]:
        with transaction(self.engine) as s:
            try:
                row = evidence.find(s, find_submission(s, cycle_id, code).id, file_id)
            except CertifyError as exc:
                raise NotFoundError(exc.problems) from None
            return EvidenceInfo.of(row), evidence.stored_path(self.root, row.sha256)

    def delete(self, cycle_id: int, code: str, file_id: int, by: str) -> EvidenceInfo:
        with transaction(self.engine, write=True) as s:
            return evidence.delete(s, find_submission(s, cycle_id, code).id, file_id, actor=by)


def get_evidence(request: Request) -> EvidenceStore:
    store = get_store(request)
    found: EvidenceStore | None = getattr(request.app.state, "evidence", None)
    if found is None:
        engine: Engine = getattr(store, "engine")  # noqa: B009 (the SQL store's engine; the protocol has none)
        settings = request.app.state.settings
        found = EvidenceStore(engine, settings.evidence_dir, settings.max_evidence_bytes)
        request.app.state.evidence = found
    return found


EvidenceDep = Annotated[EvidenceStore, Depends(get_evidence)]


def file_json(view: UnitView, f: EvidenceInfo) -> dict[str, Any]:
    return {
        "id": f.id,
        "criterion": f.criterion,
        "filename": f.filename,
        "media_type": f.media_type,
        "size": f.size,
        "sha256": f.sha256,
        "document_number": f.document_number,
        "document_date": f.document_date.isoformat() if f.document_date else None,
        "effective_date": f.effective_date.isoformat() if f.effective_date else None,
        "uploaded_by": f.uploaded_by,
        "uploaded_at": f.uploaded_at.isoformat(),
        "url": f"/cycles/{view.cycle_id}/units/{view.unit_code}/evidence/{f.id}/download",
    }


def by_criterion(view: UnitView, files: list[EvidenceInfo]) -> dict[str, list[dict[str, Any]]]:
    """The unit's files by criterion code, as pages and JSON twins list them."""
    out: dict[str, list[dict[str, Any]]] = {}
    for f in files:
        out.setdefault(f.criterion, []).append(file_json(view, f))
    return out

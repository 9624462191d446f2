"""Evidence files attached to one criterion of one submission: a PDF, an image, a Word or Excel document.

The bytes live outside the web root, in a content-addressed folder (`<root>/ab/abcdef…`, named by their SHA-256),
and are served only through the app after its authorisation check. A row keeps the original name, the type found
by reading the content (never trusted from the name or the browser), the size, the hash, and the document's
number, date and effective date. Deleting hides the row (who and when are kept) and never removes the bytes:
the audit trail records both the upload and the deletion.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from certify.errors import CertifyError
from certify.store import audit
from certify.store.models import Base, Submission

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # CERTIFY_MAX_EVIDENCE_BYTES: a scanned decision of a few pages
MAX_FILES_PER_CRITERION = 20
MAX_ZIP_ENTRIES = 5000  # a DOCX or XLSX has tens to hundreds of parts; more is not an office document

# What the content says the file is → (media type, extension, Vietnamese name).
KINDS = {
    "pdf": ("application/pdf", ".pdf", "PDF"),
    "png": ("image/png", ".png", "ảnh PNG"),
    "jpeg": ("image/jpeg", ".jpg", "ảnh JPEG"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word (DOCX)"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel (XLSX)"),
}
ACCEPTED_VI = "PDF, ảnh PNG/JPEG, Word (DOCX), Excel (XLSX)"
ACCEPTED_EN = "PDF, PNG/JPEG image, Word (DOCX), Excel (XLSX)"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class EvidenceFile(Base):
    __tablename__ = "evidence_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    document_number: Mapped[str | None] = mapped_column(String(120))
    document_date: Mapped[dt.date | None] = mapped_column(Date)
    effective_date: Mapped[dt.date | None] = mapped_column(Date)
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    deleted_by: Mapped[str | None] = mapped_column(String(120))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    submission_id: int
    criterion: str
    filename: str
    media_type: str
    size: int
    sha256: str
    document_number: str | None
    document_date: dt.date | None
    effective_date: dt.date | None
    uploaded_by: str
    uploaded_at: dt.datetime

    @classmethod
    def of(cls, row: EvidenceFile) -> EvidenceInfo:
        return cls(
            row.id,
            row.submission_id,
            row.criterion,
            row.filename,
            row.media_type,
            row.size,
            row.sha256,
            row.document_number,
            row.document_date,
            row.effective_date,
            row.uploaded_by,
            row.uploaded_at,
        )


def sniff(data: bytes) -> str | None:
    """The kind of file the bytes are (a key of KINDS), read from the content; None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                infos = z.infolist()
                if len(infos) > MAX_ZIP_ENTRIES:
                    return None
                names = {i.filename for i in infos}
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def _bad(code: str, vi: str, en: str, field: str, found: str | None = None) -> CertifyError:
    return CertifyError.one(code, vi, en, path=(field,), found=found)


def clean_name(name: str) -> str:
    """The file's own name, without any folder, control character or path trick; never empty."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return base[:200] or "tai-lieu"


def check(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The kind of an upload (a key of KINDS), or a bilingual error naming what is wrong."""
    if not data:
        raise _bad("empty-file", "Tệp rỗng: chọn lại tệp", "The file is empty: choose it again", "file", filename)
    if len(data) > max_bytes:
        mb = max_bytes // (1024 * 1024)
        raise _bad(
            "file-too-large",
            f"Tệp lớn hơn {mb} MB: nén hoặc tách tệp rồi tải lên lại",
            f"The file is larger than {mb} MB: compress or split it and upload again",
            "file",
            f"{len(data) / (1024 * 1024):.1f} MB",
        )
    kind = sniff(data)
    if kind is None:
        raise _bad(
            "file-type",
            f"Nội dung tệp không phải {ACCEPTED_VI} (kiểm tra theo nội dung, không theo tên tệp)",
            f"The file's content is not {ACCEPTED_EN} (checked by content, not by name)",
            "file",
            filename,
        )
    return kind


def stored_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256


def _write(root: Path, data: bytes, sha256: str) -> None:
    """Write once, atomically: a file with this hash already there holds the same bytes."""
    target = stored_path(root, sha256)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add(
    session: Session,
    root: Path,
    sub: Submission,
    criterion: str,
    filename: str,
    data: bytes,
    *,
    actor: str,
    document_number: str | None = None,
    document_date: dt.date | None = None,
    effective_date: dt.date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> EvidenceInfo:
    """Keep an uploaded file for one criterion of a submission; raise a located error when it is refused."""
    kind = check(data, filename, max_bytes)
    if effective_date and document_date and effective_date < document_date:
        raise _bad(
            "effective-before-issued",
            "Ngày hiệu lực trước ngày ban hành văn bản",
            "The effective date is before the document's date",
            "effective_date",
            effective_date.isoformat(),
        )
    if len(listing(session, sub.id, criterion)) >= MAX_FILES_PER_CRITERION:
        raise _bad(
            "too-many-files",
            f"Mỗi tiêu chí có tối đa {MAX_FILES_PER_CRITERION} tệp kiểm chứng",
            f"At most {MAX_FILES_PER_CRITERION} evidence files per criterion",
            "file",
        )
    sha = hashlib.sha256(data).hexdigest()
    _write(root, data, sha)
    media_type, ext, _ = KINDS[kind]
    name = clean_name(filename)
    if not name.lower().endswith(ext) and not (kind == "jpeg" and name.lower().endswith(".jpeg")):
        name = name.rsplit(".", 1)[0] + ext  # the name says what the content is
    row = EvidenceFile(
        submission_id=sub.id,
        criterion=criterion,
        filename=name,
        media_type=media_type,
        size=len(data),
        sha256=sha,
        document_number=(document_number or "").strip() or None,
        document_date=document_date,
        effective_date=effective_date,
        uploaded_by=actor,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "upload",
        "evidence_file",
        row.id,
        submission_id=sub.id,
        field=criterion,
        new={"file": name, "sha256": sha, "size": len(data), "document": row.document_number},
    )
    return EvidenceInfo.of(row)


def listing(session: Session, submission_id: int, criterion: str | None = None) -> list[EvidenceInfo]:
    q = select(EvidenceFile).where(EvidenceFile.submission_id == submission_id, EvidenceFile.deleted_at.is_(None))
    if criterion is not None:
        q = q.where(EvidenceFile.criterion == criterion)
    return [EvidenceInfo.of(r) for r in session.scalars(q.order_by(EvidenceFile.criterion, EvidenceFile.id))]


def find(session: Session, submission_id: int, file_id: int) -> EvidenceFile:
    row = session.get(EvidenceFile, file_id)
    if row is None or row.submission_id != submission_id or row.deleted_at is not None:
        raise CertifyError.one(
            "no-evidence-file",
            "Không có tệp kiểm chứng này (có thể đã bị xóa)",
            "No such evidence file (it may have been deleted)",
            path=("file",),
            found=str(file_id),
        )
    return row


def delete(session: Session, submission_id: int, file_id: int, *, actor: str) -> EvidenceInfo:
    """Hide a file from the submission; the row and the bytes stay for the audit trail."""
    row = find(session, submission_id, file_id)
    row.deleted_at = _now()
    row.deleted_by = actor
    audit.record(
        session,
        actor,
        "delete",
        "evidence_file",
        row.id,
        submission_id=submission_id,
        field=row.criterion,
        old={"file": row.filename, "sha256": row.sha256},
    )
    return EvidenceInfo.of(row)


SHEET_HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Mã tiêu chí",
    "Tệp",
    "Loại",
    "Kích thước (byte)",
    "SHA-256",
    "Số văn bản",
    "Ngày ban hành",
    "Ngày hiệu lực",
    "Người tải lên",
    "Thời điểm tải lên",
]


def sheet_rows(session: Session, cycle_id: int) -> list[list[Any]]:
    """One row per evidence file of a cycle (deleted ones left out), for the export's «Kiểm chứng» sheet."""
    from certify.store.models import AdminUnit

    q = (
        select(EvidenceFile, AdminUnit)
        .join(Submission, Submission.id == EvidenceFile.submission_id)
        .join(AdminUnit, AdminUnit.id == Submission.unit_id)
        .where(Submission.cycle_id == cycle_id, EvidenceFile.deleted_at.is_(None))
        .order_by(AdminUnit.code, EvidenceFile.criterion, EvidenceFile.id)
    )
    names = {v[0]: v[2] for v in KINDS.values()}
    return [
        [
            unit.code,
            unit.name,
            f.criterion,
            f.filename,
            names.get(f.media_type, f.media_type),
            f.size,
            f.sha256,
            f.document_number,
            f.document_date,
            f.effective_date,
            f.uploaded_by,
            f.uploaded_at.replace(tzinfo=None) if f.uploaded_at else None,
        ]
        for f, unit in session.execute(q)
    ]

"""Evidence files: upload checked by content, stored outside the web root under their SHA-256, listed on the unit
and appraisal pages, downloadable only by those who may see the unit's file, deletion confirmed; both in the
audit trail."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from fastapi.testclient import TestClient
from sqlalchemy import select

from certify.store.engine import transaction
from certify.store.models import AuditEvent
from tests.api.store_fixtures import OTHER, OWN, form_of, login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UNIT = f"/cycles/1/units/{OWN}"


def _upload(client: TestClient, tok: str, name: str, data: bytes, criterion: str = "CQS-02", **extra: str) -> object:
    return client.post(
        f"{UNIT}/evidence",
        data={"csrf_token": tok, "criterion": criterion, **extra},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


def _office(kind: str) -> bytes:
    buf = io.BytesIO()
    if kind == "docx":
        import docx

        docx.Document().save(buf)
    else:
        import openpyxl

        openpyxl.Workbook().save(buf)
    return buf.getvalue()


def test_upload_list_download_delete(sclient: TestClient) -> None:
    tok = login(sclient, "editor")
    r = _upload(sclient, tok, "QĐ 210.pdf", PDF, document_number="210/BC-UBND", document_date="2025-03-01")
    assert r.status_code == 303 and r.headers["location"].endswith("/evidence#ev-CQS-02")  # type: ignore[attr-defined]
    page = sclient.get(f"{UNIT}/evidence").text
    assert "Đã tải lên tệp QĐ 210.pdf cho tiêu chí CQS-02" in page and "210/BC-UBND" in page
    [link] = re.findall(r'href="(/cycles/1/units/\d+/evidence/\d+/download)"', page)
    assert link in sclient.get(UNIT).text  # listed on the unit page

    got = sclient.get(link)
    assert got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert "attachment" in got.headers["content-disposition"] and got.headers["x-content-type-options"] == "nosniff"
    sha = hashlib.sha256(PDF).hexdigest()
    app = sclient.app
    stored = app.state.settings.evidence_dir / sha[:2] / sha  # type: ignore[attr-defined]
    assert stored.read_bytes() == PDF  # outside the web root, named by its hash
    assert sclient.get(f"/static/{sha}").status_code == 404

    # the province sees it beside the appraisal; the public and another unit never download it
    login(sclient, "appraiser")
    assert link in sclient.get(f"{UNIT}/appraise").text and sclient.get(link).status_code == 200
    login(sclient, None)
    assert sclient.get(link).status_code == 403
    login(sclient, "editor2")
    assert sclient.get(link).status_code == 403 and sclient.get(f"/cycles/1/units/{OTHER}/evidence").status_code == 200

    # deletion asks first, then hides the file; the audit trail keeps both events
    tok = login(sclient, "editor")
    delete = link.replace("/download", "/delete")
    ask = sclient.get(delete)
    assert ask.status_code == 200 and "QĐ 210.pdf" in ask.text and 'id="confirm-form"' in ask.text
    assert sclient.post(delete, data={"csrf_token": tok}).status_code == 200  # not confirmed: asked again
    assert sclient.get(link).status_code == 200
    done = sclient.post(delete, data={"csrf_token": tok, "confirm": "yes"})
    assert done.status_code == 200 and "Đã xóa tệp QĐ 210.pdf" in done.text
    assert sclient.get(link).status_code == 404
    engine = app.state.store.engine  # type: ignore[attr-defined]
    with transaction(engine) as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.entity == "evidence_file"))]
    assert actions == ["upload", "delete"]


def test_content_decides_not_the_name(sclient: TestClient) -> None:
    tok = login(sclient, "editor")
    fake = _upload(sclient, tok, "bao-cao.pdf", b"MZ\x90\x00 not a pdf at all")
    assert fake.status_code == 422  # type: ignore[attr-defined]
    text = fake.text  # type: ignore[attr-defined]
    assert 'href="#field-file"' in text and "kiểm tra theo nội dung" in text
    assert 'value="CQS-02" selected' in text  # the choices made are kept
    not_office = io.BytesIO()
    with zipfile.ZipFile(not_office, "w") as z:
        z.writestr("hello.txt", "xin chào")
    assert _upload(sclient, tok, "so-lieu.xlsx", not_office.getvalue()).status_code == 422  # type: ignore[attr-defined]
    for name, data in (
        ("ke-hoach.docx", _office("docx")),
        ("so-lieu.xlsx", _office("xlsx")),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50),
    ):
        assert _upload(sclient, tok, name, data).status_code == 303, name  # type: ignore[attr-defined]
    named = _upload(sclient, tok, "scan", b"\xff\xd8\xff\xe0" + b"0" * 50)  # no extension: the content names it
    assert named.status_code == 303  # type: ignore[attr-defined]
    assert "scan.jpg" in sclient.get(f"{UNIT}/evidence").text


def test_limits_and_dates(sclient: TestClient) -> None:
    tok = login(sclient, "editor")
    big = _upload(sclient, tok, "lon.pdf", PDF + b"0" * (10 * 1024 * 1024))
    assert big.status_code == 422 and "lớn hơn 10 MB" in big.text  # type: ignore[attr-defined]
    empty = _upload(sclient, tok, "rong.pdf", b"")
    assert empty.status_code == 422  # type: ignore[attr-defined]
    backwards = _upload(sclient, tok, "qd.pdf", PDF, document_date="2025-05-01", effective_date="2025-04-01")
    assert backwards.status_code == 422 and "Ngày hiệu lực trước ngày ban hành" in backwards.text  # type: ignore[attr-defined]
    assert "Chưa có tệp kiểm chứng nào" in sclient.get(f"{UNIT}/evidence").text  # nothing kept


def test_no_upload_once_submitted(sclient: TestClient) -> None:
    tok = login(sclient, "editor")
    form = form_of(sclient.get(f"{UNIT}/edit").text)
    assert sclient.post(f"{UNIT}/save.json", data=form | {"action": "submit"}).status_code == 200
    page = sclient.get(f"{UNIT}/evidence").text
    assert 'id="upload-form"' not in page  # not offered
    assert _upload(sclient, tok, "muon.pdf", PDF).status_code == 422  # type: ignore[attr-defined]


def test_export_lists_the_files(sclient: TestClient, tmp_path: object) -> None:
    from pathlib import Path

    import openpyxl

    from certify.intake.export import export_cycle

    tok = login(sclient, "editor")
    assert _upload(sclient, tok, "=cmd.pdf", PDF, document_number="11/KH-UBND").status_code == 303  # type: ignore[attr-defined]
    engine = sclient.app.state.store.engine  # type: ignore[attr-defined]
    out = Path(str(tmp_path)) / "ky-1.xlsx"
    with transaction(engine) as s:
        export_cycle(s, 1, out)
    ws = openpyxl.load_workbook(out)["Kiểm chứng"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("⚠ ")  # the sample framework's banner
    assert rows[1][:4] == ("Mã đơn vị", "Tên đơn vị", "Mã tiêu chí", "Tệp")
    [row] = rows[2:]
    assert row[0] == OWN and row[2] == "CQS-02" and row[3] == "=cmd.pdf" and ws.cell(3, 4).quotePrefix  # text
    assert ws.cell(3, 4).data_type == "s"  # never a formula
    assert row[6] == hashlib.sha256(PDF).hexdigest() and row[7] == "11/KH-UBND"

"""`POST /api/reports/gap`: the gap report of one assessment in every registered format."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from certify.catalog import bundled_root
from certify.formats import gap_formats
from tests.api.conftest import SAMPLE_BANNER
from tests.api.test_api import sample_body

HOA_NINH = sample_body(bundled_root("samples") / "assessments" / "2024-xa-hoa-ninh.yaml")
FILENAME = 'attachment; filename="khoang-cach-29584-2024'


def report(client: TestClient, fmt: str, body: dict[str, Any] = HOA_NINH) -> Any:
    r = client.post("/api/reports/gap", params={"format": fmt}, json=body)
    assert r.status_code == 200, r.text[:500]
    return r


@pytest.mark.parametrize(
    ("fmt", "media_type"), [("md", "text/markdown"), ("html", "text/html"), ("text", "text/plain")]
)
def test_text_reports_carry_the_sample_banner(client: TestClient, fmt: str, media_type: str) -> None:
    r = report(client, fmt)
    assert r.headers["content-type"] == f"{media_type}; charset=utf-8"
    suffix = gap_formats()[fmt].suffix
    assert r.headers["content-disposition"] == f'{FILENAME}{suffix}"'
    assert SAMPLE_BANNER in r.text and "Xã Hòa Ninh" in r.text and "Nâng cao" in r.text


def test_markdown_report_content(client: TestClient) -> None:
    text = report(client, "md").text
    assert text.startswith("# Báo cáo khoảng cách chuyển đổi số — Xã Hòa Ninh")
    assert "**Mức đạt được: Cơ bản**" in text


def test_json_report_is_the_gap_answer(client: TestClient) -> None:
    r = report(client, "json")
    assert r.headers["content-type"] == "application/json"
    assert r.json() == client.post("/api/gap", json=HOA_NINH).json()


def test_docx_report(client: TestClient) -> None:
    r = report(client, "docx")
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert r.headers["content-disposition"] == f'{FILENAME}.docx"'
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        assert SAMPLE_BANNER in z.read("word/header1.xml").decode("utf-8")  # on every page
        assert "Xã Hòa Ninh" in z.read("word/document.xml").decode("utf-8")


def test_xlsx_report(client: TestClient) -> None:
    r = report(client, "xlsx")
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r.headers["content-disposition"] == f'{FILENAME}.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert all(SAMPLE_BANNER in str(sheet["A1"].value) for sheet in book)
    assert book.sheetnames[0] == "Tổng quan"


def test_pdf_report(client: TestClient) -> None:
    r = report(client, "pdf")
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF-")
    assert r.headers["content-disposition"] == f'{FILENAME}.pdf"'


def test_download_name_of_a_unit_named_in_vietnamese(client: TestClient) -> None:
    body = HOA_NINH | {"unit": "Xã Đông Hòa Hiệp", "target_level": None}
    r = report(client, "md", body)
    assert r.headers["content-disposition"] == 'attachment; filename="khoang-cach-xa-dong-hoa-hiep-2024.md"'


def test_unknown_format_lists_the_registered_ones(client: TestClient) -> None:
    r = client.post("/api/reports/gap", params={"format": "odt"}, json=HOA_NINH)
    assert r.status_code == 422
    (problem,) = r.json()["errors"]
    assert (problem["path"], problem["code"], problem["found"]) == ("query.format", "unknown-format", "odt")
    assert problem["expected"].split(" | ") == list(gap_formats())
    assert problem["message_vi"] == "Không có định dạng «odt»"


def test_bad_assessment_has_a_field_path(client: TestClient) -> None:
    r = client.post("/api/reports/gap", params={"format": "pdf"}, json=HOA_NINH | {"values": {"CQS-01": 1.5}})
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "values.CQS-01"
    r = client.post("/api/reports/gap", params={"format": "md"}, json=HOA_NINH | {"framework": "khong-co"})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "unknown-framework"
    r = client.post("/api/reports/gap", content=b"{", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "schema:json_invalid"

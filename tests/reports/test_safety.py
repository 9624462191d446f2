"""User-typed names must not become Excel formulas or HTML markup."""

from __future__ import annotations

import io

import openpyxl

from certify.catalog import Catalog
from certify.formats import gap_formats
from certify.levels.assessment import bind, parse_assessment
from certify.levels.evaluate import evaluate
from certify.levels.gap import GapReport, gap_report
from reports.xlsx_common import put

NASTY = '=HYPERLINK("http://x","<b>Xã</b>")'


def _report(catalog: Catalog, name: str) -> GapReport:
    text = (
        f"unit: '99999'\nunit_name: '{name}'\ntier: commune\nyear: 2024\nframework: sample-2361-commune\n"
        "values: {CQS-01: 0.5}\n"
    )
    assessment, doc = parse_assessment(text, "nasty.yaml")
    resolved = catalog.load("sample-2361-commune")
    return gap_report(evaluate(resolved, bind(resolved.framework, assessment, doc)))  # type: ignore[arg-type]


def test_formula_like_names_are_text_in_excel(report_catalog: Catalog) -> None:
    data = gap_formats()["xlsx"].render(_report(report_catalog, NASTY.replace("'", "''")))
    ws = openpyxl.load_workbook(io.BytesIO(data))["Tổng quan"]  # type: ignore[arg-type]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == NASTY)
    assert cell.data_type == "s" and cell.quotePrefix


def test_put_neutralises_every_formula_start() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for k, text in enumerate(["=1+1", "+1", "-1", "@SUM(A1)", "plain"], 1):
        put(ws, k, 1, text)  # type: ignore[arg-type]
    buf = io.BytesIO()
    wb.save(buf)
    ws2 = openpyxl.load_workbook(buf).active
    assert ws2 is not None
    assert [ws2.cell(k, 1).data_type for k in range(1, 6)] == ["s"] * 5
    assert ws2.cell(1, 1).value == "=1+1"


def test_html_escapes_names(report_catalog: Catalog) -> None:
    html = gap_formats()["html"].render(_report(report_catalog, "<script>alert(1)</script> Xã Tân Hòa"))
    assert isinstance(html, str)
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "Xã Tân Hòa" in html

"""Bad DTI cohorts: the command line prints the error and no result, every error of a file in one pass, the sheet
of a workbook named. The corpus itself (one file per error, its row, column and both messages) is
tests/hostile/corpus/dti, run by tests/hostile/test_corpus.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from certify.cli.app import app
from certify.dti.cohort import read_cohort
from certify.dti.model import DtiFramework
from certify.errors import CertifyError
from tests.hostile.harness import CORPUS

BAD = CORPUS / "dti"


def test_the_cli_prints_the_error_and_no_result(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["score", str(BAD / "duplicate_unit.csv"), "-f", "vinh-long-2554-province", "--json"],
        standalone_mode=False,
    )
    assert isinstance(result.exception, CertifyError)
    assert result.stdout == ""


def test_the_cli_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from certify.cli.app import main

    monkeypatch.setattr(
        "sys.argv", ["certify", "score", str(BAD / "negative_count.csv"), "-f", "vinh-long-2554-province", "--json"]
    )
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 2
    out = capsys.readouterr()
    assert out.out == "" and "negative_count.csv" in out.err and "6.21" in out.err


def test_all_errors_are_reported_in_one_pass(tmp_path: Path, vl: DtiFramework) -> None:
    f = tmp_path / "many.csv"
    f.write_text("unit,1.3.a,1.3.b,6.21,9.9\na,9,8,-1,x\na,1,2,3,4\n", encoding="utf-8")
    with pytest.raises(CertifyError) as exc:
        read_cohort(f, vl.plan)
    found = {(p.row, p.column) for p in exc.value.problems}
    assert {(1, "9.9"), (3, "unit"), (2, "6.21")} <= found


def test_xlsx_errors_name_the_sheet(tmp_path: Path, vl: DtiFramework) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "DTI 2024"
    for row in (["unit", "1.3.a", "1.3.b"], ["tinh-a", 6, 8], ["tinh-b", 9, 8]):
        sheet.append(row)
    path = tmp_path / "cohort.xlsx"
    book.save(path)
    with pytest.raises(CertifyError) as exc:
        read_cohort(path, vl.plan)
    p = exc.value.problems[0]
    assert (p.sheet, p.row, p.column) == ("DTI 2024", 3, "1.3.a")
    sheet.delete_rows(3)
    book.save(path)
    cohort = read_cohort(path, vl.plan)
    assert cohort.units == ["tinh-a"] and cohort.columns["1.3.a"][0] == 6


def _hand_written_workbook(path: Path, sheet_xml: bytes) -> Path:
    """A workbook as some programs write it: the minimum of parts, rows and cells without their `r` reference."""
    import zipfile

    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/></Types>',
        "xl/workbook.xml": b"<workbook " + ns + b' xmlns:r="' + rel + b'"><sheets>'
        b'<sheet name="DTI" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="' + rel + b'/worksheet" Target="worksheets/sheet1.xml"/>'
        b"</Relationships>",
        "xl/worksheets/sheet1.xml": b"<worksheet " + ns + b"><sheetData>" + sheet_xml + b"</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _text(value: str) -> bytes:
    return b'<c t="inlineStr"><is><t>' + value.encode() + b"</t></is></c>"


def test_cells_without_references_are_read_and_a_formula_by_its_saved_result(tmp_path: Path, vl: DtiFramework) -> None:
    header = b"<row>" + _text("unit") + _text("1.3.a") + _text("1.3.b") + b"</row>"
    saved = b"<row>" + _text("tinh-a") + b"<c><f>2*3</f><v>6</v></c><c><v>8</v></c></row>"
    book = _hand_written_workbook(tmp_path / "saved.xlsx", header + saved)
    cohort = read_cohort(book, vl.plan)
    assert cohort.units == ["tinh-a"]
    assert (cohort.columns["1.3.a"][0], cohort.columns["1.3.b"][0]) == (6, 8)
    never = b"<row>" + _text("tinh-a") + b"<c><f>2*3</f></c><c><v>8</v></c></row>"  # never calculated
    with pytest.raises(CertifyError) as exc:
        read_cohort(_hand_written_workbook(tmp_path / "never.xlsx", header + never), vl.plan)
    [p] = exc.value.problems
    assert (p.code, p.row, p.column, p.found) == ("formula-without-value", 2, "1.3.a", "=2*3")

"""The bad-input corpus: every file is rejected as a whole, each error naming file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from certify.cli.app import app
from certify.dti.cohort import read_cohort
from certify.dti.model import DtiFramework
from certify.errors import CertifyError

BAD = Path(__file__).parent / "bad_inputs"

# file → (row, column, problem code) of the error it must produce; the header is row 1
CASES = {
    "numerator_above_denominator.csv": (3, "1.3.a", "numerator-above-denominator"),
    "negative_count.csv": (3, "6.21", "bad-cell"),
    "unknown_criterion.csv": (1, "6.99.a", "unknown-criterion"),
    "missing_unit.csv": (3, "unit", "missing-unit"),
    "duplicate_unit.csv": (4, "unit", "duplicate-unit"),
    "ratio_above_one.csv": (3, "7.5", "bad-cell"),
    "unknown_option.csv": (3, "1.1", "bad-cell"),
    "ambiguous_thousands.csv": (3, "6.21", "bad-cell"),  # «1,5» is 1.5 by the one number rule; «1.234» is refused
    "appraised_numerator_above.csv": (3, "appraised:1.3.a", "numerator-above-denominator"),
}


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in BAD.glob("*.csv")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_rejected_with_file_row_and_column(name: str, vl: DtiFramework) -> None:
    row, column, code = CASES[name]
    with pytest.raises(CertifyError) as exc:
        read_cohort(BAD / name, vl.plan)
    problems = exc.value.problems
    assert [(p.row, p.column, p.code) for p in problems] == [(row, column, code)]
    message = problems[0].message()
    assert str(BAD / name) in message
    assert f"dòng/row {row}" in message and f"cột/column {column}" in message
    assert problems[0].vi != problems[0].en  # bilingual


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

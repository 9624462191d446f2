"""The national provincial DTI of the 2024 round (QĐ 405/QĐ-BKHCN) and the editions a cycle chooses from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from certify.cases import run_case_file
from certify.catalog import Catalog
from certify.cli.app import app
from certify.dti.model import DtiFramework
from certify.editions import edition_for_year
from certify.errors import CertifyError
from certify.provenance import Evidence
from tests.dti.conftest import FRAMEWORKS, load

CASES = FRAMEWORKS / "national-405-province" / "cases"


def test_weights_are_those_fitted_to_2024_and_say_they_are_inferred() -> None:
    fw = load("national-405-province")
    assert [i.effective_weight for i in fw.indices] == [50, 50, 140, 100, 100, 200, 150, 150]
    assert sum(i.effective_weight for i in fw.indices) == fw.max_points == 940
    assert all(i.status is Evidence.INFERRED for i in fw.indices)
    assert [i.name for i in fw.indices][:3] == ["Nhận thức số", "Thể chế số", "Hạ tầng số"]
    assert fw.supersedes == "national-922-province" and fw.applies_from == 2024
    assert fw.source.decision == "405/QĐ-BKHCN" and str(fw.source.date) == "2025-04-03"


def test_cli_scores_index_values_averages_merged_provinces_and_shares_ranks(tmp_path: Path) -> None:
    f = tmp_path / "dti2024.csv"
    f.write_text(
        "unit,name,1,2,3,4,5,6,7,8,merged_into\n"
        "A,Tỉnh A,0.8,0.6,0.7,0.5,0.9,0.6,0.4,0.5,\n"
        "B,Tỉnh B,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,\n"
        "C,Tỉnh C,0.7,0.5,0.6,0.4,0.8,0.5,0.5,0.6,CD\n"
        "D,Tỉnh D,0.5,0.7,0.6,0.6,0.6,0.7,0.5,0.4,CD\n"
        "E,Tỉnh E,56.81%,56.81%,56.81%,56.81%,56.81%,56.81%,56.81%,56.81%,\n",
        encoding="utf-8",
    )
    out = CliRunner().invoke(app, ["score", str(f), "-f", "national-405-province", "--index-level", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    # by hand: A 563/940 = 0.5989; CD (mean of C and D) 534/940 = 0.568085 → 0.5681, tied with E's 0.5681; B 0.5
    assert [(u["unit"], u["rank"], u["value"], u["points"]) for u in data["units"]] == [
        ("A", 1, 0.5989, 563.0),
        ("CD", 2, 0.5681, 534.0),
        ("E", 2, 0.5681, 534.01),  # points are published with 2 decimals
        ("B", 4, 0.5, 470.0),
    ]
    assert data["units"][1]["merged_from"] == ["C", "D"]
    caveats = data["framework"]["caveats"]
    assert any("940/940" in c["vi"] and "main-index weights" in c["en"] for c in caveats)
    table = CliRunner().invoke(app, ["score", str(f), "-f", "national-405-province", "--index-level"])
    text = " ".join(table.stdout.split())
    assert "suy luận" in text and "940/940" in text


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.glob("*.yaml")))
def test_hand_computed_cases_pass(case: str) -> None:
    result = run_case_file(CASES / case, Catalog([FRAMEWORKS]))
    assert result.ok, [*result.failures, *(p.message() for p in result.problems)]


def test_a_wrong_expectation_is_reported(tmp_path: Path) -> None:
    text = (CASES / "hai-tinh-hop-nhat-hang-chung.yaml").read_text(encoding="utf-8")
    wrong = tmp_path / "frameworks" / "national-405-province" / "cases" / "sai.yaml"
    wrong.parent.mkdir(parents=True)
    wrong.write_text(text.replace("value: 0.5989, rank: 1", "value: 0.599, rank: 2"), encoding="utf-8")
    result = run_case_file(wrong, Catalog([FRAMEWORKS]))
    assert list(result.failures) == ["A.value: expected 0.599, got 0.5989", "A.rank: expected 2, got 1"]
    typo = wrong.with_name("typo.yaml")
    typo.write_text(text.replace("expect:", "expected:"), encoding="utf-8")
    (problem,) = run_case_file(typo, Catalog([FRAMEWORKS])).problems
    assert problem.line is not None and problem.found == "expected"  # the author's line, the key written …
    assert "expect" in (problem.expected or "")  # … and the keys a DTI case has


@pytest.mark.parametrize(
    ("named", "year", "used"),
    [
        ("national-922-province", 2022, "national-922-province"),
        ("national-922-province", 2023, "national-922-province"),
        ("national-922-province", 2024, "national-405-province"),
        ("national-405-province", 2025, "national-405-province"),
        ("national-405-province", 2023, "national-922-province"),
        ("vinh-long-2554-province", 2030, "vinh-long-2554-province"),  # no editions: used as named
    ],
)
def test_a_year_gets_the_edition_of_its_round(named: str, year: int, used: str) -> None:
    edition = edition_for_year(Catalog([FRAMEWORKS]), named, year)
    assert edition.resolved.framework.id == used
    if used != named:
        assert edition.vi is not None and f"Năm {year} dùng ấn bản {used}" in edition.vi
    else:
        assert edition.vi is None


def test_a_year_before_every_edition_is_refused() -> None:
    with pytest.raises(CertifyError) as exc:
        edition_for_year(Catalog([FRAMEWORKS]), "national-405-province", 2021)
    p = exc.value.problems[0]
    assert p.code == "no-edition-for-year" and "national-922-province" in p.vi and p.found == "2021"


def test_a_province_edition_supersedes_by_version(tmp_path: Path) -> None:
    """A province's own decision replaced by a new one: `supersedes: id@version` links them."""
    base = (FRAMEWORKS / "national-922-province" / "1.0.yaml").read_text(encoding="utf-8")
    for ident, extra in (
        ("tinh-x-2023", "applies_from: 2023\n"),
        ("tinh-x-2025", "applies_from: 2025\nsupersedes: tinh-x-2023@1.0\n"),
    ):
        folder = tmp_path / ident
        folder.mkdir()
        text = base.replace("id: national-922-province", f"id: {ident}").replace("applies_from: 2022\n", extra)
        (folder / "1.0.yaml").write_text(text, encoding="utf-8")
    catalog = Catalog([tmp_path])
    assert edition_for_year(catalog, "tinh-x-2023", 2026).resolved.framework.id == "tinh-x-2025"
    assert edition_for_year(catalog, "tinh-x-2025", 2024).resolved.framework.id == "tinh-x-2023"
    fw = catalog.load("tinh-x-2025").framework
    assert isinstance(fw, DtiFramework) and fw.supersedes == "tinh-x-2023@1.0"

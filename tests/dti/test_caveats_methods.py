"""What every DTI output says beside its numbers (points resting on inferred readings), and the method list
generated from the registry with worked numbers that are scored, not typed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from certify.cli.app import app
from certify.dti.caveats import code_list, inferred_share
from certify.dti.method_docs import BEGIN, END, method_docs, replace_section, to_markdown
from certify.dti.methods import method_names
from certify.dti.model import DtiFramework
from tests.dti.test_cli import _file

INFERRED_VI = "Điểm dựa trên cách đọc suy luận, không phải văn bản: 90/1000 điểm"


def test_vinh_long_says_how_many_points_rest_on_inferred_readings(vl: DtiFramework) -> None:
    share = inferred_share(vl)
    assert share is not None
    assert share.points == 90 and share.codes == ("4.5", "4.6", "4.9", "4.11", "5.1", "5.9", "5.10", "8.6", "8.7")
    assert share.conditional_points == 80 and code_list(share.conditional_codes) == "6.8–6.14, 6.17"
    assert share.vi.startswith(INFERRED_VI) and "up to 80 more" in share.en


def test_a_framework_read_from_its_text_has_no_such_line() -> None:
    from tests.dti.conftest import load

    assert inferred_share(load("national-922-province")) is None


def test_every_output_of_vinh_long_carries_the_line(tmp_path: Path) -> None:
    f = _file(tmp_path)
    runner = CliRunner()
    table = runner.invoke(app, ["score", str(f), "-f", "vinh-long-2554-province"])
    assert INFERRED_VI in " ".join(table.stdout.split())
    data = json.loads(runner.invoke(app, ["score", str(f), "-f", "vinh-long-2554-province", "--json"]).stdout)
    assert data["framework"]["caveats"][0]["vi"].startswith(INFERRED_VI)
    csv_out = runner.invoke(app, ["score", str(f), "-f", "vinh-long-2554-province", "--csv"])
    assert csv_out.stdout.startswith("unit,")  # the CSV stays one table …
    assert INFERRED_VI in " ".join(csv_out.stderr.split())  # … and the line goes beside it
    show = runner.invoke(app, ["frameworks", "show", "vinh-long-2554-province"])
    assert INFERRED_VI in " ".join(show.stdout.split())


def test_every_registered_method_is_documented_with_a_scored_example() -> None:
    docs = {d.name: d for d in method_docs()}
    assert sorted(docs) == method_names()
    for name, d in docs.items():
        assert d.formula and d.summary, name
        assert d.example is not None, f"{name}: no worked example"
        assert 0 <= d.example.points <= d.example.max_points
        assert d.example.explanation
    # the numbers are those of the reference catalogue, computed now
    expected = {
        "binary": 10,
        "categorical": 5,
        "ratio": 7.5,
        "ratio_cap": 15,
        "ratio_cap_jump": 4.9,
        "all_or_nothing": 0,
        "count_capped": 10,
        "tiers": 3.5,
        "sum_of_parts": 7,
        "partial_credits": 8,
        "best_alternative": 7.5,
        "relative_to_best": 5,
        "min_max": 2,
    }
    assert {n: pytest.approx(docs[n].example.points) for n in expected} == expected  # type: ignore[union-attr]


def test_parameters_come_from_the_method_models() -> None:
    docs = {d.name: d for d in method_docs()}
    cap = {p.name: p for p in docs["ratio_cap"].params}
    assert cap["cap"].required and cap["cap"].type.startswith("fraction")
    assert not cap["share"].required and cap["share"].default == "true"
    assert [p.name for p in docs["tiers"].nested["tiers"]] == ["min", "fraction", "label"]
    assert {"options", "parts", "alternatives"} <= {k for d in docs.values() for k in d.nested}


def test_score_methods_prints_every_method(tmp_path: Path) -> None:
    out = CliRunner().invoke(app, ["score", "--methods"])
    assert out.exit_code == 0, out.output
    for name in method_names():
        assert name in out.stdout
    assert "7.5/10 điểm" in out.stdout and "6/8 = 0.75 × 10 = 7.5" in out.stdout
    data = json.loads(CliRunner().invoke(app, ["score", "--methods", "--json"]).stdout)
    assert [d["name"] for d in data] == method_names()
    assert "scoring methods" in CliRunner().invoke(app, ["score", "--help"]).stdout
    missing = CliRunner().invoke(app, ["score"], standalone_mode=False)
    assert missing.exception is not None and "--methods" in str(missing.exception)


def test_an_installed_method_is_listed_too(install_plugin: Any) -> None:
    install_plugin("ext-methods", {"certify.scoring_methods": {"doubled": "tests.dti.test_registry:Doubled"}})
    docs = {d.name: d for d in method_docs()}
    assert docs["doubled"].example is None  # documented, and says it has no worked example
    assert "`doubled`" in to_markdown(list(docs.values()))
    assert "doubled" in CliRunner().invoke(app, ["score", "--methods"]).stdout


def test_the_section_between_the_markers_is_replaced() -> None:
    text = f"# Guide\n\n{BEGIN}\nold text\n{END}\n\nmore\n"
    out = replace_section(text, "new text\n")
    assert out == f"# Guide\n\n{BEGIN}\nnew text\n{END}\n\nmore\n"
    with pytest.raises(ValueError, match="markers"):
        replace_section("no markers", "x")


def test_the_guide_lists_the_methods_as_the_registry_does() -> None:
    """docs/frameworks.md §8.8 is generated; regenerate with `python -m certify.dti.method_docs docs/frameworks.md`."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "frameworks.md").read_text(encoding="utf-8")
    assert replace_section(guide, to_markdown(method_docs())) == guide

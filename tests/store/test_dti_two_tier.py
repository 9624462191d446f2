"""Stored DTI of the two-tier era: a cycle opens on the edition of its year; units left out of the ranking are
stored with their reason and shown apart by `certify dti show` and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from certify.cli.app import app
from certify.store.cycles import open_cycle
from certify.store.dti_results import cycle_results, import_dti, ranking
from certify.store.engine import transaction


@pytest.mark.parametrize(("year", "edition"), [(2023, "national-922-province"), (2024, "national-405-province")])
def test_a_cycle_opens_on_the_edition_of_its_year(engine: Engine, year: int, edition: str) -> None:
    with transaction(engine) as s:
        info = open_cycle(s, year=year, framework="national-922-province", actor="so-khcn")
    assert (info.framework_id, info.year, info.tier, info.kind) == (edition, year, "province", "dti")


def test_not_ranked_units_are_stored_with_their_reason(loaded: Engine, tmp_path: Path) -> None:
    with transaction(loaded) as s:
        cycle = open_cycle(s, year=2025, framework="vinh-long-2554-commune", actor="so-khcn").id
    path = tmp_path / "xa.csv"
    path.write_text(
        "unit,name,1,2,3,4,5,6,7,8,not_ranked\n"
        "29602,,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7,\n"
        "29836,,0.9,0.9,0.9,0.9,0.9,0.9,0.9,0.9,tính chất đặc thù\n"
        "29677,,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,\n",
        encoding="utf-8",
    )
    with transaction(loaded) as s:
        import_dti(s, cycle, path, actor="so-khcn", index_level=True)
        ranks = {r.unit_code: (r.rank, r.detail["not_ranked_reason"]) for r in cycle_results(s, cycle)}
        rows = ranking(s, cycle)
    assert ranks == {"29602": (1, None), "29677": (2, None), "29836": (None, "tính chất đặc thù")}
    assert [r["unit"] for r in rows][-1] == "29836"  # after every ranked unit


def test_dti_show_prints_them_apart(loaded: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", str(loaded.url.render_as_string(hide_password=False)))
    test_not_ranked_units_are_stored_with_their_reason(loaded, tmp_path)
    out = CliRunner().invoke(app, ["dti", "show", "--cycle", "1"])
    assert out.exit_code == 0, out.output
    text = " ".join(out.stdout.split())
    ranked, _, apart = text.partition("Không xếp hạng")
    assert "29602" in ranked and "29836" not in ranked
    assert "29836" in apart and "tính chất đặc thù" in apart
    assert "chưa đầy đủ" in ranked  # the partial framework's banner comes first

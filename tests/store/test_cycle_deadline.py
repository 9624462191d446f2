"""A cycle's deadline (migration 0007): optional, set when the cycle opens (`certify cycle open --deadline`), kept as
a day; a text that is not a day, or a day far from the cycle's year, is refused with a bilingual message."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Engine, inspect
from typer.testing import CliRunner

from certify.errors import CertifyError
from certify.store.cycles import list_cycles, open_cycle, parse_deadline
from certify.store.engine import transaction

FW = "sample-2361-commune"


def test_deadline_column_and_open_cycle(engine: Engine) -> None:
    assert "deadline" in {c["name"] for c in inspect(engine).get_columns("cycle")}
    with transaction(engine, write=True) as s:
        with_day = open_cycle(s, year=2026, framework=FW, actor="so", deadline=dt.date(2026, 3, 31))
        without = open_cycle(s, year=2025, framework=FW, actor="so")
    assert with_day.deadline == dt.date(2026, 3, 31) and without.deadline is None
    with transaction(engine) as s:
        assert {c.year: c.deadline for c in list_cycles(s)} == {2025: None, 2026: dt.date(2026, 3, 31)}


@pytest.mark.parametrize(
    ("text", "said"),
    [("31/3/2026", "không phải một ngày"), ("2026-02-30", "không phải một ngày"), ("2031-03-31", "2025–2027")],
)
def test_bad_deadlines_are_refused(text: str, said: str) -> None:
    with pytest.raises(CertifyError) as exc:
        parse_deadline(text, 2026)
    problem = exc.value.problems[0]
    assert problem.code == "bad-deadline" and said in problem.vi and problem.en


def test_cli_cycle_open_with_deadline(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from certify.cli.app import app

    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    runner = CliRunner()
    res = runner.invoke(app, ["cycle", "open", "--year", "2026", "--framework", FW, "--deadline", "2026-03-31"])
    assert res.exit_code == 0, res.output
    assert "hạn nộp / deadline 2026-03-31" in res.output
    shown = runner.invoke(app, ["cycle", "open", "--year", "2026", "--framework", FW, "--json"])
    assert json.loads(shown.output)["deadline"] == "2026-03-31"  # the cycle already open, with its deadline
    bad = runner.invoke(app, ["cycle", "open", "--year", "2027", "--framework", FW, "--deadline", "mai"])
    assert bad.exit_code != 0
    with transaction(engine) as s:
        assert [c.year for c in list_cycles(s)] == [2026]  # nothing opened by the refused command

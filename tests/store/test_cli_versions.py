"""The command line names the version too: `certify cycle show` lists CODE@VERSION, `certify move` and
`certify recognise` refuse a unit without one (one bilingual line, exit 2) and a stale one (conflict)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from certify.store.cycles import get_cycle, open_cycle
from certify.store.engine import transaction
from certify.store.submissions import ValueInput, ensure_submission, find_submission, set_values
from certify.store.units import get_unit
from tests.store.helpers import run_cli

CODE = "29641"


@pytest.fixture
def draft(loaded: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    with transaction(loaded, write=True) as s:
        cycle = open_cycle(s, year=2024, framework="sample-2361-commune", actor="so")
        sub = ensure_submission(s, get_cycle(s, cycle.id), get_unit(s, "pre2025", CODE, "commune"), "xa")
        set_values(s, sub, "self", {"CQS-08": ValueInput(150)}, "xa", expected_version=sub.version)
    return cycle.id


def test_move_needs_the_version_shown_by_cycle_show(
    draft: int, loaded: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(monkeypatch, capsys, "cycle", "show", str(draft), "--json")
    assert code == 0
    [row] = json.loads(out)
    version = row["version"]
    code, out, _ = run_cli(monkeypatch, capsys, "cycle", "show", str(draft))
    assert f"{CODE}@{version}" in out

    code, _, err = run_cli(monkeypatch, capsys, "move", "--cycle", str(draft), CODE, "submitted")
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "phiên bản" in lines[0] and "version" in lines[0]
    code, _, err = run_cli(monkeypatch, capsys, "move", "--cycle", str(draft), f"{CODE}@x", "submitted")
    assert code == 2 and "bad-version" not in err and "không hợp lệ" in err
    with transaction(loaded) as s:
        assert find_submission(s, draft, CODE).state == "draft"

    code, out, _ = run_cli(monkeypatch, capsys, "move", "--cycle", str(draft), f"{CODE}@{version}", "submitted")
    assert code == 0 and "submitted" in out
    code, _, err = run_cli(
        monkeypatch, capsys, "move", "--cycle", str(draft), CODE, "returned", "--version", str(version)
    )
    assert code == 2 and "người khác" in err and f"phiên bản {version}" in err  # stale: moved on meanwhile
    with transaction(loaded) as s:
        assert find_submission(s, draft, CODE).state == "submitted"


def test_recognise_several_units_needs_each_version(
    draft: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["recognise", "--cycle", str(draft), "--decision", "1/QĐ", "--date", "2025-03-01", "--signer", "A"]
    code, _, err = run_cli(monkeypatch, capsys, *args, CODE, "29602", "--version", "3")
    assert code == 2 and "MÃ@PHIÊN_BẢN" in err

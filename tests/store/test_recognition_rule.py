"""Recognition only at a level the unit holds, never at «Chưa đạt mức nào»: one rule
(`certify.store.recognition`) for the command line, the API and the decision draft (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from certify.errors import CertifyError
from certify.store.certification import certify_cycle
from certify.store.cycles import get_cycle, open_cycle
from certify.store.editing import recognise_units
from certify.store.engine import transaction
from certify.store.recognition import current_certification, holds_level
from certify.store.submissions import ensure_submission, find_submission, set_values, transition, value_inputs
from certify.store.units import get_unit
from tests.intake.helpers import sample_values
from tests.store.helpers import run_cli

EMPTY, FULL = "29641", "29602"  # every value missing / the sample commune's values


def appraise_two(engine: Engine, cycle_year: int = 2024) -> int:
    """A cycle with two appraised, certified communes: one meets no level (no value at all), one a level."""
    with transaction(engine, write=True) as s:
        cycle = open_cycle(s, year=cycle_year, framework="sample-2361-commune", actor="so").id
        for code in (EMPTY, FULL):
            sub = ensure_submission(s, get_cycle(s, cycle), get_unit(s, "pre2025", code, "commune"), "xa")
            if code == FULL:
                set_values(s, sub, "self", value_inputs(sample_values()), "xa", expected_version=sub.version)
            for state in ("submitted", "under_appraisal", "appraised"):
                transition(s, sub, state, "so", expected_version=sub.version)
        certify_cycle(s, cycle, "so")
    return cycle


def _versions(engine: Engine, cycle: int) -> dict[str, int]:
    with transaction(engine) as s:
        return {code: find_submission(s, cycle, code).version for code in (EMPTY, FULL)}


def test_the_rule() -> None:
    assert holds_level("appraised", "muc-1") and not holds_level("appraised", None)
    assert not holds_level("under_appraisal", "muc-1") and not holds_level("recognised", "muc-1")


def test_store_refuses_a_unit_at_no_level_and_records_nothing(loaded: Engine) -> None:
    cycle = appraise_two(loaded)
    v = _versions(loaded, cycle)
    with pytest.raises(CertifyError) as e, transaction(loaded, write=True) as s:
        recognise_units(s, cycle, v, decision_number="9/QĐ", decision_date=dt.date(2025, 3, 1), signer="A", actor="t")
    p = e.value.problems[0]
    assert p.code == "no-level-held" and EMPTY in p.vi and "Chưa đạt mức nào" in p.vi and "no level" in p.en
    with transaction(loaded) as s:  # all or none: the unit holding a level was not recorded either
        assert {c: find_submission(s, cycle, c).state for c in v} == {EMPTY: "appraised", FULL: "appraised"}


def test_cli_refuses_no_level_shows_the_level_and_asks(
    loaded: Engine,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    cycle = appraise_two(loaded)
    v = _versions(loaded, cycle)
    base = ["recognise", "--cycle", str(cycle), "--decision", "9/QĐ-UBND", "--date", "2025-03-01", "--signer", "A"]

    code, out, err = run_cli(monkeypatch, capsys, *base, f"{EMPTY}@{v[EMPTY]}", "--yes")
    assert code == 2 and "Chưa đạt mức nào" in err and "no level" in err and "Đã công nhận" not in out

    code, out, err = run_cli(monkeypatch, capsys, *base, f"{FULL}@{v[FULL]}")  # a script without --yes
    assert code == 2 and "--yes" in err and "công nhận 1 đơn vị" in out
    with transaction(loaded) as s:
        cert = current_certification(s, find_submission(s, cycle, FULL).id)
        assert cert is not None
        level_name = cert.level_name
        assert find_submission(s, cycle, FULL).state == "appraised"
    assert f"{FULL}" in out and level_name in out and level_name != "Chưa đạt mức nào"

    code, out, err = run_cli(monkeypatch, capsys, *base, f"{FULL}@{v[FULL]}", answer="y\n")
    assert code == 0 and "Đã công nhận" in out
    with transaction(loaded) as s:
        assert find_submission(s, cycle, FULL).state == "recognised"


def test_decision_draft_lists_the_units_a_decision_may_recognise(
    loaded: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reports.from_store import read_cycle

    cycle = appraise_two(loaded)
    with transaction(loaded) as s:
        stored = read_cycle(s, cycle)
    assert [e.unit.assessment.unit for e in stored.for_decision()] == [FULL]

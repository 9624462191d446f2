"""`certify dti import --replace` never empties or shrinks a stored ranking silently (SQLite and PostgreSQL).

A header-only file is refused; a file that leaves out units already scored is refused unless `--allow-shrink`,
and then the units that disappear are listed and the replacement confirmed (`--yes` for scripts; without a
terminal and without `--yes`, one bilingual line and exit 2). The stored ranking is checked after each refusal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from certify.errors import CertifyError
from certify.store.cycles import open_cycle
from certify.store.dti_results import cycle_results, import_dti, preview_dti
from certify.store.engine import transaction
from certify.store.models import AuditEvent
from tests.store.helpers import run_cli
from tests.store.test_dti_store import FW, HEADER, _csv

STORED = {"29602": 0.7, "29836": 0.6, "29677": 0.9}  # three communes of Vĩnh Long (current map)


@pytest.fixture
def scored(loaded: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """A 2025 DTI cycle holding the results of three communes."""
    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    with transaction(loaded) as s:
        cycle = open_cycle(s, year=2025, framework=FW, actor="so-khcn").id
        import_dti(s, cycle, _csv(tmp_path / "first.csv", STORED), actor="so-khcn")
    return cycle


def _ranking(engine: Engine, cycle: int) -> dict[str, float]:
    with transaction(engine) as s:
        return {r.unit_code: round(r.value, 4) for r in cycle_results(s, cycle)}


def test_header_only_file_is_refused_and_the_ranking_kept(
    scored: int, loaded: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "header-only.csv"
    empty.write_text(HEADER, encoding="utf-8")
    before = _ranking(loaded, scored)
    for extra in ([], ["--allow-shrink", "--yes"]):
        code, _, err = run_cli(
            monkeypatch, capsys, "dti", "import", str(empty), "--cycle", str(scored), "--replace", *extra
        )
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 2 and len(lines) == 1, err
        assert "không có dòng đơn vị nào" in lines[0] and "no unit rows" in lines[0] and str(empty) in lines[0]
        assert _ranking(loaded, scored) == before
    with pytest.raises(CertifyError) as e, transaction(loaded) as s:
        import_dti(s, scored, empty, actor="x", replace=True, allow_shrink=True)
    assert e.value.problems[0].code == "dti-no-units"


def test_a_shrinking_file_is_refused_naming_the_units_that_would_disappear(
    scored: int, loaded: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    smaller = _csv(tmp_path / "smaller.csv", {"29602": 0.5, "28921": 0.4})  # 29836 and 29677 left out
    before = _ranking(loaded, scored)
    code, _, err = run_cli(
        monkeypatch, capsys, "dti", "import", str(smaller), "--cycle", str(scored), "--replace", "--yes"
    )
    assert code == 2 and "thiếu 2/3 đơn vị" in err and "leaves out 2 of the 3" in err and "--allow-shrink" in err
    assert "29836" in err and "29677" in err and "29602" not in err.replace(str(smaller), "")
    assert _ranking(loaded, scored) == before
    with transaction(loaded) as s:
        plan = preview_dti(s, scored, smaller)
    assert (plan.stored, plan.units, plan.added) == (3, 2, 1)
    assert [code for code, _ in plan.dropped] == ["29677", "29836"] and all(name for _, name in plan.dropped)


def test_allow_shrink_lists_the_lost_units_and_asks(
    scored: int, loaded: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    smaller = _csv(tmp_path / "smaller.csv", {"29602": 0.5})
    args = ["dti", "import", str(smaller), "--cycle", str(scored), "--replace", "--allow-shrink"]
    before = _ranking(loaded, scored)
    with transaction(loaded) as s:
        names = {code: name for code, name in preview_dti(s, scored, smaller).dropped}

    code, out, err = run_cli(monkeypatch, capsys, *args)  # a script without --yes: nothing done
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "--yes" in lines[0] and "cần xác nhận" in lines[0]
    assert all(f"{c} {n}" in out for c, n in names.items()) and "thay 3 kết quả" in out
    assert _ranking(loaded, scored) == before

    code, out, err = run_cli(monkeypatch, capsys, *args, answer="n\n")  # a person says no
    assert code == 1 and "Đã hủy" in err and f"29677 {names['29677']}" in out
    assert _ranking(loaded, scored) == before

    code, out, _ = run_cli(monkeypatch, capsys, *args, answer="y\n")  # …and yes
    assert code == 0 and "thay 3 kết quả cũ" in out
    assert _ranking(loaded, scored) == {"29602": 0.5}
    with transaction(loaded) as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "replace")).one()
        assert event.new["dropped"] == ["29677", "29836"] and event.old["units"] == 3


def test_a_covering_replacement_still_asks_and_yes_is_for_scripts(
    scored: int, loaded: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wider = _csv(tmp_path / "wider.csv", STORED | {"29602": 0.1, "28921": 0.3})
    args = ["dti", "import", str(wider), "--cycle", str(scored), "--replace"]
    before = _ranking(loaded, scored)
    code, out, err = run_cli(monkeypatch, capsys, *args)
    assert code == 2 and "--yes" in err and "mới 1, mất 0" in out
    assert _ranking(loaded, scored) == before
    code, out, _ = run_cli(monkeypatch, capsys, *args, "--yes")
    assert code == 0 and _ranking(loaded, scored) == {"29602": 0.1, "29836": 0.6, "29677": 0.9, "28921": 0.3}


def test_the_units_confirmed_must_be_the_units_lost(scored: int, loaded: Engine, tmp_path: Path) -> None:
    """Someone re-scored between the question and the answer: the agreed loss is no longer the real one."""
    smaller = _csv(tmp_path / "smaller.csv", {"29602": 0.5, "29836": 0.5})
    before = _ranking(loaded, scored)
    with pytest.raises(CertifyError) as e, transaction(loaded) as s:
        import_dti(
            s, scored, smaller, actor="x", replace=True, allow_shrink=True, expected_dropped=frozenset({"29836"})
        )
    p = e.value.problems[0]
    assert p.code == "dti-changed" and p.found == "29677" and p.expected == "29836"
    assert _ranking(loaded, scored) == before

"""Bad forms among good ones write nothing (or only the good ones with --partial), the real process exits 2 with
both messages, and the export neutralises formula-like text. The corpus of bad forms itself (each refused at its
sheet, row and column, the database unchanged) is tests/hostile/corpus/form, run by tests/hostile/test_corpus.py."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from certify.errors import Problem
from certify.intake.importer import import_files
from certify.store.cycles import open_cycle
from certify.store.engine import make_engine, transaction
from certify.store.migrate import upgrade
from certify.store.unit_sources import SourceData, read_sources
from certify.store.units import load_units
from tests.hostile.harness import CORPUS
from tests.intake.helpers import FW, ROOT, filled_form
from tests.store.helpers import counts

BAD = CORPUS / "form"
CLI = [sys.executable, "-c", "from certify.cli.app import main; main()"]


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, int, str]]:
    folder = tmp_path_factory.mktemp("corpus")
    url = f"sqlite:///{folder / 'certify.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    data: SourceData = read_sources()
    with transaction(engine) as s:
        load_units(s, data)
        cycle = open_cycle(s, year=2024, framework=FW, actor="test")
    # One good unit already imported, so that "unchanged" also means "not overwritten".
    with transaction(engine) as s:
        assert import_files(s, cycle.id, [filled_form(folder, "29644")], "test").ok
    yield engine, cycle.id, url
    engine.dispose()


def _import(db: tuple[Engine, int, str], name: str) -> list[Problem]:
    engine, cycle_id, _ = db
    before = counts(engine)
    with transaction(engine) as s:
        result = import_files(s, cycle_id, [BAD / name], "test")
    assert counts(engine) == before, "a rejected import must leave the database unchanged"
    assert result.problems and result.units_written == 0
    for p in result.problems:
        assert p.vi and p.en and p.file and p.file.endswith(name)
    return result.problems


def test_one_bad_file_among_good_ones_writes_nothing_unless_partial(
    corpus_db: tuple[Engine, int, str], tmp_path: Path
) -> None:
    engine, cycle_id, _ = corpus_db
    good = filled_form(tmp_path, "29647", name="good.xlsx")
    before = counts(engine)
    with transaction(engine) as s:
        result = import_files(s, cycle_id, [good, BAD / "negative_count.xlsx"], "test")
    assert result.problems and result.units_written == 0 and counts(engine) == before
    with transaction(engine) as s:
        result = import_files(s, cycle_id, [good, BAD / "negative_count.xlsx"], "test", partial=True)
    assert result.units_written == 1 and result.rejected_units == ["29641"]
    assert counts(engine)["submission"] == before["submission"] + 1


def test_cli_rejects_with_bilingual_message_and_exit_2(corpus_db: tuple[Engine, int, str]) -> None:
    _, cycle_id, url = corpus_db
    env = {**os.environ, "CERTIFY_DATABASE_URL": url, "COLUMNS": "200"}
    proc = subprocess.run(
        [*CLI, "import", str(BAD / "text_in_number.xlsx"), "--cycle", str(cycle_id)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr
    assert "không phải là số" in proc.stderr and "Not a number" in proc.stderr and "85,5" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    proc = subprocess.run(
        [*CLI, "export", "--cycle", "999", "-o", "/dev/null", "--force"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 2 and "No cycle 999" in proc.stderr and "Traceback" not in proc.stderr


def test_export_neutralises_formula_like_text(corpus_db: tuple[Engine, int, str], tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from sqlalchemy import update

    from certify.intake.export import export_cycle
    from certify.store.models import AdminUnit

    engine, cycle_id, _ = corpus_db
    with transaction(engine) as s:
        s.execute(
            update(AdminUnit)
            .where(AdminUnit.map == "pre2025", AdminUnit.code == "29644")
            .values(name='=HYPERLINK("http://example.invalid","x")')
        )
    try:
        with transaction(engine) as s:
            out = export_cycle(s, cycle_id, tmp_path / "out.xlsx")
        ws = load_workbook(out)["Kết quả"]
        [cell] = [row[1] for row in ws.iter_rows() if row[1].value == '=HYPERLINK("http://example.invalid","x")']
        assert cell.data_type == "s" and cell.quotePrefix  # shown as typed, stored as text
        assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    finally:
        with transaction(engine) as s:
            s.execute(
                update(AdminUnit)
                .where(AdminUnit.map == "pre2025", AdminUnit.code == "29644")
                .values(name="Xã Mỹ Phước")
            )

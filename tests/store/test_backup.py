"""`certify db backup` / `certify db restore`: a round trip gives back every row of every table exactly, on SQLite
and PostgreSQL; restore shows what it replaces and asks; a file that is not a backup of this schema is refused and
changes nothing."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from certify.catalog import Catalog, bundled_root
from certify.store.accounts import add_user
from certify.store.backup import tables
from certify.store.cycles import open_cycle
from certify.store.demo import load_demo
from certify.store.engine import transaction
from tests.store.helpers import run_cli


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for t in tables():
            out[t.name] = [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
    return out


@pytest.fixture
def demo(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The demo province (units, level and DTI cycles, certifications, audit) and an account."""
    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    assert load_demo(engine, Catalog([bundled_root("frameworks")]), bundled_root("samples") / "assessments")
    with transaction(engine) as s:
        add_user(s, "so-tt", "province_admin", "mat-khau-du-dai-1", actor="test")
    return engine


def test_round_trip_gives_back_every_row(
    demo: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(demo)
    assert sum(len(rows) for rows in before.values()) > 10_000  # units, mergers, cycles, results, audit …
    file = tmp_path / "sao-luu.certify-backup"
    code, out, err = run_cli(monkeypatch, capsys, "db", "backup", str(file))
    assert code == 0, err
    assert "Đã sao lưu" in out and "CERTIFY_EVIDENCE_DIR" in out
    code, _, err = run_cli(monkeypatch, capsys, "db", "backup", str(file))
    assert code == 2 and "--force" in err  # an existing backup is not overwritten silently

    with transaction(demo, write=True) as s:  # the day goes on: a new cycle, an account
        open_cycle(s, year=2026, framework="sample-2361-commune", actor="so")
        add_user(s, "xa-moi", "public_viewer", "mat-khau-du-dai-2", actor="test")
    changed = snapshot(demo)
    assert changed != before

    code, out, err = run_cli(monkeypatch, capsys, "db", "restore", str(file))  # a script without --yes
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "--yes" in lines[0]
    assert "cycle:" in out and "→" in out and snapshot(demo) == changed
    code, out, err = run_cli(monkeypatch, capsys, "db", "restore", str(file), answer="n\n")
    assert code == 1 and snapshot(demo) == changed

    code, out, err = run_cli(monkeypatch, capsys, "db", "restore", str(file), answer="y\n")
    assert code == 0, err
    assert snapshot(demo) == before  # exactly: every row, every value
    with transaction(demo, write=True) as s:  # and the database goes on: new ids follow the restored ones
        info = open_cycle(s, year=2026, framework="sample-2361-commune", actor="so")
    assert info.id == max(r[0] for r in before["cycle"]) + 1


def test_what_is_not_a_backup_of_this_schema_is_refused(
    demo: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.certify-backup"
    assert run_cli(monkeypatch, capsys, "db", "backup", str(good))[0] == 0
    before = snapshot(demo)
    raw = gzip.decompress(good.read_bytes()).decode("utf-8").splitlines()

    other = tmp_path / "other-revision.certify-backup"
    header = json.loads(raw[0]) | {"revision": "0001"}
    other.write_bytes(gzip.compress("\n".join([json.dumps(header), *raw[1:]]).encode("utf-8")))
    cut = tmp_path / "cut.certify-backup"
    cut.write_bytes(gzip.compress("\n".join(raw[: len(raw) // 2]).encode("utf-8")))
    truncated = tmp_path / "truncated.certify-backup"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    text = tmp_path / "notes.csv"
    text.write_text("unit,name\n29602,Xã An\n", encoding="utf-8")

    for file, vi, en in (
        (other, "phiên bản lược đồ khác", "another schema revision"),
        (cut, "cắt cụt", "cut short"),
        (truncated, "bị hỏng", "damaged"),
        (text, "Không phải tệp sao lưu", "Not a certify backup"),
    ):
        code, _, err = run_cli(monkeypatch, capsys, "db", "restore", str(file), "--yes")
        assert code == 2 and vi in err and en in err and str(file) in err, (file, err)
        assert "Traceback" not in err
    assert snapshot(demo) == before

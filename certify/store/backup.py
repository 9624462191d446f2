"""`certify db backup` / `certify db restore`: every table of the database in one portable file, and back.

One format for SQLite and PostgreSQL (a backup of one restores into the other): gzip-compressed JSON lines — a
header naming the format, its version and the schema revision (Alembic), then each table in foreign-key order with
its column names and its rows, then a closing line with the row count of every table. Values keep their type
exactly: numbers as JSON numbers (a float's shortest repr reads back bit for bit), dates and times in ISO 8601,
bytes in base64, JSON columns as JSON. The tables are read in one transaction (a consistent snapshot; REPEATABLE
READ on PostgreSQL), and the file is written beside its target and renamed into place: a backup is whole or absent.

A restore replaces every row of every table in one transaction: all or nothing. It refuses a file that is not a
certify backup, is damaged or cut short, or was made at another schema revision than this version of certify.
Evidence files live outside the database (`CERTIFY_EVIDENCE_DIR`): back that folder up beside the file.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Date, DateTime, Engine, Integer, LargeBinary, Table, func, select, text
from sqlalchemy.orm import Session

from certify.errors import CertifyError
from certify.store.engine import transaction
from certify.store.migrate import current_revision, head_revision
from certify.store.models import Base

FORMAT = "certify-backup"
FORMAT_VERSION = 1
CHUNK = 1000


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds (its header and closing line)."""

    file: str
    revision: str
    created: str
    dialect: str
    counts: dict[str, int]


def tables() -> list[Table]:
    """Every table of the schema, parents before children: the modules of certify.store that declare tables are
    imported first (by name, found in their source), so a table added in a new module is never left out."""
    import importlib

    here = Path(__file__).parent
    for source in sorted(here.glob("*.py")):
        if source.stem != "backup" and "__tablename__" in source.read_text(encoding="utf-8"):
            importlib.import_module(f"certify.store.{source.stem}")
    return list(Base.metadata.sorted_tables)


def _bad(file: Path, vi: str, en: str, expected: str | None = None, found: str | None = None) -> CertifyError:
    return CertifyError.one("not-a-backup", vi, en, file=str(file), expected=expected, found=found)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decoder(table: Table, columns: list[str]) -> list[Any]:
    """One function per column turning the stored JSON value back into the column's Python value."""
    out: list[Any] = []
    for name in columns:
        kind = table.c[name].type
        if isinstance(kind, DateTime):
            out.append(lambda v: None if v is None else dt.datetime.fromisoformat(v))
        elif isinstance(kind, Date):
            out.append(lambda v: None if v is None else dt.date.fromisoformat(v))
        elif isinstance(kind, LargeBinary):
            out.append(lambda v: None if v is None else base64.b64decode(v))
        else:
            out.append(lambda v: v)
    return out


def _check_tables(engine: Engine) -> None:
    """Every table of the database is one this module knows: a backup never leaves one out silently."""
    from sqlalchemy import inspect

    unknown = set(inspect(engine).get_table_names()) - {t.name for t in tables()} - {"alembic_version"}
    if unknown:
        raise CertifyError.one(
            "unknown-tables",
            "Cơ sở dữ liệu có bảng mà bản sao lưu không biết; không sao lưu thiếu — báo cho nhóm phát triển",
            "The database holds tables the backup does not know; no partial backup is made — report it",
            found=", ".join(sorted(unknown)),
        )


def _check_revision(engine: Engine) -> str:
    _check_tables(engine)
    revision, head = current_revision(engine), head_revision()
    if revision != head or revision is None:
        raise CertifyError.one(
            "schema-not-current",
            "Cơ sở dữ liệu chưa ở phiên bản lược đồ của chương trình; chạy «certify db upgrade» trước",
            "The database is not at this program's schema revision; run 'certify db upgrade' first",
            expected=str(head),
            found=str(revision),
        )
    return revision


def backup(engine: Engine, path: Path) -> BackupInfo:
    """Write every table to `path` (replaced atomically); returns what was written."""
    revision = _check_revision(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    counts: dict[str, int] = {}
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    try:
        with gzip.open(part, "wt", encoding="utf-8", newline="\n") as out, _snapshot(engine) as session:
            _line(out, {"format": FORMAT, "version": FORMAT_VERSION, "revision": revision})
            _line(out, {"created": created, "dialect": engine.dialect.name, "tables": [t.name for t in tables()]})
            for table in tables():
                columns = [c.name for c in table.columns]
                _line(out, {"table": table.name, "columns": columns})
                key = [table.c[c.name] for c in table.primary_key.columns]
                n = 0
                for row in session.execute(select(*table.columns).order_by(*key)).yield_per(CHUNK):
                    _line(out, [_encode(v) for v in row])
                    n += 1
                counts[table.name] = n
            _line(out, {"end": True, "counts": counts})
        with part.open("rb") as fh:  # the bytes reach the disk before the name does
            os.fsync(fh.fileno())
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return BackupInfo(str(path), revision, created, engine.dialect.name, counts)


class _snapshot:
    """A read-only transaction seeing one consistent state of every table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.tx: Any = None

    def __enter__(self) -> Session:
        self.tx = transaction(self.engine)
        session: Session = self.tx.__enter__()
        if self.engine.dialect.name == "postgresql":
            session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        return session

    def __exit__(self, *exc: Any) -> None:
        self.tx.__exit__(*exc)


def _line(out: IO[str], data: Any) -> None:
    out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


def _lines(path: Path) -> Iterator[tuple[int, Any]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for number, raw in enumerate(fh, 1):
                try:
                    yield number, json.loads(raw)
                except json.JSONDecodeError:
                    raise _bad(path, f"Dòng {number} hỏng", f"Line {number} is damaged", found=raw[:60]) from None
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise _bad(
            path,
            "Không phải tệp sao lưu của certify, hoặc tệp bị hỏng/cắt cụt",
            "Not a certify backup, or the file is damaged or cut short",
            expected=f"{FORMAT} (gzip)",
            found=type(exc).__name__,
        ) from None


def read_info(path: Path) -> BackupInfo:
    """The header and closing line of a backup, the whole file read through (so a damaged one is told now)."""
    if not path.is_file():
        raise CertifyError.one("no-file", "Không tìm thấy tệp", "File not found", file=str(path))
    lines = _lines(path)
    head = next(lines, (0, None))[1]
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise _bad(path, "Không phải tệp sao lưu của certify", "Not a certify backup", expected=FORMAT)
    if head.get("version") != FORMAT_VERSION:
        raise _bad(
            path,
            "Tệp sao lưu của một phiên bản định dạng khác",
            "A backup of another format version",
            expected=str(FORMAT_VERSION),
            found=str(head.get("version")),
        )
    meta: dict[str, Any] = next(lines, (0, {}))[1]
    if not isinstance(meta, dict):
        raise _bad(path, "Tệp sao lưu hỏng (dòng 2)", "The backup is damaged (line 2)")
    end: Any = None
    for _, item in lines:
        end = item
    if not isinstance(end, dict) or not end.get("end"):
        raise _bad(path, "Tệp sao lưu bị cắt cụt (thiếu dòng kết thúc)", "The backup is cut short (no closing line)")
    return BackupInfo(
        str(path), str(head.get("revision")), str(meta.get("created")), str(meta.get("dialect")), end["counts"]
    )


def current_counts(session: Session) -> dict[str, int]:
    return {t.name: int(session.scalar(select(func.count()).select_from(t)) or 0) for t in tables()}


def restore(engine: Engine, path: Path, *, expected: BackupInfo | None = None) -> BackupInfo:
    """Replace every row of every table by the backup's, in one transaction (all or nothing)."""
    info = read_info(path)
    head = head_revision()
    if info.revision != head:
        raise _bad(
            path,
            "Tệp sao lưu của phiên bản lược đồ khác; dùng phiên bản certify đã tạo ra nó",
            "A backup of another schema revision; restore it with the certify version that made it",
            expected=str(head),
            found=info.revision,
        )
    _check_revision(engine)
    if expected is not None and expected != info:
        raise _bad(path, "Tệp đã thay đổi từ lúc bạn xác nhận", "The file changed since you confirmed")
    known = {t.name: t for t in tables()}
    with transaction(engine, write=True) as session:
        for each in reversed(tables()):
            session.execute(each.delete())
        lines = _lines(path)
        next(lines)
        next(lines)
        table: Table | None = None
        columns: list[str] = []
        decode: list[Any] = []
        rows: list[dict[str, Any]] = []
        counts: dict[str, int] = {}
        for number, item in lines:
            if isinstance(item, list):
                if table is None or len(item) != len(columns):
                    raise _bad(path, f"Dòng {number} không khớp bảng", f"Line {number} does not fit its table")
                rows.append({c: f(v) for c, f, v in zip(columns, decode, item, strict=True)})
                continue
            if table is not None:
                _insert(session, table, rows)
                counts[table.name] = len(rows)
            if item.get("end"):
                break
            name = item.get("table")
            if name not in known or set(item.get("columns", [])) != {c.name for c in known[name].columns}:
                raise _bad(path, f"Bảng «{name}» không thuộc lược đồ này", f"Table '{name}' is not of this schema")
            table, columns, rows = known[name], list(item["columns"]), []
            decode = _decoder(table, columns)
        if counts != info.counts:
            raise _bad(path, "Số dòng không khớp dòng kết thúc", "Row counts differ from the closing line")
        if engine.dialect.name == "postgresql":
            _reset_sequences(session)
    return info


def _insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert the rows, a row referring to another of the same table (a unit's parent) after that one."""
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    if own:
        rows = _parents_first(table, rows, own)
    for start in range(0, len(rows), CHUNK):
        session.execute(table.insert(), rows[start : start + CHUNK])


def _parents_first(table: Table, rows: list[dict[str, Any]], refs: list[str]) -> list[dict[str, Any]]:
    [key] = [c.name for c in table.primary_key.columns]
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []
    waiting = rows
    while waiting:
        later = [r for r in waiting if any(r[c] is not None and r[c] not in placed for c in refs)]
        ready = [r for r in waiting if not any(r[c] is not None and r[c] not in placed for c in refs)]
        if not ready:  # a reference to a row the backup does not hold: let the database say so
            ready, later = later, []
        ordered += ready
        placed |= {r[key] for r in ready}
        waiting = later
    return ordered


def _reset_sequences(session: Session) -> None:
    """PostgreSQL: the next id of each table follows the restored rows."""
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        name, column = table.name, keys[0].name
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "
                f"COALESCE((SELECT MAX({column}) FROM {name}), 1), "
                f"(SELECT MAX({column}) FROM {name}) IS NOT NULL) "
                f"WHERE pg_get_serial_sequence('{name}', '{column}') IS NOT NULL"
            )
        )

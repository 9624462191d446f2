"""Engines and transactions, and how concurrent writers wait for each other.

SQLite gets WAL and foreign keys on every connection. A transaction that writes (`transaction(engine, write=True)`)
starts with `BEGIN IMMEDIATE`: it takes the database's one write lock before it reads anything, so two writers
run one after the other (the second waits up to `CERTIFY_BUSY_TIMEOUT` seconds, 30 by default) and what a writer
read cannot change under it. Readers never wait (WAL).

PostgreSQL: writers lock the rows they change (`SELECT … FOR UPDATE` on the submission or the cycle, see
`certify.store.submissions.find_submission` and `lock_cycle`), and wait for another writer's lock up to the same
timeout (`lock_timeout`).

A writer that still cannot write gets `DatabaseBusy`: one bilingual line (CLI, exit 2) or 503 (web), never a
«database is locked» traceback; nothing of its work is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from certify.errors import CertifyError, Problem
from certify.settings import get_settings

_WRITING: ContextVar[bool] = ContextVar("certify_writing", default=False)  # the BEGIN being issued is a writer's


class DatabaseBusy(CertifyError):
    """Another writer held the database (or the row) longer than the busy timeout: try again in a moment."""


def busy_error(waited: float) -> DatabaseBusy:
    return DatabaseBusy(
        [
            Problem(
                "database-busy",
                f"Cơ sở dữ liệu đang bận: một người khác đang ghi (nhập phiếu, lưu, chứng nhận) và chưa xong sau "
                f"{waited:g} giây; chưa ghi gì, hãy thử lại sau ít phút",
                f"The database is busy: someone else is writing (an import, a save, a certification) and was not done "
                f"after {waited:g} s; nothing was written, try again in a few minutes",
                expected=f"CERTIFY_BUSY_TIMEOUT > {waited:g}",
            )
        ]
    )


def is_busy(exc: DBAPIError) -> bool:
    """SQLite «database is locked/busy»; PostgreSQL lock timeout (55P03) or deadlock (40P01)."""
    text = str(exc.orig).lower()
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return "database is locked" in text or "database is busy" in text or code in ("55P03", "40P01")


def resolve_url(url: str | None = None) -> str:
    return url or get_settings().database_url


def make_engine(url: str | None = None, busy_timeout: float | None = None) -> Engine:
    url = resolve_url(url)
    wait = busy_timeout if busy_timeout is not None else get_settings().busy_timeout
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:" and not db.startswith("file:"):
            Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": wait})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; issue it ourselves so that a transaction really
        # spans the whole import (and a killed process leaves nothing behind), IMMEDIATE when it will write.
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True, connect_args={"options": f"-c lock_timeout={int(wait * 1000)}"})
    engine.info_busy_timeout = wait  # type: ignore[attr-defined]
    return engine


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if _WRITING.get() else "BEGIN")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # see the "begin" listener above
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """One unit of work: committed if the block ends normally, rolled back otherwise.

    `write=True` for any work that changes the database: on SQLite the write lock is taken (or waited for) at
    once, before anything is read. A writer that waited too long gets `DatabaseBusy`.
    """
    waited = float(getattr(engine, "info_busy_timeout", 0.0))
    try:
        with session_factory(engine)() as session, session.begin():
            if write and engine.dialect.name == "sqlite":
                token = _WRITING.set(True)
                try:
                    session.connection()  # BEGIN IMMEDIATE now
                finally:
                    _WRITING.reset(token)
            yield session
    except OperationalError as exc:
        if is_busy(exc):
            raise busy_error(waited) from None
        raise

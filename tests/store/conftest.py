"""A fresh, migrated database per test: SQLite always, PostgreSQL when CERTIFY_TEST_POSTGRES_URL is set.

The migrated database and the `loaded` one (the units of both maps and their mergers) are made once per run as
template databases and copied for each test: SQLite by sqlite3's backup API, PostgreSQL by
`CREATE DATABASE … TEMPLATE …`.

Under pytest-xdist every worker has a PostgreSQL database of its own, `<database>_<worker>` beside the one
CERTIFY_TEST_POSTGRES_URL names (created through that URL the first time; the role needs CREATEDB), and its own
templates beside that: workers never share or drop each other's databases. SQLite files live in each test's
tmp_path, which xdist already keeps per worker."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from certify.store.engine import make_engine, transaction
from certify.store.migrate import upgrade
from certify.store.unit_sources import SourceData, read_sources
from certify.store.units import load_units

BASE_PG_URL = os.environ.get("CERTIFY_TEST_POSTGRES_URL")
WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # "gw0", "gw1", … under pytest-xdist; unset in a plain run


def _worker_url(base: str, worker: str | None) -> str:
    """The database URL of this worker: the configured one in a plain run, `<database>_<worker>` under xdist."""
    if not worker:
        return base
    url = make_url(base)
    return url.set(database=f"{url.database}_{worker}").render_as_string(hide_password=False)


PG_URL = _worker_url(BASE_PG_URL, WORKER) if BASE_PG_URL else None
_pg_ready = False


def _ensure_worker_database() -> None:
    """Create this worker's database once per run if it is missing, connected through the configured URL."""
    global _pg_ready
    if _pg_ready or not BASE_PG_URL or not PG_URL or PG_URL == BASE_PG_URL:
        _pg_ready = True
        return
    name = make_url(PG_URL).database
    admin = create_engine(make_url(BASE_PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if found is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    _pg_ready = True


def _reset_postgres(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'certify.sqlite'}"
    if not PG_URL:
        if os.environ.get("CI"):  # CI installs PostgreSQL: a missing server there is a failure, not a skip
            pytest.fail("CERTIFY_TEST_POSTGRES_URL is not set in CI (.ci/run should have started PostgreSQL)")
        pytest.skip("CERTIFY_TEST_POSTGRES_URL is not set (run .ci/postgres.sh to get one)")
    _ensure_worker_database()
    _reset_postgres(make_engine(PG_URL))
    return PG_URL


@pytest.fixture(scope="session")
def unit_data() -> SourceData:
    return read_sources()


def _make(url: str, unit_data: SourceData | None) -> None:
    """Migrate the database of `url`; load the units too when `unit_data` is given."""
    eng = make_engine(url)
    try:
        upgrade(eng)
        if unit_data is not None:
            with transaction(eng) as s:
                load_units(s, unit_data)
    finally:
        eng.dispose()


def _drop_postgres(conn: Connection, name: str) -> None:
    """Drop a test database, ending the sessions a test left open (WITH FORCE). FORCE may not end an autovacuum
    worker busy in a freshly copied database unless the role is in pg_signal_backend (.ci/postgres.sh grants it);
    a plain DROP asks autovacuum to stop and waits for it, so that is the fallback, tried a few times."""
    try:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return
    except (ProgrammingError, OperationalError) as exc:
        if getattr(exc.orig, "sqlstate", None) != "42501":  # insufficient_privilege
            raise
    for attempt in range(10):
        try:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            return
        except OperationalError as exc:
            if attempt == 9 or getattr(exc.orig, "sqlstate", None) != "55006":  # object_in_use
                raise
            time.sleep(1)


def _recreate_postgres(url: str, template: str | None) -> None:
    """Drop the database of `url` and create it again, empty or as a copy of `template`."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            _drop_postgres(conn, str(target.database))
            copy = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{target.database}"{copy}'))
    finally:
        admin.dispose()


class _Templates:
    """The template databases of the run ("migrated", "loaded"), made the first time a test asks for one."""

    def __init__(self, folder: Path, unit_data: SourceData) -> None:
        self.folder = folder
        self.unit_data = unit_data
        self.made: dict[tuple[str, str], str] = {}

    def _data(self, kind: str) -> SourceData | None:
        return self.unit_data if kind == "loaded" else None

    def sqlite(self, kind: str) -> Path:
        if ("sqlite", kind) not in self.made:
            path = self.folder / f"{kind}.sqlite"
            _make(f"sqlite:///{path}", self._data(kind))
            self.made["sqlite", kind] = str(path)
        return Path(self.made["sqlite", kind])

    def postgres(self, kind: str) -> str:
        """The name of the template database beside the test database."""
        if ("postgresql", kind) not in self.made:
            assert PG_URL
            url = make_url(PG_URL)
            name = f"{url.database}_{kind}"
            copy = url.set(database=name).render_as_string(hide_password=False)
            _recreate_postgres(copy, None)
            _make(copy, self._data(kind))
            self.made["postgresql", kind] = name
        return self.made["postgresql", kind]

    def copy_into(self, engine: Engine, kind: str) -> None:
        """Make the database of `engine` a copy of the template (its pooled connections are closed first)."""
        engine.dispose()
        if engine.dialect.name == "sqlite":
            assert engine.url.database
            target = Path(engine.url.database)
            target.parent.mkdir(parents=True, exist_ok=True)
            with (
                contextlib.closing(sqlite3.connect(self.sqlite(kind))) as src,
                contextlib.closing(sqlite3.connect(target)) as dst,
            ):
                src.backup(dst)
        else:
            _recreate_postgres(engine.url.render_as_string(hide_password=False), self.postgres(kind))


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory, unit_data: SourceData) -> _Templates:
    return _Templates(tmp_path_factory.mktemp("template-databases"), unit_data)


@pytest.fixture
def engine(db_url: str, _templates: _Templates) -> Iterator[Engine]:
    """The test's database, migrated (a copy of the run's migrated template)."""
    eng = make_engine(db_url)
    _templates.copy_into(eng, "migrated")
    yield eng
    eng.dispose()


@pytest.fixture
def loaded(engine: Engine, _templates: _Templates) -> Engine:
    """The test's database holding every unit of both maps and their mergers (a copy of the run's template)."""
    _templates.copy_into(engine, "loaded")
    return engine

"""A fresh, migrated database per test: SQLite always, PostgreSQL when CERTIFY_TEST_POSTGRES_URL is set.

`loaded` (the units of both maps and their mergers) is loaded once per run into a template database and copied
for each test: SQLite by sqlite3's backup API, PostgreSQL by `CREATE DATABASE … TEMPLATE …`."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from certify.store.engine import make_engine, transaction
from certify.store.migrate import upgrade
from certify.store.unit_sources import SourceData, read_sources
from certify.store.units import load_units

PG_URL = os.environ.get("CERTIFY_TEST_POSTGRES_URL")


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
    _reset_postgres(make_engine(PG_URL))
    return PG_URL


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def unit_data() -> SourceData:
    return read_sources()


def _load(url: str, unit_data: SourceData) -> None:
    eng = make_engine(url)
    try:
        upgrade(eng)
        with transaction(eng) as s:
            load_units(s, unit_data)
    finally:
        eng.dispose()


def _recreate_postgres(url: str, template: str | None) -> None:
    """Drop the database of `url` and create it again, empty or as a copy of `template`."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            copy = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{target.database}"{copy}'))
    finally:
        admin.dispose()


class _Templates:
    """The loaded databases, made the first time a test asks for one."""

    def __init__(self, folder: Path, unit_data: SourceData) -> None:
        self.folder = folder
        self.unit_data = unit_data
        self.made: dict[str, str] = {}

    def sqlite(self) -> Path:
        if "sqlite" not in self.made:
            path = self.folder / "loaded.sqlite"
            _load(f"sqlite:///{path}", self.unit_data)
            self.made["sqlite"] = str(path)
        return Path(self.made["sqlite"])

    def postgres(self) -> str:
        """The name of the template database beside the test database."""
        if "postgresql" not in self.made:
            assert PG_URL
            url = make_url(PG_URL)
            name = f"{url.database}_loaded"
            _recreate_postgres(url.set(database=name).render_as_string(hide_password=False), None)
            _load(url.set(database=name).render_as_string(hide_password=False), self.unit_data)
            self.made["postgresql"] = name
        return self.made["postgresql"]


@pytest.fixture(scope="session")
def _loaded_templates(tmp_path_factory: pytest.TempPathFactory, unit_data: SourceData) -> _Templates:
    return _Templates(tmp_path_factory.mktemp("loaded-template"), unit_data)


@pytest.fixture
def loaded(engine: Engine, _loaded_templates: _Templates) -> Engine:
    """The test's database holding every unit of both maps and their mergers (a copy of the run's template)."""
    if engine.dialect.name == "sqlite":
        assert engine.url.database
        engine.dispose()
        with (
            contextlib.closing(sqlite3.connect(_loaded_templates.sqlite())) as src,
            contextlib.closing(sqlite3.connect(engine.url.database)) as dst,
        ):
            src.backup(dst)
    else:
        template = _loaded_templates.postgres()
        engine.dispose()  # its connections are closed; the next use opens new ones to the copy
        _recreate_postgres(engine.url.render_as_string(hide_password=False), template)
    return engine

"""A fresh, migrated database per test: SQLite always, PostgreSQL when CERTIFY_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

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


@pytest.fixture
def loaded(engine: Engine, unit_data: SourceData) -> Engine:
    with transaction(engine) as s:
        load_units(s, unit_data)
    return engine

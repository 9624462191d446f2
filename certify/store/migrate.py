"""Alembic driven from code: migrations are the only thing that creates or changes the schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from certify.store.engine import make_engine, resolve_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", resolve_url(url).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine | None = None, revision: str = "head") -> str | None:
    """Bring the schema to `revision`; returns the revision the database is at afterwards."""
    engine = engine or make_engine()
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return current_revision(engine)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def ready_engine(url: str | None = None) -> Engine:
    """An engine on an up-to-date schema: the first run creates the database (SQLite file and folder included)."""
    engine = make_engine(url)
    if not is_current(engine):
        upgrade(engine)
    return engine

"""Alembic driven from code: migrations are the only thing that creates or changes the schema."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from certify.store.engine import make_engine, resolve_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_ASSIGNED = re.compile(r"^(revision|down_revision)\b[^=\n]*=(.+)$", re.MULTILINE)


# Alembic is imported where it is used: a database already at the head opens without it (`ready_engine`).


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", resolve_url(url).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine | None = None, revision: str = "head") -> str | None:
    """Bring the schema to `revision`; returns the revision the database is at afterwards."""
    from alembic import command

    engine = engine or make_engine()
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return current_revision(engine)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


@cache
def head_from_files() -> str | None:
    """The head revision read from the migration files' `revision` and `down_revision` lines, without Alembic
    (whose import and script loading would cost a start-up more than the rest of opening the database);
    None when the files do not name exactly one head (Alembic then decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_ASSIGNED.findall(path.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"].strip())
            down = ast.literal_eval(found.get("down_revision", "None").strip())
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else (down or ()))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def stored_revision(engine: Engine) -> str | None:
    """The revision the database records (table `alembic_version`), read with plain SQL; None when it has none."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:  # no such table: a new database
        return None
    return str(rows[0]) if len(rows) == 1 else None


def ready_engine(url: str | None = None) -> Engine:
    """An engine on an up-to-date schema: the first run creates the database (SQLite file and folder included).

    A database already at the head is recognised without Alembic (`head_from_files`); any other goes through it."""
    engine = make_engine(url)
    head = head_from_files()
    if head is not None and stored_revision(engine) == head:
        return engine
    if not is_current(engine):
        upgrade(engine)
    return engine

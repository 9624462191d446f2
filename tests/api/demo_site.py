"""A demo province on a fresh SQLite file with one account per role, for the browser tests, the screenshot script
(docs/screenshots/regenerate.py) and bench/web_bench.py: the same data everywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.api.store_fixtures import OWN, PASSWORD, USERS

__all__ = ["OWN", "PASSWORD", "USERS", "build", "copy_of"]


def build(path: Path) -> Path:
    """Migrate, load the demo province and add the accounts of tests/api/store_fixtures.py."""
    from certify.catalog import Catalog
    from certify.paths import bundled_root
    from certify.store.accounts import add_user
    from certify.store.demo import load_demo
    from certify.store.engine import transaction
    from certify.store.migrate import ready_engine

    path.parent.mkdir(parents=True, exist_ok=True)
    engine = ready_engine(f"sqlite:///{path}")
    load_demo(engine, Catalog([bundled_root("frameworks")]), bundled_root("samples") / "assessments")
    with transaction(engine) as s:
        for name, (role, unit) in USERS.items():
            add_user(s, name, role, PASSWORD, unit_code=unit, actor="demo")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def copy_of(template: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "certify.sqlite"
    shutil.copy(template, target)
    return target

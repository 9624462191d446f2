"""The storage fixtures (SQLite, and PostgreSQL when configured) are shared with the intake tests."""

from tests.store.conftest import _templates, db_url, engine, loaded, unit_data

__all__ = ["_templates", "db_url", "engine", "loaded", "unit_data"]

"""Where the database lives and who is acting, read from the environment (`CERTIFY_…`)."""

from __future__ import annotations

import getpass

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_URL = "sqlite:///./data/certify.sqlite"


class StoreSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CERTIFY_", extra="ignore")

    database_url: str = Field(default=DEFAULT_URL, description="SQLAlchemy URL; PostgreSQL: postgresql+psycopg://…")
    user: str = Field(default_factory=lambda: _os_user(), description="who is acting, written to the audit trail")
    max_upload_bytes: int = Field(default=5 * 1024 * 1024, description="largest accepted .xlsx file")
    max_unzipped_bytes: int = Field(default=50 * 1024 * 1024, description="largest uncompressed .xlsx content")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


def get_settings() -> StoreSettings:
    # Read anew each time: tests and the CLI change the environment between calls, and reading is cheap.
    return StoreSettings()

"""Runtime settings, read from the environment (`CERTIFY_*`) by pydantic-settings."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from certify.catalog import bundled_root


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CERTIFY_", extra="ignore")

    # Signs CSRF tokens (and session cookies later). A random key per process is safe for a single
    # uvicorn worker; several workers or restarts that must keep forms valid need CERTIFY_SECRET_KEY set.
    secret_key: str = Field(default_factory=lambda: secrets.token_urlsafe(32))
    default_lang: str = Field(default="vi", pattern="^(vi|en)$")
    samples_dir: Path = Field(default_factory=lambda: bundled_root("samples") / "assessments")
    # Storage (issue 4) plugs in here: SQLite file by default, a PostgreSQL URL switches it.
    database_url: str | None = None
    # Cookies carry `Secure` behind HTTPS; office installs on plain HTTP inside a LAN turn it off.
    secure_cookies: bool = False
    max_body_bytes: int = 1_000_000
    # Login limits (see api.auth.LoginLimiter): failed logins per username and per client address within
    # the window; past them the login answers 429 without checking the password.
    login_max_failures: int = Field(default=5, ge=1)
    login_max_failures_per_ip: int = Field(default=20, ge=1)
    login_window_seconds: int = Field(default=15 * 60, ge=1)

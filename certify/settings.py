"""Every setting of certify, in one place: the command line, the store, intake and the web app.

Each field is read from the environment variable `CERTIFY_<FIELD NAME>` (upper case), e.g.
`CERTIFY_DATABASE_URL`. `certify settings` prints the values in force, and docs/settings.md has
the table of every field, generated from the fields below.

To add a setting: add a field to the right section of `Settings` with a `description` (English,
one line, what it changes for a user) and, when its default is computed, `shown_default(…)`.
Then run `python -m certify.settings > docs/settings.md` (a test checks the page is current).
Read settings with `get_settings()` where they are used, not at import time.
"""

from __future__ import annotations

import getpass
import ipaddress
import os
import re
import sys
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from certify.errors import CertifyError, Problem
from certify.paths import bundled_root, default_cache_dir

ENV_PREFIX = "CERTIFY_"
DEFAULT_DATABASE_URL = "sqlite:///./data/certify.sqlite"
# Values `certify settings` never prints (the password inside a database URL is masked, see `shown_value`).
SECRET_FIELDS = frozenset({"secret_key"})


def shown_default(text: str) -> dict[str, Any]:
    """How the docs show a default computed at run time (`Field(default_factory=…, **shown_default(…))`)."""
    return {"json_schema_extra": {"shown_default": text}}


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


def _bundled_samples() -> Path:
    return bundled_root("samples") / "assessments"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    # --- storage ---------------------------------------------------------------------------
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL of the database (SQLite file by default; "
        "PostgreSQL: postgresql+psycopg://user:password@host/db)",
    )
    user: str = Field(
        default_factory=_os_user,
        description="who is acting on the command line, written to the audit trail",
        **shown_default("the operating-system user"),
    )
    busy_timeout: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="seconds a writer waits for another one (an import, a save) before saying the database is busy",
    )

    # --- frameworks --------------------------------------------------------------------------
    frameworks: str = Field(
        default="",
        description="more folders holding frameworks (one folder per framework id), separated by ':', "
        "searched before the bundled ones",
    )

    cache_dir: str = Field(
        default_factory=lambda: str(default_cache_dir() or ""),
        description="folder where checked frameworks are kept between runs, so a command does not read and "
        "check them again while their files are unchanged; empty: no cache",
        **shown_default("the user's cache folder: ~/.cache/certify (Windows: %LOCALAPPDATA%\\certify\\cache)"),
    )

    # --- intake (files people upload or import) ----------------------------------------------
    max_upload_bytes: int = Field(default=5 * 1024 * 1024, ge=1, description="largest accepted .xlsx file")
    max_unzipped_bytes: int = Field(
        default=50 * 1024 * 1024, ge=1, description="largest uncompressed content of an .xlsx file"
    )

    # --- web application ---------------------------------------------------------------------
    secret_key: str = Field(
        default="",
        description="signs form tokens; empty: a key created on first run and kept in the database (every "
        "worker shares it, it survives restarts and is backed up with the database)",
        **shown_default("created on first run, kept in the database"),
    )
    default_lang: str = Field(default="vi", pattern="^(vi|en)$", description="language of pages: vi or en")
    samples_dir: Path = Field(
        default_factory=_bundled_samples,
        description="folder of sample assessment files shown on the home page",
        **shown_default("the bundled samples/assessments"),
    )
    secure_cookies: bool = Field(
        default=False,
        description="mark cookies HTTPS-only even when the app cannot see HTTPS (cookies are marked anyway on a "
        "request that came over HTTPS, directly or through a trusted proxy)",
    )
    trusted_proxies: str = Field(
        default="",
        description="addresses or networks of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto "
        "are believed, separated by ',' (e.g. 127.0.0.1,10.0.0.0/8); empty: those headers are ignored",
    )
    session_seconds: int = Field(
        default=8 * 3600, ge=60, le=30 * 24 * 3600, description="how long a login lasts before it must be repeated"
    )
    max_body_bytes: int = Field(default=1_000_000, ge=1, description="largest request body the web app accepts")
    login_max_failures: int = Field(
        default=5, ge=1, description="failed logins for one account within the window before it is blocked"
    )
    login_max_failures_per_ip: int = Field(
        default=20, ge=1, description="failed logins from one address within the window before it is blocked"
    )
    login_window_seconds: int = Field(default=15 * 60, ge=1, description="the login-limit window, in seconds")
    evidence_dir: Path = Field(
        default=Path("data") / "evidence",
        description="folder of evidence files (PDF, images, DOCX, XLSX) uploaded per criterion, outside the web root",
    )
    max_evidence_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1, description="largest evidence file a unit may upload"
    )

    # --- command line ------------------------------------------------------------------------
    debug: bool = Field(
        default=False, description="show the Python traceback of an unexpected error instead of one line"
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: str) -> str:
        for part in _split(value):
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"not an address or network: {part!r}") from None
        return value

    def proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(ipaddress.ip_network(p, strict=False) for p in _split(self.trusted_proxies))

    def framework_roots(self) -> list[Path]:
        return [Path(p) for p in self.frameworks.split(os.pathsep) if p]


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def get_settings() -> Settings:
    """The settings in force. Read anew each call: tests and the CLI change the environment, and it is cheap.

    A value that does not fit its field is refused with the variable's name, in both languages."""
    try:
        return Settings()
    except ValidationError as exc:
        raise CertifyError(
            [
                Problem(
                    "bad-setting",
                    f"Thiết lập {env_name(str(error['loc'][0]))} không hợp lệ",
                    f"Invalid setting {env_name(str(error['loc'][0]))}: {error['msg']}",
                    found=str(error.get("input")),
                )
                for error in exc.errors()
            ]
        ) from None


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def computed_default(field: str) -> str | None:
    extra = Settings.model_fields[field].json_schema_extra
    return str(extra["shown_default"]) if isinstance(extra, dict) and "shown_default" in extra else None


def default_text(field: str) -> str:
    computed = computed_default(field)
    if computed is not None:
        return computed
    value = Settings.model_fields[field].default
    return str(value).lower() if isinstance(value, bool) else str(value)


def shown_value(settings: Settings, field: str) -> str:
    """A value as `certify settings` prints it: secrets hidden, a URL's password masked."""
    if field in SECRET_FIELDS:
        return "••••"
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1••••@", str(getattr(settings, field)))


def settings_markdown() -> str:
    """docs/settings.md: every field, its variable, default and meaning."""
    lines = [
        "# Settings",
        "",
        "Every setting is an environment variable; `certify settings` shows the values in force.",
        "This page is generated from `certify/settings.py` (`python -m certify.settings > docs/settings.md`).",
        "",
        "| variable | default | what it changes |",
        "|---|---|---|",
    ]
    for name, info in Settings.model_fields.items():
        default = default_text(name)
        shown = f"_{default}_" if computed_default(name) else f"`{default}`" if default else "(empty)"
        lines.append(f"| `{env_name(name)}` | {shown} | {info.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(settings_markdown())

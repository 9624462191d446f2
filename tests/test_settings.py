"""One settings object for the store, the web app and the command line, documented field by field."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from certify.cli.app import app
from certify.cli.common import run_guarded
from certify.settings import Settings, get_settings, settings_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_the_settings_page_lists_every_field_as_generated() -> None:
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert page == settings_markdown(), "run: python -m certify.settings > docs/settings.md"
    for name, info in Settings.model_fields.items():
        assert info.description, f"setting {name} needs a description"
        assert f"`CERTIFY_{name.upper()}`" in page


def test_there_is_one_settings_class() -> None:
    defined = [
        str(path.relative_to(ROOT))
        for package in ("certify", "api", "reports")
        for path in (ROOT / package).rglob("*.py")
        if re.search(r"class \w+\(BaseSettings\)", path.read_text(encoding="utf-8"))
    ]
    assert defined == ["certify/settings.py"]


def test_store_web_app_and_cli_read_the_same_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.app import create_app
    from certify.store.engine import resolve_url

    url = f"sqlite:///{tmp_path / 'one.sqlite'}"
    monkeypatch.setenv("CERTIFY_DATABASE_URL", url)
    assert get_settings().database_url == resolve_url() == url
    app = create_app()
    assert str(app.state.store.engine.url) == url
    assert (tmp_path / "one.sqlite").exists()


def test_certify_settings_shows_values_and_hides_passwords(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", "postgresql+psycopg://officer:s3cret@db.local/certify")
    monkeypatch.setenv("CERTIFY_SECRET_KEY", "k3y-never-shown")
    assert run_guarded(app, Console(), ["settings", "--json"]) == 0
    out = capsys.readouterr().out
    rows = {r["variable"]: r for r in json.loads(out)}
    assert set(rows) == {f"CERTIFY_{name.upper()}" for name in Settings.model_fields}
    assert rows["CERTIFY_DATABASE_URL"]["value"] == "postgresql+psycopg://officer:••••@db.local/certify"
    assert rows["CERTIFY_DATABASE_URL"]["from"] == "environment"
    assert rows["CERTIFY_LOGIN_MAX_FAILURES"] == rows["CERTIFY_LOGIN_MAX_FAILURES"] | {"value": "5", "from": "default"}
    assert "s3cret" not in out and "k3y-never-shown" not in out


def test_a_bad_setting_is_one_bilingual_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CERTIFY_LOGIN_MAX_FAILURES", "many")
    err = Console(record=True, width=300)
    assert run_guarded(app, err, ["settings"]) == 2
    text = err.export_text()
    assert "CERTIFY_LOGIN_MAX_FAILURES" in text and "Traceback" not in text

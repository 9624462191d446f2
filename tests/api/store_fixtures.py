"""A stored app on a SQLite file: demo province loaded once per session, copied for each test."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from certify.catalog import Catalog, bundled_root
from certify.settings import Settings

PASSWORD = "mat-khau-thu"
OWN, OTHER = "29602", "29836"
USERS = {
    "editor": ("unit_editor", OWN),
    "editor2": ("unit_editor", OTHER),
    "appraiser": ("province_appraiser", None),
    "admin": ("province_admin", None),
    "viewer": ("public_viewer", None),
}


def _catalog() -> Catalog:
    return Catalog([bundled_root("frameworks")])


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.api.demo_site import build

    return build(tmp_path_factory.mktemp("db") / "template.sqlite")


def make_app(db: Path) -> FastAPI:
    settings = Settings(secret_key="test-secret", database_url=f"sqlite:///{db}", evidence_dir=db.parent / "evidence")
    return create_app(settings, catalog=_catalog())


@pytest.fixture
def stored_app(template_db: Path, tmp_path: Path) -> FastAPI:
    db = tmp_path / "certify.sqlite"
    shutil.copy(template_db, db)
    return make_app(db)


@pytest.fixture(scope="module")
def shared_app(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """For tests that change nothing (refusals): one copy per module."""
    db = tmp_path_factory.mktemp("shared") / "certify.sqlite"
    shutil.copy(template_db, db)
    return make_app(db)


@pytest.fixture
def sclient(stored_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(stored_app) as c:
        yield c


def token(client: TestClient, url: str = "/login") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text)
    assert found, f"no CSRF field on {url}"
    return found.group(1)


def login(client: TestClient, username: str | None) -> str:
    """Log in (None: stay anonymous); returns a valid CSRF token for the next POSTs (bound to the new session)."""
    client.cookies.clear()
    tok = token(client)
    if username is not None:
        r = client.post(
            "/login", data={"username": username, "password": PASSWORD, "csrf_token": tok}, follow_redirects=False
        )
        assert r.status_code == 303, r.text
        tok = token(client, "/")  # every page of a logged-in user carries the session's token (the logout form)
    return tok


def form_of(html: str) -> dict[str, str]:
    """The named inputs of a page with their values (enough for the forms of these pages)."""
    out = dict(re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', html))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        sel = re.search(r'<option value="([^"]*)" selected', body)
        out[name] = sel.group(1) if sel else ""
    for name in re.findall(r'<input type="checkbox" name="([^"]+)" value="1" checked', html):
        out[name] = "1"
    return {
        k: v.replace("&#34;", '"').replace("&amp;", "&")
        for k, v in out.items()
        if not k.startswith("na:") or k in re.findall(r'name="(na:[^"]+)" value="1" checked', html)
    }

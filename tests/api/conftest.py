"""A fresh app per test module over the shipped frameworks and samples, and a CSRF-aware client."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from certify.catalog import Catalog, bundled_root
from certify.settings import Settings

SAMPLE = "2024-xa-my-loc"
COMMUNE = "sample-2361-commune"
SAMPLE_BANNER = "Bộ tiêu chí mẫu — không phải ngưỡng chính thức"


@pytest.fixture(scope="session")
def app() -> FastAPI:
    return create_app(Settings(secret_key="test-secret"), catalog=Catalog([bundled_root("frameworks")]), store=None)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def csrf_token(client: TestClient, url: str = f"/assess/{COMMUNE}") -> str:
    """Load a form page (which sets the cookie) and read the hidden field."""
    page = client.get(url)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "form without CSRF field"
    return found.group(1)


# Stored app fixtures (SQLite file, demo province, one account per role): see store_fixtures.py; the live demo site
# and its survey for the browser tests: live_server.py, site_survey.py.
from tests.api.live_server import demo_server  # noqa: E402, F401
from tests.api.site_survey import survey_at  # noqa: E402, F401
from tests.api.store_fixtures import sclient, shared_app, stored_app, template_db  # noqa: E402, F401

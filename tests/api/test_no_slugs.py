"""No page of any role shows an identifier (level, state, role, tier, status…) where a person expects words.

Each role's pages are found by following links from its home (tests/api/site_pages.py); the visible text of
each, in Vietnamese, must hold none of the identifiers that have a text in certify.labels, no level id of any
shipped framework, and no internal error code."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from certify.catalog import Catalog, bundled_root
from certify.labels import slugs
from certify.levels.model import LevelFramework
from tests.api.site_pages import ROLES, crawl, tokens, visible_text
from tests.api.store_fixtures import login

INTERNAL = re.compile(r"schema:\w+|\b\w+_\w+_\w+\b|--\w+")  # pydantic codes, snake_case ids, CLI options


def _level_ids() -> set[str]:
    catalog = Catalog([bundled_root("frameworks")])
    out: set[str] = set()
    for entry in catalog.entries():
        fw = catalog.load_path(entry.path).framework
        if isinstance(fw, LevelFramework):
            out |= set(fw.level_ids)
    return out


FORBIDDEN = slugs() | _level_ids()


@pytest.mark.parametrize("role", ROLES)
def test_no_identifier_on_any_page(shared_app: FastAPI, role: str) -> None:
    with TestClient(shared_app) as client:
        login(client, None if role == "anonymous" else role)
        texts: dict[str, str] = {}

        def get(url: str) -> str:
            r = client.get(url)
            assert r.status_code in (200, 403, 404), (url, r.status_code)
            texts[url] = r.text
            return r.text

        pages = crawl(get, role)
    assert len(pages) >= 4, pages
    leaks = {}
    for url, html in texts.items():
        text = visible_text(html)
        found = sorted((tokens(text) & FORBIDDEN) | set(INTERNAL.findall(text)))
        if found:
            leaks[url] = found
    assert leaks == {}, f"identifiers shown as text ({role}): {leaks}"

"""`?lang=en`: on every page of every role, no text the catalogue knows (a page string, a label of certify.labels, a
level of a shipped framework that has an English name) is shown in Vietnamese. What stays Vietnamese is data:
unit, district and criterion names, document numbers, measurement units of the frameworks."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.i18n import catalog
from certify.catalog import Catalog, bundled_root
from certify.labels import texts
from certify.levels.model import LevelFramework
from tests.api.site_pages import ROLES, _Visible, crawl
from tests.api.store_fixtures import login


def _level_names() -> set[str]:
    cat = Catalog([bundled_root("frameworks")])
    out: set[str] = set()
    for entry in cat.entries():
        fw = cat.load_path(entry.path).framework
        if isinstance(fw, LevelFramework):
            out |= {lv.name for lv in fw.levels if lv.name_en and lv.name_en != lv.name}
    return out


# Texts with an English twin; «Tiếng Việt» is the language switch, named in its own language on purpose.
LEVELS = _level_names()
KNOWN = ({vi for vi, en in catalog("en").items() if vi != en} | texts() | _level_names()) - {"Tiếng Việt"}


class _Segments(_Visible):
    """Visible text node by node (the whole page is lang="en" here: nothing is hidden for it)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, [(k, v) for k, v in attrs if k != "lang"])

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]) and data.strip():
            self.parts.append(data.strip())


def _segments(html: str) -> list[str]:
    parser = _Segments()
    parser.feed(html)
    return parser.parts


@pytest.mark.parametrize("role", ROLES)
def test_no_known_text_left_in_vietnamese(shared_app: FastAPI, role: str) -> None:
    with TestClient(shared_app) as client:
        login(client, None if role == "anonymous" else role)
        client.cookies.set("lang", "en")
        left: dict[str, list[str]] = {}

        def get(url: str) -> str:
            r = client.get(url)
            assert r.status_code in (200, 403, 404), (url, r.status_code)
            assert '<html lang="en"' in r.text, url
            segments = _segments(r.text)
            found = sorted({s.strip(" :—·") for s in segments} & KNOWN)
            # a level's name inside a sentence («Why not yet at level Toàn diện») counts too
            found += sorted({name for s in segments for name in LEVELS if re.search(rf"(?<!\w){name}(?!\w)", s)})
            if found:
                left[url] = found
            return r.text

        pages = crawl(get, role)
    assert len(pages) >= 4, pages
    assert left == {}, f"untranslated on English pages ({role}): {left}"

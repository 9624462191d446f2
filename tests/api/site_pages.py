"""The pages each role can reach, found by following links from the role's home (plus the few reached only by a
form, such as confirmation pages). Shared by the no-slug test, the browser layout and accessibility tests and the
screenshot script, so that a new page is checked everywhere as soon as something links to it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from tests.api.store_fixtures import OWN

ROLES = ("anonymous", "editor", "appraiser", "admin")
SKIP_PREFIXES = ("/api", "/static", "/assets", "/openapi", "/docs", "/redoc", "/logout")
PER_PATTERN = 2  # a page kind is checked on two instances: enough to catch a template, fast enough for CI
MAX_PAGES = 60

# Pages a person reaches through a form or a button rather than a link.
EXTRA: dict[str, list[str]] = {
    "anonymous": ["/login", "/nope", f"/cycles/1/units/{OWN}"],  # a missing page, a refused one
    # the form, evidence and appraisal pages in whatever state the unit is (the year's walk moves it on)
    "editor": [f"/cycles/1/units/{OWN}/edit", f"/cycles/1/units/{OWN}/evidence", f"/cycles/1/units/{OWN}/submit"],
    "appraiser": ["/dashboard?year=2024", f"/cycles/1/units/{OWN}/appraise"],
    "admin": ["/recognition?year=2024", "/admin/users/editor/disable", "/admin/users/editor/reset-password"],
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def pattern(url: str) -> str:
    """`/cycles/1/units/29602/edit` and `/cycles/2/units/29677/edit` are the same page kind."""
    path = re.sub(r"^/admin/users/[^/]+/", "/admin/users/*/", urlsplit(url).path)
    return re.sub(r"/[^/]*\d[^/]*", "/N", path) if not path.startswith("/frameworks/") else "/frameworks/*"


def _local(base: str, href: str) -> str | None:
    if href.startswith("#") or href.startswith("mailto:"):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.netloc and parts.netloc not in urlsplit(base).netloc:
        return None
    if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith((".json", ".csv", ".xlsx", ".yaml")):
        return None
    if "lang=" in parts.query or "/download" in parts.path or "/evidence/" in parts.path:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(get: Callable[[str], str], role: str, start: Iterable[str] = ("/",)) -> list[str]:
    """Every page kind reachable from `start` by `get(url) -> html`, at most PER_PATTERN of each kind."""
    queue = [*start, *EXTRA[role]]
    seen: set[str] = set()
    kinds: dict[str, int] = {}
    out: list[str] = []
    while queue and len(out) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        kind = pattern(url)
        if kinds.get(kind, 0) >= PER_PATTERN:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        out.append(url)
        for href in links(get(url)):
            found = _local("http://testserver" + url, href)
            if found and found not in seen:
                queue.append(found)
    return out


class _Visible(HTMLParser):
    """The text a person sees: no tags, attributes, scripts or styles, nor English quoted on a Vietnamese page
    (elements marked lang="en", such as the English twin of a banner)."""

    SKIP = frozenset({"script", "style", "template", "noscript"})
    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open element: is it hidden from this check?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        a = dict(attrs)
        hidden = (self.stack[-1] if self.stack else False) or tag in self.SKIP or a.get("lang") == "en"
        hidden = hidden or "hidden" in a
        self.stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


_TOKEN = re.compile(r"[^\s,;:()\[\]«»\"'“”/|·—–]+")


def tokens(text: str) -> set[str]:
    """Words as a reader would quote them; `sample-2361-commune@1.0` stays one word, `toan-dien` too."""
    return {t.strip(".!?") for t in _TOKEN.findall(text)}

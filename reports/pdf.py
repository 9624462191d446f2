"""HTML → PDF with WeasyPrint, shared by every PDF report."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

import weasyprint  # type: ignore[import-untyped]
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.html import UA_COUNTER_STYLE  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

from reports.fonts import FONT_DIR, font_face_css
from reports.templating import render


@cache
def _fonts() -> FontConfiguration:
    # One configuration per process: @font-face files are then loaded once, not per report.
    return FontConfiguration()


def lean_ua_text() -> str:
    """WeasyPrint's HTML5 user-agent sheet without its universal pseudo-element rules.

    `::marker`, `::footnote-*` and `::note-*` match every element, so the stock sheet computes six
    pseudo-element styles per element (uncached) for list markers and footnotes our reports never
    have: about a third of the cascade of a gap report. `::marker` stays for list items.
    """
    text = (files(weasyprint.css) / "html5_ua.css").read_text("utf-8")
    text = re.sub(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}$", "", text, flags=re.M)
    return re.sub(r"^::marker ", "li::marker ", text, flags=re.M)


@cache
def _lean_ua() -> CSS:
    return CSS(string=lean_ua_text(), counter_style=UA_COUNTER_STYLE)


class _LeanHTML(HTML):  # type: ignore[misc]
    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_lean_ua()]


@cache
def stylesheet(template: str) -> CSS:
    """A print stylesheet (jinja template with the bundled @font-face rules) parsed once per process.

    Parsing a stylesheet embedded in each document, and registering its fonts, is repeated work in a batch.
    """
    css = render(template, font_css=Markup(font_face_css()))
    return CSS(string=css, base_url=FONT_DIR.as_uri() + "/", font_config=_fonts())


def html_to_pdf(html: str, stylesheets: Sequence[CSS] = ()) -> bytes:
    doc = _LeanHTML(string=html, base_url=FONT_DIR.as_uri() + "/")
    pdf = doc.write_pdf(stylesheets=list(stylesheets), font_config=_fonts())
    assert isinstance(pdf, bytes)
    return pdf

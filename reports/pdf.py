"""HTML → PDF with WeasyPrint, shared by every PDF report."""

from __future__ import annotations

from functools import cache

from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

from reports.fonts import FONT_DIR


@cache
def _fonts() -> FontConfiguration:
    # One configuration per process: @font-face files are then loaded once, not per report.
    return FontConfiguration()


def html_to_pdf(html: str) -> bytes:
    pdf = HTML(string=html, base_url=FONT_DIR.as_uri() + "/").write_pdf(font_config=_fonts())
    assert isinstance(pdf, bytes)
    return pdf

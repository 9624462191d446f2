"""The bundled fonts (reports/fonts/) for print CSS and matplotlib.

Printing machines in communes rarely have a font with every Vietnamese glyph; a missing glyph
falls back to another face mid-word. The PDF therefore embeds Noto Serif (body) and, for the few
symbols Noto lacks (≥ ≤ → ✓ ✗ ⚠), a DejaVu Sans subset declared as a fallback family.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"
BODY_FAMILY = "Report Serif"
SYMBOL_FAMILY = "Report Symbols"
CHART_FAMILY = "Noto Sans"
CSS_STACK = f'"{BODY_FAMILY}", "{SYMBOL_FAMILY}", "Times New Roman", serif'

_FACES = (
    (BODY_FAMILY, "NotoSerif-Regular.ttf", "normal", "normal"),
    (BODY_FAMILY, "NotoSerif-Bold.ttf", "bold", "normal"),
    (BODY_FAMILY, "NotoSerif-Italic.ttf", "normal", "italic"),
    (BODY_FAMILY, "NotoSerif-BoldItalic.ttf", "bold", "italic"),
    (SYMBOL_FAMILY, "DejaVuSans-Symbols.ttf", "normal", "normal"),
    (CHART_FAMILY, "NotoSans-Regular.ttf", "normal", "normal"),
    (CHART_FAMILY, "NotoSans-Bold.ttf", "bold", "normal"),
)


@cache
def font_face_css() -> str:
    """@font-face rules pointing at the bundled files (file: URLs, read by WeasyPrint)."""
    rules = []
    for family, file, weight, style in _FACES:
        url = (FONT_DIR / file).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{family}"; src: url("{url}") format("truetype"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


@cache
def matplotlib_ready() -> str:
    """Register the chart font with matplotlib once per process; returns the family name."""
    from matplotlib import font_manager

    for file in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "DejaVuSans-Symbols.ttf"):
        font_manager.fontManager.addfont(str(FONT_DIR / file))
    return CHART_FAMILY

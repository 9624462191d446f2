"""Radar chart of the share of criteria met per pillar.

The SVG is written by hand: a unit report is rendered a thousand times in a batch and
matplotlib would cost more than the rest of the report. DOCX cannot show SVG, so it gets a
matplotlib PNG of the same data (`radar_png`). Fewer than three pillars make no polygon, so
those frameworks get horizontal bars instead.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from html import escape

from certify.numbers import fmt_percent
from reports.charts.shares import PillarShare
from reports.fonts import CHART_FAMILY, SYMBOL_FAMILY, matplotlib_ready

SIZE = 360
CENTRE = SIZE / 2
RADIUS = 110
# Labels of side pillars start (or end) at the axis tip and run outwards: room for about 20 characters.
SIDE = 90
# The top and bottom labels sit 22 px beyond the axis tips: the square canvas leaves 30 px blank above and below.
TRIM = 25
FONT = f"font-family: '{CHART_FAMILY}', '{SYMBOL_FAMILY}', sans-serif"


def _point(k: int, n: int, r: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * k / n  # first pillar at the top, clockwise
    return CENTRE + r * math.cos(angle), CENTRE + r * math.sin(angle)


def _label(s: PillarShare) -> str:
    return f"{s.met}/{s.total} ({fmt_percent(s.share, 0)})"


def radar_svg(shares: Sequence[PillarShare], title: str) -> str:
    if len(shares) < 3:
        return bars_svg(shares, title)
    n = len(shares)
    width, height = SIZE + 2 * SIDE, SIZE - 2 * TRIM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-SIDE} {TRIM} {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'style="{FONT}; font-size: 11px">'
    ]
    for ring in (0.25, 0.5, 0.75, 1.0):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(k, n, RADIUS * ring) for k in range(n)))
        out.append(f'<polygon points="{pts}" fill="none" stroke="#bbb" stroke-width="0.8"/>')
    for k in range(n):
        x, y = _point(k, n, RADIUS)
        out.append(f'<line x1="{CENTRE}" y1="{CENTRE}" x2="{x:.1f}" y2="{y:.1f}" stroke="#bbb" stroke-width="0.8"/>')
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(k, n, RADIUS * s.share) for k, s in enumerate(shares)))
    out.append(f'<polygon points="{pts}" fill="#2e7d32" fill-opacity="0.35" stroke="#1b5e20" stroke-width="2"/>')
    for k, s in enumerate(shares):
        x, y = _point(k, n, RADIUS * s.share)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1b5e20"/>')
        lx, ly = _point(k, n, RADIUS + 22)
        anchor = "middle" if abs(lx - CENTRE) < 5 else ("start" if lx > CENTRE else "end")
        out.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-weight="bold">{escape(s.name)}</text>')
        out.append(f'<text x="{lx:.1f}" y="{ly + 13:.1f}" text-anchor="{anchor}">{_label(s)}</text>')
    for ring in (0.5, 1.0):
        out.append(
            f'<text x="{CENTRE + 4:.1f}" y="{CENTRE - RADIUS * ring + 11:.1f}" fill="#888" '
            f'font-size="9">{fmt_percent(ring, 0)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def bars_svg(shares: Sequence[PillarShare], title: str) -> str:
    height = 30 * len(shares) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {height}" width="{SIZE}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" style="{FONT}; font-size: 11px">'
    ]
    for k, s in enumerate(shares):
        y = 10 + 30 * k
        out.append(f'<text x="0" y="{y + 12}">{escape(s.name)}</text>')
        out.append(f'<rect x="150" y="{y}" width="150" height="16" fill="#ddd"/>')
        out.append(f'<rect x="150" y="{y}" width="{150 * s.share:.1f}" height="16" fill="#2e7d32"/>')
        out.append(f'<text x="305" y="{y + 12}">{_label(s)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def radar_png(shares: Sequence[PillarShare], title: str, dpi: int = 150) -> bytes:
    """The same chart as a PNG, for Word (python-docx does not take SVG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = matplotlib_ready()
    with plt.rc_context({"font.family": [family, "DejaVu Sans"], "font.size": 9}):
        n = len(shares)
        if n < 3:
            fig, ax = plt.subplots(figsize=(4.5, 0.5 + 0.5 * n))
            ax.barh([s.name for s in shares], [s.share * 100 for s in shares], color="#2e7d32")
            ax.set_xlim(0, 100)
        else:
            fig = plt.figure(figsize=(4.2, 4.2))
            ax = fig.add_subplot(projection="polar")
            angles = [math.pi / 2 - 2 * math.pi * k / n for k in range(n)]
            values = [s.share for s in shares]
            ax.plot([*angles, angles[0]], [*values, values[0]], color="#1b5e20", linewidth=2)
            ax.fill([*angles, angles[0]], [*values, values[0]], color="#2e7d32", alpha=0.35)
            ax.set_xticks(angles)
            ax.set_xticklabels([f"{s.name}\n{_label(s)}" for s in shares])
            ax.set_ylim(0, 1)
            ax.set_yticks([0.25, 0.5, 0.75, 1.0])
            ax.set_yticklabels(["", fmt_percent(0.5, 0), "", fmt_percent(1, 0)], color="#888")
        ax.set_title(title, fontsize=9)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
        plt.close(fig)
    return buf.getvalue()

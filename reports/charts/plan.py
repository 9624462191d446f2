"""Charts of the province what-if as plain SVG (attributes only, no style attribute: the web page serves them
under a strict CSP), one colour per level (reports/charts/palette.py).

A chart is drawn only when it shows a difference: `None` when every bar would be the same (the caller then
says it in a sentence), so a reader never studies a picture of nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from reports.charts.palette import level_colours

FONT = 'font-family="Noto Sans, DejaVu Sans, Arial, sans-serif" font-size="11"'
WIDTH = 640


def _open(height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" {FONT}>',
        f"<title>{escape(title)}</title>",
    ]


def levels_before_after_svg(
    names: Sequence[str], level_ids: Sequence[str], rows: Sequence[tuple[str, Sequence[int]]], title: str
) -> str | None:
    """One stacked bar per row («Hiện nay», «Sau kế hoạch»): units per level, «no level» first; None when the
    rows are equal. Counts are written in the segments wide enough, every level is in the legend."""
    if len({tuple(counts) for _, counts in rows}) <= 1:
        return None
    colours = level_colours(level_ids)
    total = max(sum(counts) for _, counts in rows) or 1
    left, bar_w, bar_h = 120, WIDTH - 140, 26
    height = 30 + len(rows) * (bar_h + 14) + 40
    out = _open(height, title)
    out.append(f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>')
    for r, (label, counts) in enumerate(rows):
        y = 30 + r * (bar_h + 14)
        out.append(f'<text x="0" y="{y + 17}">{escape(label)}</text>')
        x = float(left)
        for k, n in enumerate(counts):
            if not n:
                continue
            w = bar_w * n / total
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colours[k]}"/>')
            if w >= 18:
                out.append(f'<text x="{x + w / 2:.1f}" y="{y + 17}" text-anchor="middle" fill="#ffffff">{n}</text>')
            x += w
    y = 30 + len(rows) * (bar_h + 14) + 8
    x = 0.0
    for k, name in enumerate(names):
        out.append(f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colours[k]}"/>')
        out.append(f'<text x="{x + 16:.1f}" y="{y + 10}">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    out.append("</svg>")
    return "\n".join(out)


def steps_svg(labels: Sequence[str], lifted: Sequence[int], title: str) -> str | None:
    """Units lifted by each step of the plan and in total so far (a bar per step); None when all bars match."""
    if not labels or len(set(lifted)) <= 1:
        return None
    bar_h, gap, left = 22, 10, 170
    top = max(1, sum(lifted))
    height = 30 + len(labels) * (bar_h + gap) + 10
    out = _open(height, title)
    out.append(f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>')
    total = 0
    for k, (label, n) in enumerate(zip(labels, lifted, strict=True)):
        y = 30 + k * (bar_h + gap)
        w_prev = (WIDTH - left - 130) * total / top
        total += n
        w = (WIDTH - left - 130) * n / top
        out.append(f'<text x="0" y="{y + 15}">{escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{w_prev:.1f}" height="{bar_h}" fill="#c5cae9"/>')
        out.append(f'<rect x="{left + w_prev:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#0b57a4"/>')
        out.append(f'<text x="{left + w_prev + w + 4:.1f}" y="{y + 15}">+{n} (cộng dồn {total})</text>')
    out.append("</svg>")
    return "\n".join(out)


def blockers_svg(rows: Sequence[tuple[str, int]], title: str, colour: str) -> str | None:
    """Units each criterion keeps from a level (the level's colour); None when every count is the same."""
    if len({n for _, n in rows}) <= 1:
        return None
    bar_h, gap, left = 18, 6, 90
    top = max(n for _, n in rows)
    height = 30 + len(rows) * (bar_h + gap)
    out = _open(height, title)
    out.append(f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>')
    for k, (code, n) in enumerate(rows):
        y = 28 + k * (bar_h + gap)
        w = (WIDTH - left - 40) * n / top
        out.append(f'<text x="0" y="{y + 13}">{escape(code)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>')
        out.append(f'<text x="{left + w + 4:.1f}" y="{y + 13}">{n}</text>')
    out.append("</svg>")
    return "\n".join(out)

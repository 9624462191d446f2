"""The framework's dependency graph as inline SVG, laid out server-side (no JS, works offline).

Layered layout: columns are topological generations of the prerequisite graph (prerequisites on
the left), rows ordered by the mean row of a node's prerequisites (one barycentre pass) so that
edges cross less. Criteria with no prerequisite link are listed beside the graph, not drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from certify.levels.graph import criterion_graph
from certify.levels.model import LevelFramework

PALETTE = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457")
BOX_W, BOX_H, COL_GAP, ROW_GAP, PAD = 96, 26, 70, 12, 10


def pillar_colours(fw: LevelFramework) -> dict[str, str]:
    return {p.id: PALETTE[i % len(PALETTE)] for i, p in enumerate(fw.pillars)}


def layout(fw: LevelFramework) -> tuple[dict[str, tuple[int, int]], list[tuple[str, str]], list[str]]:
    """(column, row) of every linked criterion, the edges, and the criteria left out."""
    import networkx as nx  # here, not at import: only the framework page draws a graph (the server starts faster)

    graph = criterion_graph(fw)
    linked = [c.code for c in fw.criteria if graph.degree(c.code) > 0]
    alone = [c.code for c in fw.criteria if graph.degree(c.code) == 0]
    sub = graph.subgraph(linked)
    declared = {code: i for i, code in enumerate(linked)}
    pos: dict[str, tuple[int, int]] = {}
    for col, generation in enumerate(nx.topological_generations(sub)):

        def weight(code: str) -> tuple[float, int]:
            rows = [pos[p][1] for p in sub.predecessors(code) if p in pos]
            return (sum(rows) / len(rows) if rows else -1.0, declared[code])

        for row, code in enumerate(sorted(generation, key=weight)):
            pos[code] = (col, row)
    return pos, [(str(u), str(v)) for u, v in sub.edges], alone


def dependency_svg(fw: LevelFramework, title: str) -> Markup:
    pos, edges, _ = layout(fw)
    if not pos:
        return Markup("")
    colour = pillar_colours(fw)
    cols = max(c for c, _ in pos.values()) + 1
    rows = max(r for _, r in pos.values()) + 1
    width = PAD * 2 + cols * BOX_W + (cols - 1) * COL_GAP
    height = PAD * 2 + rows * BOX_H + (rows - 1) * ROW_GAP

    def xy(code: str) -> tuple[int, int]:
        c, r = pos[code]
        return PAD + c * (BOX_W + COL_GAP), PAD + r * (BOX_H + ROW_GAP)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="depgraph" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ]
    for u, v in edges:
        (x1, y1), (x2, y2) = xy(u), xy(v)
        x1, y1, y2 = x1 + BOX_W, y1 + BOX_H // 2, y2 + BOX_H // 2
        mid = (x1 + x2) // 2
        parts.append(
            f'<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" fill="none" stroke="#777" '
            f'stroke-width="1.2" marker-end="url(#arrow)"/>'
        )
    for code in pos:
        x, y = xy(code)
        crit = fw.criterion_by_code[code]
        fill = colour.get(crit.pillar, "#555")
        parts.append(
            f'<a href="#crit-{escape(code)}"><g><title>{escape(code)}: {escape(crit.name or "")}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="5" fill="{fill}"/>'
            f'<text x="{x + BOX_W // 2}" y="{y + BOX_H // 2 + 5}" text-anchor="middle" fill="#fff" '
            f'font-size="13" font-family="sans-serif">{escape(code)}</text></g></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    bars: Sequence[tuple[str, float]],
    title: str = "units by level",
    *,
    top: float | None = None,
    texts: Sequence[str] | None = None,
    colours: Sequence[str] | None = None,
) -> Markup:
    """Horizontal bars, one per label, as inline SVG (labels escaped); `texts` replace the numbers shown;
    `colours` (one per bar) default to the pillar palette. Each label stands above its bar, so the chart is as
    narrow as a phone (≈ 340 px): shown at its own size there, its text stays as large as the page's."""
    if not bars:
        return Markup("")
    bar_w, row_h = 250, 40
    top = top or max(n for _, n in bars) or 1
    height = PAD * 2 + len(bars) * row_h
    width = PAD * 2 + bar_w + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="barchart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, n) in enumerate(bars):
        y = PAD + i * row_h
        w = round(bar_w * min(n, top) / top)
        shown = texts[i] if texts is not None else f"{n:g}"
        parts.append(
            f'<text x="{PAD}" y="{y + 14}" font-size="13" font-family="sans-serif">{escape(label)}</text>'
            f'<rect x="{PAD}" y="{y + 19}" width="{w}" height="14" rx="3" '
            f'fill="{colours[i] if colours else PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{PAD + w + 6}" y="{y + 31}" font-size="13" font-family="sans-serif">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[tuple[str, str]],
    title: str,
) -> Markup:
    """One horizontal bar per row (a year), cut into one segment per series (a level) in the series' colour,
    the count written inside a segment wide enough to hold it, and a legend below. `series`: (name, colour)."""
    if not rows or not series:
        return Markup("")
    label_w, bar_w, row_h, legend_h = 90, 420, 30, 22
    top = max(sum(values) for _, values in rows) or 1
    legend_rows = -(-len(series) // 3)
    width = PAD * 2 + label_w + bar_w + 50
    height = PAD * 2 + len(rows) * row_h + 8 + legend_rows * legend_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="barchart trend" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, values) in enumerate(rows):
        y = PAD + i * row_h
        parts.append(
            f'<text x="{PAD + label_w - 6}" y="{y + 19}" text-anchor="end" font-size="13" '
            f'font-family="sans-serif">{escape(label)}</text>'
        )
        x = float(PAD + label_w)
        for (name, colour), n in zip(series, values, strict=True):
            if n <= 0:
                continue
            w = bar_w * n / top
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}">'
                f"<title>{escape(label)} — {escape(name)}: {n:g}</title></rect>"
            )
            if w >= 8 * len(f"{n:g}") + 6:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 19}" text-anchor="middle" font-size="12" fill="#fff" '
                    f'font-family="sans-serif">{n:g}</text>'
                )
            x += w
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 19}" font-size="13" font-family="sans-serif">{sum(values):g}</text>'
        )
    base = PAD + len(rows) * row_h + 8
    col_w = (width - 2 * PAD) // 3
    for k, (name, colour) in enumerate(series):
        lx, ly = PAD + (k % 3) * col_w, base + (k // 3) * legend_h
        parts.append(
            f'<rect x="{lx}" y="{ly + 3}" width="14" height="14" rx="2" fill="{colour}"/>'
            f'<text x="{lx + 20}" y="{ly + 15}" font-size="12" font-family="sans-serif">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))

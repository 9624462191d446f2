"""The dependency graph drawing: every prerequisite link drawn once, prerequisites to the left."""

from __future__ import annotations

from api.graph_svg import dependency_svg, layout
from certify.catalog import Catalog, bundled_root
from certify.levels.graph import criterion_graph
from certify.levels.model import LevelFramework


def test_layout_puts_prerequisites_first() -> None:
    fw = Catalog([bundled_root("frameworks")]).load("sample-2361-commune").framework
    assert isinstance(fw, LevelFramework)
    pos, edges, alone = layout(fw)
    graph = criterion_graph(fw)
    assert sorted(edges) == sorted((str(u), str(v)) for u, v in graph.edges)
    assert all(pos[u][0] < pos[v][0] for u, v in edges)
    assert set(pos) | set(alone) == {c.code for c in fw.criteria}
    svg = str(dependency_svg(fw, "<b>tên</b>"))
    assert svg.count("marker-end=") == len(edges) and "&lt;b&gt;" in svg


def test_a_bar_chart_fits_a_phone_at_its_own_size_with_each_label_above_its_bar() -> None:
    """A phone's card is ≈ 340 px wide: a wider chart would be shrunk, its 13 px labels with it, below reading size."""
    import re

    from api.graph_svg import bar_chart

    svg = str(bar_chart([("Chưa đạt mức nào", 48), ("Khởi động", 0), ("Toàn diện", 26)], "Số đơn vị theo mức"))
    width = int(re.search(r'width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert width <= 340
    labels = [
        float(y) for y in re.findall(r'<text x="\d+" y="([\d.]+)" font-size="13" font-family="sans-serif">[^0-9]', svg)
    ]
    bars = [float(y) for y in re.findall(r'<rect x="\d+" y="([\d.]+)"', svg)]
    assert len(labels) == len(bars) == 3
    assert all(label < bar for label, bar in zip(labels, bars, strict=True))  # the label stands above its bar
    assert "Chưa đạt mức nào" in svg and ">48<" in svg and ">26<" in svg

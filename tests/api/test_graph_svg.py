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

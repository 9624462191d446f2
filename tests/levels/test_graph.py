"""The dependency graph of requirements, and the plan order drawn from it."""

from __future__ import annotations

import networkx as nx

from certify.catalog import Catalog, Resolved
from certify.levels.graph import plan_order, requirement_graph, unmet_prerequisites
from certify.levels.model import LevelFramework


def test_requirement_depends_on_the_level_below_and_on_prerequisites(tiny: Resolved) -> None:
    fw = tiny.framework
    assert isinstance(fw, LevelFramework)
    graph = requirement_graph(fw)
    assert graph.has_edge(("A-ONLINE", "ket-noi"), ("A-ONLINE", "co-ban"))
    assert graph.has_edge(("A-PORTAL", "co-ban"), ("A-ONLINE", "co-ban"))
    assert graph.has_edge(("B-FIBRE", "nang-cao"), ("B-EHR", "nang-cao"))
    # A criterion that starts at co-ban has no node below it.
    assert ("B-EHR", "ket-noi") not in graph
    assert nx.is_directed_acyclic_graph(graph)


def test_plan_order_puts_prerequisites_first_then_pillars(tiny: Resolved) -> None:
    fw = tiny.framework
    assert isinstance(fw, LevelFramework)
    order = plan_order(fw)
    assert order["A-PORTAL"] < order["A-ONLINE"]
    assert order["B-FIBRE"] < order["B-EHR"]
    assert max(order[c] for c in ("A-PORTAL", "A-ONLINE", "A-MEETINGS", "A-DAYS")) < order["B-FIBRE"]
    assert sorted(order.values()) == list(range(1, len(fw.criteria) + 1))


def test_shipped_sample_graphs_are_acyclic_and_prerequisites_are_reachable(catalog: Catalog) -> None:
    for ref in ("sample-2361-commune", "sample-2361-district"):
        fw = catalog.load(ref).framework
        assert isinstance(fw, LevelFramework)
        graph = requirement_graph(fw)
        assert nx.is_directed_acyclic_graph(graph)
        for crit in fw.criteria:
            for pre in crit.requires:
                assert unmet_prerequisites(fw, crit.code, [pre]) == [pre]


def test_plan_order_is_networkx_lexicographic_topological_sort_on_every_shipped_framework(catalog: Catalog) -> None:
    from certify.levels.graph import criterion_graph

    for entry in catalog.entries():
        fw = catalog.load(entry.id, entry.version).framework
        if not isinstance(fw, LevelFramework):
            continue
        pillar_rank = {p.id: i for i, p in enumerate(fw.pillars)}
        declared = {c.code: i for i, c in enumerate(fw.criteria)}
        expected = nx.lexicographical_topological_sort(
            criterion_graph(fw),
            key=lambda code, fw=fw: (pillar_rank.get(fw.criterion_by_code[code].pillar, 99), declared[code]),  # type: ignore[misc]
        )
        assert list(plan_order(fw)) == list(expected), fw.ref


def test_ancestors_are_networkx_ancestors_on_every_shipped_framework(catalog: Catalog) -> None:
    from certify.levels.graph import ancestors, criterion_graph, find_cycle

    for entry in catalog.entries():
        fw = catalog.load(entry.id, entry.version).framework
        if not isinstance(fw, LevelFramework):
            continue
        graph = criterion_graph(fw)
        assert ancestors(fw) == {code: nx.ancestors(graph, code) for code in graph}, fw.ref
        assert list(ancestors(fw)) == list(graph), fw.ref
        assert find_cycle(fw) is None, fw.ref

"""The dependency graph of a level framework (networkx).

Nodes are (criterion, level) requirements. A requirement depends on the same criterion's
requirement one level down, and on the requirements at the same level of the prerequisite
criteria the framework declares. The graph validates the framework (no cycle) and orders gap
reports: prerequisites first, so a planner fixes root causes before what depends on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import TYPE_CHECKING

from certify.levels.model import LevelFramework

# networkx is imported where a graph is built: certifying a unit (`certify evaluate`) never needs one.
if TYPE_CHECKING:
    import networkx as nx

Node = tuple[str, str]  # (criterion code, level id)


def requirement_graph(fw: LevelFramework) -> nx.DiGraph:
    import networkx as nx

    graph = nx.DiGraph()
    levels = fw.level_ids
    for crit in fw.criteria:
        applicable = [lv for lv in levels if lv in crit.requirements]
        for lv in applicable:
            graph.add_node((crit.code, lv), criterion=crit.code, level=lv)
        for lower, upper in pairwise(applicable):
            graph.add_edge((crit.code, lower), (crit.code, upper), why="level")
    for crit in fw.criteria:
        for pre in crit.requires:
            for lv in crit.requirements:
                if (pre, lv) in graph:
                    graph.add_edge((pre, lv), (crit.code, lv), why="prerequisite")
    return graph


def criterion_graph(fw: LevelFramework) -> nx.DiGraph:
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(c.code for c in fw.criteria)
    for crit in fw.criteria:
        for pre in crit.requires:
            if pre in fw.criterion_by_code:
                graph.add_edge(pre, crit.code)
    return graph


def _prerequisites(fw: LevelFramework) -> dict[str, set[str]]:
    """Each criterion's declared prerequisites that are criteria of the framework: the edges of `criterion_graph`."""
    return {c.code: {p for p in c.requires if p in fw.criterion_by_code} for c in fw.criteria}


def ancestors(fw: LevelFramework) -> dict[str, set[str]]:
    """Per criterion (in framework order), its direct and indirect prerequisites: networkx's `ancestors` of each node
    of `criterion_graph` (tests/levels/test_graph.py holds them equal), written out so that certifying a cycle and
    checking a framework do not import networkx (a tenth of `certify serve`'s first start)."""
    before = _prerequisites(fw)
    out: dict[str, set[str]] = {}
    for code in before:
        seen: set[str] = set()
        stack = list(before[code])
        while stack:
            pre = stack.pop()
            if pre not in seen:
                seen.add(pre)
                stack.extend(before[pre])
        seen.discard(code)
        out[code] = seen
    return out


def _acyclic(fw: LevelFramework) -> bool:
    before = _prerequisites(fw)
    after: dict[str, set[str]] = {code: set() for code in before}
    for code, pres in before.items():
        for pre in pres:
            after[pre].add(code)
    waiting = {code: len(pres) for code, pres in before.items()}
    ready = [code for code, n in waiting.items() if n == 0]
    done = 0
    while ready:
        code = ready.pop()
        done += 1
        for follower in after[code]:
            waiting[follower] -= 1
            if waiting[follower] == 0:
                ready.append(follower)
    return done == len(before)


def find_cycle(fw: LevelFramework) -> list[str] | None:
    if _acyclic(fw):  # the usual case, told without networkx; a cycle is listed by networkx as before
        return None
    import networkx as nx

    graph = criterion_graph(fw)
    try:
        edges = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    return [str(u) for u, _ in edges] + [str(edges[0][0])]


def plan_order(fw: LevelFramework) -> dict[str, int]:
    """Position of every criterion in a plan: prerequisites first, then pillar order, then code.

    Deterministic (a lexicographic topological sort of `criterion_graph`, as networkx's
    `lexicographical_topological_sort` makes it — tests/levels/test_graph.py holds them equal), so two runs print the
    same plan. Written out here so that a batch of levels does not import networkx for it.
    """
    import heapq

    pillar_rank = {p.id: i for i, p in enumerate(fw.pillars)}
    declared = {c.code: i for i, c in enumerate(fw.criteria)}
    after: dict[str, set[str]] = {c.code: set() for c in fw.criteria}
    for crit in fw.criteria:
        for pre in crit.requires:
            if pre in fw.criterion_by_code:
                after[pre].add(crit.code)
    waiting = dict.fromkeys(after, 0)
    for followers in after.values():
        for code in followers:
            waiting[code] += 1

    def key(code: str) -> tuple[int, int]:
        return pillar_rank.get(fw.criterion_by_code[code].pillar, 99), declared[code]

    ready = [(key(code), code) for code, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: dict[str, int] = {}
    while ready:
        _, code = heapq.heappop(ready)
        order[code] = len(order) + 1
        for follower in after[code]:
            waiting[follower] -= 1
            if waiting[follower] == 0:
                heapq.heappush(ready, (key(follower), follower))
    if len(order) != len(after):
        raise ValueError(f"prerequisites form a cycle: {find_cycle(fw)}")
    return order


def unmet_prerequisites(fw: LevelFramework, code: str, unmet: Iterable[str]) -> list[str]:
    """Prerequisites of `code` (direct or through other criteria) that are also unmet."""
    import networkx as nx

    unmet_set = set(unmet)
    graph = criterion_graph(fw)
    return sorted(a for a in nx.ancestors(graph, code) if a in unmet_set)

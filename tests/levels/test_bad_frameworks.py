"""Broken frameworks: the corpus (tests/hostile/corpus/framework, run by tests/hostile/test_corpus.py through
`certify frameworks validate`) covers the required error kinds, and an error caused in a child is located there."""

from __future__ import annotations

from certify.catalog import Catalog
from tests.hostile.harness import CORPUS, cases


def test_corpus_covers_the_required_error_kinds() -> None:
    kinds = {c.spec["code"] for c in cases(("framework",))}
    required = {
        "prerequisite-cycle",
        "weakening-threshold",
        "wrong-count",
        "unknown-level",
        "duplicate-code",
        "bad-syntax",
    }
    assert required <= kinds


def test_error_in_parent_is_reported_in_the_child_when_the_child_causes_it(catalog: Catalog) -> None:
    # The weakening threshold is written in the child: the line must point into the child file.
    path = CORPUS / "framework" / "weakening-threshold.yaml"
    _, problems = catalog.check_path(path)
    problem = next(p for p in problems if p.code == "weakening-threshold")
    line = path.read_text(encoding="utf-8").splitlines()[problem.line - 1 if problem.line else 0]
    assert "nang-cao" in line or "A-ONLINE" in line or "requirements" in line

"""Scoring methods are found by name; extensions register through an entry point."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from certify.dti.methods import Compiled, Context, Row, Scored, ScoringMethod, base, get_method, method_names

BUILT_IN = {
    "binary",
    "ratio",
    "ratio_cap",
    "ratio_cap_jump",
    "tiers",
    "all_or_nothing",
    "count_capped",
    "sum_of_parts",
    "partial_credits",
    "categorical",
    "relative_to_best",
    "min_max",
    "best_alternative",
}


def test_built_in_methods_are_registered() -> None:
    assert set(method_names()) >= BUILT_IN
    ratio = get_method("ratio_cap")
    assert ratio is not None and ratio.name == "ratio_cap" and not ratio.cohort_dependent
    min_max = get_method("min_max")
    assert min_max is not None and min_max.cohort_dependent


class Doubled(ScoringMethod[Any]):
    def score(self, c: Compiled, ctx: Context) -> Scored:
        return Scored(np.minimum(ctx.column(c.code) * 2, c.max_points))

    def explain(self, c: Compiled, row: Row) -> str:
        return "×2"


class _EntryPoint:
    name = "doubled"
    value = "ext.methods:Doubled"

    def load(self) -> type[Doubled]:
        return Doubled


def test_an_entry_point_registers_a_method(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_extensions_loaded", False)
    monkeypatch.setattr(base, "entry_points", lambda group: [_EntryPoint()] if group == base.ENTRY_POINT_GROUP else [])
    try:
        method = get_method("doubled")
        assert isinstance(method, Doubled) and method.name == "doubled"
    finally:
        base._METHODS.pop("doubled", None)

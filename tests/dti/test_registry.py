"""Scoring methods are found by name; extensions register through an entry point."""

from __future__ import annotations

from typing import Any

import numpy as np

from certify.dti.methods import Compiled, Context, Row, Scored, ScoringMethod, get_method, method_names

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


def test_an_entry_point_registers_a_method(install_plugin: Any) -> None:
    install_plugin("ext-methods", {"certify.scoring_methods": {"doubled": "tests.dti.test_registry:Doubled"}})
    method = get_method("doubled")
    assert isinstance(method, Doubled) and method.name == "doubled"

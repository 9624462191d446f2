"""Scoring methods of the point-based DTI, looked up by name.

The built-in methods live in `basic` (a unit's own data), `composite` (sub-criteria, parts,
alternatives) and `cohort` (relative to peers), each declared as a `certify.scoring_methods`
entry point in pyproject.toml and imported when first looked up.
"""

from certify.dti.methods.base import (
    ENTRY_POINT_GROUP,
    Compiled,
    Context,
    InputKind,
    InputSpec,
    MethodExample,
    Params,
    Peers,
    Row,
    RowIssue,
    Scored,
    ScoringMethod,
    get_method,
    method_names,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "Compiled",
    "Context",
    "InputKind",
    "InputSpec",
    "MethodExample",
    "Params",
    "Peers",
    "Row",
    "RowIssue",
    "Scored",
    "ScoringMethod",
    "get_method",
    "method_names",
]

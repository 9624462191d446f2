"""Scoring methods of the point-based DTI, looked up by name.

The built-in methods live in `basic` (a unit's own data), `composite` (sub-criteria, parts,
alternatives) and `cohort` (relative to peers); importing this package registers them.
"""

from certify.dti.methods import basic, cohort, composite  # noqa: F401  (registration)
from certify.dti.methods.base import (
    ENTRY_POINT_GROUP,
    Compiled,
    Context,
    InputKind,
    InputSpec,
    Params,
    Peers,
    Row,
    RowIssue,
    Scored,
    ScoringMethod,
    get_method,
    load_extensions,
    method_names,
    register_method,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "Compiled",
    "Context",
    "InputKind",
    "InputSpec",
    "Params",
    "Peers",
    "Row",
    "RowIssue",
    "Scored",
    "ScoringMethod",
    "get_method",
    "load_extensions",
    "method_names",
    "register_method",
]

"""`certify evaluate`, `certify gap`, `certify demo`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the assessment commands to the main app."""

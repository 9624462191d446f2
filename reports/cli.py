"""`certify report …` commands: filled in with the report layer."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the report commands to the main app."""

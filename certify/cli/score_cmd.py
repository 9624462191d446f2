"""`certify score`: point-based DTI scoring (filled in by the DTI engine)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the DTI commands to the main app."""

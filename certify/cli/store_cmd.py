"""Assessment-cycle commands (template, import, export, cycles): filled in with the storage."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the storage commands to the main app."""

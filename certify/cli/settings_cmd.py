"""`certify settings`: the settings in force and where each comes from."""

from __future__ import annotations

import os
from typing import Annotated

import typer


def settings_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="In JSON (print JSON).")] = False,
) -> None:
    """Các thiết lập đang dùng (the settings in force, from CERTIFY_* environment variables)."""
    from rich.table import Table

    from certify.cli.common import console, print_json
    from certify.settings import Settings, env_name, get_settings, shown_value

    current = get_settings()
    rows = []
    for name, info in Settings.model_fields.items():
        variable = env_name(name)
        rows.append(
            {
                "variable": variable,
                "value": shown_value(current, name),
                "from": "environment" if variable in os.environ else "default",
                "description": info.description or "",
            }
        )
    if as_json:
        print_json(rows)
        return
    table = Table(title="Thiết lập (settings) — docs/settings.md")
    for column in ("Biến (variable)", "Giá trị (value)", "Nguồn (from)", "Ý nghĩa (what it changes)"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["variable"], row["value"], row["from"], row["description"])
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("settings")(settings_cmd)

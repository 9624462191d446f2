"""`certify plugins`: every plugin (kinds, scoring methods, formats, commands) with its origin and status."""

from __future__ import annotations

import contextlib
from typing import Annotated

import typer


def plugins_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="In JSON (print JSON).")] = False,
) -> None:
    """Các phần mở rộng đã cài và tình trạng (installed plugins: group, origin, status)."""
    from rich.markup import escape
    from rich.table import Table

    from certify import plugins
    from certify.cli.common import console, print_json
    from certify.dti.methods import get_method, method_names
    from certify.errors import CertifyError
    from certify.formats import gap_formats
    from certify.kinds import kinds

    # Load everything once so each plugin's status is known (a broken one is reported as it fails).
    kinds()
    gap_formats()
    for name in method_names():
        with contextlib.suppress(CertifyError):  # a broken method's failure is its status
            get_method(name)
    found = plugins.status()
    if as_json:
        print_json([p.to_dict() for p in found])
        return
    table = Table(title=f"Phần mở rộng (plugins) — {len(found)}")
    for column in ("Nhóm (group)", "Tên (name)", "Nguồn (origin)", "Tình trạng (status)"):
        table.add_column(column, overflow="fold")
    shown = {"loaded": "[green]đã nạp / loaded[/]", "available": "có / available"}
    for p in found:
        state = shown.get(p.status) or f"[red]lỗi / failed[/] ({escape(p.value)}): {escape(p.error or '')}"
        table.add_row(p.group.removeprefix("certify."), p.name, escape(p.origin), state)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("plugins")(plugins_cmd)

"""What every command shares: consoles, bilingual error display, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from certify.errors import CertifyError, Problem

console = Console()
console_err = Console(stderr=True)

EXIT_INVALID = 2  # the input was rejected


def print_problems(problems: list[Problem], out: Console = console_err) -> None:
    for p in problems:
        style = {"error": "bold red", "warning": "yellow", "info": "cyan"}[p.severity]
        label = {"error": "LỖI/ERROR", "warning": "CẢNH BÁO/WARNING", "info": "THÔNG TIN/INFO"}[p.severity]
        out.print(f"[{style}]{label}[/] {escape(p.message())}", soft_wrap=True)


def ensure_writable(path: Path, force: bool) -> None:
    """Refuse to replace a file someone may have edited (a signed copy, notes) unless asked to."""
    if path.exists() and not force:
        raise CertifyError.one(
            "file-exists",
            "Tệp đã tồn tại; thêm --force để ghi đè",
            "The file already exists; add --force to overwrite it",
            file=str(path),
        )


ForceFlag = Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có (overwrite an existing file).")]


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def run_guarded(app: typer.Typer, err: Console, args: list[str] | None = None) -> int:
    """Run the app; user errors print bilingual messages and exit 2, never a traceback."""
    try:
        # Without standalone mode click returns the code of a `typer.Exit` instead of raising it.
        result = app(args=args, standalone_mode=False)
        if isinstance(result, int):
            return result
    except CertifyError as exc:
        print_problems(exc.problems, err)
        return EXIT_INVALID
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        err.print("Đã hủy (aborted).")
        return 1
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        raise
    return 0

"""`certify` command. Command groups register through the `certify.commands` entry points, the
core's own as well as those of `reports/` and `api/`, so the core never imports its edges."""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib.metadata import entry_points

import typer

from certify.cli.common import console_err, run_guarded

GROUP = "certify.commands"

app = typer.Typer(
    name="certify",
    help="Đánh giá, công nhận mức độ chuyển đổi số và chấm điểm DTI "
    "(certify digital-transformation maturity and score the DTI).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_all() -> None:
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        register: Callable[[typer.Typer], None] = ep.load()
        register(app)


_register_all()


def main() -> None:
    sys.exit(run_guarded(app, console_err))

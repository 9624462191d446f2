"""`certify` command: assembles the command groups defined in sibling modules."""

from __future__ import annotations

import sys

import typer

from certify.cli import assess_cmd, frameworks_cmd, score_cmd
from certify.cli.common import console_err, run_guarded

app = typer.Typer(
    name="certify",
    help="Đánh giá, công nhận mức độ chuyển đổi số và chấm điểm DTI "
    "(certify digital-transformation maturity and score the DTI).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(frameworks_cmd.app, name="frameworks")
assess_cmd.register(app)
score_cmd.register(app)


def main() -> None:
    sys.exit(run_guarded(app, console_err))

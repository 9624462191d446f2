"""`certify` command. Command groups are plugins of the `certify.commands` entry-point group
(certify.plugins): the core's own as well as those of `reports/` and `api/` register the same
way, so the core never imports its edges, and a broken group leaves the others working."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import Any

import typer

from certify import plugins
from certify.bulk import keep_freed_memory
from certify.cli.common import console_err, print_problems, run_guarded
from certify.errors import CertifyError

GROUP = "certify.commands"

app = typer.Typer(
    name="certify",
    help="Đánh giá, công nhận mức độ chuyển đổi số và chấm điểm DTI "
    "(certify digital-transformation maturity and score the DTI).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_into(target: typer.Typer) -> Callable[[Any], bool]:
    def use(register: Any) -> bool:
        if not callable(register):
            raise TypeError(f"expected a function register(app), found {type(register).__name__}")
        register(target)
        return True

    return use


def _register_all() -> None:
    for name in plugins.names(GROUP):
        plugins.load(GROUP, name, _register_into(app))


try:
    _register_all()
except CertifyError as exc:  # an installation without certify's own entry points
    print_problems(exc.problems, console_err)
    sys.exit(2)


def main() -> None:
    # One BLAS thread unless the user says otherwise: certify's matrices (a cohort × 9 main indices at most) gain
    # nothing from a second, and OpenBLAS starting its thread pool costs a command ≈ 0.1 s of CPU on two cores.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if sys.argv[1:2] != ["serve"]:  # a command that ends, not the web server (whose memory goes back as usual)
        keep_freed_memory()
    code = run_guarded(app, console_err)
    # The command is done and the process ends: the collector's passes at exit would walk every object it made
    # (certify score on 10,600 units: ≈ 50 ms) to free what the exit frees anyway. Buffers are flushed as usual.
    gc.freeze()
    sys.exit(code)

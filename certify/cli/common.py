"""What every command shares: consoles, bilingual error display, exit codes."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from certify.errors import CertifyError, Problem

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

console = Console()
console_err = Console(stderr=True)

EXIT_INVALID = 2  # the input or the command line was rejected
EXIT_INTERNAL = 70  # a bug of ours (EX_SOFTWARE)
EXIT_INTERRUPTED = 130  # Ctrl-C


@contextmanager
def database(*, write: bool = False) -> Iterator[Session]:
    """A transaction on the configured database, migrated first. The storage layer (SQLAlchemy, Alembic)
    is imported here, on first use, so commands that never touch a database start without it.

    `write=True` for a command that changes the database: it waits for another writer (see certify.store.engine).
    """
    from certify.store.engine import transaction
    from certify.store.migrate import ready_engine

    with transaction(ready_engine(), write=write) as session:
        yield session


def actor() -> str:
    """Who is acting on the command line (CERTIFY_USER, else the operating-system user), for the audit trail."""
    from certify.settings import get_settings

    return get_settings().user


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
YesFlag = Annotated[
    bool,
    typer.Option("--yes", "-y", help="Không hỏi xác nhận, cho tập lệnh (do not ask for confirmation: for scripts)."),
]


def interactive() -> bool:
    """Whether a person can answer a question (stdin is a terminal); tests set it."""
    return sys.stdin.isatty()


def confirm_change(changes: Sequence[str], vi: str, en: str, yes: bool) -> None:
    """Before anything that cannot be undone: show what will change (`changes`, one line each), then ask.

    `--yes` (scripts) skips the question. Without a terminal to ask on and without `--yes`, nothing is done:
    one bilingual line, exit 2. «No» aborts (exit 1), nothing done.
    """
    for line in changes:
        console.print(escape(line), soft_wrap=True)
    if yes:
        return
    if not interactive():
        raise CertifyError.one(
            "confirmation-required",
            f"{vi}: cần xác nhận; không có ai để hỏi (không phải cửa sổ lệnh), thêm --yes nếu chắc chắn",
            f"{en}: needs confirmation and there is no terminal to ask on; add --yes if you mean it",
            expected="--yes",
        )
    if not typer.confirm(f"{vi}? ({en}?)", default=False):
        raise typer.Abort()


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def run_guarded(app: typer.Typer, err: Console, args: list[str] | None = None) -> int:
    """Run the app; every user error prints one bilingual line and exits 2, never a traceback.

    Usage errors come from whichever click the installed typer uses (see `certify.cli.usage`).
    A group run without a command (plain `certify`, `certify cycle`) shows its help and then
    the error line, the same with every click version. An unexpected failure of ours prints one
    line too, with the way to see the traceback (`CERTIFY_DEBUG=1`), and exits 70.
    """
    given = sys.argv[1:] if args is None else args
    if not given or "--help" in given:
        _import_help_renderer()
    command = _click_command(app, given)
    _no_help_instead_of_errors(command)
    try:
        # Without standalone mode click returns the code of an exit instead of raising it.
        result = command.main(args=args, prog_name="certify", standalone_mode=False)
    except CertifyError as exc:
        print_problems(exc.problems, err)
        return EXIT_INVALID
    except KeyboardInterrupt:
        err.print("Đã dừng (interrupted).")
        return EXIT_INTERRUPTED
    except Exception as exc:
        return _handled(exc, err)
    return result if isinstance(result, int) else 0


def _handled(exc: Exception, err: Console) -> int:
    from certify.cli import usage

    if usage.is_click_class(exc, "Exit"):
        return int(getattr(exc, "exit_code", 0) or 0)
    if usage.is_click_class(exc, "Abort"):
        err.print("Đã hủy (aborted).")
        return 1
    if usage.is_click_error(exc):
        ctx = getattr(exc, "ctx", None)
        if (
            ctx is not None
            and usage.is_click_class(exc, "UsageError")
            and str(getattr(exc, "message", "")).startswith("Missing command")
        ):
            help_text = ctx.get_help()  # typer's rich help prints itself and returns ""
            if help_text:
                err.print(help_text, markup=False, highlight=False)
        print_problems([usage.usage_problem(exc)], err)
        return EXIT_INVALID
    if isinstance(exc, BrokenPipeError):  # `certify … | head`: the reader has gone
        return 1
    if isinstance(exc, OSError):
        name = exc.filename if exc.filename is not None else ""
        reason = exc.strerror or str(exc)
        print_problems(
            [
                Problem(
                    "file-access",
                    f"Không đọc hoặc ghi được «{name}»: {reason}",
                    f"Could not read or write '{name}': {reason}",
                )
            ],
            err,
        )
        return EXIT_INVALID
    if debug_enabled():
        raise exc
    print_problems(
        [
            Problem(
                "internal",
                f"Lỗi nội bộ của certify ({type(exc).__name__}: {exc}); chạy lại với CERTIFY_DEBUG=1 để xem chi tiết "
                "và báo cho nhóm phát triển",
                f"Internal error ({type(exc).__name__}: {exc}); run again with CERTIFY_DEBUG=1 for the traceback "
                "and report it",
            )
        ],
        err,
    )
    return EXIT_INTERNAL


def _click_command(app: typer.Typer, args: list[str]) -> Any:
    """The click command of `app`. When the first argument names one of its commands or groups exactly, only
    that one is built (typer reads the signature of every command it builds): `certify evaluate FILE` does not
    pay for the forty others. `certify --help` and plain `certify` list the commands by name and one-line help
    only, so they get the commands without their parameters. Anything else (a typo to suggest a name for) gets
    the whole tree."""
    if args in ([], ["--help"]):
        return typer.main.get_command(_listing(app))
    name = args[0] if args else ""
    if name and not name.startswith("-"):
        commands = [c for c in app.registered_commands if c.name == name]
        groups = [g for g in app.registered_groups if g.name == name]
        if len(commands) + len(groups) == 1:
            only = copy.copy(app)
            only.registered_commands, only.registered_groups = commands, groups
            return typer.main.get_group(only)  # a group even with one command, as the whole app is
    return typer.main.get_command(app)


def _listing(app: typer.Typer) -> typer.Typer:
    """A copy of `app` for its own help page, which shows each command's and group's name and one-line help:
    the commands without their parameters, the named groups without their commands. A group added without a
    name (its commands listed as the app's own) is kept whole."""
    only = copy.copy(app)
    only.registered_commands = [_without_parameters(info) for info in app.registered_commands]
    only.registered_groups = []
    for info in app.registered_groups:
        if info.name and info.typer_instance is not None:
            group = copy.copy(info.typer_instance)
            group.registered_commands, group.registered_groups = [], []
            info = copy.copy(info)
            info.typer_instance = group
        only.registered_groups.append(info)
    return only


def _without_parameters(info: Any) -> Any:
    """A command as its help page lists it (name, help, panel, hidden, deprecated) whose function has no
    parameters: typer reads no signature for it."""
    callback = info.callback
    if callback is None:
        return info

    def listed() -> None:  # never run: the listing only shows the help
        raise AssertionError("a listed command is never run")

    for attribute in ("__name__", "__qualname__", "__module__", "__doc__"):
        setattr(listed, attribute, getattr(callback, attribute, None))
    info = copy.copy(info)
    info.callback = listed
    return info


# typer's help renderer (typer.rich_utils) imports rich's Markdown and Traceback at its top (markdown-it, pygments:
# a fifth of `certify --help`) for markdown help and pretty tracebacks, neither of which certify uses (plain help
# text, pretty_exceptions_enable=False). They are imported on first use instead.
_RENDERER_DEFERRED = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


def _import_help_renderer() -> None:
    """Import typer's help renderer with its markdown and traceback classes loaded when first used. With a typer
    that imports more from them, or already has them, it is simply imported as it is."""
    if "typer.rich_utils" in sys.modules:
        return
    import importlib
    import types

    placeholders: dict[str, types.ModuleType] = {}
    for module, name in _RENDERER_DEFERRED.items():
        if module not in sys.modules:
            placeholder = types.ModuleType(module)
            setattr(placeholder, name, _deferred(module, name))
            placeholders[module] = placeholder
    sys.modules.update(placeholders)
    try:
        importlib.import_module("typer.rich_utils")
    except Exception:  # a typer that reads more of them while importing: imported again below, as it is
        sys.modules.pop("typer.rich_utils", None)
    finally:
        for module, placeholder in placeholders.items():
            if sys.modules.get(module) is placeholder:
                del sys.modules[module]  # the real module for everyone else, on first import
    if "typer.rich_utils" not in sys.modules:
        importlib.import_module("typer.rich_utils")


def _deferred(module: str, name: str) -> type:
    """A stand-in for the class `name` of `module` that imports it when first instantiated."""

    class Deferred:
        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            import importlib

            return getattr(importlib.import_module(module), name)(*args, **kwargs)

    Deferred.__name__ = Deferred.__qualname__ = name
    return Deferred


def debug_enabled() -> bool:
    from certify.settings import get_settings

    try:
        return get_settings().debug
    except Exception:  # a malformed setting must not hide the error being reported
        return False


def _no_help_instead_of_errors(command: Any) -> None:
    """Click before 8.2 answers a bare group with its help and exit 0, later ones with an error:
    turn the help-on-no-arguments off everywhere so both raise «Missing …» and we answer alike."""
    command.no_args_is_help = False
    for sub in getattr(command, "commands", {}).values():
        _no_help_instead_of_errors(sub)

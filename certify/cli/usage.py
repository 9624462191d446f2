"""Command-line usage errors (a typo, a missing argument) as one bilingual line.

Typer raises click's exceptions; which click depends on the installed typer (up to 0.28 the
separate `click` package, from 0.29 its own copy `typer._click`). Both are recognised here by the
class names in the exception's ancestry, so no version of either can turn a typo into a
traceback. Click's English message is kept beside a Vietnamese one written from the exception's
own fields (the option, the argument, the command that was mistyped).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from certify.errors import Problem

USAGE_ERRORS = ("UsageError", "ClickException")


def is_click_error(exc: BaseException) -> bool:
    return any(cls.__name__ in USAGE_ERRORS for cls in type(exc).__mro__)


def is_click_class(exc: BaseException, name: str) -> bool:
    return any(cls.__name__ == name for cls in type(exc).__mro__)


def help_hint(exc: BaseException) -> str:
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None) or "certify"
    return f"{path} --help"


def usage_problem(exc: BaseException) -> Problem:
    """One located, bilingual problem for a click usage error of any click version."""
    name = type(exc).__name__
    message = str(getattr(exc, "message", "") or "")
    hint = help_hint(exc)
    see_vi, see_en = f" — xem «{hint}»", f" — see '{hint}'"
    if is_click_class(exc, "NoSuchOption"):
        option = str(getattr(exc, "option_name", "") or "")
        guesses = sorted(getattr(exc, "possibilities", None) or [])
        vi, en = f"Không có tùy chọn «{option}»", f"No such option '{option}'"
        if guesses:
            vi += f"; có phải «{guesses[0]}»?"
            en += f"; did you mean '{guesses[0]}'?"
        return _problem("usage-option", vi + see_vi, en + see_en)
    if is_click_class(exc, "MissingParameter"):
        what = _param_hint(exc)
        kind = str(getattr(exc, "param_type", None) or getattr(getattr(exc, "param", None), "param_type_name", ""))
        vi_kind = {"argument": "đối số", "option": "tùy chọn"}.get(kind, "tham số")
        en_kind = kind or "parameter"
        vi, en = f"Thiếu {vi_kind} «{what}»", f"Missing {en_kind} '{what}'"
        return _problem("usage-missing", vi + see_vi, en + see_en)
    if is_click_class(exc, "BadParameter"):
        what = _param_hint(exc)
        vi_detail = _vietnamese_detail(message)
        vi = f"Giá trị không hợp lệ cho «{what}»" if what else "Giá trị không hợp lệ"
        en = f"Invalid value for '{what}': {message}" if what else f"Invalid value: {message}"
        return _problem("usage-value", vi + (f": {vi_detail}" if vi_detail else "") + see_vi, en + see_en)
    if is_click_class(exc, "NoArgsIsHelpError") or re.match(r"Missing command", message):
        return _problem("usage-command", f"Thiếu lệnh{see_vi}", f"Missing command{see_en}")
    command = re.match(r"No such command '(?P<x>.+?)'", message)
    if command:
        typed = command["x"]
        vi, en = f"Không có lệnh «{typed}»", f"No such command '{typed}'"
        guess = difflib.get_close_matches(typed, _command_names(exc), n=1)
        if guess:
            vi += f"; có phải «{guess[0]}»?"
            en += f"; did you mean '{guess[0]}'?"
        return _problem("usage-command", vi + see_vi, en + see_en)
    extra = re.match(r"Got unexpected extra arguments?(?:\(s\))? \((?P<x>.*)\)", message)
    if extra:
        return _problem(
            "usage-extra", f"Thừa đối số: {extra['x']}{see_vi}", f"Unexpected extra argument: {extra['x']}{see_en}"
        )
    takes = re.match(r"Option '(?P<x>.+?)' does not take a value", message)
    if takes:
        x = takes["x"]
        return _problem("usage-option", f"Tùy chọn «{x}» không nhận giá trị{see_vi}", f"{message}{see_en}")
    needs = re.match(r"Option '(?P<x>.+?)' requires (an argument|\d+ arguments)", message)
    if needs:
        x = needs["x"]
        return _problem("usage-option", f"Tùy chọn «{x}» cần một giá trị{see_vi}", f"{message}{see_en}")
    if is_click_class(exc, "FileError"):
        filename = str(getattr(exc, "ui_filename", None) or getattr(exc, "filename", ""))
        return _problem("usage-file", f"Không mở được tệp «{filename}»", f"Could not open file '{filename}': {message}")
    if name == "UsageError" or is_click_class(exc, "UsageError"):
        return _problem("usage", f"Lệnh dùng chưa đúng{see_vi}", f"{message}{see_en}")
    return _problem("usage", "Lỗi khi chạy lệnh", message or name)


def _problem(code: str, vi: str, en: str, **where: Any) -> Problem:
    return Problem(code=code, vi=vi, en=en, **where)


def _param_hint(exc: BaseException) -> str:
    hint: Any = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        get = param.get_error_hint
        try:
            hint = get(getattr(exc, "ctx", None))  # click 8.x
        except TypeError:
            hint = get()  # typer's own copy of click takes no context
    if isinstance(hint, list | tuple):
        hint = " / ".join(str(h) for h in hint)
    return str(hint or "").replace("'", "").replace('"', "")


def _command_names(exc: BaseException) -> list[str]:
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command", None)
    try:
        return list(command.list_commands(ctx)) if command is not None else []
    except Exception:  # a group that cannot list its commands still gets its error shown
        return []


# Click's detail messages in Vietnamese, for the common cases; others keep the English beside.
_DETAILS: tuple[tuple[str, str], ...] = (
    (r"(?:Value )?'(?P<x>.*)' is not a valid (?:integer|int)", "«{x}» không phải số nguyên"),
    (r"(?:Value )?'(?P<x>.*)' is not a valid (?:float|number)", "«{x}» không phải số"),
    (r"(?:Value )?'(?P<x>.*)' is not a valid (?:boolean|bool)", "«{x}» không phải có/không"),
    (r"Input should be a valid integer", "cần một số nguyên"),
    (r"Input should be a valid number", "cần một số"),
    (r"Input should be greater than or equal to (?P<x>\S+)", "cần ≥ {x}"),
    (r"Input should be less than or equal to (?P<x>\S+)", "cần ≤ {x}"),
    (r"Input should be greater than (?P<x>\S+)", "cần > {x}"),
    (r"Input should be less than (?P<x>\S+)", "cần < {x}"),
    (r"(?P<x>\S+) is not in the range (?P<r>.+?)\.?$", "{x} nằm ngoài khoảng {r}"),
    (r"'(?P<x>.*)' is not one of (?P<r>.+?)\.?$", "«{x}» không thuộc các giá trị {r}"),
    (r"(?:File|Path|Directory) '(?P<x>.*)' does not exist", "không có «{x}»"),
    (r"(?:File|Path) '(?P<x>.*)' is a directory", "«{x}» là thư mục, cần một tệp"),
    (r"Directory '(?P<x>.*)' is a file", "«{x}» là tệp, cần một thư mục"),
)


def _vietnamese_detail(message: str) -> str:
    for pattern, vi in _DETAILS:
        m = re.search(pattern, message)
        if m:
            return vi.format(**m.groupdict())
    return ""

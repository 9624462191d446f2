"""One-time messages after an action («Đã nộp hồ sơ của Xã Long Hồ»), kept in the signed session until shown.

The message is stored as its Vietnamese source text and the values to fill in, and translated when the next
page renders, so it reads in the language of that page.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from api.i18n import Translator

KEY = "flash"
MAX_KEPT = 5  # a few at most: the cookie stays small


def flash(request: Request, message: str, **values: str | int) -> None:
    """Say `message` (Vietnamese source text with `{name}` fields) on the next page shown to this session."""
    if "session" not in request.scope:
        return
    kept: list[dict[str, Any]] = list(request.session.get(KEY, []))[-(MAX_KEPT - 1) :]
    kept.append({"m": message, "v": {k: str(v) for k, v in values.items()}})
    request.session[KEY] = kept


def take(request: Request, tr: Translator) -> list[str]:
    """The messages waiting for this session, translated, and forgotten once taken."""
    if "session" not in request.scope or KEY not in request.session:
        return []
    out = []
    for item in request.session.pop(KEY) or []:
        try:
            out.append(tr(str(item["m"])).format(**item.get("v", {})))
        except (KeyError, IndexError, TypeError, ValueError):  # a message that no longer fits its values
            continue
    return out

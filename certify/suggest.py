"""The way out of a mistyped key or code: the keys a place allows, and the nearest known name.

Shared by every file a user writes (frameworks, assessments, workbooks), so «did you mean» reads the
same everywhere.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from certify.errors import KeyPath


def did_you_mean(word: str, known: Iterable[str]) -> str | None:
    """The known name closest to `word` (case and separators ignored), if any is close enough."""
    names = [str(k) for k in known]
    if not names:
        return None

    def norm(text: str) -> str:
        # «CQS-4» means «CQS-04»: numbers compare by value
        text = re.sub(r"\d+", lambda m: str(int(m.group())), text)
        return text.lower().replace("_", "-").replace(" ", "")

    by_norm = {norm(n): n for n in names}
    if norm(word) in by_norm and by_norm[norm(word)] != word:
        return by_norm[norm(word)]
    close = difflib.get_close_matches(norm(word), list(by_norm), n=1, cutoff=0.6)
    return by_norm[close[0]] if close else None


def hint(word: str, known: Iterable[str]) -> tuple[str, str]:
    """(vi, en) sentence fragments: « — có phải «X»?» / " — did you mean 'X'?", or empty strings."""
    guess = did_you_mean(word, known)
    if guess is None:
        return "", ""
    return f" — có phải «{guess}»?", f" — did you mean '{guess}'?"


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold directly (through Optional/Union/Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType) or str(origin) == "typing.Annotated":
        return [m for arg in get_args(annotation) for m in models_in(arg)]
    return []


def item_type(annotation: Any) -> Any | None:
    """The type of one element of a list or one value of a dict annotation, else None."""
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin in (list, tuple, set, frozenset) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    if origin in (Union, types.UnionType):
        for arg in args:
            inner = item_type(arg)
            if inner is not None:
                return inner
    return None


def model_at(model: type[BaseModel], path: KeyPath) -> type[BaseModel] | None:
    """The model that validates the mapping at `path` (list positions or item codes step into items)."""
    current: Any = model
    pending: list[str | int] = list(path)
    while pending:
        models = models_in(current)
        if not models:
            inner = item_type(current)
            if inner is None:
                return None
            current = inner
            pending.pop(0)
            continue
        key = pending.pop(0)
        field = next((f for m in models for name, f in m.model_fields.items() if str(key) in (name, f.alias)), None)
        if field is None:
            return None
        current = field.annotation
    found = models_in(current)
    return found[0] if found else None


def allowed_keys(model: type[BaseModel], path: KeyPath) -> list[str]:
    """The keys the mapping holding `path`'s last key accepts (empty if unknown)."""
    owner = model_at(model, path[:-1])
    return [f.alias or name for name, f in owner.model_fields.items()] if owner is not None else []

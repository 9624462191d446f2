"""What a new framework version changes, for any kind: items matched by code, fields compared.

Province staff read this before switching a cycle to a new version, so it names criteria by
code and levels by id rather than by list position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from certify.catalog import ITEM_KEYS, Resolved

IGNORED = {"version", "source", "note"}


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    path: str
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "old": self.old, "new": self.new}


def diff_frameworks(old: Resolved, new: Resolved) -> list[Change]:
    a = old.framework.model_dump(mode="json", exclude_none=True)
    b = new.framework.model_dump(mode="json", exclude_none=True)
    return _diff({k: v for k, v in a.items() if k not in IGNORED}, {k: v for k, v in b.items() if k not in IGNORED}, "")


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    out = {}
    for item in items:
        key = next((str(item[k]) for k in ITEM_KEYS if isinstance(item, dict) and k in item), None)
        if key is None:
            return None
        out[key] = item
    return out


def _diff(a: Any, b: Any, path: str) -> list[Change]:
    if isinstance(a, list) and isinstance(b, list):
        ka, kb = _keyed(a), _keyed(b)
        if ka is not None and kb is not None:
            a, b = ka, kb
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[Change] = []
        for key in list(a) + [k for k in b if k not in a]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in b:
                out.append(Change("removed", sub, old=a[key]))
            elif key not in a:
                out.append(Change("added", sub, new=b[key]))
            else:
                out += _diff(a[key], b[key], sub)
        return out
    return [] if a == b else [Change("changed", path, a, b)]

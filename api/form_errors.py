"""Errors of a submitted form as a person reads them: a summary above the form, each message at its field.

Problems come from the core (paths like `values.CQS-01.numerator`) or from a page's own checks (path `year`).
Each is shown once in the summary, with a link to its field, and again at the field, whose box turns red; the
internal code and the key path are never shown (they stay in the JSON twin for programs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from api.i18n import Translator
from certify.errors import Problem


@dataclass(frozen=True)
class Shown:
    """One message, ready for the page."""

    key: str | None  # the field (criterion code or form field name); None: about the whole form
    text: str
    severity: str = "error"

    @property
    def anchor(self) -> str | None:
        return f"field-{self.key}" if self.key else None


@dataclass
class FormErrors:
    """What a form page shows: the summary above the form and the messages of each field."""

    summary: list[Shown] = field(default_factory=list)
    by_field: dict[str, list[Shown]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.summary)

    def at(self, key: str) -> list[Shown]:
        return self.by_field.get(key, [])

    def bad(self, key: str) -> bool:
        return any(s.severity == "error" for s in self.at(key))

    @property
    def errors(self) -> list[Shown]:
        return [s for s in self.summary if s.severity == "error"]

    @property
    def warnings(self) -> list[Shown]:
        return [s for s in self.summary if s.severity != "error"]


def field_key(path: Iterable[Any]) -> str | None:
    """`values.CQS-01.numerator` → `CQS-01`; `comment.CQS-01` → `CQS-01`; `("year",)` → `year`; `()` → None."""
    parts = [str(p) for p in path]
    if len(parts) >= 2 and parts[0] in ("values", "comment"):
        return parts[1]
    return parts[0] if parts else None


def _text(tr: Translator, vi: str, en: str, found: str | None) -> str:
    text = str(tr.pick(vi, en))
    shown_found = (found or "").strip("'\"«»")
    if shown_found and shown_found not in text and len(shown_found) <= 60 and not shown_found.startswith("("):
        text += " — " + tr("bạn đã nhập") + f" «{shown_found}»"
    return text


def shown(problems: Iterable[Problem | Mapping[str, Any]], tr: Translator) -> FormErrors:
    """Problems (objects or their `to_dict()`) as a summary and per-field messages, each message once."""
    out = FormErrors()
    seen: set[tuple[str | None, str]] = set()
    for p in problems:
        if isinstance(p, Problem):
            key, vi, en, found, severity = field_key(p.path), p.vi, p.en, p.found, str(p.severity)
        else:
            path = str(p.get("path") or "")
            key = field_key(path.split(".")) if path else None
            vi, en, found = str(p.get("message_vi", "")), str(p.get("message_en", "")), p.get("found")
            severity = str(p.get("severity") or "error")
        item = Shown(key, _text(tr, vi, en, found), severity)
        if (key, item.text) in seen:
            continue
        seen.add((key, item.text))
        out.summary.append(item)
        if key is not None:
            out.by_field.setdefault(key, []).append(item)
    return out

"""Registry of gap-report output formats.

Every format, built-in or not, is declared in the `certify.gap_formats` entry-point group (see
pyproject.toml) and loaded from there, so the core never imports the `reports` package: the
HTML and Markdown renderers of `reports/` and a province's own format plug in the same way.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points

from certify.errors import CertifyError
from certify.levels.gap import GapReport

GROUP = "certify.gap_formats"


@dataclass(frozen=True)
class GapFormat:
    name: str
    suffix: str
    description: str
    render: Callable[[GapReport], str | bytes]

    @property
    def binary(self) -> bool:
        return self.suffix in {".pdf", ".docx", ".xlsx"}


_REGISTRY: dict[str, GapFormat] = {}
_loaded = False


def register_gap_format(fmt: GapFormat) -> None:
    _REGISTRY[fmt.name] = fmt


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for ep in entry_points(group=GROUP):
        try:
            obj = ep.load()
        except ImportError as exc:
            # A broken or half-installed plugin must not take the whole tool down; say so and go on.
            warnings.warn(f"gap format '{ep.name}' ({ep.value}) not loaded: {exc}", stacklevel=2)
            continue
        if isinstance(obj, GapFormat):
            register_gap_format(obj)


def gap_formats() -> dict[str, GapFormat]:
    _load()
    return dict(sorted(_REGISTRY.items()))


def get_gap_format(name: str) -> GapFormat:
    formats = gap_formats()
    if name not in formats:
        raise CertifyError.one(
            "unknown-format",
            f"Không có định dạng «{name}»",
            f"Unknown format '{name}'",
            expected=" | ".join(formats),
            found=name,
        )
    return formats[name]


def _json(report: GapReport) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"


JSON = GapFormat("json", ".json", "JSON (máy đọc / machine-readable)", _json)

"""Gap-report output formats.

Every format, built-in or not, is a plugin of the `certify.gap_formats` entry-point group
(certify.plugins), so the core never imports the `reports` package: the HTML, PDF, Word and
Excel renderers of `reports/` and a province's own format plug in the same way. A format says
its file suffix and its media type (what the web API answers with); a module that declares a
format should import heavy libraries inside its render function, so listing formats stays cheap.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from certify import plugins
from certify.errors import CertifyError

if TYPE_CHECKING:  # a format renders a gap report; declaring one does not build any
    from certify.levels.gap import GapReport

GROUP = "certify.gap_formats"
BINARY = "application/octet-stream"


@dataclass(frozen=True)
class GapFormat:
    name: str
    suffix: str
    description: str
    render: Callable[[GapReport], str | bytes]
    # What the web API serves the file as, e.g. "text/html; charset=utf-8"; guessed from the suffix when left out.
    media_type: str = ""

    def __post_init__(self) -> None:
        if not self.media_type:
            guessed = mimetypes.guess_type(f"report{self.suffix}")[0] or BINARY
            text = guessed.startswith("text/")
            object.__setattr__(self, "media_type", guessed + ("; charset=utf-8" if text else ""))

    @property
    def binary(self) -> bool:
        return not (self.media_type.startswith("text/") or self.media_type == "application/json")


def _named(name: str) -> Callable[[object], GapFormat]:
    def use(obj: object) -> GapFormat:
        fmt = plugins.expect(GapFormat)(obj)
        if fmt.name != name:
            raise ValueError(f"the entry point is named '{name}' but the format calls itself '{fmt.name}'")
        return fmt

    return use


def format_names() -> list[str]:
    """The formats installed, without loading any."""
    return plugins.names(GROUP)


def gap_formats() -> dict[str, GapFormat]:
    """Every working format (loads them all)."""
    return {name: fmt for name in format_names() if (fmt := plugins.load(GROUP, name, _named(name))) is not None}


def get_gap_format(name: str) -> GapFormat:
    fmt = plugins.load(GROUP, name, _named(name))
    if fmt is not None:
        return fmt
    broken = plugins.broken(GROUP, name)
    if broken:
        raise plugins.broken_error(GROUP, name, broken)
    raise CertifyError.one(
        "unknown-format",
        f"Không có định dạng «{name}»",
        f"Unknown format '{name}'",
        expected=" | ".join(format_names()),
        found=name,
    )


def _json(report: GapReport) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"


JSON = GapFormat("json", ".json", "JSON (máy đọc / machine-readable)", _json, "application/json")

"""The one way certify is extended: Python entry points, loaded when first asked for.

| group                     | an entry gives                        | its name is                          |
|---------------------------|---------------------------------------|--------------------------------------|
| `certify.kinds`           | a `certify.kinds.Kind`                | the `kind:` of framework files       |
| `certify.scoring_methods` | a `certify.dti.methods.ScoringMethod` subclass | the `method:` of DTI criteria |
| `certify.gap_formats`     | a `certify.formats.GapFormat`         | the value of `--format` and `?format=` |
| `certify.commands`        | a function `register(app: typer.Typer)` | a command group of `certify`       |

The built-in kinds, methods, formats and commands are declared in certify's own pyproject.toml
and load through here exactly as a province's package does (docs/EXTENDING.md).

Failure policy, the same for every group: a plugin that cannot be imported, or that gives the
wrong kind of object, is skipped; one bilingual warning naming it, its group, its package and
the error goes to stderr, once per process; everything else keeps working. Asking for that very
plugin by name then says it is installed but broken (`broken()`), never that it is unknown.
`certify plugins` lists every plugin with its group, origin and status.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, distributions
from typing import Any, Literal, TypeVar

from certify.errors import CertifyError, Problem

GROUPS: dict[str, str] = {
    "certify.kinds": "loại bộ tiêu chí (framework kinds)",
    "certify.scoring_methods": "phương pháp chấm điểm DTI (DTI scoring methods)",
    "certify.gap_formats": "định dạng báo cáo (report formats)",
    "certify.commands": "nhóm lệnh (command groups)",
}
OWN_DISTRIBUTION = "certify-dx"

Status = Literal["available", "loaded", "failed"]
T = TypeVar("T")


@dataclass
class Plugin:
    group: str
    name: str
    value: str  # "module:attribute"
    package: str  # the distribution that declares it
    version: str
    status: Status = "available"
    error: str | None = None
    result: Any = None

    @property
    def builtin(self) -> bool:
        return _normal(self.package) == _normal(OWN_DISTRIBUTION)

    @property
    def origin(self) -> str:
        return "built-in" if self.builtin else f"{self.package} {self.version}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "name": self.name,
            "value": self.value,
            "origin": self.origin,
            "status": self.status,
            "error": self.error,
        }


_plugins: dict[str, dict[str, Plugin]] | None = None
_entry_points: dict[tuple[str, str], EntryPoint] = {}
# What was loaded before a `refresh()`: still loaded (a module stays imported, a command registered).
_loaded_before: dict[tuple[str, str, str, str], Plugin] = {}
_packages: dict[str, tuple[str, str]] = {}


def _normal(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _scan() -> dict[str, dict[str, Plugin]]:
    global _plugins
    if _plugins is not None:
        return _plugins
    found: dict[str, dict[str, Plugin]] = {group: {} for group in GROUPS}
    declared = [ep for ep in entry_points() if ep.group in GROUPS]
    # certify's own entries first: a package cannot silently replace a built-in by reusing its name.
    declared.sort(key=lambda ep: (_normal(_package(ep)[0]) != _normal(OWN_DISTRIBUTION), _package(ep)[0]))
    for ep in declared:
        package, version = _package(ep)
        plugin = _loaded_before.get((ep.group, ep.name, ep.value, package)) or Plugin(
            ep.group, ep.name, ep.value, package, version
        )
        taken = found[ep.group].get(ep.name)
        if taken is not None:
            if (taken.value, taken.package) != (plugin.value, plugin.package):  # the same install seen twice
                _fail(plugin, f"the name is already taken by {taken.origin} ({taken.value})")
                found[ep.group][f"{ep.name} ({package})"] = plugin
            continue
        found[ep.group][ep.name] = plugin
        _entry_points[(ep.group, ep.name)] = ep
    _plugins = found
    _check_own_entries(found)
    return found


def entry_points() -> list[EntryPoint]:
    """Every entry point of every installed package, read in one pass (`importlib.metadata.entry_points(group=…)`
    reads all packages' metadata again for each group). A package seen twice on sys.path counts once."""
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for dist in distributions():
        # The name from the folder (`foo_bar-1.0.dist-info`): parsing every package's METADATA costs far more.
        name = getattr(dist, "_normalized_name", None) or str(dist.metadata["Name"])
        if _normal(name) in seen:
            continue
        seen.add(_normal(name))
        found += dist.entry_points
    return found


def _package(ep: EntryPoint) -> tuple[str, str]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "?", "?"
    key = str(getattr(dist, "_path", id(dist)))
    if key not in _packages:  # METADATA is parsed once per package (ours carries the whole README)
        metadata = dist.metadata
        _packages[key] = (str(metadata["Name"] or "?"), str(metadata["Version"] or "?"))
    return _packages[key]


def _check_own_entries(found: dict[str, dict[str, Plugin]]) -> None:
    missing = [group for group, plugins in found.items() if not any(p.builtin for p in plugins.values())]
    if missing:
        raise CertifyError.one(
            "stale-install",
            "Bản cài đặt certify thiếu các thành phần tích hợp sẵn (nhóm " + ", ".join(missing) + "); "
            "cài lại: pip install -e . (hoặc pip install certify-dx)",
            "The certify installation lacks its built-in plugins (groups " + ", ".join(missing) + "); "
            "install it again: pip install -e . (or pip install certify-dx)",
        )


def refresh() -> None:
    """Forget what was scanned and loaded (after installing a package in the same process, in tests)."""
    global _plugins
    for plugin in status() if _plugins is not None else []:
        if plugin.status == "loaded":
            _loaded_before[(plugin.group, plugin.name, plugin.value, plugin.package)] = plugin
    _plugins = None
    _entry_points.clear()


def names(group: str) -> list[str]:
    """The names declared in a group, without importing anything."""
    return sorted(name for name, p in _scan()[group].items() if p.status != "failed")


def load(group: str, name: str, use: Callable[[Any], T]) -> T | None:
    """The plugin `name` of `group`, passed through `use` (which checks its type, instantiates or
    registers it) the first time; None when no such plugin is declared or when it is broken."""
    plugin = _scan()[group].get(name)
    if plugin is None or plugin.status == "failed":
        return None
    if plugin.status == "loaded":
        return plugin.result  # type: ignore[no-any-return]
    try:
        result = use(_entry_points[(group, name)].load())
    except Exception as exc:  # whatever a plugin does wrong, the tool goes on without it
        _fail(plugin, f"{type(exc).__name__}: {exc}")
        return None
    plugin.status, plugin.result = "loaded", result
    return result


def load_all(group: str, use: Callable[[Any], T]) -> dict[str, T]:
    """Every working plugin of a group, by name (broken ones are reported and left out)."""
    loaded = {name: load(group, name, use) for name in names(group)}
    return {name: value for name, value in loaded.items() if value is not None}


def broken(group: str, name: str) -> str | None:
    """Why a declared plugin could not be loaded, or None."""
    plugin = _scan()[group].get(name)
    return plugin.error if plugin is not None and plugin.status == "failed" else None


def broken_error(group: str, name: str, error: str) -> CertifyError:
    plugin = _scan()[group][name]
    return CertifyError.one(
        "plugin-broken",
        f"«{name}» đã được cài ({plugin.origin}) nhưng không nạp được: {error}",
        f"'{name}' is installed ({plugin.origin}) but could not be loaded: {error}",
        found=plugin.value,
    )


def expect(kind: type[T]) -> Callable[[Any], T]:
    """A `use` for `load` that accepts an instance of `kind` as it is."""

    def check(obj: Any) -> T:
        if not isinstance(obj, kind):
            raise TypeError(f"expected a {kind.__name__}, found {type(obj).__name__}")
        return obj

    return check


def status() -> list[Plugin]:
    return [p for group in _scan().values() for _, p in sorted(group.items())]


def _fail(plugin: Plugin, error: str) -> None:
    plugin.status, plugin.error = "failed", error
    warning = Problem(
        "plugin-failed",
        f"Không nạp được phần mở rộng «{plugin.name}» (nhóm {plugin.group}, {plugin.origin}): {error}; "
        "các chức năng khác vẫn dùng được",
        f"Plugin '{plugin.name}' (group {plugin.group}, {plugin.origin}) was not loaded: {error}; "
        "everything else still works",
        found=plugin.value,
        severity="warning",
    )
    sys.stderr.write(f"CẢNH BÁO/WARNING {warning.message()}\n")

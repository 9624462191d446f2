"""Finding, merging and validating framework files.

Layout of a frameworks folder: `<root>/<id>/<version>.yaml`, with optional `<root>/<id>/cases/`
holding YAML test cases. A file with `extends: PARENT[@VERSION]` is a localisation: it is merged
onto its parent (lists merged item by item on their key, `null` deletes a key) and the result
is validated as a whole, so a province adds its decision as one new file and no code.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from certify.errors import CertifyError, KeyPath, Problem, errors_only
from certify.framework_base import FrameworkBase, version_key
from certify.hashing import content_hash
from certify.kinds import Kind, get_kind, kind_names
from certify.sourcefile import SourceDoc, problems_from_validation, read_file

ENV_PATHS = "CERTIFY_FRAMEWORKS"
ITEM_KEYS = ("code", "id")
# What describes the file itself is never inherited: a province's decision must not be cited
# with the Ministry's number and date because it forgot to override `source`.
OWN_KEYS = {"extends", "id", "version", "title", "title_en", "status", "source", "note"}


def bundled_root(name: str) -> Path:
    """A data folder shipped with the project: the checkout's top level, or inside the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / name, here / "_bundled" / name):
        if candidate.is_dir():
            return candidate
    return here.parent / name


def default_roots() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(ENV_PATHS, "").split(os.pathsep) if p]
    return [*extra, bundled_root("frameworks")]


def split_ref(ref: str) -> tuple[str, str | None]:
    ident, _, version = ref.partition("@")
    return ident, version or None


# --- merging a localisation onto its parent -------------------------------------------------


def _item_key(item: Any) -> str | None:
    if isinstance(item, dict):
        for key in ITEM_KEYS:
            if key in item:
                return str(item[key])
    return None


def merge(parent: Any, child: Any) -> Any:
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        for key, value in child.items():
            if value is None:
                out.pop(key, None)
            elif key in out:
                out[key] = merge(out[key], value)
            else:
                out[key] = copy.deepcopy(value)
        return out
    if isinstance(parent, list) and isinstance(child, list) and all(_item_key(i) for i in parent + child):
        merged: dict[str, Any] = {_item_key(i) or "": i for i in parent}
        for item in child:
            key = _item_key(item) or ""
            if item.get("remove") is True:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = merge(merged[key], item)
            else:
                merged[key] = copy.deepcopy(item)
        return list(merged.values())
    return copy.deepcopy(child)


def rekey(path: KeyPath, data: Any) -> KeyPath:
    """Replace list indices by the item's code/id, so a path means the same in every layer."""
    out: list[str | int] = []
    node = data
    for part in path:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
            key = _item_key(node)
            out.append(key if key is not None else part)
        else:
            out.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return tuple(out)


def _code_lines(doc: SourceDoc) -> dict[KeyPath, int]:
    """The doc's line map with list indices also available as item codes."""
    lines = dict(doc.lines)
    for path, line in doc.lines.items():
        alias = rekey(path, doc.data)
        lines.setdefault(alias, line)
    return lines


@dataclass(frozen=True)
class Layers:
    """The files a resolved framework came from, child first: used to locate problems."""

    docs: tuple[SourceDoc, ...]

    @cached_property
    def _maps(self) -> list[tuple[str, dict[KeyPath, int]]]:
        return [(d.name, _code_lines(d)) for d in self.docs]

    def locate(self, code: str, vi: str, en: str, path: KeyPath = (), **extra: Any) -> Problem:
        best: tuple[int, str, int] | None = None
        for name, lines in self._maps:
            for cut in range(len(path), -1, -1):
                line = lines.get(tuple(path[:cut]))
                if line is not None:
                    if best is None or cut > best[0]:
                        best = (cut, name, line)
                    break
        file, line = (best[1], best[2]) if best else (self.docs[0].name, None)
        return Problem(code=code, vi=vi, en=en, file=file, path=path, line=line, **extra)


@dataclass(frozen=True)
class Resolved:
    """A framework after merging its `extends` chain and validating it."""

    framework: FrameworkBase
    layers: Layers
    warnings: tuple[Problem, ...]

    @cached_property
    def content_hash(self) -> str:
        return content_hash(self.framework.model_dump(mode="json"))


@dataclass(frozen=True)
class Entry:
    id: str
    version: str
    path: Path


class Catalog:
    """All frameworks under some roots, loaded on demand and cached."""

    def __init__(self, roots: Sequence[Path] | None = None) -> None:
        self.roots = list(roots) if roots is not None else default_roots()
        self._cache: dict[Path, tuple[tuple[int, ...], Resolved]] = {}
        self._entries: tuple[Any, list[Entry]] | None = None

    def _folders_stamp(self) -> Any:
        """Changes whenever a framework folder or file is added or removed (folder mtimes)."""
        stamp: list[tuple[str, int | None, tuple[tuple[str, int], ...]]] = []
        for root in self.roots:
            try:
                folders = tuple((e.name, e.stat().st_mtime_ns) for e in os.scandir(root) if e.is_dir())
                stamp.append((str(root), root.stat().st_mtime_ns, folders))
            except OSError:
                stamp.append((str(root), None, ()))
        return tuple(stamp)

    def entries(self) -> list[Entry]:
        # A web server asks for frameworks on every request: rescan only when a folder changed,
        # so a province dropping in a new file is still seen without a restart.
        stamp = self._folders_stamp()
        if self._entries is None or self._entries[0] != stamp:
            self._entries = (stamp, self._scan())
        return self._entries[1]

    def _scan(self) -> list[Entry]:
        found: dict[tuple[str, str], Entry] = {}
        for root in self.roots:
            if not root.is_dir():
                continue
            for folder in sorted(p for p in root.iterdir() if p.is_dir()):
                for file in sorted(folder.glob("*.yaml")):
                    key = (folder.name, file.stem)
                    found.setdefault(key, Entry(folder.name, file.stem, file))  # earlier roots win
        return sorted(found.values(), key=lambda e: (e.id, version_key_safe(e.version)))

    def ids(self) -> list[str]:
        return sorted({e.id for e in self.entries()})

    def find(self, ref: str, version: str | None = None) -> Entry:
        ident, ref_version = split_ref(ref)
        version = version or ref_version
        matching = [e for e in self.entries() if e.id == ident]
        if not matching:
            known = ", ".join(self.ids())
            raise CertifyError.one(
                "unknown-framework",
                f"Không có bộ tiêu chí «{ident}»",
                f"Unknown framework '{ident}'",
                expected=known,
                found=ident,
            )
        if version is None:
            return matching[-1]
        for entry in matching:
            if entry.version == version:
                return entry
        raise CertifyError.one(
            "unknown-version",
            f"Bộ tiêu chí «{ident}» không có phiên bản {version}",
            f"Framework '{ident}' has no version {version}",
            expected=", ".join(e.version for e in matching),
            found=version,
        )

    def load(self, ref: str, version: str | None = None) -> Resolved:
        return self.load_path(self.find(ref, version).path)

    def load_path(self, path: Path) -> Resolved:
        path = path.resolve()
        cached = self._cache.get(path)
        if cached is not None and cached[0] == _mtimes(cached[1].layers):
            return cached[1]
        resolved, problems = self._resolve(path, ())
        errors = errors_only(problems)
        if errors or resolved is None:
            raise CertifyError(errors)
        self._cache[path] = (_mtimes(resolved.layers), resolved)
        return resolved

    def check_path(self, path: Path) -> tuple[Resolved | None, list[Problem]]:
        """Validate without raising: the framework (if usable) and every problem and warning."""
        try:
            return self._resolve(path.resolve(), ())
        except CertifyError as exc:
            return None, exc.problems

    def __iter__(self) -> Iterator[Resolved]:
        for entry in self.entries():
            yield self.load_path(entry.path)

    # -- internals

    def _raw_chain(self, path: Path, seen: tuple[Path, ...]) -> tuple[list[SourceDoc], dict[str, Any]]:
        doc = read_file(path)
        if not isinstance(doc.data, dict):
            raise CertifyError(
                [
                    doc.problem(
                        "not-a-mapping", "Tệp phải là bảng khóa–giá trị", "The file must be a mapping of keys to values"
                    )
                ]
            )
        parent_ref = doc.data.get("extends")
        if not parent_ref:
            return [doc], doc.data
        if path in seen:
            raise CertifyError([doc.problem("extends-cycle", "Vòng lặp «extends»", "Cycle in 'extends'", ("extends",))])
        try:
            parent_entry = self.find(str(parent_ref))
        except CertifyError as exc:
            raise CertifyError(
                [
                    doc.problem(p.code, p.vi, p.en, ("extends",), expected=p.expected, found=p.found)
                    for p in exc.problems
                ]
            ) from None
        parent_docs, parent_data = self._raw_chain(parent_entry.path.resolve(), (*seen, path))
        inherited = {k: v for k, v in parent_data.items() if k not in OWN_KEYS}
        return [doc, *parent_docs], merge(inherited, doc.data)

    def _resolve(self, path: Path, seen: tuple[Path, ...]) -> tuple[Resolved | None, list[Problem]]:
        docs, data = self._raw_chain(path, seen)
        layers = Layers(tuple(docs))
        own = docs[0]
        kind_name = data.get("kind")
        kind = get_kind(str(kind_name)) if kind_name else None
        if kind is None:
            return None, [
                own.problem(
                    "unknown-kind",
                    "Không rõ loại bộ tiêu chí (khóa «kind»)",
                    "Unknown framework kind (key 'kind')",
                    ("kind",),
                    expected=" | ".join(kind_names()),
                    found=repr(kind_name),
                )
            ]
        try:
            framework = kind.model.model_validate(data)
        except ValidationError as exc:
            problems = problems_from_validation(exc, None)
            return None, [layers.locate(p.code, p.vi, p.en, rekey(p.path, data), found=p.found) for p in problems]
        problems = _location_problems(own, path, framework) + run_checks(kind, framework, layers)
        resolved = Resolved(framework, layers, tuple(p for p in problems if p.severity != "error"))
        return resolved, problems


def _mtimes(layers: Layers) -> tuple[int, ...]:
    """An edited file (the localisation or any framework it extends) is reloaded, not served stale."""
    out = []
    for doc in layers.docs:
        try:
            out.append(Path(doc.name).stat().st_mtime_ns)
        except OSError:
            out.append(-1)
    return tuple(out)


def run_checks(kind: Kind, framework: FrameworkBase, layers: Layers) -> list[Problem]:
    return kind.check(framework, layers.locate)


def _location_problems(doc: SourceDoc, path: Path, framework: FrameworkBase) -> list[Problem]:
    """A catalogued file must sit at `<id>/<version>.yaml`; a loose file (validate FILE) need not."""
    if path.parent.parent.name == "" or path.suffix != ".yaml":
        return []
    in_catalog = path.stem[:1].isdigit()
    if not in_catalog:
        return []
    problems = []
    if path.stem != framework.version:
        problems.append(
            doc.problem(
                "version-mismatch",
                "Tên tệp khác phiên bản khai báo",
                "File name differs from the declared version",
                ("version",),
                expected=f"{framework.version}.yaml",
                found=path.name,
            )
        )
    if path.parent.name != framework.id:
        problems.append(
            doc.problem(
                "id-mismatch",
                "Thư mục khác mã bộ tiêu chí khai báo",
                "Folder name differs from the declared id",
                ("id",),
                expected=framework.id,
                found=path.parent.name,
            )
        )
    return problems


def version_key_safe(version: str) -> tuple[int, ...]:
    try:
        return version_key(version)
    except ValueError:
        return (-1,)


_default: Catalog | None = None


def default_catalog() -> Catalog:
    global _default
    if _default is None:
        _default = Catalog()
    return _default

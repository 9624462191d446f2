"""Finding, merging and validating framework files.

Layout of a frameworks folder: `<root>/<id>/<version>.yaml`, with optional `<root>/<id>/cases/`
holding YAML test cases. A file with `extends: PARENT[@VERSION]` is a localisation: it is merged
onto its parent (lists merged item by item on their key, `null` deletes a key) and the result
is validated as a whole, so a province adds its decision as one new file and no code.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel, ValidationError

from certify import plugins
from certify.catalog_cache import DiskCache
from certify.errors import CertifyError, KeyPath, Problem, errors_only
from certify.framework_base import FrameworkBase, version_key
from certify.hashing import content_hash
from certify.kinds import GROUP as KINDS
from certify.kinds import Kind, get_kind, kind_names
from certify.paths import bundled_root as bundled_root  # re-exported: tests and scripts import it from here
from certify.provenance import Evidence, default_evidence
from certify.sourcefile import SourceDoc, problems_from_validation, read_file
from certify.suggest import allowed_keys, hint, item_type, models_in

if TYPE_CHECKING:
    from certify.settings import Settings

ITEM_KEYS = ("code", "id")
# What describes the file itself is never inherited: a province's decision must not be cited
# with the Ministry's number and date because it forgot to override `source`.
# A version's `mappings` tell how *its* criteria came from an earlier version: never inherited either, nor
# the edition keys (an edition supersedes another by itself, from its own year).
OWN_KEYS = {
    "extends",
    "id",
    "version",
    "title",
    "title_en",
    "status",
    "source",
    "note",
    "mappings",
    "supersedes",
    "applies_from",
}


def default_roots(settings: Settings | None = None) -> list[Path]:
    from certify.settings import get_settings

    return [*(settings or get_settings()).framework_roots(), bundled_root("frameworks")]


def split_ref(ref: str) -> tuple[str, str | None]:
    ident, _, version = ref.partition("@")
    return ident, version or None


# --- merging a localisation onto its parent -------------------------------------------------


def item_key(item: Any) -> str | None:
    if isinstance(item, dict):
        for key in ITEM_KEYS:
            if key in item:
                return str(item[key])
    return None


def keyed(items: Any) -> bool:
    return isinstance(items, list) and bool(items) and all(item_key(i) is not None for i in items)


def merge(parent: Any, child: Any) -> Any:
    """A mapping key set to `null` is deleted; a list item with `remove: true` is deleted."""
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
    if isinstance(parent, list) and isinstance(child, list) and all(item_key(i) for i in parent + child):
        merged: dict[str, Any] = {item_key(i) or "": i for i in parent}
        for item in child:
            key = item_key(item) or ""
            if item.get("remove") is True:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = merge(merged[key], item)
            else:
                merged[key] = copy.deepcopy(item)
        return list(merged.values())
    return copy.deepcopy(child)


# --- honest provenance: what an item written without `status` claims --------------------------


def fill_status(model: type[BaseModel], data: Any, parent: Any, default: Evidence) -> Any:
    """`data` (one layer's file) with `status: default` on every mapping it writes that has a status
    field and none of its own, except list items that override a parent's item: those keep the
    parent's status for what they do not change (their new thresholds, sources, … get `default`)."""
    return _fill(model, data, parent, default, restate=False)


def _fill(model: type[BaseModel], data: Any, parent: Any, default: Evidence, restate: bool) -> Any:
    shorthand = getattr(model, "SHORTHAND", None)
    if shorthand and data is not None and not isinstance(data, dict | list):
        # `co-ban: 0.8` replaces the whole requirement: what the parent said about it is dropped.
        dropped = {k: None for k in parent if k != shorthand} if isinstance(parent, dict) else {}
        data = {**dropped, shorthand: data}
        parent = None
    if not isinstance(data, dict):
        return data
    out = dict(data)
    status = model.model_fields.get("status")
    if restate and status is not None and "status" not in out and Evidence in _types(status.annotation):
        out["status"] = default.value
    for key, value in data.items():
        field = model.model_fields.get(str(key))
        if field is None or value is None:
            continue
        below = parent.get(key) if isinstance(parent, dict) else None
        out[key] = _fill_field(field.annotation, value, below, default)
    return out


def _fill_field(annotation: Any, value: Any, parent: Any, default: Evidence) -> Any:
    models = models_in(annotation)
    if models:
        return _fill(models[0], value, parent, default, restate=True)
    inner = item_type(annotation)
    item_models = models_in(inner) if inner is not None else []
    if not item_models:
        return value
    item_model = item_models[0]
    if isinstance(value, list):
        by_key = {item_key(p): p for p in parent} if keyed(parent) else {}
        return [
            _fill(item_model, item, by_key.get(item_key(item)), default, restate=item_key(item) not in by_key)
            for item in value
        ]
    if isinstance(value, dict):
        below = parent if isinstance(parent, dict) else {}
        return {k: _fill(item_model, v, below.get(k), default, restate=True) for k, v in value.items()}
    return value


def _types(annotation: Any) -> set[Any]:
    return {annotation, *get_args(annotation)}


def rekey(path: KeyPath, data: Any) -> KeyPath:
    """Replace list indices by the item's code/id, so a path means the same in every layer."""
    out: list[str | int] = []
    node = data
    for part in path:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
            key = item_key(node)
            out.append(key if key is not None else part)
        else:
            out.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return tuple(out)


def _node_at(data: Any, path: KeyPath) -> Any:
    """The value at a rekeyed path (item codes select list items)."""
    node = data
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list):
            if isinstance(part, int):
                node = node[part] if 0 <= part < len(node) else None
            else:
                node = next((i for i in node if item_key(i) == part), None)
        else:
            return None
    return node


def _code_lines(doc: SourceDoc) -> dict[KeyPath, int]:
    """The doc's line map with list indices also available as item codes."""
    lines = dict(doc.lines)
    for path, line in doc.lines.items():
        alias = rekey(path, doc.data)
        lines.setdefault(alias, line)
    return lines


@dataclass(frozen=True)
class Layers:
    """The files a resolved framework came from, child first: used to locate problems.

    A problem is reported in the file that wrote the value at its path. When that is a parent which
    is valid on its own, the problem comes from what the child changed (a deleted level, a removed
    criterion): it is reported in the child, the file its author can edit, naming the parent's line.
    """

    docs: tuple[SourceDoc, ...]
    parent_ok: bool = False

    @cached_property
    def _maps(self) -> list[tuple[str, dict[KeyPath, int], Any]]:
        return [(d.name, _code_lines(d), d.data) for d in self.docs]

    def _deepest(self, index: int, path: KeyPath) -> tuple[int, int | None]:
        lines = self._maps[index][1]
        for cut in range(len(path), -1, -1):
            line = lines.get(tuple(path[:cut]))
            if line is not None:
                return cut, line
        return 0, None

    def writer(self, path: KeyPath) -> tuple[int, int | None]:
        """(layer index, line) of the layer whose value is the merged value at `path`."""
        best: tuple[int, int, int | None] | None = None  # (depth, layer, line)
        for i, (_, _, data) in enumerate(self._maps):
            cut, line = self._deepest(i, path)
            if line is not None and (best is None or cut > best[0]):
                best = (cut, i, line)
            if cut == len(path):
                break
            node = _node_at(data, path[:cut])
            if cut and not isinstance(node, dict) and not keyed(node):
                break  # a value written here replaced the parent's whole subtree
        return (best[1], best[2]) if best else (0, None)

    def locate(
        self, code: str, vi: str, en: str, path: KeyPath = (), also: Sequence[KeyPath] = (), **extra: Any
    ) -> Problem:
        """`also`: other paths the problem involves (a prerequisite's levels), tried in the child when
        the problem is relocated there."""
        index, line = self.writer(path)
        if index > 0 and self.parent_ok and extra.get("severity", "error") == "error":
            parent_name = self.docs[index].name
            where = f"{Path(parent_name).parent.name}/{Path(parent_name).name}" + (f":{line}" if line else "")
            vi += f" (do thay đổi trong tệp này; giá trị kế thừa ở {where})"
            en += f" (caused by a change in this file; the inherited value is at {where})"
            index, (_, line) = 0, max(self._deepest(0, p) for p in (path, *also))
        return Problem(code=code, vi=vi, en=en, file=self.docs[index].name, path=path, line=line, **extra)


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

    def __init__(self, roots: Sequence[Path] | None = None, cache_dir: Path | None = None) -> None:
        """`cache_dir`: where resolved frameworks are kept between runs (`certify.catalog_cache`); none when None."""
        self.roots = list(roots) if roots is not None else default_roots()
        self._cache: dict[Path, tuple[tuple[int, ...], Resolved]] = {}
        self._entries: tuple[Any, list[Entry]] | None = None
        self._real: dict[Path, Path] = {}  # entry path → resolved, for the entries of the last scan
        self._disk = DiskCache(cache_dir) if cache_dir is not None else None

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
            self._real = {}  # a file or folder replaced (a link pointed elsewhere) changes a folder's mtime
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
            vi_hint, en_hint = hint(ident, self.ids())
            raise CertifyError.one(
                "unknown-framework",
                f"Không có bộ tiêu chí «{ident}»{vi_hint}",
                f"Unknown framework '{ident}'{en_hint}",
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
        path = self.find(ref, version).path
        real = self._real.get(path)
        if real is None:
            real = self._real[path] = path.resolve()
        return self._load_real(real)

    def load_path(self, path: Path) -> Resolved:
        return self._load_real(path.resolve())

    def _load_real(self, path: Path) -> Resolved:
        cached = self._cache.get(path)
        if cached is not None and cached[0] == _mtimes(cached[1].layers):
            return cached[1]
        kept = self._disk.get(path, *self._disk_key()) if self._disk is not None else None
        if isinstance(kept, Resolved):
            self._cache[path] = (_mtimes(kept.layers), kept)
            return kept
        resolved, problems = self._resolve(read_file(path), path)
        errors = errors_only(problems)
        if errors or resolved is None:
            raise CertifyError(errors)
        self._cache[path] = (_mtimes(resolved.layers), resolved)
        if self._disk is not None:
            self._disk.put(path, *self._disk_key(), resolved)
        return resolved

    def _disk_key(self) -> tuple[list[str], Any]:
        """What besides its own files decides how a framework resolves: the roots and what they hold."""
        return [str(r) for r in self.roots], self._folders_stamp()

    def check_path(self, path: Path) -> tuple[Resolved | None, list[Problem]]:
        """Validate without raising: the framework (if usable) and every problem and warning."""
        try:
            path = path.resolve()
            return self._resolve(read_file(path), path)
        except CertifyError as exc:
            return None, exc.problems

    def check_doc(self, doc: SourceDoc) -> tuple[Resolved | None, list[Problem]]:
        """Validate a framework not (yet) written to a file, e.g. read from a workbook; `extends` is
        resolved in this catalog."""
        try:
            return self._resolve(doc, None)
        except CertifyError as exc:
            return None, exc.problems

    def __iter__(self) -> Iterator[Resolved]:
        for entry in self.entries():
            yield self.load_path(entry.path)

    # -- internals

    def _raw_chain(
        self, doc: SourceDoc, path: Path | None, seen: tuple[Path, ...]
    ) -> tuple[list[SourceDoc], dict[str, Any]]:
        if not isinstance(doc.data, dict):
            raise CertifyError(
                [
                    doc.problem(
                        "not-a-mapping", "Tệp phải là bảng khóa–giá trị", "The file must be a mapping of keys to values"
                    )
                ]
            )
        default = default_evidence(doc.data.get("status"))
        parent_ref = doc.data.get("extends")
        if not parent_ref:
            return [doc], _filled(doc.data, None, default)
        if path is not None and path in seen:
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
        parent_path = parent_entry.path.resolve()
        chain = (*seen, path) if path is not None else seen
        parent_docs, parent_data = self._raw_chain(read_file(parent_path), parent_path, chain)
        inherited = {k: v for k, v in parent_data.items() if k not in OWN_KEYS}
        return [doc, *parent_docs], merge(inherited, _filled(doc.data, inherited, default))

    def _parent_ok(self, docs: list[SourceDoc]) -> bool:
        if len(docs) < 2:
            return False
        try:
            self.load_path(Path(docs[1].name))
        except CertifyError:
            return False
        return True

    def _resolve(self, doc: SourceDoc, path: Path | None) -> tuple[Resolved | None, list[Problem]]:
        docs, data = self._raw_chain(doc, path, ())
        layers = Layers(tuple(docs), parent_ok=self._parent_ok(docs))
        own = docs[0]
        kind_name = data.get("kind")
        kind = get_kind(str(kind_name)) if kind_name else None
        if kind is None:
            names = kind_names()
            vi_hint, en_hint = hint(str(kind_name), names) if kind_name else ("", "")
            broken = plugins.broken(KINDS, str(kind_name)) if kind_name else None
            if broken:
                vi_hint, en_hint = (
                    f"; loại này đã cài nhưng không nạp được: {broken}",
                    f"; installed but not loadable: {broken}",
                )
            return None, [
                own.problem(
                    "unknown-kind",
                    "Không rõ loại bộ tiêu chí (khóa «kind»)" + vi_hint,
                    "Unknown framework kind (key 'kind')" + en_hint,
                    ("kind",),
                    expected=" | ".join(names),
                    found=repr(kind_name),
                )
            ]
        try:
            framework = kind.model.model_validate(data)
        except ValidationError as exc:
            problems = [_explain(p, kind.model) for p in problems_from_validation(exc, None)]
            return None, [
                layers.locate(p.code, p.vi, p.en, rekey(p.path, data), found=p.found, expected=p.expected)
                for p in problems
            ]
        problems = _location_problems(own, path, framework) if path is not None else []
        problems += run_checks(kind, framework, layers)
        if kind.inherited is not None:
            inherited = kind.inherited(docs, framework)
            if inherited is not None:
                framework._inherited = inherited
                vi, en = inherited.banner()
                problems.append(own.problem("inherited-thresholds", vi, en, ("extends",), severity="warning"))
        resolved = Resolved(framework, layers, tuple(p for p in problems if p.severity != "error"))
        return resolved, problems


def _filled(data: dict[str, Any], parent: dict[str, Any] | None, default: Evidence) -> dict[str, Any]:
    kind = get_kind(str(data.get("kind") or (parent or {}).get("kind") or ""))
    if kind is None:
        return data
    filled: dict[str, Any] = fill_status(kind.model, data, parent, default)
    return filled


def _explain(problem: Problem, model: type[BaseModel]) -> Problem:
    """A schema problem with its way out: the keys allowed there, the value meant."""
    key = problem.path[-1] if problem.path else None
    if problem.code == "schema:extra_forbidden" and isinstance(key, str):
        keys = allowed_keys(model, problem.path)
        vi_hint, en_hint = hint(key, keys)
        return replace(
            problem,
            vi=f"Khóa «{key}» không được phép ở đây{vi_hint}",
            en=f"Key '{key}' is not allowed here{en_hint}",
            expected=", ".join(keys) or None,
            found=key,
        )
    if problem.code in ("schema:enum", "schema:literal_error") and problem.found and problem.expected:
        values = [v.strip(" '") for v in re.split(r",|\bor\b", problem.expected.removeprefix("expected="))]
        vi_hint, en_hint = hint(problem.found.strip("'\""), [v for v in values if v])
        return replace(problem, vi=problem.vi + vi_hint, en=problem.en + en_hint)
    return problem


def _mtimes(layers: Layers) -> tuple[int, ...]:
    """An edited file (the localisation or any framework it extends) is reloaded, not served stale."""
    out = []
    for doc in layers.docs:
        try:
            out.append(os.stat(doc.name).st_mtime_ns)
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
    """The frameworks of the settings in force (`CERTIFY_FRAMEWORKS`, then the bundled ones), kept between
    runs in `CERTIFY_CACHE_DIR`."""
    global _default
    if _default is None:
        from certify.settings import get_settings

        settings = get_settings()
        _default = Catalog(default_roots(settings), Path(settings.cache_dir) if settings.cache_dir else None)
    return _default

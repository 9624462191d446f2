"""Reading YAML/JSON data files so that every later error can name file, key path and line.

PyYAML silently keeps the last of two equal keys; a framework or assessment with a repeated
key is almost always a copy-paste mistake, so duplicates are reported here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from certify.errors import CertifyError, KeyPath, Problem, format_path
from certify.limits import current, thousands

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class SourceDoc:
    """Parsed content of one file plus the line of every key path in it."""

    name: str
    data: Any
    lines: dict[KeyPath, int]

    def line_of(self, path: KeyPath) -> int | None:
        """Line of the deepest existing prefix of `path` (a missing key is reported at its parent)."""
        for cut in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:cut]))
            if line is not None:
                return line
        return None

    def problem(self, code: str, vi: str, en: str, path: KeyPath = (), **extra: Any) -> Problem:
        return Problem(code=code, vi=vi, en=en, file=self.name, path=path, line=self.line_of(path), **extra)


class _Stop(Exception):
    """A limit was passed: parsing stops at once (the rest of the file is not read)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.en)
        self.problem = problem


_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL = _TAG + "str", _TAG + "null", _TAG + "bool"
_COLLECTION_TAGS = {None, "!", _TAG + "map", _TAG + "seq"}
_EMPTY = object()


class _Yaml(NamedTuple):
    module: Any  # PyYAML
    resolver: Any
    constructor: Any
    scalars: dict[str, Any]  # the constructors of the scalars, by tag


@cache
def _yaml() -> _Yaml:
    """PyYAML, its resolver, its safe constructor and the constructors of the scalars, made when a file is first
    read: a command that reads no YAML (a framework kept in the cache) never imports PyYAML."""
    import yaml

    constructor = yaml.constructor.SafeConstructor()
    scalars: dict[str, Any] = {
        _TAG + "int": constructor.construct_yaml_int,
        _TAG + "float": constructor.construct_yaml_float,
        _TAG + "timestamp": constructor.construct_yaml_timestamp,
    }
    return _Yaml(yaml, yaml.resolver.Resolver(), constructor, scalars)


def _resolve(text: str, implicit: tuple[bool, bool]) -> str:
    """The tag YAML 1.1 gives a scalar written without one (int, float, bool, null, timestamp or str)."""
    y = _yaml()
    tag: str = y.resolver.resolve(y.module.ScalarNode, text, implicit)
    return tag


def _scalar(event: Any) -> Any:
    """The value of a scalar, resolved and constructed as `yaml.safe_load` would."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = _resolve(event.value, event.implicit) if tag is None else _STR
    if tag == _STR:
        return event.value
    if tag == _NULL:
        return None
    y = _yaml()
    if tag == _BOOL:
        return y.constructor.bool_values[event.value.lower()]
    build = y.scalars.get(tag)
    if build is None:
        raise LookupError(tag)
    return build(y.module.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))


def _events(text: str) -> Iterator[Any]:
    """libyaml's events, each with its start mark (line); the C parser keeps no Python stack, however deep."""
    yaml = _yaml().module
    return iter(yaml.parse(text, Loader=yaml.CSafeLoader))


def _unreadable(text: str, exc: Exception, name: str, path: KeyPath, line: int) -> Problem:
    """A scalar YAML reads as a date or a number that cannot be one: 2024-02-30, 10,000 digits."""
    if _resolve(text, (True, False)).endswith("timestamp"):
        return Problem(
            code="bad-date",
            vi="Ngày không tồn tại",
            en="No such date",
            file=name,
            path=path,
            line=line,
            expected="YYYY-MM-DD",
            found=f"{text[:40]} ({str(exc)[:60]})",
        )
    return Problem(
        code="bad-value",
        vi="Giá trị không đọc được",
        en="Unreadable value",
        file=name,
        path=path,
        line=line,
        found=f"{text[:40]}… ({str(exc)[:60]})",
    )


def parse_text(text: str, name: str) -> SourceDoc:
    """Parse once with libyaml, building the data and the line of every key path in the same pass.

    Limits (certify.limits) are checked as the events arrive, so a «billion laughs» alias bomb, a 20,000-deep
    nesting or 300,000 keys stop at the first event past the limit, even in a key nothing reads."""
    yaml = _yaml().module

    lim = current()
    lines: dict[KeyPath, int] = {}
    problems: list[Problem] = []

    def stop(code: str, vi: str, en: str, line: int, **extra: Any) -> _Stop:
        return _Stop(Problem(code=code, vi=vi, en=en, file=name, line=line, **extra))

    def too_deep(line: int) -> _Stop:
        most = lim.yaml_max_depth
        vi, en = f"Lồng nhau quá sâu (tối đa {most} cấp)", f"Nested too deeply (at most {most} levels)"
        return stop("too-deep", vi, en, line, expected=f"≤ {most}")

    # stack of open collections: [container, path, pending key (_EMPTY if none), path key, seen keys]
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, int]] = {}  # name → (value, expanded size)
    open_anchors: dict[int, tuple[str, int]] = {}  # depth → (anchor, node count at its start)
    root: Any = None
    nodes = aliases = documents = 0

    def attach(value: Any, line: int, is_key_ok: bool) -> KeyPath | None:
        """Put a finished or just-opened value into its parent; returns its path (None for a mapping key)."""
        nonlocal root
        if not stack:
            root = value
            lines[()] = line
            return ()
        top = stack[-1]
        container, path = top[0], top[1]
        if isinstance(container, list):
            child: KeyPath = (*path, len(container))
            container.append(value)
            lines[child] = line
            return child
        if top[2] is _EMPTY:
            if not is_key_ok:
                raise stop(
                    "complex-key",
                    "Khóa phải là chữ hoặc số",
                    "A key must be a text or a number",
                    line,
                    found=type(value).__name__,
                )
            key_text = str(value) if not isinstance(value, str) else value
            seen: set[str] = top[4]
            child = (*path, key_text)
            if key_text in seen:
                problems.append(
                    Problem(
                        code="duplicate-key",
                        vi=f"Khóa «{key_text}» xuất hiện hai lần",
                        en=f"Key '{key_text}' appears twice",
                        file=name,
                        path=child,
                        line=line,
                    )
                )
            elif len(seen) >= lim.yaml_max_keys:
                raise stop(
                    "too-many-keys",
                    f"Quá nhiều khóa trong một bảng (tối đa {thousands(lim.yaml_max_keys)[0]})",
                    f"Too many keys in one mapping (at most {thousands(lim.yaml_max_keys)[1]})",
                    line,
                    path=path,
                    expected=f"≤ {lim.yaml_max_keys}",
                )
            seen.add(key_text)
            if type(value) is str:  # keys repeat in every file of a batch: one object each, found at once
                value = key_text = sys.intern(value)
            top[2], top[3] = value, key_text
            lines[child] = line
            return None
        key, key_text = top[2], top[3]
        top[2] = _EMPTY
        try:
            container[key] = value
        except TypeError:
            raise stop("complex-key", "Khóa phải là chữ hoặc số", "A key must be a text or a number", line) from None
        return (*path, key_text)

    try:
        for event in _events(text):
            cls = type(event)
            if cls is yaml.ScalarEvent:
                line = event.start_mark.line + 1
                nodes += 1
                if len(event.value) > lim.text_max_chars:
                    raise stop(
                        "text-too-long",
                        f"Chuỗi quá dài ({len(event.value)} ký tự)",
                        f"Text too long ({len(event.value)} characters)",
                        line,
                        expected=f"≤ {thousands(lim.text_max_chars)[0]} ký tự/characters",
                    )
                bad: Exception | None = None
                try:
                    value = _scalar(event)
                except LookupError as exc:
                    merge = exc.args[0] == _TAG + "merge"
                    raise stop(
                        "unsupported-tag",
                        "Khóa gộp «<<» không được hỗ trợ: hãy ghi đủ các khóa"
                        if merge
                        else "Thẻ YAML không được hỗ trợ",
                        "Merge keys «<<» are not supported: write the keys out" if merge else "Unsupported YAML tag",
                        line,
                        expected=None if merge else "!!str, !!int, !!float, !!bool, !!null, !!timestamp",
                        found=str(exc.args[0])[:80],
                    ) from None
                except (ValueError, OverflowError, yaml.constructor.ConstructorError) as exc:
                    value, bad = event.value, exc
                where = attach(value, line, True)
                if bad is not None:
                    problems.append(_unreadable(event.value, bad, name, where or (), line))
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                line = event.start_mark.line + 1
                nodes += 1
                if event.tag not in _COLLECTION_TAGS:
                    raise stop(
                        "unsupported-tag",
                        "Thẻ YAML không được hỗ trợ",
                        "Unsupported YAML tag",
                        line,
                        expected="!!map, !!seq",
                        found=str(event.tag)[:80],
                    )
                if len(stack) >= lim.yaml_max_depth:
                    raise too_deep(line)
                container: Any = {} if cls is yaml.MappingStartEvent else []
                path = attach(container, line, False)
                stack.append([container, path, _EMPTY, None, set()])
                if event.anchor is not None:
                    open_anchors[len(stack)] = (event.anchor, nodes)
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                finished = stack.pop()
                opened = open_anchors.pop(len(stack) + 1, None)
                if opened is not None:
                    anchors[opened[0]] = (finished[0], nodes - opened[1] + 1)
            elif cls is yaml.AliasEvent:
                line = event.start_mark.line + 1
                aliases += 1
                got = anchors.get(event.anchor)
                if got is None:
                    raise stop(
                        "recursive-alias",
                        "Bí danh YAML trỏ vào chính nó",
                        "A YAML alias refers to itself",
                        line,
                        found=f"*{event.anchor}",
                    )
                nodes += got[1]
                if aliases > lim.yaml_max_aliases:
                    raise stop(
                        "too-many-aliases",
                        f"Quá nhiều bí danh YAML (*…) trong tệp (tối đa {lim.yaml_max_aliases})",
                        f"Too many YAML aliases (*…) in the file (at most {lim.yaml_max_aliases})",
                        line,
                        expected=f"≤ {lim.yaml_max_aliases}",
                        found=f"*{event.anchor}",
                    )
                attach(got[0], line, not isinstance(got[0], dict | list))
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise stop(
                        "several-documents",
                        "Tệp chỉ được chứa một tài liệu YAML (một dấu ---)",
                        "The file must hold a single YAML document (one ---)",
                        event.start_mark.line + 1,
                    )
            if nodes > lim.yaml_max_nodes:
                raise stop(
                    "too-many-nodes",
                    f"Tệp quá lớn: hơn {thousands(lim.yaml_max_nodes)[0]} khóa và giá trị "
                    "(tính cả bí danh khi mở rộng)",
                    f"The file is too large: over {thousands(lim.yaml_max_nodes)[1]} keys and values "
                    "(aliases expanded)",
                    event.start_mark.line + 1,
                    expected=f"≤ {lim.yaml_max_nodes}",
                )
    except _Stop as exc:
        raise CertifyError([exc.problem]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in str(detail):
            # a libyaml with a nesting limit of its own may refuse deep input before our count sees it
            raise CertifyError([too_deep(line or 1).problem]) from None
        raise CertifyError.one(
            "bad-syntax",
            f"Tệp không đúng cú pháp YAML/JSON: {detail}",
            f"The file is not valid YAML/JSON: {detail}",
            file=name,
            line=line,
        ) from None
    if problems:
        raise CertifyError(problems)
    return SourceDoc(name=name, data=root, lines=lines)


def read_file(path: Path) -> SourceDoc:
    name = str(path)
    if not path.is_file():
        raise CertifyError.one("no-file", "Không tìm thấy tệp", "File not found", file=name)
    size, most = path.stat().st_size, current().file_max_bytes
    if size > most:
        raise CertifyError.one(
            "file-too-large",
            "Tệp quá lớn",
            "File too large",
            file=name,
            expected=f"≤ {most} bytes",
            found=f"{size} bytes",
        )
    if path.suffix.lower() not in {".yaml", ".yml", ".json"}:
        raise CertifyError.one(
            "bad-file-type",
            "Loại tệp không được hỗ trợ",
            "Unsupported file type",
            file=name,
            expected=".yaml, .yml hoặc/or .json",
            found=path.suffix or "(không có đuôi/no suffix)",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CertifyError.one("bad-encoding", "Tệp không phải UTF-8", "File is not UTF-8 text", file=name) from None
    return parse_text(text, name)


# Pydantic error types → Vietnamese. English comes from pydantic itself.
VI_BY_TYPE: dict[str, str] = {
    "missing": "Thiếu trường bắt buộc",
    "extra_forbidden": "Trường không được phép (sai tên?)",
    "string_type": "Phải là chuỗi ký tự",
    "string_too_short": "Không được để trống",
    "int_type": "Phải là số nguyên",
    "int_parsing": "Phải là số nguyên",
    "int_from_float": "Phải là số nguyên",
    "float_type": "Phải là số",
    "float_parsing": "Phải là số",
    "bool_type": "Phải là có/không (true/false)",
    "bool_parsing": "Phải là có/không (true/false)",
    "literal_error": "Giá trị không thuộc danh sách cho phép",
    "enum": "Giá trị không thuộc danh sách cho phép",
    "greater_than_equal": "Giá trị quá nhỏ",
    "greater_than": "Giá trị quá nhỏ",
    "less_than_equal": "Giá trị quá lớn",
    "less_than": "Giá trị quá lớn",
    "list_type": "Phải là danh sách",
    "dict_type": "Phải là bảng khóa–giá trị",
    "model_type": "Phải là bảng khóa–giá trị",
    "model_attributes_type": "Phải là bảng khóa–giá trị",
    "date_type": "Phải là ngày (YYYY-MM-DD)",
    "date_parsing": "Phải là ngày (YYYY-MM-DD)",
    "date_from_datetime_parsing": "Phải là ngày (YYYY-MM-DD)",
    "string_pattern_mismatch": "Sai định dạng",
    "uuid_parsing": "Sai định dạng",
    "json_invalid": "JSON không hợp lệ",
    "value_error": "Giá trị không hợp lệ",
    "too_short": "Quá ít phần tử",
}


def problems_from_errors(
    errors: Iterable[Mapping[str, Any]],
    doc: SourceDoc | None = None,
    name: str | None = None,
    prefix: KeyPath = (),
) -> list[Problem]:
    """pydantic error details (from a file or a web request) → located, bilingual problems."""
    out: list[Problem] = []
    for err in errors:
        kind = str(err.get("type", "value_error"))
        path: KeyPath = (*prefix, *(p for p in err.get("loc", ()) if isinstance(p, str | int)))
        vi = VI_BY_TYPE.get(kind, "Giá trị không hợp lệ")
        en = str(err.get("msg", "Invalid value"))
        # Custom validators put a bilingual "vi | en" message in ValueError.
        if kind == "value_error" and " | " in en:
            vi, en = en.removeprefix("Value error, ").split(" | ", 1)
        found = None if kind == "missing" else repr(err.get("input"))[:80]
        ctx = err.get("ctx") or {}
        expected = ", ".join(f"{k}={v}" for k, v in ctx.items() if k != "error")[:120] or None
        if doc is not None:
            out.append(doc.problem(f"schema:{kind}", vi, en, path, found=found, expected=expected))
        else:
            out.append(
                Problem(code=f"schema:{kind}", vi=vi, en=en, file=name, path=path, found=found, expected=expected)
            )
    return out


def problems_from_validation(
    exc: ValidationError, doc: SourceDoc | None, name: str | None = None, prefix: KeyPath = ()
) -> list[Problem]:
    return problems_from_errors(exc.errors(include_url=False), doc, name, prefix)


def validate_model(model: type[M], data: Any, doc: SourceDoc | None, name: str | None = None) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise CertifyError(problems_from_validation(exc, doc, name)) from None


__all__ = [
    "SourceDoc",
    "format_path",
    "parse_text",
    "problems_from_errors",
    "problems_from_validation",
    "read_file",
    "validate_model",
]

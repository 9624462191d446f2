"""Reading YAML/JSON data files so that every later error can name file, key path and line.

PyYAML silently keeps the last of two equal keys; a framework or assessment with a repeated
key is almost always a copy-paste mistake, so duplicates are reported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from certify.errors import CertifyError, KeyPath, Problem, format_path

M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 5 * 1024 * 1024


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


def _walk(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], dups: list[tuple[KeyPath, int]]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            if key in seen:
                dups.append((child, key_node.start_mark.line + 1))
            seen.add(key)
            _walk(value_node, child, lines, dups)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lines, dups)


def parse_text(text: str, name: str) -> SourceDoc:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = getattr(exc, "problem", None) or str(exc)
        raise CertifyError.one(
            "bad-syntax",
            f"Tệp không đúng cú pháp YAML/JSON: {detail}",
            f"The file is not valid YAML/JSON: {detail}",
            file=name,
            line=line,
        ) from None
    lines: dict[KeyPath, int] = {}
    dups: list[tuple[KeyPath, int]] = []
    if node is not None:
        _walk(node, (), lines, dups)
    if dups:
        raise CertifyError(
            [
                Problem(
                    code="duplicate-key",
                    vi=f"Khóa «{path[-1]}» xuất hiện hai lần",
                    en=f"Key '{path[-1]}' appears twice",
                    file=name,
                    path=path,
                    line=line,
                )
                for path, line in dups
            ]
        )
    return SourceDoc(name=name, data=data, lines=lines)


def read_file(path: Path) -> SourceDoc:
    name = str(path)
    if not path.is_file():
        raise CertifyError.one("no-file", "Không tìm thấy tệp", "File not found", file=name)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CertifyError.one(
            "file-too-large",
            "Tệp quá lớn",
            "File too large",
            file=name,
            expected=f"≤ {MAX_FILE_BYTES} bytes",
            found=f"{path.stat().st_size} bytes",
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

"""A framework as an Excel workbook a province officer can edit, and back (any kind, from its model).

`certify frameworks export ID -o x.xlsx` writes one sheet «Thông tin» (the framework's own keys, `source.*`,
`rules.*`, one row each) and one sheet per list of the model (levels, pillars, criteria, mappings; for DTI:
indices, criteria, bands, …). In a list sheet row 1 holds the keys the program reads (do not change them),
row 2 says in Vietnamese what each column is, data starts on row 3. Nested keys are columns with dots
(`indicator.type`, `requirements.co-ban.threshold`, `requirements.co-ban.rationale`); a list of codes is one
cell, one code per line; anything deeper (a DTI method's `params`) is one cell in YAML. Columns with a closed
list of values carry an Excel drop-down (data validation).

`certify frameworks import x.xlsx -o <id>/<version>.yaml` reads it back: every problem names sheet, row and
column; a framework that `extends` another is written as a localisation holding only what differs from its
parent, and is checked to resolve to exactly the workbook's content before anything is written. Export →
import → the same content hash.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from certify.catalog import ITEM_KEYS, OWN_KEYS, Catalog, Resolved, item_key, keyed
from certify.cellsafe import append_row
from certify.errors import CertifyError, KeyPath, Problem, errors_only
from certify.kinds import get_kind, kind_names
from certify.sourcefile import SourceDoc
from certify.suggest import hint, item_type, models_in
from certify.xlsx_read import formula_problem

INFO = "Thông tin"
KEY_ROW, LABEL_ROW, FIRST_ROW = 1, 2, 3
MAX_ROWS = 5000
MAX_CELL = 20000
SEP = "\n"
YES = {"có", "co", "yes", "true", "x", "1"}
NO = {"không", "khong", "no", "false", "0"}
HEADER = PatternFill("solid", fgColor="DDEBF7")
LABEL = Font(italic=True, color="555555")
TOP_LEVEL_LABEL = {
    "kind": "Loại bộ tiêu chí (levels: theo mức; dti: chấm điểm)",
    "id": "Mã bộ tiêu chí (chữ thường, gạch nối; trùng tên thư mục)",
    "version": "Phiên bản (trùng tên tệp)",
    "extends": "Bộ tiêu chí cha (kế thừa)",
}

Shape = Literal["scalar", "model", "lines", "yaml", "dict"]


def _unwrap(annotation: Any) -> Any:
    """Optional[X] → X."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    if (
        get_origin(annotation) is not None
        and len(args) == 1
        and str(get_origin(annotation))
        in (
            "typing.Union",
            "<class 'types.UnionType'>",
        )
    ):
        return args[0]
    return annotation


def _shape(annotation: Any) -> Shape:
    annotation = _unwrap(annotation)
    if models_in(annotation):
        return "model"
    origin = get_origin(annotation)
    if origin is list:
        inner = item_type(annotation)
        return "yaml" if models_in(inner) or get_origin(inner) is not None else "lines"
    if origin is dict:
        inner = item_type(annotation)
        return "dict" if models_in(inner) else "yaml"
    return "scalar"


def _choices(annotation: Any) -> list[str]:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(m.value) for m in annotation]
    if get_origin(annotation) is Literal:
        return [str(a) for a in get_args(annotation)]
    if annotation is bool:
        return ["có", "không"]
    return []


def plain(value: Any) -> Any:
    """A model as plain data, excluded fields (target years) included, `None` left out."""
    if isinstance(value, BaseModel):
        out = {}
        for name, f in type(value).model_fields.items():
            v = getattr(value, name)
            if v is not None:
                out[f.alias or name] = plain(v)
        return out
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}  # free data (a method's params): a null is meant
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Column:
    key: str  # dotted path in an item: `indicator.type`, `requirements.co-ban.threshold`
    label: str
    annotation: Any
    shape: Shape


def _columns(
    model: type[BaseModel], items: list[dict[str, Any]], prefix: str = "", keys: list[str] | None = None
) -> list[Column]:
    out: list[Column] = []
    for name, f in model.model_fields.items():
        key = f.alias or name
        path = f"{prefix}{key}"
        shape = _shape(f.annotation)
        label = f.description or ""
        if shape == "model":
            out += _columns(models_in(_unwrap(f.annotation))[0], items, f"{path}.", None)
        elif shape == "dict":
            inner = models_in(item_type(_unwrap(f.annotation)))[0]
            found = list(dict.fromkeys([*(keys or []), *(k for i in items for k in _get(i, path) or {})]))
            for k in found:
                out += _columns(inner, items, f"{path}.{k}.", None)
        else:
            out.append(Column(path, label, f.annotation, shape))
    return out


def _get(item: Any, path: str) -> Any:
    node = item
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _put(item: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = item
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _cell_text(value: Any, shape: Shape) -> Any:
    if value is None:
        return None
    if shape == "lines":
        return SEP.join(str(v) for v in value)
    if shape == "yaml":
        return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, sort_keys=False).strip()
    if isinstance(value, bool):
        return "có" if value else "không"
    return value


def _list_fields(model: type[BaseModel]) -> list[tuple[str, type[BaseModel]]]:
    """Top-level lists of models: one sheet each."""
    out = []
    for name, f in model.model_fields.items():
        annotation = _unwrap(f.annotation)
        if get_origin(annotation) is list and models_in(item_type(annotation)):
            out.append((f.alias or name, models_in(item_type(annotation))[0]))
    return out


# --- export ---------------------------------------------------------------------------------------


def export_workbook(resolved: Resolved) -> bytes:
    fw = resolved.framework
    kind = get_kind(fw.kind)
    assert kind is not None
    model = kind.model
    data = plain(fw)
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = INFO
    lists = dict(_list_fields(model))
    append_row(info, ["khóa / key", "giá trị / value", "ý nghĩa / meaning"])
    append_row(info, ["", "", f"Bộ tiêu chí {fw.ref} — content hash {resolved.content_hash}"])
    rows: list[tuple[Column, Any]] = []
    top_model_cols = [c for c in _columns(model, [data]) if c.key.split(".")[0] not in lists]
    for col in top_model_cols:
        rows.append((col, _get(data, col.key)))
    for col, value in rows:
        append_row(info, [col.key, _cell_text(value, col.shape), TOP_LEVEL_LABEL.get(col.key, col.label)])
        _validate(info, col, f"B{info.max_row}")
    _style(info, header_rows=1)
    levels = [lv["id"] for lv in data.get("levels", [])] if isinstance(data.get("levels"), list) else []
    for name, item_model in lists.items():
        items = data.get(name) or []
        ws = wb.create_sheet(name)
        cols = _columns(item_model, items, keys=levels if name == "criteria" else None)
        cols = [c for c in cols if _keep(c, items, levels)]
        append_row(ws, [c.key for c in cols])
        append_row(ws, [c.label for c in cols])
        for item in items:
            append_row(ws, [_cell_text(_get(item, c.key), c.shape) for c in cols])
        for i, c in enumerate(cols, 1):
            letter = get_column_letter(i)
            _validate(ws, c, f"{letter}{FIRST_ROW}:{letter}{MAX_ROWS}")
        _style(ws, header_rows=2)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _keep(col: Column, items: list[dict[str, Any]], levels: list[str]) -> bool:
    """A column is shown when some item has a value there, or it is a level's threshold or rationale."""
    if any(_get(i, col.key) is not None for i in items):
        return True
    parts = col.key.split(".")
    if len(parts) == 3 and parts[0] == "requirements" and parts[1] in levels:
        return parts[2] in ("threshold", "rationale")
    return len(parts) == 1


def _validate(ws: Worksheet, col: Column, cells: str) -> None:
    choices = _choices(col.annotation)
    if choices and col.shape == "scalar":
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        dv.error = "Chọn một giá trị trong danh sách / pick a value from the list"
        dv.add(cells)
        ws.add_data_validation(dv)


def _style(ws: Worksheet, header_rows: int) -> None:
    for row in ws.iter_rows(min_row=1, max_row=header_rows):
        for cell in row:
            cell.fill = HEADER
            cell.font = LABEL if cell.row == LABEL_ROW and header_rows == 2 else Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = f"{'B' if header_rows == 2 else 'A'}{header_rows + 1}"
    for i in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(i)].width = 18 if header_rows == 2 else 40


# --- import ---------------------------------------------------------------------------------------


@dataclass
class _Reading:
    name: str
    problems: list[Problem] = field(default_factory=list)
    where: dict[KeyPath, tuple[str, int, str]] = field(default_factory=dict)  # path → (sheet, row, column)

    def problem(
        self, code: str, vi: str, en: str, sheet: str, row: int | None, column: str | None, **extra: Any
    ) -> None:
        self.problems.append(
            Problem(code=code, vi=vi, en=en, file=self.name, sheet=sheet, row=row, column=column, **extra)
        )


def read_workbook(path: Path) -> tuple[dict[str, Any], _Reading]:
    reading = _Reading(str(path))
    try:
        wb = load_workbook(path, data_only=False, read_only=False)
    except Exception:
        raise CertifyError.one(
            "not-a-workbook",
            "Tệp không phải bảng tính Excel (.xlsx) đọc được",
            "The file is not a readable Excel workbook (.xlsx)",
            file=str(path),
        ) from None
    if INFO not in wb.sheetnames:
        raise CertifyError.one(
            "no-info-sheet",
            f"Thiếu trang «{INFO}» (khóa kind, id, version, …)",
            f"Sheet '{INFO}' is missing (keys kind, id, version, …)",
            file=str(path),
            expected=INFO,
            found=", ".join(wb.sheetnames),
        )
    info = wb[INFO]
    raw: dict[str, tuple[Any, int]] = {}
    for r in range(2, info.max_row + 1):
        key = info.cell(row=r, column=1).value
        if key is None or str(key).strip() == "":
            continue
        raw[str(key).strip()] = (info.cell(row=r, column=2).value, r)
    kind_name = str(raw.get("kind", (None, 0))[0] or "")
    kind = get_kind(kind_name)
    if kind is None:
        vi_hint, en_hint = hint(kind_name, kind_names())
        reading.problem(
            "unknown-kind",
            f"Không rõ loại bộ tiêu chí{vi_hint}",
            f"Unknown framework kind{en_hint}",
            INFO,
            raw.get("kind", (None, None))[1],
            "B",
            expected=" | ".join(kind_names()),
            found=kind_name or "(trống/empty)",
        )
        raise CertifyError(reading.problems)
    model = kind.model
    lists = dict(_list_fields(model))
    data: dict[str, Any] = {}
    top_cols = {c.key: c for c in _columns(model, [{}]) if c.key.split(".")[0] not in lists}
    for key, (value, row) in raw.items():
        col = top_cols.get(key)
        if col is None:
            dyn = _dynamic(model, key)
            if dyn is None:
                vi_hint, en_hint = hint(key, top_cols)
                reading.problem(
                    "unknown-key",
                    f"Khóa «{key}» không có trong bộ tiêu chí loại {kind_name}{vi_hint}",
                    f"Key '{key}' is not a key of a {kind_name} framework{en_hint}",
                    INFO,
                    row,
                    "A",
                    found=key,
                )
                continue
            col = dyn
        converted = _read_cell(reading, col, value, INFO, row, "B")
        if converted is not None:
            _put(data, key, converted)
            reading.where[tuple(key.split("."))] = (INFO, row, "B")
    for name, item_model in lists.items():
        if name not in wb.sheetnames:
            continue
        data[name] = _read_sheet(reading, wb[name], name, item_model)
    extra = [s for s in wb.sheetnames if s != INFO and s not in lists]
    for sheet in extra:
        vi_hint, en_hint = hint(sheet, lists)
        reading.problem(
            "unknown-sheet",
            f"Trang «{sheet}» không thuộc bộ tiêu chí loại {kind_name}{vi_hint}",
            f"Sheet '{sheet}' is not part of a {kind_name} framework{en_hint}",
            sheet,
            None,
            None,
            expected=", ".join([INFO, *lists]),
        )
    return data, reading


def _dynamic(model: type[BaseModel], key: str) -> Column | None:
    """A dotted key whose middle part is free (a dict of models): resolved against the model."""
    parts = key.split(".")
    current: Any = model
    i = 0
    while i < len(parts):
        models = models_in(_unwrap(current))
        if not models:
            return None
        f = next((f for n, f in models[0].model_fields.items() if parts[i] in (n, f.alias)), None)
        if f is None:
            return None
        shape = _shape(f.annotation)
        if i == len(parts) - 1:
            return Column(key, f.description or "", f.annotation, shape)
        if shape == "dict":
            current = item_type(_unwrap(f.annotation))
            i += 2
        elif shape == "model":
            current = f.annotation
            i += 1
        else:
            return None
    return None


def _read_sheet(reading: _Reading, ws: Worksheet, name: str, item_model: type[BaseModel]) -> list[dict[str, Any]]:
    if ws.max_row > MAX_ROWS:
        reading.problem(
            "too-many-rows", "Quá nhiều dòng", "Too many rows", name, MAX_ROWS, None, expected=f"≤ {MAX_ROWS}"
        )
        return []
    if ws.merged_cells.ranges:
        first = next(iter(ws.merged_cells.ranges))
        reading.problem(
            "merged-cells",
            "Bảng có ô gộp: hãy bỏ gộp ô",
            "The sheet has merged cells: unmerge them",
            name,
            first.min_row,
            get_column_letter(first.min_col),
            found=str(first),
        )
    cols: dict[int, Column] = {}
    for c in range(1, ws.max_column + 1):
        key = ws.cell(row=KEY_ROW, column=c).value
        if key is None or str(key).strip() == "":
            continue
        col = _dynamic(item_model, str(key).strip())
        if col is None:
            known = [c.key for c in _columns(item_model, [])]
            vi_hint, en_hint = hint(str(key), known)
            reading.problem(
                "unknown-column",
                f"Cột «{key}» không có trong «{name}»{vi_hint}",
                f"Column '{key}' is not a key of '{name}'{en_hint}",
                name,
                KEY_ROW,
                get_column_letter(c),
                found=str(key),
            )
            continue
        cols[c] = col
    items: list[dict[str, Any]] = []
    for r in range(FIRST_ROW, ws.max_row + 1):
        cells = {c: ws.cell(row=r, column=c).value for c in cols}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        item: dict[str, Any] = {}
        for c, value in cells.items():
            letter = get_column_letter(c)
            converted = _read_cell(reading, cols[c], value, name, r, letter)
            if converted is not None:
                _put(item, cols[c].key, converted)
        key = next((str(item[k]) for k in ITEM_KEYS if k in item), len(items))
        if (name, key) in reading.where:
            first = reading.where[(name, key)][1]
            reading.problem(
                "duplicate-code",
                f"Mã «{key}» đã có ở dòng {first}",
                f"Code '{key}' is already on row {first}",
                name,
                r,
                _letter_of(cols, ITEM_KEYS),
                found=key,
            )
            continue
        reading.where[(name, key)] = (name, r, "A")
        for c, col in cols.items():
            reading.where[(name, key, *col.key.split("."))] = (name, r, get_column_letter(c))
        items.append(item)
    return items


def _letter_of(cols: dict[int, Column], keys: tuple[str, ...]) -> str:
    return next((get_column_letter(c) for c, col in cols.items() if col.key in keys), "A")


def _read_cell(reading: _Reading, col: Column, value: Any, sheet: str, row: int, letter: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.startswith("="):
        reading.problems.append(formula_problem(reading.name, sheet, row, letter, value))
        return None
    if isinstance(value, str) and len(value) > MAX_CELL:
        reading.problem("cell-too-long", "Ô quá dài", "Cell too long", sheet, row, letter, expected=f"≤ {MAX_CELL}")
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if col.shape == "lines":
        return [line.strip() for line in str(value).splitlines() if line.strip()]
    if col.shape == "yaml":
        try:
            return yaml.safe_load(str(value))
        except yaml.YAMLError as exc:
            reading.problem(
                "bad-yaml-cell",
                "Ô phải viết theo cú pháp YAML, ví dụ {a: 1, b: 2}",
                "The cell must be YAML, e.g. {a: 1, b: 2}",
                sheet,
                row,
                letter,
                found=str(value)[:60],
                expected=str(getattr(exc, "problem", "")) or None,
            )
            return None
    target = _unwrap(col.annotation)
    if target is str and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if target is bool or (get_origin(target) is not None and bool in get_args(target) and isinstance(value, str)):
        text = str(value).strip().lower()
        words = YES if target is bool else YES - {"1"}
        if text in words or value is True:
            return True
        if text in (NO if target is bool else NO - {"0"}) or value is False:
            return False
        if target is bool:
            reading.problem(
                "bad-yes-no",
                "Phải là «có» hoặc «không»",
                "Must be 'có' or 'không'",
                sheet,
                row,
                letter,
                found=str(value),
            )
            return None
    if isinstance(value, str):
        value = value.strip()
        choices = _choices(col.annotation)
        if choices and value not in choices:
            vi_hint, en_hint = hint(value, choices)
            reading.problem(
                "not-in-list",
                f"Giá trị không thuộc danh sách{vi_hint}",
                f"Not one of the allowed values{en_hint}",
                sheet,
                row,
                letter,
                expected=" | ".join(choices),
                found=value,
            )
            return None
        if target in (int, float) and not col.key.endswith("threshold"):
            from certify.numbers import NumberTextError, parse_number

            try:
                number = parse_number(value, whole=target is int, percent=True).fraction
            except NumberTextError as exc:
                reading.problem(exc.code, exc.vi, exc.en, sheet, row, letter, found=value, expected=exc.expected)
                return None
            return int(number) if target is int and number == int(number) else number
    return value


# --- a localisation holds only what differs from its parent ----------------------------------------

_SAME = object()


def _diff(parent: Any, target: Any) -> Any:
    if parent == target:
        return _SAME
    if isinstance(parent, dict) and isinstance(target, dict):
        out = {
            k: d for k in target if (d := _diff(parent.get(k), target[k]) if k in parent else target[k]) is not _SAME
        }
        out.update({k: None for k in parent if k not in target})
        if out and "status" in target and "status" not in out:
            out["status"] = target["status"]  # what is restated keeps its own status, not the file's default
        return out
    if keyed(parent) and keyed(target):
        by_key = {item_key(p): p for p in parent}
        out_list: list[Any] = []
        for item in target:
            k = item_key(item)
            if k in by_key:
                d = _diff(by_key[k], item)
                if d is not _SAME:
                    key_name = next(n for n in ITEM_KEYS if n in item)
                    d = {
                        key_name: item[key_name],
                        **{n: v for n, v in d.items() if n != "status" or "status" in by_key[k]},
                    }
                    out_list.append(d)
            else:
                out_list.append(item)
        kept = {item_key(t) for t in target}
        for p in parent:
            if item_key(p) not in kept:
                key_name = next(n for n in ITEM_KEYS if n in p)
                out_list.append({key_name: p[key_name], "remove": True})
        return out_list
    return target


def localisation(parent: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in target.items():
        if key in OWN_KEYS or key not in parent:
            out[key] = value
        else:
            d = _diff(parent[key], value)
            if d is not _SAME:
                out[key] = d
    for key in parent:
        if key not in target and key not in OWN_KEYS:
            out[key] = None
    return out


# --- import: workbook → checked file text ---------------------------------------------------------


def import_workbook(path: Path, catalog: Catalog) -> tuple[str, Resolved, list[Problem]]:
    """The YAML text of the workbook's framework, its resolved form and the warnings; raises with every problem,
    each at its sheet, row and column."""
    data, reading = read_workbook(path)
    if errors_only(reading.problems):
        raise CertifyError(reading.problems)
    body = data
    parent_ref = data.get("extends")
    if parent_ref:
        try:
            parent = plain(catalog.load(str(parent_ref)).framework)
        except CertifyError as exc:
            raise CertifyError([_place(p, reading, ("extends",)) for p in exc.problems]) from None
        body = localisation({k: v for k, v in parent.items() if k not in OWN_KEYS}, data)
    doc = SourceDoc(name=str(path), data=body, lines={})
    resolved, problems = catalog.check_doc(doc)
    placed = [_place(p, reading) for p in problems]
    if errors_only(placed) or resolved is None:
        raise CertifyError(errors_only(placed))
    if parent_ref and plain(resolved.framework) != _normalised(data, resolved):
        raise CertifyError.one(
            "not-a-localisation",
            "Không ghi được thành tệp kế thừa: thứ tự dòng khác bộ cha "
            "(tiêu chí mới chỉ thêm sau các tiêu chí kế thừa)",
            "Cannot be written as a localisation: the rows are in another order than the parent's "
            "(new rows go after the inherited ones)",
            file=str(path),
        )
    return yaml_text(body, resolved), resolved, placed


def _normalised(data: dict[str, Any], resolved: Resolved) -> Any:
    """The workbook's framework read as it stands (every key written), to compare with what its localisation
    resolves to."""
    kind = get_kind(resolved.framework.kind)
    assert kind is not None
    try:
        return plain(kind.model.model_validate(data))
    except ValueError:
        return None


def _place(problem: Problem, reading: _Reading, fallback: KeyPath = ()) -> Problem:
    path = problem.path or fallback
    for cut in range(len(path), 0, -1):
        spot = reading.where.get(tuple(str(p) for p in path[:cut]))
        if spot is not None:
            sheet, row, column = spot
            return replace(problem, file=reading.name, line=None, sheet=sheet, row=row, column=column)
    return replace(problem, file=reading.name, line=None, sheet=problem.sheet or INFO)


def yaml_text(body: dict[str, Any], resolved: Resolved) -> str:
    fw = resolved.framework
    head = (
        f"# yaml-language-server: $schema=../../docs/schemas/{fw.kind}.schema.json\n"
        f"# {fw.ref}: written by `certify frameworks import` from a workbook; content hash {resolved.content_hash}\n"
    )
    return head + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=120)

"""A small, fast reader for the cells of our own forms, straight from the .xlsx XML.

openpyxl spends most of an import building objects (styles, descriptors) that a form does not need: reading
1,000 forms with it took ~15 s. This reads only sheet names, shared strings and cell values, keeping what
the checks need (formulas are reported as formulas, never evaluated). Sizes were checked before (safety.py).
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True, slots=True)
class Cell:
    value: Any
    data_type: str  # "f" formula, "s" text, "n" number, "b" boolean, "e" error


def _col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if ch.isalpha():
            n = n * 26 + (ord(ch.upper()) - 64)
        else:
            break
    return n


def _row_index(ref: str) -> int:
    return int("".join(ch for ch in ref if ch.isdigit()))


def _text(el: ET.Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{M}t"))


class Book:
    def __init__(self, path: Path) -> None:
        self.zf = zipfile.ZipFile(path)
        wb = ET.fromstring(self.zf.read("xl/workbook.xml"))
        rels = ET.fromstring(self.zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{PR}Relationship")}
        self.sheets: dict[str, str] = {}
        for sh in wb.iter(f"{M}sheet"):
            target = targets.get(sh.get(f"{R}id"), "")
            path_in_zip = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            self.sheets[sh.get("name", "")] = path_in_zip
        self.shared: list[str] = []
        if "xl/sharedStrings.xml" in self.zf.namelist():
            sst = ET.fromstring(self.zf.read("xl/sharedStrings.xml"))
            self.shared = [_text(si) for si in sst.iter(f"{M}si")]

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    def close(self) -> None:
        self.zf.close()

    def rows(self, name: str) -> list[list[Cell | None]]:
        """Dense rows (1-based positions map to index + 1); empty cells are None."""
        root = ET.fromstring(self.zf.read(self.sheets[name]))
        cells: dict[tuple[int, int], Cell] = {}
        for c in root.iter(f"{M}c"):
            ref = c.get("r")
            if not ref:
                continue
            t = c.get("t", "n")
            f = c.find(f"{M}f")
            v = c.find(f"{M}v")
            raw = v.text if v is not None else None
            value: Any
            if f is not None:
                cells[(_row_index(ref), _col_index(ref))] = Cell("=" + (f.text or ""), "f")
                continue
            if t == "s" and raw is not None:
                value, kind = self.shared[int(raw)], "s"
            elif t == "inlineStr":
                is_ = c.find(f"{M}is")
                value, kind = (_text(is_) if is_ is not None else ""), "s"
            elif t == "b":
                value, kind = raw == "1", "b"
            elif t in ("str", "e"):
                value, kind = raw, "s" if t == "str" else "e"
            elif raw is None:
                continue
            else:
                num = float(raw)
                value, kind = (int(num) if num.is_integer() and "." not in raw and "E" not in raw.upper() else num), "n"
            cells[(_row_index(ref), _col_index(ref))] = Cell(value, kind)
        if not cells:
            return []
        max_row = max(r for r, _ in cells)
        max_col = max(col for _, col in cells)
        dense: list[list[Cell | None]] = [[None] * max_col for _ in range(max_row)]
        for (r, col), cell in cells.items():
            dense[r - 1][col - 1] = cell
        return dense

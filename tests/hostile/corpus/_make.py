"""What every kind's `make.py` does with its cases: write them beside it, the same bytes on every run."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

PINNED = (2025, 1, 1, 0, 0, 0)
_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*")


def write_cases(out: Path, cases: Mapping[str, str | bytes]) -> list[Path]:
    """Each case as its own file in `out`: text as UTF-8, bytes as they are. The files written, in order."""
    made = []
    for name, content in cases.items():
        path = out / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        made.append(path)
    return made


def pin_workbooks(made: list[Path]) -> list[Path]:
    """The workbooks among `made` rewritten with the time of the run taken out (openpyxl writes it as the
    «created» and «modified» properties, zipfile as every part's date): the same bytes on every run. Other files
    are left alone."""
    for path in made:
        if path.suffix == ".xlsx" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as src:
                parts = [(info, src.read(info)) for info in src.infolist()]
            with zipfile.ZipFile(path, "w") as dst:
                for info, data in parts:
                    pinned = zipfile.ZipInfo(info.filename, date_time=PINNED)
                    pinned.compress_type = info.compress_type
                    if info.filename == "docProps/core.xml":
                        data = _DATES.sub(rb"\g<1>2025-01-01T00:00:00Z", data)
                    dst.writestr(pinned, data)
    return made


def show(made: Iterable[Path]) -> None:
    """One line per file written: its name and size."""
    for path in made:
        print(path.name, path.stat().st_size)

"""Checks made before openpyxl sees a file (type, size, zip bomb)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from certify.errors import Problem

XLSX_REQUIRED = ("[Content_Types].xml", "xl/workbook.xml")


def check_xlsx_file(path: Path, max_bytes: int, max_unzipped: int) -> list[Problem]:
    """Problems that make the file unreadable; checked from the zip central directory, nothing inflated."""
    name = str(path)

    def bad(code: str, vi: str, en: str, expected: str, found: str) -> list[Problem]:
        return [Problem(code=code, vi=vi, en=en, file=name, expected=expected, found=found)]

    if not path.is_file():
        return bad("no-file", "Không tìm thấy tệp", "File not found", "tệp .xlsx", "không có (missing)")
    size = path.stat().st_size
    if size == 0:
        return bad("empty-file", "Tệp rỗng", "The file is empty", "tệp Excel .xlsx", "0 byte")
    if size > max_bytes:
        return bad("too-large", "Tệp quá lớn", "The file is too large", f"≤ {max_bytes:,} byte", f"{size:,} byte")
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != b"PK\x03\x04" or not zipfile.is_zipfile(path):
        kind = "tệp .xls cũ (old .xls)" if magic == b"\xd0\xcf\x11\xe0" else f"{path.suffix or 'không rõ'} {magic!r}"
        return bad("not-xlsx", "Không phải tệp Excel .xlsx", "Not an Excel .xlsx file", "Excel .xlsx", kind)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        return bad("not-xlsx", "Tệp .xlsx bị hỏng", "The .xlsx file is damaged", "Excel .xlsx", str(exc)[:80])
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > max_unzipped or (total / packed > 200 and total > 10 * 1024 * 1024):
        return bad(
            "zip-bomb",
            "Nội dung giải nén quá lớn (nghi tệp «bom nén»)",
            "The uncompressed content is too large (suspected zip bomb)",
            f"≤ {max_unzipped:,} byte",
            f"{total:,} byte",
        )
    names = {i.filename for i in infos}
    missing = [n for n in XLSX_REQUIRED if n not in names]
    if missing:
        return bad(
            "not-xlsx",
            "Không phải tệp Excel .xlsx",
            "Not an Excel .xlsx file",
            "Excel .xlsx",
            f"zip thiếu {', '.join(missing)}",
        )
    return []


def merged_ranges(path: Path, sheet_xml: str) -> list[str]:
    """Merged ranges of one sheet, read from its XML (openpyxl's fast read-only mode does not report them)."""
    import re

    with zipfile.ZipFile(path) as zf:
        try:
            xml = zf.read(sheet_xml).decode("utf-8", "replace")
        except KeyError:
            return []
    return re.findall(r'<(?:\w+:)?mergeCell\s+ref="([A-Z0-9:]+)"', xml)

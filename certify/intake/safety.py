"""The merged cells of a form's sheet (type, size and zip-bomb checks: certify.xlsx_read.check_xlsx_file)."""

from __future__ import annotations

import zipfile
from pathlib import Path


def merged_ranges(path: Path, sheet_xml: str) -> list[str]:
    """Merged ranges of one sheet, read from its XML (openpyxl's fast read-only mode does not report them)."""
    import re

    with zipfile.ZipFile(path) as zf:
        try:
            xml = zf.read(sheet_xml).decode("utf-8", "replace")
        except KeyError:
            return []
    return re.findall(r'<(?:\w+:)?mergeCell\s+ref="([A-Z0-9:]+)"', xml)

"""Must show: the PDF pages rendered to PNG (pdftoppm) so that a person can look at them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from certify.formats import gap_formats
from certify.levels.gap import GapReport

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm missing (Debian package poppler-utils)")
def test_gap_pdf_renders_to_png(tan_my: GapReport, tmp_path: Path) -> None:
    pdf = tmp_path / "gap.pdf"
    pdf.write_bytes(gap_formats()["pdf"].render(tan_my))  # type: ignore[arg-type]
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    for page in pages:
        assert page.read_bytes()[:8] == PNG_MAGIC and page.stat().st_size > 5_000

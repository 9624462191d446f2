"""Must show: the PDF pages rendered to PNG (pdftoppm) so that a person can look at them."""

from __future__ import annotations

import re
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
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=600)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    for page in pages:
        assert page.read_bytes()[:8] == PNG_MAGIC and page.stat().st_size > 5_000


def test_lean_user_agent_sheet_keeps_all_but_universal_pseudo_elements() -> None:
    # reports.pdf edits WeasyPrint's own sheet: a new WeasyPrint that words it differently must be noticed.
    from importlib.resources import files

    import weasyprint  # type: ignore[import-untyped]

    from reports.pdf import lean_ua_text

    stock = (files(weasyprint.css) / "html5_ua.css").read_text("utf-8")
    lean = lean_ua_text()
    assert re.search(r"^::", stock, re.M) and not re.search(r"^::", lean, re.M)
    assert "li::marker" in lean
    kept = [line for line in stock.splitlines() if not line.startswith("::")]
    assert [line for line in lean.splitlines() if line and not line.startswith("li::marker")] == [
        line for line in kept if line
    ]

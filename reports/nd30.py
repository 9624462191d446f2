"""The administrative document form of Nghị định 30/2020/NĐ-CP (Phụ lục I), in Word: one place for every draft.

A borderless two-column header (issuing body | quốc hiệu and tiêu ngữ, each underlined by a short rule), the
number and place/date line, the title, legal bases in italics, the body, and the recipients («Nơi nhận») beside
the signature block. What only the official can know (number, date, signer) is a yellow-highlighted
placeholder so it cannot be missed before signing. Used by the recognition decision (reports/decision.py) and
the unit's digital-transformation plan (reports/plan_docx.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the Word library is imported where a document is made (formats are listed cheaply)
    from docx.document import Document as DocumentT
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph


BLANK = "…"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass(frozen=True)
class Piece:
    """A run of text; `fill` marks a placeholder the official completes."""

    text: str
    fill: bool = False


Pieces = Sequence[Piece | str]


def para(
    container: DocumentT | _Cell,
    pieces: Pieces,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 14,
    align: str = "justify",
    indent: bool = False,
    after: float = 6,
) -> Paragraph:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    for piece in pieces:
        piece = Piece(piece) if isinstance(piece, str) else piece
        run = p.add_run(piece.text)
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size)
        if piece.fill:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    p.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }[align]
    fmt = p.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(0)
    if indent:
        fmt.first_line_indent = Cm(1.27)
    return p


def rule(p: Paragraph, width: str = "1800") -> None:
    """The short solid line under the issuing body and the motto (a bottom border on the line)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), width)
    ind.set(qn("w:right"), width)
    ppr.append(ind)


def no_borders(table: object) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl = table._tbl  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl.tblPr.append(borders)


def clear(cell: _Cell) -> _Cell:
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return cell


def date_pieces(d: dt.date | None) -> list[Piece | str]:
    """« ngày 20 tháng 12 năm 2024», or the three blanks to fill."""
    if d is None:
        return [" ngày ", Piece(BLANK, fill=True), " tháng ", Piece(BLANK, fill=True), " năm ", Piece(BLANK, fill=True)]
    return [f" ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"]


def header(
    doc: DocumentT,
    issuer: Sequence[Pieces],
    number: Pieces,
    place: Pieces,
    when: dt.date | None = None,
) -> None:
    """Issuing body (its last line bold and underlined) and number | quốc hiệu, tiêu ngữ and place, date."""
    from docx.shared import Cm

    head = doc.add_table(rows=1, cols=2)
    no_borders(head)
    left, right = (clear(c) for c in head.rows[0].cells)
    left.width, right.width = Cm(6.5), Cm(10)
    for k, line in enumerate(issuer):
        last = k == len(issuer) - 1
        p = para(left, line, bold=last, size=13, align="center", after=6 if last else 0)
        if last:
            rule(p, "1000")
    para(left, ["Số: ", *number], size=13, align="center")
    para(right, [MOTTO[0]], bold=True, size=13, align="center", after=0)
    p = para(right, [MOTTO[1]], bold=True, size=14, align="center", after=6)
    rule(p, "1400")
    para(right, [*place, ",", *date_pieces(when)], italic=True, size=14, align="center")


def signature(
    doc: DocumentT,
    recipients: Sequence[Pieces],
    authority: str,
    role: Pieces,
    signer: Pieces,
) -> None:
    """«Nơi nhận:» and its list beside the signature block: «TM. …», the role, space to sign, the name."""
    from docx.shared import Cm

    sign = doc.add_table(rows=1, cols=2)
    no_borders(sign)
    left, right = (clear(c) for c in sign.rows[0].cells)
    left.width, right.width = Cm(8), Cm(8.5)
    para(left, ["Nơi nhận:"], bold=True, italic=True, size=12, align="left", after=0)
    for line in recipients:
        para(left, line, size=11, align="left", after=0)
    para(right, [authority], bold=True, size=13, align="center", after=0)
    para(right, role, bold=True, size=13, align="center", after=60)
    para(right, signer, bold=True, size=14, align="center")

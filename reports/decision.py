"""Draft recognition decision («Quyết định công nhận mức độ chuyển đổi số») as Word.

Layout of Nghị định 30/2020/NĐ-CP (Phụ lục I): a borderless two-column header table (issuing
body | national motto), number and place/date line, title, legal bases in italics, articles,
recipients and signature block side by side, Times New Roman 13–14, annex table on a new page.
What only the official can know (number, date, signer, submission) is a yellow-highlighted
placeholder so it cannot be missed before signing.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docx.document import Document as DocumentT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from certify.framework_base import TIER_VI
from certify.levels.evaluate import Evaluation
from reports.docx_common import add_banner_header, add_table, new_document
from reports.inputs import framework_layers_decisions, province_of
from reports.provenance import provenance_line
from reports.province import district_for

BLANK = "…"


@dataclass(frozen=True)
class Piece:
    """A run of text; `fill` marks a placeholder the official completes."""

    text: str
    fill: bool = False


def _p(
    container: DocumentT | _Cell,
    pieces: Sequence[Piece | str],
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 14,
    align: str = "justify",
    indent: bool = False,
    after: float = 6,
) -> Paragraph:
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


def _rule(p: Paragraph, width: str = "1800") -> None:
    """The short solid line under the issuing body and the motto (a bottom border on the line)."""
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


def _no_borders(table: object) -> None:
    tbl = table._tbl  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl.tblPr.append(borders)


def _clear(cell: _Cell) -> _Cell:
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return cell


@dataclass(frozen=True)
class Signed:
    """What `certify recognise` recorded: filled in instead of the placeholders when known."""

    number: str | None = None
    date: dt.date | None = None
    signer: str | None = None


def _number(signed: Signed) -> list[Piece | str]:
    if signed.number:
        return [signed.number if "/" in signed.number else f"{signed.number}/QĐ-UBND"]
    return [Piece(BLANK, fill=True), "/QĐ-UBND"]


def _date(signed: Signed) -> list[Piece | str]:
    d = signed.date
    if d is None:
        return [" ngày ", Piece(BLANK, fill=True), " tháng ", Piece(BLANK, fill=True), " năm ", Piece(BLANK, fill=True)]
    return [f" ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"]


def render_decision(
    evaluations: Sequence[Evaluation],
    province: str | None = None,
    *,
    signed: Signed | None = None,
    districts: Mapping[str, str] | None = None,
) -> bytes:
    signed = signed or Signed()

    def district_of(e: Evaluation) -> str:
        return district_for(e, districts)

    evs = sorted(
        evaluations,
        key=lambda e: (
            e.unit.assessment.tier.value,
            district_of(e),
            -e.level_index,
            e.unit.assessment.unit_name or e.unit.assessment.unit,
        ),
    )
    recognised = [e for e in evs if e.level is not None]
    province = province or province_of(list(evs))
    prov_upper = province.upper() if province else None
    years = sorted({e.unit.assessment.year for e in evs})
    year = str(years[-1]) if years else BLANK
    tiers = sorted({TIER_VI[e.unit.assessment.tier] for e in recognised})
    frameworks = {e.fw.ref: e for e in evs}
    banners = sorted({e.fw.banner[0] for e in evs if e.fw.banner})

    doc = new_document(size=14, margins=(2, 2, 3, 1.5))
    provenance = "; ".join(provenance_line(e.provenance()["framework"]) for e in frameworks.values())
    add_banner_header(doc, " / ".join(banners) if banners else None, "Dự thảo do công cụ certify lập — " + provenance)

    head = doc.add_table(rows=1, cols=2)
    _no_borders(head)
    left, right = (_clear(c) for c in head.rows[0].cells)
    left.width, right.width = Cm(6.5), Cm(10)
    _p(left, ["ỦY BAN NHÂN DÂN"], size=13, align="center", after=0)
    p = _p(
        left, ["TỈNH ", Piece(prov_upper or BLANK, fill=not prov_upper)], bold=True, size=13, align="center", after=6
    )
    _rule(p, "1000")
    _p(left, ["Số: ", *_number(signed)], size=13, align="center")
    _p(right, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], bold=True, size=13, align="center", after=0)
    p = _p(right, ["Độc lập - Tự do - Hạnh phúc"], bold=True, size=14, align="center", after=6)
    _rule(p, "1400")
    _p(right, [Piece(province or BLANK, fill=not province), ",", *_date(signed)], italic=True, size=14, align="center")

    _p(doc, ["QUYẾT ĐỊNH"], bold=True, align="center", after=0)
    title = f"Về việc công nhận mức độ chuyển đổi số năm {year} của các đơn vị {' và '.join(tiers) or BLANK}"
    p = _p(doc, [title], bold=True, align="center", after=12)
    _rule(p, "3000")
    _p(
        doc,
        ["ỦY BAN NHÂN DÂN TỈNH ", Piece(prov_upper or BLANK, fill=not prov_upper)],
        bold=True,
        align="center",
        after=12,
    )

    bases: list[list[Piece | str]] = [
        ["Căn cứ Luật Tổ chức chính quyền địa phương ", Piece("[số, ngày của Luật hiện hành]", fill=True), ";"],
    ]
    for ref, ev in frameworks.items():
        decisions = framework_layers_decisions(ev)
        source = ev.fw.source
        if decisions:
            bases.append(
                [
                    f"Căn cứ Quyết định số {decisions[-1]} ",
                    Piece("[ngày … tháng … năm …]", fill=True),
                    f" ban hành Bộ tiêu chí đánh giá mức độ chuyển đổi số ({TIER_VI[ev.fw.tier]});",
                ]
            )
        if ev.fw.status.value != "official" and (source.decision or ev.fw.title):
            bases.append(
                [
                    f"Căn cứ {source.decision or ev.fw.title} ",
                    Piece(f"[({ref}) — kiểm tra văn bản áp dụng]", fill=True),
                    ";",
                ]
            )
    bases.append(
        ["Căn cứ ", Piece("[văn bản của tỉnh hướng dẫn đánh giá, công nhận mức độ chuyển đổi số]", fill=True), ";"]
    )
    bases.append(
        [
            "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ tại Tờ trình số ",
            Piece(BLANK, fill=True),
            "/TTr-SKHCN ngày ",
            Piece(BLANK, fill=True),
            ".",
        ]
    )
    for pieces in bases:
        _p(doc, pieces, italic=True, indent=True)

    _p(doc, ["QUYẾT ĐỊNH:"], bold=True, align="center", after=6)
    counts: dict[str, int] = {}
    for e in recognised:
        counts[e.fw.level_name(e.level)] = counts.get(e.fw.level_name(e.level), 0) + 1
    by_level = "; ".join(f"mức {name}: {n} đơn vị" for name, n in counts.items())
    _p(
        doc,
        [
            Piece("Điều 1. "),
            f"Công nhận mức độ chuyển đổi số năm {year} đối với {len(recognised)} đơn vị "
            f"{' và '.join(tiers) or ''} trên địa bàn tỉnh ",
            Piece(province or BLANK, fill=not province),
            f" ({by_level}), có danh sách kèm theo Quyết định này.",
        ],
        indent=True,
    )
    _p(
        doc,
        [
            Piece("Điều 2. "),
            "Các đơn vị có tên tại Điều 1 tiếp tục duy trì, nâng cao mức độ chuyển đổi số theo "
            "lộ trình đã đề ra; Sở Khoa học và Công nghệ theo dõi, hướng dẫn và tổng hợp kết quả đánh giá năm tiếp "
            "theo. Quyết định này có hiệu lực kể từ ngày ký.",
        ],
        indent=True,
    )
    _p(
        doc,
        [
            Piece("Điều 3. "),
            "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Khoa học và Công nghệ, Thủ trưởng "
            "các cơ quan, đơn vị có liên quan và Chủ tịch Ủy ban nhân dân các đơn vị có tên tại Điều 1 chịu trách "
            "nhiệm thi hành Quyết định này./.",
        ],
        indent=True,
        after=12,
    )
    for para in doc.paragraphs[-3:]:
        para.runs[0].bold = True

    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    left, right = (_clear(c) for c in sign.rows[0].cells)
    left.width, right.width = Cm(8), Cm(8.5)
    _p(left, ["Nơi nhận:"], bold=True, italic=True, size=12, align="left", after=0)
    for line in (
        "- Như Điều 3;",
        "- Bộ Khoa học và Công nghệ (để báo cáo);",
        "- TT Tỉnh ủy, TT HĐND tỉnh (để báo cáo);",
        "- Chủ tịch, các PCT UBND tỉnh;",
        "- Các đơn vị có tên tại Điều 1;",
    ):
        _p(left, [line], size=11, align="left", after=0)
    _p(left, ["- Lưu: VT, ", Piece(BLANK, fill=True), "."], size=11, align="left", after=0)
    _p(right, ["TM. ỦY BAN NHÂN DÂN"], bold=True, size=13, align="center", after=0)
    _p(
        right,
        [Piece("[CHỦ TỊCH / KT. CHỦ TỊCH – PHÓ CHỦ TỊCH]", fill=True)],
        bold=True,
        size=13,
        align="center",
        after=60,
    )
    _p(right, [signed.signer or Piece("[Họ và tên người ký]", fill=True)], bold=True, size=14, align="center")

    _annex(doc, [(e, district_of(e)) for e in recognised], year, province, signed)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _annex(
    doc: DocumentT, recognised: Sequence[tuple[Evaluation, str]], year: str, province: str | None, signed: Signed
) -> None:
    brk = doc.add_paragraph().add_run()
    brk.add_break(WD_BREAK.PAGE)
    _p(doc, ["PHỤ LỤC"], bold=True, align="center", after=0)
    _p(doc, [f"DANH SÁCH ĐƠN VỊ ĐƯỢC CÔNG NHẬN MỨC ĐỘ CHUYỂN ĐỔI SỐ NĂM {year}"], bold=True, align="center", after=0)
    d = signed.date
    when: list[Piece | str] = (
        [f" ngày {d.day:02d}/{d.month:02d}/{d.year}"] if d else [" ngày ", Piece(BLANK, fill=True)]
    )
    _p(
        doc,
        [
            "(Kèm theo Quyết định số ",
            *_number(signed),
            *when,
            " của Ủy ban nhân dân tỉnh ",
            Piece(province or BLANK, fill=not province),
            ")",
        ],
        italic=True,
        align="center",
        after=12,
    )
    rows = []
    for k, (e, district) in enumerate(recognised, 1):
        a = e.unit.assessment
        rows.append(
            [str(k), a.unit_name or a.unit, a.unit, TIER_VI[a.tier], district, e.fw.level_name(e.level), e.fw.ref]
        )
    add_table(
        doc,
        ["TT", "Tên đơn vị", "Mã", "Cấp", "Huyện/Khu vực", "Mức độ được công nhận", "Bộ tiêu chí"],
        rows,
        [1, 5.2, 1.4, 1.6, 2.8, 2.3, 2.8],
        size=11,
    )

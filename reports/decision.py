"""Draft recognition decision («Quyết định công nhận mức độ chuyển đổi số») as Word.

Layout of Nghị định 30/2020/NĐ-CP (reports/nd30.py): header (issuing body | national motto), number and
place/date line, title, legal bases in italics, articles, recipients and signature block side by side,
Times New Roman 13–14, annex table on a new page. What only the official can know (number, date, signer,
submission) is a yellow-highlighted placeholder so it cannot be missed before signing.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docx.document import Document as DocumentT
from docx.enum.text import WD_BREAK

from certify.framework_base import TIER_VI
from certify.levels.evaluate import Evaluation
from reports.docx_common import add_banner_header, add_table, new_document
from reports.inputs import framework_layers_decisions, province_of
from reports.nd30 import BLANK, Piece, date_pieces, header, para, rule, signature
from reports.provenance import provenance_line
from reports.province import district_for


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
    return date_pieces(signed.date)


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

    header(
        doc,
        [["ỦY BAN NHÂN DÂN"], ["TỈNH ", Piece(prov_upper or BLANK, fill=not prov_upper)]],
        _number(signed),
        [Piece(province or BLANK, fill=not province)],
        signed.date,
    )

    para(doc, ["QUYẾT ĐỊNH"], bold=True, align="center", after=0)
    title = f"Về việc công nhận mức độ chuyển đổi số năm {year} của các đơn vị {' và '.join(tiers) or BLANK}"
    p = para(doc, [title], bold=True, align="center", after=12)
    rule(p, "3000")
    para(
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
        para(doc, pieces, italic=True, indent=True)

    para(doc, ["QUYẾT ĐỊNH:"], bold=True, align="center", after=6)
    counts: dict[str, int] = {}
    for e in recognised:
        counts[e.fw.level_name(e.level)] = counts.get(e.fw.level_name(e.level), 0) + 1
    by_level = "; ".join(f"mức {name}: {n} đơn vị" for name, n in counts.items())
    para(
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
    para(
        doc,
        [
            Piece("Điều 2. "),
            "Các đơn vị có tên tại Điều 1 tiếp tục duy trì, nâng cao mức độ chuyển đổi số theo "
            "lộ trình đã đề ra; Sở Khoa học và Công nghệ theo dõi, hướng dẫn và tổng hợp kết quả đánh giá năm tiếp "
            "theo. Quyết định này có hiệu lực kể từ ngày ký.",
        ],
        indent=True,
    )
    para(
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
    for article in doc.paragraphs[-3:]:
        article.runs[0].bold = True

    signature(
        doc,
        [
            ["- Như Điều 3;"],
            ["- Bộ Khoa học và Công nghệ (để báo cáo);"],
            ["- TT Tỉnh ủy, TT HĐND tỉnh (để báo cáo);"],
            ["- Chủ tịch, các PCT UBND tỉnh;"],
            ["- Các đơn vị có tên tại Điều 1;"],
            ["- Lưu: VT, ", Piece(BLANK, fill=True), "."],
        ],
        "TM. ỦY BAN NHÂN DÂN",
        [Piece("[CHỦ TỊCH / KT. CHỦ TỊCH – PHÓ CHỦ TỊCH]", fill=True)],
        [signed.signer or Piece("[Họ và tên người ký]", fill=True)],
    )

    _annex(doc, [(e, district_of(e)) for e in recognised], year, province, signed)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _annex(
    doc: DocumentT, recognised: Sequence[tuple[Evaluation, str]], year: str, province: str | None, signed: Signed
) -> None:
    brk = doc.add_paragraph().add_run()
    brk.add_break(WD_BREAK.PAGE)
    para(doc, ["PHỤ LỤC"], bold=True, align="center", after=0)
    para(doc, [f"DANH SÁCH ĐƠN VỊ ĐƯỢC CÔNG NHẬN MỨC ĐỘ CHUYỂN ĐỔI SỐ NĂM {year}"], bold=True, align="center", after=0)
    d = signed.date
    when: list[Piece | str] = (
        [f" ngày {d.day:02d}/{d.month:02d}/{d.year}"] if d else [" ngày ", Piece(BLANK, fill=True)]
    )
    para(
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

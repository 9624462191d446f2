"""Draft recognition decision («Quyết định công nhận mức độ chuyển đổi số») as Word.

Layout of Nghị định 30/2020/NĐ-CP (reports/nd30.py): header (issuing body | national motto), number and
place/date line, title, legal bases in italics, articles, recipients and signature block side by side,
Times New Roman 13–14, annex table on a new page. What only the official can know (number, date, signer,
submission) is a yellow-highlighted placeholder so it cannot be missed before signing.

The legal bases come from the frameworks' own source data (reports/citations.py): the Ministry's decision
with its title, date and issuer, the province's own decision where it localised the framework, never a
sample set. For the communes formed on 1/7/2025 the draft cites the framework the province adopted for
them, or leaves a highlighted blank for the document by which it did.
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
from certify.provenance import FrameworkStatus
from reports.citations import citations, layers
from reports.docx_common import add_banner_header, add_table, new_document
from reports.inputs import province_of
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


def adopted_by_province(ev: Evaluation) -> bool:
    """Whether the unit's framework includes a province's own localisation (status localized)."""
    return any(layer.status == FrameworkStatus.LOCALIZED.value for layer in layers(ev))


def formed_in_reform(ev: Evaluation) -> bool:
    """A unit assessed on the current map: the communes formed on 1/7/2025 (cycles of 2025 on)."""
    from certify.store.cycles import default_map  # the store's rule; imported here, a folder needs no database
    from certify.store.unit_sources import CURRENT

    return default_map(ev.unit.assessment.year) == CURRENT


def legal_bases(evaluations: Sequence[Evaluation]) -> list[list[Piece | str]]:
    """«Căn cứ …» lines: the law on local government, each decision of the frameworks used (once, national
    first), a blank for the province's adoption of a framework for the new communes where it has not
    localised one, the province's guidance, and the proposal of the department."""
    bases: list[list[Piece | str]] = [
        ["Căn cứ Luật Tổ chức chính quyền địa phương ", Piece("[số, ngày của Luật hiện hành]", fill=True), ";"],
    ]
    seen: set[str] = set()
    for ev in evaluations:
        for c in citations(ev):
            if c.decision not in seen:
                seen.add(c.decision)
                bases.append(c.pieces())
    unadopted = sorted({ev.fw.ref for ev in evaluations if formed_in_reform(ev) and not adopted_by_province(ev)})
    if unadopted:
        bases.append(
            [
                "Căn cứ ",
                Piece(
                    "[văn bản của tỉnh ban hành hoặc áp dụng bộ tiêu chí đánh giá cho các xã, phường hình thành từ "
                    f"ngày 01/7/2025 — công cụ đã đánh giá theo {', '.join(unadopted)}]",
                    fill=True,
                ),
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
    return bases


@dataclass(frozen=True)
class Scope:
    """What the decision is about: its units in order, the year, the tiers and the province."""

    evaluations: list[Evaluation]  # ordered: tier, district, level (highest first), name
    recognised: list[Evaluation]
    districts: dict[str, str]  # unit code → district
    year: str
    tiers: list[str]
    province: str | None

    @property
    def province_upper(self) -> str | None:
        return self.province.upper() if self.province else None


def _scope(evaluations: Sequence[Evaluation], province: str | None, districts: Mapping[str, str] | None) -> Scope:
    district = {e.unit.assessment.unit: district_for(e, districts) for e in evaluations}
    evs = sorted(
        evaluations,
        key=lambda e: (
            e.unit.assessment.tier.value,
            district[e.unit.assessment.unit],
            -e.level_index,
            e.unit.assessment.unit_name or e.unit.assessment.unit,
        ),
    )
    recognised = [e for e in evs if e.level is not None]
    years = sorted({e.unit.assessment.year for e in evs})
    return Scope(
        evs,
        recognised,
        district,
        str(years[-1]) if years else BLANK,
        sorted({TIER_VI[e.unit.assessment.tier] for e in recognised}),
        province or province_of(list(evs)),
    )


def _heading(doc: DocumentT, scope: Scope, signed: Signed) -> None:
    """Issuing body and national motto, number, place and date; the title; the issuing body again."""
    prov, prov_upper = scope.province, scope.province_upper
    header(
        doc,
        [["ỦY BAN NHÂN DÂN"], ["TỈNH ", Piece(prov_upper or BLANK, fill=not prov_upper)]],
        _number(signed),
        [Piece(prov or BLANK, fill=not prov)],
        signed.date,
    )
    para(doc, ["QUYẾT ĐỊNH"], bold=True, align="center", after=0)
    title = (
        f"Về việc công nhận mức độ chuyển đổi số năm {scope.year} của các đơn vị {' và '.join(scope.tiers) or BLANK}"
    )
    p = para(doc, [title], bold=True, align="center", after=12)
    rule(p, "3000")
    para(
        doc,
        ["ỦY BAN NHÂN DÂN TỈNH ", Piece(prov_upper or BLANK, fill=not prov_upper)],
        bold=True,
        align="center",
        after=12,
    )


def _articles(doc: DocumentT, scope: Scope) -> None:
    para(doc, ["QUYẾT ĐỊNH:"], bold=True, align="center", after=6)
    counts: dict[str, int] = {}
    for e in scope.recognised:
        counts[e.fw.level_name(e.level)] = counts.get(e.fw.level_name(e.level), 0) + 1
    by_level = "; ".join(f"mức {name}: {n} đơn vị" for name, n in counts.items())
    para(
        doc,
        [
            Piece("Điều 1. "),
            f"Công nhận mức độ chuyển đổi số năm {scope.year} đối với {len(scope.recognised)} đơn vị "
            f"{' và '.join(scope.tiers) or ''} trên địa bàn tỉnh ",
            Piece(scope.province or BLANK, fill=not scope.province),
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


def _signature(doc: DocumentT, signed: Signed) -> None:
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


def render_decision(
    evaluations: Sequence[Evaluation],
    province: str | None = None,
    *,
    signed: Signed | None = None,
    districts: Mapping[str, str] | None = None,
) -> bytes:
    signed = signed or Signed()
    scope = _scope(evaluations, province, districts)
    frameworks = {e.fw.ref: e for e in scope.evaluations}
    banners = sorted({e.fw.banner[0] for e in scope.evaluations if e.fw.banner})

    doc = new_document(size=14, margins=(2, 2, 3, 1.5))
    provenance = "; ".join(provenance_line(e.provenance()["framework"]) for e in frameworks.values())
    add_banner_header(doc, " / ".join(banners) if banners else None, "Dự thảo do công cụ certify lập — " + provenance)
    _heading(doc, scope, signed)
    for pieces in legal_bases(scope.evaluations):
        para(doc, pieces, italic=True, indent=True)
    _articles(doc, scope)
    _signature(doc, signed)
    _annex(doc, scope, signed)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _framework_cell(e: Evaluation) -> str:
    """The framework a unit was recognised under: its decision, or a sample set said as such, and the file."""
    own = citations(e)
    if e.fw.status is FrameworkStatus.SAMPLE:
        return f"{e.fw.ref} — bộ mẫu" + (f", khung QĐ {own[-1].decision}" if own else "")
    return f"QĐ {own[-1].decision} ({e.fw.ref})" if own else f"{e.fw.ref} ({e.fw.status.value})"


def _annex(doc: DocumentT, scope: Scope, signed: Signed) -> None:
    year, province = scope.year, scope.province
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
    for k, e in enumerate(scope.recognised, 1):
        a = e.unit.assessment
        rows.append(
            [
                str(k),
                a.unit_name or a.unit,
                a.unit,
                TIER_VI[a.tier],
                scope.districts[a.unit],
                e.fw.level_name(e.level),
                _framework_cell(e),
            ]
        )
    add_table(
        doc,
        ["TT", "Tên đơn vị", "Mã", "Cấp", "Huyện/Khu vực", "Mức độ được công nhận", "Bộ tiêu chí"],
        rows,
        [1, 5.2, 1.4, 1.6, 2.8, 2.3, 2.8],
        size=11,
    )

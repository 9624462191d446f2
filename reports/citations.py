"""Legal bases («Căn cứ …») of a draft, taken from the framework files' own `source` data, never typed by hand.

A framework and the files it extends each cite a decision: number, date, issuer, title. Every draft that
names its legal bases (the recognition decision, a unit's plan) cites them from there, national first,
so the Ministry's 2361 reads «Quyết định số 2361/QĐ-BTTTT ngày 31/12/2024 của Bộ Thông tin và Truyền thông
ban hành Khung tiêu chí và phương pháp đánh giá, xét công nhận mức độ chuyển đổi số cấp huyện và cấp xã
(phiên bản 1.0)». A file whose source is ours (a sample set), inferred or missing, or that names no
decision, is never a legal basis; what the data do not say (a date, a title) is a blank to fill.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from certify.levels.evaluate import Evaluation
from certify.provenance import Evidence, Source
from reports.nd30 import Piece

# A source cited as law: read in the official text, or in a copy of it (then marked to be checked).
CITABLE = {Evidence.VERIFIED, Evidence.SECONDARY}


@dataclass(frozen=True)
class Layer:
    """One file of a framework's `extends` chain, as a draft needs it."""

    ref: str
    status: str  # the framework file's own status: official, localized, sample, partial
    source: Source | None


def layers(ev: Evaluation) -> list[Layer]:
    """The framework's files, the national one first (the chain is held child first)."""
    out: list[Layer] = []
    for doc in reversed(ev.compiled.resolved.layers.docs):
        data: Any = doc.data if isinstance(doc.data, dict) else {}
        raw = data.get("source")
        source = Source.model_validate(raw) if isinstance(raw, dict) else None
        out.append(Layer(f"{data.get('id')}@{data.get('version')}", str(data.get("status")), source))
    return out


def _subject(title: str) -> str:
    """«Quyết định ban hành Khung …» → «ban hành Khung …»: the citation already says «Quyết định số …»."""
    head = "quyết định "
    if title.lower().startswith(head):
        rest = title[len(head) :]
        return rest[0].lower() + rest[1:]
    return f"về {title[0].lower()}{title[1:]}"


@dataclass(frozen=True)
class Citation:
    decision: str
    date: dt.date | None
    issuer: str | None
    title: str | None
    checked: bool  # read in the official text (verified), not only in a secondary copy

    @property
    def text(self) -> str:
        """«2361/QĐ-BTTTT ngày 31/12/2024 của Bộ … ban hành …», with what is known only."""
        parts = [self.decision]
        if self.date:
            parts.append(f"ngày {self.date:%d/%m/%Y}")
        if self.issuer:
            parts.append(f"của {self.issuer}")
        if self.title:
            parts.append(_subject(self.title))
        return " ".join(parts)

    def pieces(self) -> list[Piece | str]:
        """The «Căn cứ» line, each unknown part a highlighted blank for the official."""
        out: list[Piece | str] = [f"Căn cứ Quyết định số {self.decision} "]
        out += [f"ngày {self.date:%d/%m/%Y}"] if self.date else [Piece("[ngày … tháng … năm …]", fill=True)]
        out += [f" của {self.issuer} "] if self.issuer else [" của ", Piece("[cơ quan ban hành]", fill=True), " "]
        out += [_subject(self.title)] if self.title else [Piece("[trích yếu văn bản]", fill=True)]
        if not self.checked:
            out.append(Piece(" [đối chiếu văn bản gốc]", fill=True))
        out.append(";")
        return out


def citations(ev: Evaluation) -> list[Citation]:
    """The decisions of the framework a unit was evaluated with, national first, each once."""
    out: list[Citation] = []
    for layer in layers(ev):
        src = layer.source
        if src is None or not src.decision or src.status not in CITABLE:
            continue
        if all(c.decision != src.decision for c in out):
            out.append(Citation(src.decision, src.date, src.issuer, src.title, src.status is Evidence.VERIFIED))
    return out

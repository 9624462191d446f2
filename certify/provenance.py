"""Where a framework, criterion or threshold comes from, and how sure we are of it.

Shared by every kind of framework (five-level certification, point-based DTI) so that a
user always sees how much of what the tool computes rests on official text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class FrameworkStatus(StrEnum):
    """How official a whole framework file is."""

    OFFICIAL = "official"  # transcribes an issued decision in full
    LOCALIZED = "localized"  # a province's decision localising a national framework
    SAMPLE = "sample"  # made by us to be usable; NOT official thresholds
    PARTIAL = "partial"  # official structure, but parts of the text are not available


class Evidence(StrEnum):
    """Status tag of a single fact (same tags as the project's reference notes)."""

    VERIFIED = "verified"  # read in the official text
    SECONDARY = "secondary"  # press, third-party copy
    INFERRED = "inferred"  # our reasoning
    MISSING = "missing"  # no source available
    SAMPLE = "sample"  # chosen by us for the sample framework, with a rationale
    UNSPECIFIED = "unspecified"  # the author wrote no status: nothing is claimed beyond the framework's own status


SAMPLE_BANNER_VI = "Bộ tiêu chí mẫu — không phải ngưỡng chính thức"
SAMPLE_BANNER_EN = "Sample criteria — not official thresholds"
PARTIAL_BANNER_VI = "Khung chưa đầy đủ — thiếu ngưỡng chính thức, không dùng để công nhận"
PARTIAL_BANNER_EN = "Partial framework — official thresholds missing, not usable for recognition"
PARTIAL_DTI_BANNER_VI = "Bộ chỉ số chưa đầy đủ — chỉ có chỉ số chính, điểm tính từ giá trị chỉ số do tỉnh nhập"
PARTIAL_DTI_BANNER_EN = "Partial index — main indices only, points computed from index values the province enters"


class Source(BaseModel):
    """A legal or documentary reference."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    issuer: str | None = None
    decision: str | None = Field(default=None, description="e.g. 2361/QĐ-BTTTT")
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    status: Evidence = Evidence.UNSPECIFIED
    note: str | None = None

    def cite(self) -> str:
        parts = [p for p in (self.decision, self.issuer) if p]
        if self.date:
            parts.append(self.date.strftime("%d/%m/%Y"))
        return ", ".join(parts) or (self.title or "")


def default_evidence(status: FrameworkStatus | str | None) -> Evidence:
    """The status of an item written without one: what its framework claims, never more.

    A sample framework's items are samples; in any other framework an item without `status` claims
    nothing (`unspecified`) — never `verified`, which only the author may write.
    """
    return Evidence.SAMPLE if status == FrameworkStatus.SAMPLE else Evidence.UNSPECIFIED


@dataclass(frozen=True)
class Inherited:
    """Thresholds a framework takes unchanged from a sample or partial framework it extends."""

    count: int
    total: int
    parent: str  # id@version of the nearest such parent
    parent_status: FrameworkStatus

    def banner(self) -> tuple[str, str]:
        what_vi = "bộ mẫu" if self.parent_status is FrameworkStatus.SAMPLE else "khung chưa đầy đủ"
        what_en = "sample" if self.parent_status is FrameworkStatus.SAMPLE else "partial"
        return (
            f"Kế thừa {self.count}/{self.total} ngưỡng từ {what_vi} {self.parent} — không phải ngưỡng chính thức",
            f"{self.count} of {self.total} thresholds inherited from the {what_en} framework {self.parent} "
            "— not official thresholds",
        )


def banner_for(status: FrameworkStatus) -> tuple[str, str] | None:
    """The warning every output must carry for a non-official framework, (vi, en)."""
    if status is FrameworkStatus.SAMPLE:
        return SAMPLE_BANNER_VI, SAMPLE_BANNER_EN
    if status is FrameworkStatus.PARTIAL:
        return PARTIAL_BANNER_VI, PARTIAL_BANNER_EN
    return None

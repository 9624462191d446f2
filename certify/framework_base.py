"""Fields every framework file carries, whatever its kind (five levels or DTI points)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from certify.provenance import FrameworkStatus, Inherited, Source, banner_for

SLUG = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"
VERSION = r"^\d+(?:\.\d+)*$"


class Tier(StrEnum):
    """Which kind of unit a framework assesses."""

    PROVINCE = "province"
    DEPARTMENT = "department"  # sở, ban, ngành
    DISTRICT = "district"  # cấp huyện (abolished 1/7/2025, kept for history)
    COMMUNE = "commune"  # cấp xã


TIER_VI: dict[Tier, str] = {
    Tier.PROVINCE: "cấp tỉnh",
    Tier.DEPARTMENT: "sở, ban, ngành",
    Tier.DISTRICT: "cấp huyện",
    Tier.COMMUNE: "cấp xã",
}


class FrameworkBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    id: str = Field(pattern=SLUG)
    version: str = Field(pattern=VERSION)
    title: str
    title_en: str | None = None
    tier: Tier
    status: FrameworkStatus
    source: Source
    extends: str | None = None
    note: str | None = None
    # Set by the catalog: thresholds taken unchanged from a sample/partial parent keep that parent's banner.
    _inherited: Inherited | None = PrivateAttr(default=None)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def inherited(self) -> Inherited | None:
        return self._inherited

    @property
    def banner(self) -> tuple[str, str] | None:
        own = banner_for(self.status)
        if own is None and self._inherited is not None:
            return self._inherited.banner()
        return own


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


Direction = Literal["higher", "lower"]

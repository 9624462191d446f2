"""Fields every framework file carries, whatever its kind (five levels or DTI points)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from certify.provenance import FrameworkStatus, Inherited, Source, banner_for

SLUG = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("Không được để trống hay chỉ có khoảng trắng | Must not be empty or blank")
    return value


# A name or title people read in every output: never empty or blank.
Name = Annotated[str, Field(min_length=1, json_schema_extra={"pattern": r"\S"}), AfterValidator(_not_blank)]
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


class AddedLater(BaseModel):
    """Fields added to the format after frameworks were published are left out of a dump while at their
    default, so that a framework written before keeps its content hash (a cycle frozen on it stays valid)."""

    added_later: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _without_later_defaults(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            fields = type(self).model_fields
            for name in self.added_later:
                if name in data and getattr(self, name) == fields[name].default:
                    del data[name]
        return data


class FrameworkBase(AddedLater):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    added_later: ClassVar[frozenset[str]] = frozenset({"supersedes", "applies_from"})

    kind: str
    id: str = Field(pattern=SLUG)
    version: str = Field(pattern=VERSION)
    title: Name
    title_en: str | None = None
    tier: Tier
    status: FrameworkStatus
    source: Source
    extends: str | None = None
    # Editions: a decision replaced by a later one (QĐ 922 → QĐ 405) is a framework of its own; a cycle uses
    # the edition of its year (certify.editions).
    supersedes: str | None = Field(default=None, description="id or id@version of the edition this one replaces")
    applies_from: int | None = Field(
        default=None, ge=2000, le=2100, description="first assessment year (round) this edition is used for"
    )
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

"""Reading the two maps of administrative units from the packages that ship them.

- Current two-tier map (from 1/7/2025: 34 provinces, 3,321 communes): `vietnam-provinces`, the GSO codes.
- Pre-1/7/2025 three-tier map (63 provinces, ~700 districts, ~10,000 communes): `vietnam-provinces` 2025.x no
  longer ships it, so it is read from the GSO-coded table bundled in `vietnamadminunits` (MIT).
- Old → new communes: `vietnamadminunits`' conversion table, keyed by name keys; new communes are matched
  to the GSO codes of `vietnam-provinces` by province and name (the two packages disagree on some codes of new
  communes, and `vietnam-provinces` is the GSO source). A row that cannot be matched is reported, never guessed;
  a row matched by its name key only, or whose new commune the two packages give different codes to, carries the
  reason (`flags`) so that `certify units check` lists it and every view marks it until a province confirms it.
- Special zones (đặc khu) → the island districts they were formed from: `special_zones.csv` beside this module
  (its source named in the file), checked against both packages' names.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

PRE2025 = "pre2025"
CURRENT = "current"


@dataclass(frozen=True)
class RawUnit:
    map: str
    tier: str
    code: str
    name: str
    division_type: str | None
    province_code: str
    parent_code: str | None  # code of the parent, same map


@dataclass(frozen=True)
class RawMerger:
    old_code: str  # pre2025 commune (or province) code
    new_code: str  # current commune (or province) code
    tier: str  # the new unit's tier (and the old one's, unless `old_tier` says otherwise)
    whole: bool
    flags: tuple[str, ...] = ()  # reason codes of certify.store.merger_links the sources leave open
    old_tier: str | None = None  # a special zone's former island district: "district"


@dataclass
class SourceData:
    units: list[RawUnit]
    mergers: list[RawMerger]
    unmatched: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


def _vap_root() -> Path:
    # Located, not imported: importing it loads its address parser, which this needs not.
    spec = find_spec("vietnamadminunits")
    if spec is None or spec.origin is None:
        raise RuntimeError("vietnamadminunits is not installed")
    return Path(spec.origin).parent / "data"


def name_key(name: str) -> str:
    """Name without diacritics, case, spacing or punctuation: «Xã  Hiệp Hoà» and «Xã Hiệp Hòa» are one name."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(ch for ch in text.lower() if ch.isalnum())


def current_units() -> list[RawUnit]:
    import vietnam_provinces  # here: the maps' names (PRE2025, CURRENT) are read everywhere, the package rarely

    nested = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    out: list[RawUnit] = []
    for prov in nested:
        pcode = f"{int(prov['code']):02d}"
        out.append(RawUnit(CURRENT, "province", pcode, prov["name"], prov.get("division_type"), pcode, None))
        for ward in prov.get("wards", []):
            out.append(
                RawUnit(
                    CURRENT,
                    "commune",
                    f"{int(ward['code']):05d}",
                    " ".join(ward["name"].split()),
                    ward.get("division_type"),
                    pcode,
                    pcode,
                )
            )
    return out


def pre2025_units(db: sqlite3.Connection) -> list[RawUnit]:
    out: list[RawUnit] = []
    seen: set[tuple[str, str]] = set()
    rows = db.execute(
        "SELECT province, provinceCode, district, districtType, districtCode, ward, wardType, wardCode "
        "FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    ).fetchall()
    for province, pcode, district, dtype, dcode, ward, wtype, wcode in rows:
        if ("province", pcode) not in seen:
            seen.add(("province", pcode))
            kind = "thành phố trung ương" if province.startswith("Thành phố") else "tỉnh"
            out.append(RawUnit(PRE2025, "province", pcode, province, kind, pcode, None))
        if dcode and ("district", dcode) not in seen:
            seen.add(("district", dcode))
            out.append(RawUnit(PRE2025, "district", dcode, district, (dtype or "").lower() or None, pcode, pcode))
        if wcode and ("commune", wcode) not in seen:  # island districts have no communes
            seen.add(("commune", wcode))
            out.append(RawUnit(PRE2025, "commune", wcode, ward, (wtype or "").lower() or None, pcode, dcode))
    return out


NAME_ONLY = "name-only"
PACKAGES_DISAGREE = "packages-disagree"
SPECIAL_ZONES = Path(__file__).with_name("special_zones.csv")


def mergers(db: sqlite3.Connection, current: list[RawUnit]) -> tuple[list[RawMerger], list[str]]:
    conv = json.loads((_vap_root() / "converter_2025.json").read_text(encoding="utf-8"))
    old_by_key = {
        f"{pk}_{dk}_{wk}": wc
        for pk, dk, wk, wc in db.execute(
            "SELECT provinceKey, districtKey, wardKey, wardCode FROM admin_units_legacy WHERE wardCode IS NOT NULL"
        )
    }
    old_prov_by_key = dict(db.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy"))
    new_rows = db.execute("SELECT provinceKey, provinceCode, wardKey, ward, wardCode FROM admin_units").fetchall()
    new_prov_by_key = {pk: pc for pk, pc, _, _, _ in new_rows}
    new_name = {(pk, wk): (pc, name, vap_code) for pk, pc, wk, name, vap_code in new_rows}
    current_by_code = {u.code: u for u in current if u.tier == "commune"}
    # GSO codes of the current communes, by (province code, name) and by (province code, name key)
    exact: dict[tuple[str, str], str] = {}
    loose: dict[tuple[str, str], list[str]] = {}
    for u in current:
        if u.tier == "commune":
            exact[(u.province_code, u.name)] = u.code
            loose.setdefault((u.province_code, name_key(u.name)), []).append(u.code)

    unmatched: list[str] = []

    def new_code(pkey: str, wkey: str) -> tuple[str | None, tuple[str, ...]]:
        found = new_name.get((pkey, wkey))
        if found is None:
            unmatched.append(f"{pkey}/{wkey}: not in vietnamadminunits' current list")
            return None, ()
        pcode, name, vap_code = found
        flags: list[str] = []
        code = exact.get((pcode, " ".join(name.split())))
        if code is None:
            codes = loose.get((pcode, name_key(name)), [])
            code = codes[0] if len(codes) == 1 else None
            flags.append(NAME_ONLY)
        if code is None:
            unmatched.append(f"{pcode} {name}: no single match in vietnam-provinces")
            return None, ()
        other = current_by_code.get(f"{int(vap_code):05d}") if vap_code else None
        if other is not None and other.code != code:  # the code vietnamadminunits gives names another commune
            flags.append(PACKAGES_DISAGREE)
        return code, tuple(flags)

    out: dict[tuple[str, str], RawMerger] = {}
    for new_pkey, old_pkeys in conv["DICT_PROVINCE"].items():
        for old_pkey in old_pkeys:
            if old_pkey in old_prov_by_key and new_pkey in new_prov_by_key:
                o, n = old_prov_by_key[old_pkey], new_prov_by_key[new_pkey]
                out[(o, n)] = RawMerger(o, n, "province", True)
    for new_pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            code, flags = new_code(new_pkey, new_wkey)
            for old_key in old_keys:
                old = old_by_key.get(old_key)
                if code and old:
                    out[(old, code)] = RawMerger(old, code, "commune", True, flags)
    for new_pkey, divided in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in divided.items():
            old = old_by_key.get(old_key)
            for target in targets:
                code, flags = new_code(new_pkey, target["newWardKey"])
                if code and old:
                    out[(old, code)] = RawMerger(old, code, "commune", False, flags)
    return list(out.values()), unmatched


def special_zones(units: list[RawUnit]) -> tuple[list[RawMerger], list[str]]:
    """Special zone → its former island district (`special_zones.csv`), each name checked against the maps."""
    by_code = {(u.map, u.tier, u.code): u for u in units}
    lines = [ln for ln in SPECIAL_ZONES.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    out: list[RawMerger] = []
    unmatched: list[str] = []
    for row in csv.DictReader(lines):
        new = by_code.get((CURRENT, "commune", row["new_code"]))
        old = by_code.get((PRE2025, "district", row["old_district_code"]))
        if new is None or name_key(new.name) != name_key(row["new_name"]):
            unmatched.append(f"special zone {row['new_code']} {row['new_name']}: not in vietnam-provinces")
        elif old is None or name_key(old.name) != name_key(row["old_district_name"]):
            unmatched.append(
                f"district {row['old_district_code']} {row['old_district_name']}: not in vietnamadminunits"
            )
        else:
            out.append(RawMerger(old.code, new.code, "commune", row["whole"] == "yes", (), "district"))
    return out, unmatched


def read_sources() -> SourceData:
    import vietnam_provinces

    db = sqlite3.connect(f"file:{_vap_root() / 'dataset.db'}?mode=ro", uri=True)
    try:
        current = current_units()
        units = pre2025_units(db) + current
        merged, unmatched = mergers(db, current)
    finally:
        db.close()
    zones, zones_unmatched = special_zones(units)
    sources = {
        CURRENT: f"vietnam-provinces {version('vietnam-provinces')} (data {vietnam_provinces.__data_version__})",
        PRE2025: f"vietnamadminunits {version('vietnamadminunits')}",
        "mergers": f"vietnamadminunits {version('vietnamadminunits')} converter_2025",
        "special_zones": "QĐ 759/QĐ-TTg 2025, Đề án mục IV.4.1 (certify special_zones.csv)",
    }
    return SourceData(units, merged + zones, sorted({*unmatched, *zones_unmatched}), sources)

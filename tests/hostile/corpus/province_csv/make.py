"""Writes the province-sheet CSV cases beside this script: `python tests/hostile/corpus/province_csv/make.py`.

Each case is the province sheet of `certify template` for sample-2361-commune, filled for three communes and saved
as Excel saves it («CSV UTF-8»; `vi_` cases with Vietnamese regional settings: semicolons and decimal commas), with
one thing wrong. Given to `certify evaluate --batch FILE.csv --framework sample-2361-commune`; what each must
answer: index.yaml here. Deterministic: the same bytes on every run.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))

from certify.catalog import default_catalog  # noqa: E402
from certify.intake.province_csv import sheet_text  # noqa: E402
from certify.levels.model import LevelFramework  # noqa: E402
from tests.hostile.corpus._make import show, write_cases  # noqa: E402

FW = "sample-2361-commune"


def framework() -> LevelFramework:
    fw = default_catalog().load(FW).framework
    assert isinstance(fw, LevelFramework)
    return fw


def values(fw: LevelFramework) -> dict[str, Any]:
    """A plausible commune: every measured criterion filled."""
    out: dict[str, Any] = {}
    for crit in fw.criteria:
        if crit.indicator is None:
            continue
        kind = crit.indicator.type.value
        out[crit.code] = {"boolean": True, "ratio": 0.5, "count": 3, "number": 12.5}[kind]
    return out


UNITS = [("29602", "Xã Một"), ("29605", "Xã Hai"), ("29608", "Xã Ba")]


def sheet(vietnamese: bool = False, **changed: Any) -> str:
    """The three communes' sheet; `changed`: «row:criterion» → the cell's text as typed (row 5 is the first)."""
    fw = framework()
    text = sheet_text(fw, [(code, name, values(fw)) for code, name in UNITS], 2025, vietnamese=vietnamese)
    lines = text.split("\r\n")
    delimiter = ";" if vietnamese else ","
    header = lines[2].split(delimiter)
    for where, cell in changed.items():
        row, code = where.split(":")
        cells = lines[int(row) - 1].split(delimiter)
        cells[header.index(code)] = cell
        lines[int(row) - 1] = delimiter.join(cells)
    return "\r\n".join(lines)


def main() -> None:
    fw = framework()
    base = sheet()
    lines = base.split("\r\n")
    cases: dict[str, str | bytes] = {}
    # the header: two criteria swapped (a column moved)
    header = lines[2].split(",")
    header[3], header[4] = header[4], header[3]
    cases["wrong_header.csv"] = "\r\n".join([*lines[:2], ",".join(header), *lines[3:]])
    # a unit the sheet does not know: values typed on a row without a unit code
    cases["unknown_unit.csv"] = "\r\n".join([*lines[:-1], "," + lines[-2].split(",", 1)[1], ""])
    # one unit twice
    cases["duplicate_unit.csv"] = "\r\n".join([*lines[:-1], lines[4], ""])
    # numbers
    cases["bad_number.csv"] = sheet(**{"6:CQS-17": "ba"})
    cases["ambiguous_number.csv"] = sheet(**{"5:CQS-08": "1.234"})
    cases["vi_english_number.csv"] = sheet(vietnamese=True, **{"7:CQS-08": "1,234.5"})
    cases["vi_ratio_above_one.csv"] = sheet(vietnamese=True, **{"5:CQS-01": "85,5"})
    cases["percent_above_100.csv"] = sheet(**{"6:CQS-02": "120%"})
    # a decimal comma, unquoted, in a comma-separated file: the row gets one cell more, its values shifted
    cases["comma_splits_a_cell.csv"] = sheet(**{"6:CQS-08": "12,5"})
    cases["count_fraction.csv"] = sheet(**{"7:CQS-17": "2.5"})
    cases["count_negative.csv"] = sheet(**{"5:CQS-17": "-3"})
    cases["boolean_unclear.csv"] = sheet(**{"6:CQS-04": "có lẽ"})
    # the limits: more rows than allowed, a file larger than allowed
    cases["too_many_rows.csv"] = base
    cases["too_large.csv"] = base
    # not UTF-8: Excel's plain «CSV» with Vietnamese settings (Windows-1258)
    cases["not_utf8.csv"] = unicodedata.normalize("NFD", sheet().lstrip("\ufeff")).encode("cp1258", "replace")
    cases["name_too_long.csv"] = base.replace("Xã Hai", "Xã " + "Hai " * 60)
    assert fw.criterion_by_code["CQS-17"].indicator is not None
    show(write_cases(HERE, cases))


if __name__ == "__main__":
    main()

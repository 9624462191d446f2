"""Where things are in the forms: sheet names, header rows, columns. Template, reader and tests share these."""

from __future__ import annotations

from certify.levels.model import LevelFramework

TEMPLATE_VERSION = "1"
UNIT_SHEET = "Phiếu đánh giá"
PROVINCE_SHEET = "Tổng hợp đơn vị"
GUIDE_SHEET = "Hướng dẫn"
META_SHEET = "_meta"

# Unit form: identification cells, then one row per criterion under a header row.
UNIT_CODE_CELL = "C3"
UNIT_NAME_CELL = "C4"
YEAR_CELL = "C5"
UNIT_HEADER_ROW = 7

FIXED_HEADERS = ["Mã tiêu chí", "Tiêu chí", "Loại chỉ tiêu", "Đơn vị tính"]
INPUT_HEADERS = [
    "Giá trị",
    "Tử số",
    "Mẫu số",
    "Không áp dụng",
    "Giải trình / lý do",
    "Số hiệu văn bản",
    "Ngày văn bản",
    "Trích yếu",
    "Tệp / đường dẫn",
]
INPUT_KEYS = ["value", "numerator", "denominator", "na", "explanation", "document", "date", "summary", "file"]

# Province sheet: one row per unit, one column per criterion (value only).
PROVINCE_HEADER_ROW = 3
PROVINCE_FIRST_ROW = 5
PROVINCE_FIXED = ["Mã đơn vị", "Tên đơn vị"]

YES = "Có"
NO = "Không"
TYPE_VI = {"ratio": "Tỷ lệ (0–1 hoặc %)", "boolean": "Có/Không", "count": "Số nguyên", "number": "Số"}


def unit_headers(fw: LevelFramework) -> list[str]:
    return [*FIXED_HEADERS, *(f"Yêu cầu mức {lv.name}" for lv in fw.levels), *INPUT_HEADERS]


def input_columns(fw: LevelFramework) -> dict[str, int]:
    """1-based column of each input field in the unit form."""
    first = len(FIXED_HEADERS) + len(fw.levels) + 1
    return {key: first + i for i, key in enumerate(INPUT_KEYS)}


def measured(fw: LevelFramework) -> list[str]:
    """Codes of the criteria that have an indicator: the only ones a form asks for."""
    return [c.code for c in fw.criteria if c.indicator is not None]

"""Writes the generated framework cases beside this script: `python tests/hostile/corpus/framework/make.py`.

The hand-written cases of this folder are not touched. Each generated file is the test framework tiny-commune
(tests/fixtures/frameworks) or the shipped vinh-long-2554-province with one thing broken, or a file that breaks
the reader's limits. What each must answer: index.yaml here. Deterministic: the same files on every run.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
sys.path.insert(0, str(ROOT))

from tests.hostile.corpus._make import pin_workbooks, show, write_cases  # noqa: E402

TINY = (ROOT / "tests" / "fixtures" / "frameworks" / "tiny-commune" / "1.0.yaml").read_text(encoding="utf-8")
TINY = TINY.replace("id: tiny-commune", "id: hostile-case")
DTI = (ROOT / "frameworks" / "vinh-long-2554-province" / "1.0.yaml").read_text(encoding="utf-8")
DTI = DTI.replace("id: vinh-long-2554-province", "id: hostile-dti")


def tiny(old: str, new: str, count: int = 1) -> str:
    assert old in TINY, old
    return TINY.replace(old, new, count)


def dti(old: str, new: str, count: int = 1) -> str:
    assert old in DTI, old
    return DTI.replace(old, new, count)


def dti_re(pattern: str, new: str) -> str:
    out, n = re.subn(pattern, new, DTI, count=1, flags=re.M)
    assert n == 1, pattern
    return out


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return TINY.replace("levels:\n", "\n".join(lines) + "\nlevels:\n", 1)


PORTAL = "requirements: {khoi-dong: true, ket-noi: true, co-ban: true, nang-cao: true, toan-dien: true}"
MEETINGS = "requirements: {ket-noi: 2, co-ban: 4, nang-cao: 8, toan-dien: 12}"
DAYS = "requirements: {co-ban: 5, nang-cao: 3, toan-dien: 1.5}"

CASES: dict[str, str | bytes] = {
    # --- the reader's limits ---------------------------------------------------------------------------------
    "anchor-bomb.yaml": billion_laughs(),
    "deep-nesting-20000.yaml": TINY + "note: " + "[" * 20_000 + "]" * 20_000 + "\n",
    "mapping-6000-keys.yaml": tiny("source: {", "source: {" + ", ".join(f"k{i}: 1" for i in range(6_000)) + ", "),
    "aliases-60.yaml": TINY + "x: &x 1\nxs: [" + ", ".join(["*x"] * 60) + "]\n",
    "title-25000-chars.yaml": tiny("title: Bộ tiêu chí thử nghiệm cấp xã", "title: " + "x" * 25_000),
    "latin1.yaml": TINY.replace("Bộ tiêu chí", "Bo tieu chi é")
    .encode("utf-8", "replace")
    .replace(b"\xc3\xa9", b"\xe9"),
    "empty.yaml": "",
    "two-documents.yaml": TINY + "---\nkind: levels\n",
    "python-tag.yaml": tiny("tier: commune", "tier: !!python/name:os.system"),
    "merge-key.yaml": tiny("  - code: A-DAYS\n", "  - <<: {pillar: chinh-quyen-so}\n    code: A-DAYS\n"),
    "json-not-an-object.json": '["kind", "levels"]\n',
    # --- a levels framework, one thing broken ----------------------------------------------------------------
    "tier-unknown.yaml": tiny("tier: commune", "tier: hamlet"),
    "status-unknown.yaml": tiny("status: sample\n", "status: draft-ish\n"),
    "kind-misspelt.yaml": tiny("kind: levels", "kind: level"),
    "version-missing.yaml": tiny('version: "1.0"\n', ""),
    "source-missing.yaml": tiny("source: {issuer: certify tests, status: sample}\n", ""),
    "unknown-top-key.yaml": tiny("criteria:\n", "criterias: []\ncriteria:\n"),
    "levels-empty.yaml": re.sub(r"levels:\n(  - .*\n)+", "levels: []\n", TINY, count=1),
    "level-duplicate.yaml": tiny("  - {id: ket-noi, name: Kết nối}", "  - {id: khoi-dong, name: Kết nối}"),
    "level-name-blank.yaml": tiny("{id: co-ban, name: Cơ bản}", '{id: co-ban, name: "   "}'),
    "level-name-missing.yaml": tiny("{id: co-ban, name: Cơ bản}", "{id: co-ban}"),
    "pillar-duplicate.yaml": tiny(
        "  - {id: xa-hoi-so, name: Xã hội số, count: 2}", "  - {id: chinh-quyen-so, name: Xã hội số, count: 2}"
    ),
    "pillar-count-text.yaml": tiny("count: 4}", "count: bốn}"),
    "criteria-empty.yaml": TINY.split("criteria:\n")[0] + "criteria: []\n",
    "criterion-without-pillar.yaml": tiny("    pillar: chinh-quyen-so\n    name: Số cuộc họp", "    name: Số cuộc họp"),
    "criterion-name-empty.yaml": tiny("name: Có cổng dịch vụ công trực tuyến", 'name: ""'),
    "criterion-code-with-space.yaml": tiny("code: A-DAYS", "code: A DAYS"),
    "criterion-code-duplicate.yaml": tiny("code: A-DAYS", "code: A-MEETINGS"),
    "indicator-missing-type.yaml": tiny("indicator: {type: count, unit: cuộc}", "indicator: {unit: cuộc}"),
    "indicator-not-a-mapping.yaml": tiny("indicator: {type: count, unit: cuộc}", "indicator: count"),
    "indicator-max-negative.yaml": tiny(
        "indicator: {type: count, unit: cuộc}", "indicator: {type: count, unit: cuộc, max: -1}"
    ),
    "requires-itself.yaml": tiny("    requires: [A-PORTAL]\n", "    requires: [A-ONLINE]\n"),
    "requires-text.yaml": tiny("    requires: [A-PORTAL]\n", "    requires: A-PORTAL và B-FIBRE\n"),
    "requirements-empty.yaml": tiny(MEETINGS, "requirements: {}"),
    "requirements-list.yaml": tiny(MEETINGS, "requirements: [2, 4, 8, 12]"),
    "boolean-threshold-number.yaml": tiny(PORTAL, PORTAL.replace("khoi-dong: true", "khoi-dong: 2")),
    "count-threshold-negative.yaml": tiny(MEETINGS, MEETINGS.replace("ket-noi: 2", "ket-noi: -2")),
    "count-threshold-fraction.yaml": tiny(MEETINGS, MEETINGS.replace("ket-noi: 2", "ket-noi: 2.5")),
    "count-threshold-1e300.yaml": tiny(MEETINGS, MEETINGS.replace("toan-dien: 12", "toan-dien: 1.0e+300")),
    "count-threshold-infinity.yaml": tiny(MEETINGS, MEETINGS.replace("toan-dien: 12", "toan-dien: .inf")),
    "count-threshold-nan.yaml": tiny(MEETINGS, MEETINGS.replace("toan-dien: 12", "toan-dien: .nan")),
    "count-threshold-date.yaml": tiny(MEETINGS, MEETINGS.replace("toan-dien: 12", "toan-dien: 2024-12-01")),
    "count-weakening.yaml": tiny(MEETINGS, MEETINGS.replace("nang-cao: 8", "nang-cao: 3")),
    "lower-better-weakening.yaml": tiny(DAYS, DAYS.replace("nang-cao: 3", "nang-cao: 6")),
    "ratio-threshold-percent-above-100.yaml": tiny(
        "nang-cao: 0.8, toan-dien: 0.95}", "nang-cao: 0.8, toan-dien: 120%}"
    ),
    "ratio-threshold-negative.yaml": tiny("khoi-dong: 0.1, ket-noi: 0.3", "khoi-dong: -0.1, ket-noi: 0.3"),
    "ratio-threshold-text.yaml": tiny("khoi-dong: 0.1, ket-noi: 0.3", "khoi-dong: mười phần trăm, ket-noi: 0.3"),
    "level-target-year-text.yaml": tiny("{id: co-ban, name: Cơ bản}", "{id: co-ban, name: Cơ bản, target_year: sớm}"),
    "extends-itself.yaml": tiny(
        "source: {issuer: certify tests, status: sample}\n",
        "source: {issuer: certify tests, status: sample}\nextends: hostile-case\n",
    ),
    # --- a DTI framework, one thing broken -------------------------------------------------------------------
    "dti-method-unknown.yaml": dti("    method: categorical\n", "    method: categorial\n"),
    "dti-max-points-negative.yaml": dti('  - code: "1.1"\n    name', '  - code: "1.1"\n    max_points_x: 1\n    name'),
    "dti-option-fraction-above-one.yaml": dti(
        "- {id: bi-thu-chu-tich, label: Trưởng ban là Bí thư/Chủ tịch tỉnh, fraction: 1}",
        "- {id: bi-thu-chu-tich, label: Trưởng ban là Bí thư/Chủ tịch tỉnh, fraction: 3/2}",
    ),
    "dti-criterion-code-duplicate.yaml": dti('  - code: "1.2"\n', '  - code: "1.1"\n'),
    "dti-index-points-text.yaml": dti(
        "name_en: Digital awareness, max_points: 100", "name_en: Digital awareness, max_points: một trăm"
    ),
    "dti-pillar-unknown.yaml": dti(
        "pillar: chinh-quyen-so, criteria_count: 22", "pillar: chinh-quyen-so-2, criteria_count: 22"
    ),
    "dti-criteria-count-wrong.yaml": dti(
        "max_points: 100, criteria_count: 10}", "max_points: 100, criteria_count: 11}"
    ),
    "dti-peer-scope-unknown.yaml": dti("  peer_scope: group\n", "  peer_scope: galaxy\n"),
    "dti-params-unknown-key.yaml": dti(
        "    params:\n      options:\n", "    params:\n      optoins: []\n      options:\n"
    ),
    "dti-part-weight-text.yaml": dti(
        "Bí thư/Chủ tịch chủ trì các cuộc họp về CĐS của tỉnh, weight: 1/2}",
        "Bí thư/Chủ tịch chủ trì các cuộc họp về CĐS của tỉnh, weight: nửa}",
    ),
}


def make(out: Path = HERE) -> list[Path]:
    return write_cases(out, CASES) + workbooks(out)


def workbooks(out: Path = HERE) -> list[Path]:
    """The framework workbooks of `certify frameworks import`, each broken in one cell (tests/test_framework_xlsx.py
    says how: BROKEN), and a text file named .xlsx."""
    from tests.test_framework_xlsx import BROKEN, _book

    made = []
    for name, (mutate, _) in BROKEN.items():
        wb = _book()
        mutate(wb)
        wb.properties.created = wb.properties.modified = dt.datetime(2025, 1, 1)
        path = out / f"workbook-{name}.xlsx"
        wb.save(path)
        made.append(path)
    (out / "workbook-not-a-workbook.xlsx").write_text("not a workbook", encoding="utf-8")
    return pin_workbooks([*made, out / "workbook-not-a-workbook.xlsx"])


if __name__ == "__main__":
    show(make() if "--workbooks" not in sys.argv else workbooks())

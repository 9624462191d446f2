"""Writes the generated assessment cases beside this script: `python tests/hostile/corpus/assessment/make.py`.

The hand-written cases of this folder are not touched; each generated file breaks one rule of an assessment of
the test framework tiny-commune (tests/fixtures/frameworks). What each must answer: index.yaml here.
Deterministic: the same files on every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))

from tests.hostile.corpus._make import show, write_cases  # noqa: E402

HEAD = 'unit: "29242"\nunit_name: Xã Thử\ntier: commune\nyear: 2025\nframework: tiny-commune\n'


def values(body: str) -> str:
    return HEAD + "values:\n" + body


def ev(**fields: str) -> str:
    inner = ", ".join(f"{k}: {v}" for k, v in fields.items())
    return values(f"  A-ONLINE: {{value: 0.5, evidence: {{{inner}}}}}\n")


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return HEAD + "\n".join(lines) + "\nvalues: {A-PORTAL: true}\n"


CASES: dict[str, str | bytes] = {
    # --- the reader's limits (certify.limits, certify.sourcefile) ----------------------------------------------
    "anchor-bomb.yaml": billion_laughs(),
    "anchor-bomb-gap.yaml": billion_laughs(),  # the same bomb given to `certify gap`
    "deep-nesting-20000.yaml": HEAD + "values: {A-PORTAL: true}\nnote: " + "[" * 20_000 + "]" * 20_000 + "\n",
    "deep-nesting-block.yaml": HEAD
    + "values:\n"
    + "".join("  " * i + f"k{i}:\n" for i in range(1, 40))
    + "  " * 40
    + "x\n",
    "unknown-keys-300000.yaml": HEAD + "values: {A-PORTAL: true}\n" + "".join(f"k{i}: 1\n" for i in range(300_000)),
    "values-6000-keys.yaml": values("".join(f"  X-{i}: 1\n" for i in range(6_000))),
    "too-many-aliases.yaml": HEAD + "a: &x 1\nlist: [" + ", ".join(["*x"] * 60) + "]\nvalues: {A-PORTAL: true}\n",
    "recursive-alias.yaml": HEAD + "values: &v {A-PORTAL: true, again: *v}\n",
    "merge-key.yaml": HEAD + "base: &b {A-PORTAL: true}\nvalues:\n  <<: *b\n",
    "python-tag.yaml": HEAD + "values: !!python/object/apply:os.system ['echo owned']\n",
    "custom-tag.yaml": values("  A-MEETINGS: !count 5\n"),
    "two-documents.yaml": HEAD + "values: {A-PORTAL: true}\n---\nunit: other\n",
    "latin1.yaml": (HEAD + "values: {A-PORTAL: true}\n").replace("Xã Thử", "Xa Thu é").encode("latin-1"),
    "utf16.yaml": (HEAD + "values: {A-PORTAL: true}\n").encode("utf-16"),
    "empty.yaml": "",
    "only-comment.yaml": "# nothing here\n",
    "list-at-top.json": '[{"unit": "29242"}]\n',
    "bad-json.json": '{"unit": "29242", "tier": "commune",\n "year": 2025,,\n}\n',
    "json-duplicate-key.json": '{"unit": "29242", "unit": "29243", "tier": "commune", "year": 2025, '
    '"framework": "tiny-commune", "values": {}}\n',
    "json-deep.json": '{"unit": "29242", "tier": "commune", "year": 2025, "framework": "tiny-commune", "values": '
    + "[" * 5_000
    + "]" * 5_000
    + "}\n",
    "complex-key.yaml": values("  ? [A-PORTAL, A-ONLINE]\n  : true\n"),
    "text-100kb.yaml": values("  A-ONLINE: {value: 0.5, evidence: {summary: '" + "x" * 100_000 + "'}}\n"),
    "binary.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "tab-indent.yaml": HEAD + "values:\n\tA-PORTAL: true\n",
    "unclosed-quote.yaml": HEAD + 'unit_name: "Xã Thử\nvalues: {A-PORTAL: true}\n',
    "null-byte.yaml": HEAD + "values: {A-PORTAL: true}\nnote: a\x00b\n",
    # --- the assessment's own fields -----------------------------------------------------------------------------
    "unit-empty.yaml": HEAD.replace('unit: "29242"', 'unit: ""') + "values: {}\n",
    "unit-list.yaml": HEAD.replace('unit: "29242"', "unit: [29242]") + "values: {}\n",
    "unit-name-too-long.yaml": HEAD.replace("Xã Thử", "Xã " + "Thử " * 60) + "values: {A-PORTAL: true}\n",
    "year-text.yaml": HEAD.replace("year: 2025", "year: năm 2025") + "values: {}\n",
    "year-fraction.yaml": HEAD.replace("year: 2025", "year: 2025.5") + "values: {}\n",
    "year-2200.yaml": HEAD.replace("year: 2025", "year: 2200") + "values: {}\n",
    "year-missing.yaml": HEAD.replace("year: 2025\n", "") + "values: {}\n",
    "tier-missing.yaml": HEAD.replace("tier: commune\n", "") + "values: {}\n",
    "tier-vietnamese.yaml": HEAD.replace("tier: commune", "tier: xã") + "values: {}\n",
    "framework-missing.yaml": HEAD.replace("framework: tiny-commune\n", "") + "values: {}\n",
    "framework-bad-slug.yaml": HEAD.replace("framework: tiny-commune", "framework: Tiny Commune!") + "values: {}\n",
    "framework-unknown-key.yaml": HEAD.replace("framework: tiny-commune", "framework: {id: tiny-commune, ver: 1}")
    + "values: {}\n",
    "framework-dti.yaml": HEAD.replace("framework: tiny-commune", "framework: vinh-long-2554-province").replace(
        "tier: commune", "tier: province"
    )
    + "values: {}\n",
    "target-year-2300.yaml": HEAD + "target_level: co-ban\ntarget_year: 2300\nvalues: {}\n",
    "values-list.yaml": HEAD + "values: [A-PORTAL, A-ONLINE]\n",
    "values-text.yaml": HEAD + "values: tất cả đạt\n",
    "unknown-top-key.yaml": HEAD + "valeus: {A-PORTAL: true}\n",
    # --- values ------------------------------------------------------------------------------------------------
    "count-1e300.yaml": values("  A-MEETINGS: 1e300\n"),
    "count-1e300-float.yaml": values("  A-MEETINGS: 1.0e+300\n"),
    "number-above-value-max-float.yaml": values("  A-DAYS: 2.0e+9\n"),
    "count-huge-integer.yaml": values("  A-MEETINGS: " + "9" * 400 + "\n"),
    "count-infinity.yaml": values("  A-MEETINGS: .inf\n"),
    "count-nan.yaml": values("  A-MEETINGS: .nan\n"),
    "count-boolean.yaml": values("  A-MEETINGS: true\n"),
    "count-list.yaml": values("  A-MEETINGS: [3, 4]\n"),
    "count-date.yaml": values("  A-MEETINGS: 2024-05-01\n"),
    "count-text-number-too-long.yaml": values("  A-MEETINGS: '" + "1" * 45 + "'\n"),
    "count-ambiguous-thousands.yaml": values("  A-MEETINGS: '1.234,5'\n"),
    "count-percent.yaml": values("  A-MEETINGS: 50%\n"),
    "number-text-unit.yaml": values("  A-DAYS: 3 ngày\n"),
    "number-negative.yaml": values("  A-DAYS: -1\n"),
    "number-above-value-max.yaml": values("  A-DAYS: 2e9\n"),
    "ratio-negative.yaml": values("  A-ONLINE: -0.1\n"),
    "ratio-percent-text.yaml": values("  A-ONLINE: 85 phần trăm\n"),
    "ratio-percent-negative.yaml": values("  A-ONLINE: '-5%'\n"),
    "ratio-text-1e300.yaml": values("  A-ONLINE: '1e300'\n"),
    "ratio-boolean.yaml": values("  A-ONLINE: true\n"),
    "ratio-two-percents.yaml": values("  A-ONLINE: 50%%\n"),
    "boolean-number.yaml": values("  A-PORTAL: 2\n"),
    "boolean-text-co.yaml": values("  A-PORTAL: đang xây dựng\n"),
    "boolean-list.yaml": values("  A-PORTAL: [true]\n"),
    "numerator-only.yaml": values("  A-ONLINE: {numerator: 5}\n"),
    "denominator-only.yaml": values("  A-ONLINE: {denominator: 5}\n"),
    "numerator-negative.yaml": values("  A-ONLINE: {numerator: -5, denominator: 10}\n"),
    "numerator-fraction.yaml": values("  A-ONLINE: {numerator: 2.5, denominator: 10}\n"),
    "denominator-1e300.yaml": values("  A-ONLINE: {numerator: 5, denominator: 1e300}\n"),
    "counts-on-a-count.yaml": values("  A-MEETINGS: {numerator: 5, denominator: 10}\n"),
    "value-and-counts-disagree.yaml": values("  A-ONLINE: {value: 0.9, numerator: 5, denominator: 10}\n"),
    "value-percent-and-counts-disagree.yaml": values("  A-ONLINE: {value: 80%, numerator: 5, denominator: 10}\n"),
    "entry-without-value.yaml": values("  A-ONLINE: {note: chưa có số liệu}\n"),
    "na-with-value.yaml": values("  A-ONLINE: {value: 0.5, not_applicable: true, reason: không có bộ phận}\n"),
    "na-with-counts.yaml": values(
        "  A-ONLINE: {numerator: 5, denominator: 10, not_applicable: true, reason: không có}\n"
    ),
    "na-without-reason.yaml": values("  B-FIBRE: {not_applicable: true}\n"),
    "na-empty-reason.yaml": values("  B-FIBRE: {not_applicable: true, reason: ''}\n"),
    "na-text.yaml": values("  B-FIBRE: {not_applicable: có, reason: vùng núi}\n"),
    "reason-too-long.yaml": values("  B-FIBRE: {not_applicable: true, reason: '" + "lý do " * 800 + "'}\n"),
    "note-too-long.yaml": values("  A-PORTAL: {value: true, note: '" + "ghi chú " * 600 + "'}\n"),
    "note-number.yaml": values("  A-PORTAL: {value: true, note: [1, 2]}\n"),
    # --- evidence ------------------------------------------------------------------------------------------------
    "evidence-date-2024-02-30.yaml": ev(document="1/BC", date="2024-02-30"),
    "evidence-date-1900.yaml": ev(document="1/BC", date="1900-01-01"),
    "evidence-date-2099.yaml": ev(document="1/BC", date="2099-12-31"),
    "evidence-date-2999.yaml": ev(document="1/BC", date="2999-01-01"),
    "evidence-date-month-13.yaml": ev(document="1/BC", date="2024-13-01"),
    "evidence-date-number.yaml": ev(document="1/BC", date="45000"),
    "evidence-document-121.yaml": ev(document="'" + "1" * 60 + "/BC-" + "U" * 57 + "'"),
    "evidence-document-100kb.yaml": ev(document="'" + "Q" * 100_000 + "'"),
    "evidence-summary-too-long.yaml": ev(document="1/BC", summary="'" + "tóm tắt " * 600 + "'"),
    "evidence-file-too-long.yaml": ev(file="'" + "thu-muc/" * 70 + "a.pdf'"),
    "evidence-url-too-long.yaml": ev(url="'https://example.invalid/" + "a" * 600 + "'"),
    "evidence-document-decimal.yaml": ev(document="1.10", date="2025-03-01"),
    "evidence-document-octal.yaml": ev(document="010", date="2025-03-01"),
    "note-yes.yaml": values("  A-PORTAL: {value: true, note: yes}\n"),
    "evidence-unknown-key.yaml": ev(document="1/BC", signed_by="Chủ tịch"),
    "evidence-list.yaml": values("  A-ONLINE: {value: 0.5, evidence: [1/BC, 2/BC]}\n"),
    "evidence-text.yaml": values("  A-ONLINE: {value: 0.5, evidence: có}\n"),
}


def make(out: Path = HERE) -> list[Path]:
    return write_cases(out, CASES)


if __name__ == "__main__":
    show(make())

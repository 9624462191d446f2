"""Case files of level frameworks: an assessment and what it must give.

```yaml
description: Xã đạt Cơ bản, thiếu hai tiêu chí của mức Nâng cao
assessment: {unit: Xã Thử, tier: commune, year: 2025, framework: tinh-x-commune, values: {...}}
against: tinh-x-commune@2.0     # optional: evaluate with another version (values carried through its mapping)
expect:
  level: co-ban                 # the level recognised (null: none)
  blocking: [CQS-03, KTS-01]    # what keeps the unit from the next level, as every output lists it
  missing: [KTS-01]             # of those, the ones without data
  held: [khoi-dong, ket-noi, co-ban]   # every level whose criteria are met
  counts: {co-ban: 32/32 (1 không áp dụng)}   # a level's count as every output prints it
  optional: {short: 1, open: 4} # share rule, next level: «cần thêm 1 trong 4 tiêu chí mở rộng»
  carried: {mapped: [CQS-05A], removed: [CQS-20], enter: [CQS-25]}   # values from another version
  error: unknown-criterion      # the assessment must be refused with this problem code
```
Every key of `expect` is optional; a case checks only what it names.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from certify.cases import expect_keys
from certify.catalog import Catalog, Resolved, split_ref
from certify.errors import CertifyError
from certify.levels.assessment import Assessment, FrameworkRef, bind
from certify.levels.evaluate import Verdict, evaluate
from certify.levels.intake import level_framework
from certify.levels.model import LevelFramework
from certify.sourcefile import SourceDoc, problems_from_validation

CASE_KEYS = ("description", "assessment", "against")
EXPECT = ("level", "blocking", "missing", "held", "counts", "optional", "carried", "error")


def run_level_case(case: dict[str, Any], doc: SourceDoc, catalog: Catalog, resolved: Resolved) -> list[str]:
    expect_keys({k: None for k in case if k != "expect"}, CASE_KEYS, doc, "")
    expect = expect_keys(case.get("expect", {}), EXPECT, doc)
    raw = case.get("assessment")
    try:
        assessment = Assessment.model_validate(raw)
    except ValidationError as exc:
        raise CertifyError(problems_from_validation(exc, doc, prefix=("assessment",))) from None
    target = assessment.framework
    if case.get("against"):
        ident, version = split_ref(str(case["against"]))
        target = FrameworkRef(id=ident, version=version)
    framework = level_framework(catalog, target.id, target.version)
    fw = framework.framework
    assert isinstance(fw, LevelFramework)
    try:
        bound = bind(fw, assessment, doc, entered_for=assessment.framework)
    except CertifyError as exc:
        wanted = expect.get("error")
        codes = sorted({p.code for p in exc.problems})
        if wanted is None:
            raise
        return [] if wanted in codes else [f"error: expected {wanted}, got {', '.join(codes)}"]
    if "error" in expect:
        return [f"error: expected {expect['error']}, but the assessment was accepted"]
    ev = evaluate(framework, bound)
    failures: list[str] = []

    def differ(what: str, wanted: Any, got: Any) -> None:
        if wanted != got:
            failures.append(f"{what}: expected {wanted}, got {got}")

    if "level" in expect:
        differ("level", expect["level"], ev.level)
    blocking = ev.blocking(ev.next_level) if ev.next_level else []
    if "blocking" in expect:
        differ("blocking", sorted(expect["blocking"] or []), sorted(r.code for r in blocking))
    if "missing" in expect:
        got = sorted(r.code for r in blocking if r.verdict is Verdict.MISSING)
        differ("missing", sorted(expect["missing"] or []), got)
    tallies = ev.tallies()
    if "held" in expect:
        differ("held", list(expect["held"] or []), [t.id for t in tallies if t.held])
    for level, text in (expect.get("counts") or {}).items():
        tally = next((t for t in tallies if t.id == level), None)
        differ(f"counts.{level}", str(text), tally.text_vi() if tally else None)
    for key, wanted in (expect.get("carried") or {}).items():
        report = bound.carried.to_dict() if bound.carried else {}
        differ(f"carried.{key}", sorted(wanted or []), sorted(report.get(key) or []))
    if "optional" in expect:
        nxt = next((t for t in tallies if t.id == ev.next_level), None)
        share = {"short": nxt.optional_short, "open": nxt.optional_open} if nxt else None
        differ("optional", expect["optional"], share)
    return failures

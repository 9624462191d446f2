"""Regenerate the example reports in this folder from the bundled samples: `python docs/examples/make_examples.py`.

Needs pdftoppm (poppler-utils) for the PNG pages of the PDFs.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from certify.catalog import bundled_root, default_catalog
from certify.formats import gap_formats
from certify.levels.evaluate import evaluate
from certify.levels.gap import gap_report
from certify.levels.intake import load_unit
from certify.plan.province import Proposal, province_plan
from reports.decision import render_decision
from reports.inputs import district_of, load_folder
from reports.plan_inputs import dti_side
from reports.province import score_dti, summarise
from reports.province_pdf import render_province_pdf
from reports.province_plan import render_province_plan_pdf, render_province_plan_xlsx
from reports.province_xlsx import render_province_xlsx

HERE = Path(__file__).parent
SAMPLES = bundled_root("samples") / "assessments"


def _write(name: str, data: str | bytes) -> Path:
    path = HERE / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    print("written", path)
    return path


def _pages(pdf: Path) -> None:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm missing: no PNG pages")
        return
    for old in HERE.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(HERE / pdf.stem)], check=True)


def main() -> None:
    resolved, bound = load_unit(SAMPLES / "2024-xa-tan-my.yaml", default_catalog())
    report = gap_report(evaluate(resolved, bound))
    for name, fmt in gap_formats().items():
        if name in {"html", "md", "pdf", "docx", "xlsx"}:
            path = _write(f"gap-xa-tan-my{fmt.suffix}", fmt.render(report))
            if name == "pdf":
                _pages(path)
    evaluations = load_folder(SAMPLES)
    # The DTI ranking table from the synthetic sample cohort (samples/dti), scored with certify.dti.
    dti = score_dti(bundled_root("samples") / "dti" / "vinh-long-2554-demo.csv", "vinh-long-2554-province")
    summary = summarise(evaluations, year=2024, dti=dti)
    _pages(_write("province-2024.pdf", render_province_pdf(summary)))
    _write("province-2024.xlsx", render_province_xlsx(summary))
    _write("decision-2024.docx", render_decision([e for e in evaluations if e.unit.assessment.year == 2024]))
    # A unit's draft plan for the year after its figures (NĐ 30/2020 form), in Word and as printed pages.
    plan = gap_report(evaluate(resolved, bound), start_year=2025)
    formats = gap_formats()
    _write("plan-xa-tan-my-2025.docx", formats["plan-docx"].render(plan))
    _pages(_write("plan-xa-tan-my-2025.pdf", formats["plan-pdf"].render(plan)))
    _write("plan-xa-tan-my-2025.xlsx", formats["plan-xlsx"].render(plan))
    # The province's what-if over the 2024 communes, with one proposal of its own.
    communes = [e for e in evaluations if e.unit.assessment.year == 2024 and e.unit.assessment.tier.value == "commune"]
    what_if = province_plan(
        communes,
        groups=[district_of(e) for e in communes],
        steps=5,
        proposals=[Proposal.parse("CQS-02=80%")],
        province="Vĩnh Long",
        dti=dti_side(
            bundled_root("samples") / "dti" / "vinh-long-2554-demo.csv", "vinh-long-2554-province", "vinh-long"
        ),
    )
    _pages(_write("province-plan-2024.pdf", render_province_plan_pdf(what_if)))
    _write("province-plan-2024.xlsx", render_province_plan_xlsx(what_if))


if __name__ == "__main__":
    main()

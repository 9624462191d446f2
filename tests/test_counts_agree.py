"""One count per level in every output: a criterion declared not applicable and excluded by the framework's
policy is out of both sides of «met / counted», and is named beside the count (issue: CLI 33/33, PDF 32/32,
web «32/33 ✓» for the same unit)."""

from __future__ import annotations

import io
import json
import subprocess
import unicodedata
from pathlib import Path

import pypdf
from fastapi.testclient import TestClient

from api.app import create_app
from certify.catalog import default_catalog
from certify.formats import gap_formats
from certify.levels.assessment import bind, load_assessment
from certify.levels.evaluate import evaluate
from certify.levels.gap import gap_report

ROOT = Path(__file__).resolve().parent.parent
TAN_MY = ROOT / "samples" / "assessments" / "2024-xa-tan-my.yaml"  # one criterion not applicable, excluded
EXPECTED = ["16/16", "32/32 (1 không áp dụng)", "36/36 (1 không áp dụng)", "11/37 (1 không áp dụng)",
            "10/37 (1 không áp dụng)"]  # fmt: skip


def _evaluation():  # type: ignore[no-untyped-def]
    a, doc = load_assessment(TAN_MY)
    fw = default_catalog().load(a.framework.id, a.framework.version)
    return evaluate(fw, bind(fw.framework, a, doc))


def test_the_core_counts_once() -> None:
    ev = _evaluation()
    assert [t.text_vi() for t in ev.tallies()] == EXPECTED
    levels = ev.to_dict()["levels"]
    assert [lv["count_text"] for lv in levels] == EXPECTED
    assert [f"{lv['met_count']}/{lv['criteria_count']}" for lv in levels] == [t.split()[0] for t in EXPECTED]


def test_cli_json_pdf_and_web_say_the_same() -> None:
    cli = subprocess.run(["certify", "evaluate", str(TAN_MY), "--json"], capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    assert [lv["count_text"] for lv in json.loads(cli.stdout)["levels"]] == EXPECTED
    table = subprocess.run(["certify", "evaluate", str(TAN_MY)], capture_output=True, text=True).stdout
    assert all(count in table for count in EXPECTED)

    pdf = pypdf.PdfReader(io.BytesIO(gap_formats()["pdf"].render(gap_report(_evaluation()))))  # type: ignore[arg-type]
    pdf_text = " ".join(" ".join(unicodedata.normalize("NFC", p.extract_text()) for p in pdf.pages).split())
    for count in EXPECTED:
        met, _, na = count.partition(" ")
        assert f"{met} tiêu chí đạt{' ' + na if na else ''} — " in pdf_text

    with TestClient(create_app(store=None)) as client:
        page = client.get("/units/2024-xa-tan-my").text
    assert all(count in page for count in EXPECTED[1:])

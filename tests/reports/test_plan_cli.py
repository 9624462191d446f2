"""`certify plan`: a unit's plan and the province what-if from files; wrong use is one bilingual line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from certify.cli.app import app
from certify.cli.common import console, run_guarded


def run(*args: str) -> int:
    return run_guarded(app, console, list(args))


def test_unit_plan_for_a_year_in_word(tmp_path: Path, samples_dir: Path) -> None:
    out = tmp_path / "kh.docx"
    assert run("plan", str(samples_dir / "2025-xa-quoi-thien.yaml"), "--year", "2027", "-o", str(out)) == 0
    d = docx.Document(str(out))
    text = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    assert "Chuyển đổi số năm 2027" in text and "XÃ QUỚI THIỆN" in text


def test_unit_plan_reads_the_pace_from_earlier_years(tmp_path: Path, samples_dir: Path) -> None:
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    text = (samples_dir / "2025-xa-quoi-thien.yaml").read_text(encoding="utf-8")
    # The same commune a year before, with the online-dossier share four points lower.
    (earlier / "2024.yaml").write_text(
        text.replace("year: 2025", "year: 2024").replace("target_level: nang-cao", "target_level: nang-cao"),
        encoding="utf-8",
    )
    out = tmp_path / "kh.md"
    assert (
        run("plan", str(samples_dir / "2025-xa-quoi-thien.yaml"), "--history", str(earlier), "-f", "md", "-o", str(out))
        == 0
    )
    md = out.read_text(encoding="utf-8")
    assert "không tiến triển" in md  # the same values a year before: no progress, said for every task


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--year", "2024"], "Năm kế hoạch phải sau năm của số liệu"),
        (["-f", "odt"], "Không có định dạng «odt»"),
        (["--raise", "CQS-02"], "chỉ dùng với --province"),
        (["--cycle", "1"], "Dùng --cycle SỐ cùng --unit MÃ"),
    ],
)
def test_unit_plan_refusals(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    code = run("plan", str(samples_dir / "2025-xa-tra-con.yaml"), *args, "-o", str(tmp_path / "x.docx"))
    seen = capsys.readouterr()
    out = " ".join((seen.out + seen.err).split())
    assert code == 2 and words in out and "Traceback" not in out


def test_province_what_if_from_a_folder(tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["plan", "--province", "-a", str(samples_dir), "--data-year", "2024", "--tier", "commune"]
    assert run(*base, "-o", str(tmp_path / "p.xlsx")) == 0
    capsys.readouterr()
    assert run(*base, "-f", "json", "--raise", "CQS-02=80%", "--area", "Huyện Long Hồ") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["units"] == 6 and data["province"] == "Vĩnh Long"
    assert data["simulation"]["changes"] == [{"criterion": "CQS-02", "threshold": 0.8, "units": 1}]
    assert run(*base, "--raise", "CQS-02=80,5,1") == 2
    assert run(*base, "--area", "Huyện Long Hồ") == 2  # an area without a --raise says what is missing
    assert run(*base[:6], "-o", str(tmp_path / "q.pdf")) == 2  # 2024 has communes and districts: --tier
    assert run("plan", "--province", "-o", str(tmp_path / "q.pdf")) == 2
    seen = capsys.readouterr()
    out = " ".join((seen.out + seen.err).split())
    assert "chọn một cấp với --tier" in out and "Cần đúng một nguồn" in out and "Traceback" not in out


def test_province_what_if_with_the_dti_levers(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dti = str(samples_dir.parent / "dti" / "vinh-long-2554-demo.csv")
    base = ["plan", "--province", "-a", str(samples_dir), "--data-year", "2024", "--tier", "commune"]
    args = [*base, "--dti", dti, "--dti-framework", "vinh-long-2554-province", "--dti-unit", "vinh-long"]
    assert run(*args, "-f", "json") == 0
    data = json.loads(capsys.readouterr().out)["dti"]
    assert data["framework"] == "vinh-long-2554-province@1.0" and data["unit_rank"] == 6
    assert data["province"] and data["for_unit"][0]["value_gain"] > 0
    assert run(*base, "--dti", dti, "-o", str(tmp_path / "x.pdf")) == 2  # a file without its framework
    seen = capsys.readouterr()
    assert "--dti TỆP cần kèm --dti-framework" in " ".join((seen.out + seen.err).split())

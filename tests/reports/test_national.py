"""The national trial run on two provinces (Lai Châu, 38 communes; Thành phố Huế, 40): what a person opens —
the national index, each province's page and workbook with its level counts and DTI ranking — and the banners
that say the values are synthetic and the thresholds a sample."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from certify.cli.app import app
from certify.cli.common import run_guarded
from certify.store.unit_sources import current_units
from reports.national import SYNTHETIC, national_run

SAMPLE_BANNER = "Bộ tiêu chí mẫu — không phải ngưỡng chính thức"
PROVINCES = {"12": "Lai Châu", "46": "Thành phố Huế"}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national")
    result = CliRunner().invoke(app, ["national-run", "--out", str(out), "--provinces", "12,thanh-pho-hue"])
    assert result.exit_code == 0, result.output
    assert "Tổng / total" in result.output and "mức độ / levels" in result.output  # the time of each stage
    return out


@pytest.fixture(scope="module")
def index(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "index.json").read_text(encoding="utf-8"))
    return data


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_every_commune_of_the_chosen_provinces_is_certified(index: dict[str, Any]) -> None:
    on_map = {code: sum(u.tier == "commune" and u.province_code == code for u in current_units()) for code in PROVINCES}
    assert {p["code"]: p["name"] for p in index["provinces"]} == PROVINCES
    for p in index["provinces"]:
        assert p["communes"] == on_map[p["code"]] > 30
        assert sum(p["counts"].values()) == p["communes"]
        assert len([n for n in p["counts"].values() if n]) >= 3  # the synthetic values spread over the levels
    assert index["communes"] == sum(on_map.values())
    assert [SYNTHETIC[0], SYNTHETIC[1]] in index["banners"]


def test_province_page_shows_banners_level_counts_and_the_ranking(run_dir: Path, index: dict[str, Any]) -> None:
    lai_chau = next(p for p in index["provinces"] if p["code"] == "12")
    page = text_of((run_dir / lai_chau["folder"] / "tong-hop.html").read_text(encoding="utf-8"))
    assert SAMPLE_BANNER in page and SYNTHETIC[0] in page
    assert "Báo cáo tổng hợp mức độ chuyển đổi số tỉnh Lai Châu năm 2025" in page
    for level, count in lai_chau["counts"].items():
        if count:
            assert re.search(rf"{re.escape(level)}", page)
    row = " ".join(f"{n}" for n in lai_chau["counts"].values())
    assert row in re.sub(r"\s+", " ", page)  # the counts per level, in the order of the table
    # the DTI ranking: one row per commune, the first-ranked named as on the national index
    top_name = lai_chau["dti_top"].rsplit(" (", 1)[0]
    assert re.search(rf"Cấp xã\s+1\s+{re.escape(top_name)}\s+0,\d{{4}}", page)
    assert "vinh-long-2554-commune" in page and "dùng cho mọi tỉnh trong lần chạy thử" in page


def test_city_is_not_called_a_province(run_dir: Path, index: dict[str, Any]) -> None:
    hue = next(p for p in index["provinces"] if p["code"] == "46")
    page = text_of((run_dir / hue["folder"] / "tong-hop.html").read_text(encoding="utf-8"))
    assert "chuyển đổi số Thành phố Huế năm 2025" in page and "tỉnh Thành phố" not in page


def test_province_workbook_holds_the_ranking_and_the_counts(run_dir: Path, index: dict[str, Any]) -> None:
    lai_chau = next(p for p in index["provinces"] if p["code"] == "12")
    wb = load_workbook(run_dir / lai_chau["folder"] / "tong-hop.xlsx")
    assert SYNTHETIC[0] in str(wb.worksheets[0]["A1"].value) and SAMPLE_BANNER in str(wb.worksheets[0]["A1"].value)
    levels = {r[0]: r[1] for r in wb.worksheets[0].iter_rows(min_row=5, max_col=2, values_only=True) if r[0]}
    assert all(levels[name] == n for name, n in lai_chau["counts"].items())
    ranking = [r for r in wb["DTI"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert len(ranking) == lai_chau["communes"]
    assert ranking[0][1] == 1 and ranking[0][3] == lai_chau["dti_top"].rsplit(" (", 1)[0]
    ranks = [r[1] for r in ranking]
    assert ranks == sorted(ranks)  # ranked, shared ranks allowed


def test_same_seed_same_results(tmp_path: Path, index: dict[str, Any]) -> None:
    again = national_run(tmp_path, provinces=["12", "46"], jobs=1)
    assert [(p.code, p.counts, p.dti_top) for p in again.provinces] == [
        (p["code"], p["counts"], p["dti_top"]) for p in index["provinces"]
    ]
    names = [s.name for s in again.stages]
    assert names[:4] == [
        "bản đồ hành chính / administrative map",
        "số liệu mô phỏng / synthetic values",
        "kiểm tra số liệu / intake",
        "mức độ / levels",
    ]


def test_an_unknown_province_and_a_full_folder_are_refused(run_dir: Path, tmp_path: Path) -> None:
    err = Console(record=True, width=300)
    assert run_guarded(app, err, ["national-run", "--out", str(tmp_path / "x"), "--provinces", "99"]) == 2
    assert "Không có tỉnh/thành phố «99»" in err.export_text()
    assert run_guarded(app, err, ["national-run", "--out", str(run_dir), "--provinces", "12"]) == 2
    assert "--force" in err.export_text()
    assert not (tmp_path / "x").exists()

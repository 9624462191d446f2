"""The Yên Bái rule (all mandatory criteria + ≥ 30 % of the optional ones) explained in every output:
optional criteria marked, «cần thêm k trong n tiêu chí mở rộng», nothing optional listed as blocking on a
level already held, the roadmap taking the nearest optional criteria, one count everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from certify.catalog import Catalog, Resolved
from certify.cli.render_text import evaluation_view, gap_view, to_text
from certify.levels.gap import gap_report
from tests.levels.helpers import run
from tests.test_cli import run as cli

MANDATORY_OK = {"A-PORTAL": True, "A-ONLINE": 0.8, "B-FIBRE": 0.8}


@pytest.fixture(scope="module")
def yb(catalog: Catalog) -> Resolved:
    return catalog.load("tiny-yenbai")


def test_a_level_short_of_optional_criteria_says_how_many_more(yb: Resolved) -> None:
    ev = run(yb, MANDATORY_OK | {"A-MEETINGS": 4, "A-DAYS": 5, "B-EHR": 0.5})
    assert ev.level == "co-ban"
    nang_cao = ev.tallies()[3]
    assert (nang_cao.optional_met, nang_cao.optional_counted, nang_cao.optional_needed) == (0, 3, 1)
    assert nang_cao.text_vi() == "3/6; mở rộng 0/3, cần ≥ 1: cần thêm 1 trong 3 tiêu chí mở rộng"
    assert {r.code for r in ev.blocking("nang-cao")} == {"A-MEETINGS", "A-DAYS", "B-EHR"}
    data = ev.to_dict()
    assert data["levels"][3]["optional"] == {"met": 0, "counted": 3, "needed": 1, "short": 1, "open": 3}
    assert "ít nhất 30%" in data["rule_text"]
    assert {c["code"]: c["mandatory"] for c in data["levels"][3]["criteria"]}["A-DAYS"] is False
    text = to_text(evaluation_view(ev))
    assert "A-DAYS (mở rộng)" in text and "cần thêm 1 trong 3 tiêu chí mở rộng" in text
    assert "Quy tắc: Đạt một mức khi đạt mọi tiêu chí bắt buộc" in text


def test_unmet_optional_criteria_do_not_block_a_level_already_held(yb: Resolved) -> None:
    ev = run(yb, MANDATORY_OK | {"A-MEETINGS": 4, "A-DAYS": 6, "B-EHR": 0.4})
    co_ban = ev.tallies()[2]
    assert co_ban.held and co_ban.text_vi() == "4/6; mở rộng 1/3, cần ≥ 1"
    assert ev.blocking("co-ban") == []
    assert ev.to_dict()["levels"][2]["blocking"] == []


def test_the_roadmap_takes_the_nearest_optional_criteria(yb: Resolved) -> None:
    # Plan order would take A-MEETINGS (2 of 8 meetings); A-DAYS (3.2 days for ≤ 3) is far nearer.
    ev = run(yb, MANDATORY_OK | {"A-MEETINGS": 2, "A-DAYS": 3.2, "B-EHR": 0.5})
    assert ev.level == "co-ban"
    step = gap_report(ev).next_level
    assert step is not None and [i.code for i in step.items] == ["A-DAYS"]
    assert gap_report(ev).to_dict()["items"][0]["mandatory"] is False
    assert "A-DAYS (mở rộng)" in to_text(gap_view(gap_report(ev)))


def test_the_same_count_in_json_and_text(yb: Resolved, tmp_path: Path, capsys: object) -> None:
    values = MANDATORY_OK | {"A-MEETINGS": 4, "A-DAYS": {"not_applicable": True, "reason": "x"}, "B-EHR": 0.5}
    path = tmp_path / "xa.yaml"
    path.write_text(
        yaml.safe_dump(
            {"unit": "Xã Thử", "tier": "commune", "year": 2025, "framework": "tiny-yenbai", "values": values},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    code, out = cli("evaluate", str(path), "--json", capsys=capsys)
    assert code == 0, out
    texts = [lv["count_text"] for lv in json.loads(out)["levels"]]
    assert texts[3] == "3/5 (1 không áp dụng); mở rộng 0/2, cần ≥ 1: cần thêm 1 trong 2 tiêu chí mở rộng"
    assert texts == [t.text_vi() for t in run(yb, values).tallies()]
    text = to_text(evaluation_view(run(yb, values)), width=220)
    assert all(t in text for t in texts)

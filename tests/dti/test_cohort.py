"""Cohort-relative scores, special rules and rankings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from certify.dti.cohort import cohort_from_records
from certify.dti.model import Band, DtiFramework
from certify.dti.ranking import classify, competition_ranks
from certify.dti.scoring import score_cohort
from tests.dti.conftest import Score, explain, points


def _cohort(drills_b: int, online_b: str) -> list[dict[str, Any]]:
    """Three units; only B's data vary: its drills (5.9, min–max) and online-handled files (6.12)."""
    return [
        {"unit": "A", "5.9": 3, "1.3.a": 6, "1.3.b": 8, "6.12": "60%", "6.8": "100%", "7.5": "30%"},
        {"unit": "B", "5.9": drills_b, "1.3.a": 8, "1.3.b": 8, "6.12": online_b, "6.8": "100%", "7.5": "40%"},
        {
            "unit": "C",
            "5.9": 6,
            "1.3.a": 2,
            "1.3.b": 8,
            "6.12": "20%",
            "6.8": "90%",
            "7.5": "50%",
            "no_online_services": "có",
        },
    ]


def test_one_unit_changes_min_max_and_peer_maximum_and_nothing_else(score: Score) -> None:
    before, after = score(_cohort(1, "70%")), score(_cohort(5, "40%"))
    assert before.detail is not None and after.detail is not None
    # min–max (5.9): A = 5 × (3 − 1)/(6 − 1) = 2 while B has 1 drill; 0 once B has 5 and A is the minimum
    assert points(before, "A", "5.9") == pytest.approx(2)
    assert points(after, "A", "5.9") == pytest.approx(0)
    assert points(after, "B", "5.9") == pytest.approx(5 * (5 - 3) / (6 - 3))
    # peer maximum: C provides no online services, so on 6.8–6.14 it gets its peers' best points:
    # B's 70 % → 17.5 before; A's 60 % → 15 after B drops to 40 %
    assert points(before, "C", "6.12") == pytest.approx(17.5)
    assert points(after, "C", "6.12") == pytest.approx(15)
    assert explain(before, "C", "6.12").endswith("điểm cao nhất trong nhóm: 17.5")
    changed = {
        (unit, code)
        for code in before.detail.codes
        for k, unit in enumerate(before.units)
        if before.detail.points[code][k] != after.detail.points[code][k]
    }
    assert changed == {("A", "5.9"), ("B", "5.9"), ("B", "6.12"), ("C", "6.12")}
    # and only the main indices holding 5.9 and 6.12 move
    moved = {(u, k) for u, k in zip(*np.nonzero(after.index_points - before.index_points), strict=True)}
    assert {before.fw.indices[int(k)].code for _, k in moved} == {"5", "6"}


def test_peer_maximum_without_peers_is_not_applicable(score: Score) -> None:
    r = score([{"unit": "C", "6.12": "20%", "no_online_services": "có"}])
    assert points(r, "C", "6.12") == 20  # not applicable → full points (§VII.4)
    assert "không có đơn vị cùng nhóm" in explain(r, "C", "6.12")


def test_peers_are_the_ranking_group(score: Score) -> None:
    rows = [
        {"unit": "A", "group": "so", "5.9": 3},
        {"unit": "B", "group": "so", "5.9": 1},
        {"unit": "C", "group": "huyen", "5.9": 6},
        {"unit": "D", "group": "huyen", "5.9": 2},
    ]
    r = score(rows)
    assert points(r, "A", "5.9") == 5 and points(r, "B", "5.9") == 0
    assert points(r, "D", "5.9") == 0 and points(r, "C", "5.9") == 5
    assert list(r.ranks) == [1, 2, 1, 2]


def test_ties_share_a_rank_and_the_next_is_skipped(score: Score) -> None:
    r = score(
        [
            {"unit": "A", "2.3": "có", "2.4": "có"},
            {"unit": "B", "2.3": "có"},
            {"unit": "C", "2.4": "có"},
            {"unit": "D", "2.1": "có"},
        ]
    )
    assert [int(r.ranks[r.units.index(u)]) for u in "ABCD"] == [1, 2, 2, 4]


def test_ranks_compare_values_at_four_decimals() -> None:
    values = np.array([0.71636, 0.71635, 0.7163, 0.71625, 0.7])
    # displayed 0.7164, 0.7164 (HALF-UP), 0.7163, 0.7163 (HALF-UP of …25), 0.7
    assert list(competition_ranks(values)) == [1, 1, 3, 3, 5]


def test_bands_use_displayed_values() -> None:
    bands = [
        Band(id="xuat-sac", name="Xuất sắc", min=0.9),
        Band(id="tot", name="Tốt", min=0.8),
        Band(id="kem", name="Kém", min=0.0),
    ]
    assert classify(np.array([0.89995, 0.8999, 0.5]), bands) == ["xuat-sac", "tot", "kem"]


def test_not_applicable_full_points_or_excluded(vl: DtiFramework, score: Score) -> None:
    rows = [{"unit": "A", "not_applicable": "6.8; 5.12", "6.12": "60%"}, {"unit": "B", "6.12": "60%"}]
    r = score(rows)
    assert points(r, "A", "6.8") == 10 and points(r, "A", "5.12") == 15 and points(r, "A", "5.12.3") == 2
    assert r.max_total[0] == 1000 and r.total[0] == pytest.approx(15 + 10 + 15)
    data = vl.model_dump()
    data["rules"]["not_applicable"] = "exclude"
    excluded = DtiFramework.model_validate(data)
    r2 = score_cohort(excluded, cohort_from_records(rows, excluded.plan))
    assert r2.max_total[0] == 1000 - 10 - 15 and r2.total[0] == pytest.approx(15)
    assert r2.value[0] == pytest.approx(15 / 975)
    assert r2.unit_json(0)["percent"] == pytest.approx(1.54)
    assert r2.value[1] == pytest.approx(15 / 1000)


def test_zero_of_zero_does_not_arise(score: Score) -> None:
    # 5.11: incidents handled / incidents; no incident at all is neither 0 % nor 100 %
    r = score([{"unit": "A", "5.11.a": 0, "5.11.b": 0}, {"unit": "B", "5.11.a": 1, "5.11.b": 2}])
    assert points(r, "A", "5.11") == 5
    assert "0 của 0" in explain(r, "A", "5.11")
    assert points(r, "B", "5.11") == pytest.approx(2.5)


def test_appraised_values_are_final_and_differences_listed(score: Score) -> None:
    r = score(
        [
            {"unit": "A", "1.3.a": 8, "1.3.b": 8, "appraised:1.3.a": 6, "2.3": "có"},
            {"unit": "B", "1.3.a": 4, "1.3.b": 8},
        ]
    )
    assert points(r, "A", "1.3") == pytest.approx(7.5)
    row = r.unit_json(0)
    assert row["differences"] == [{"code": "1.3", "self": 10.0, "appraised": 7.5}]
    assert "tự chấm 10, thẩm định 7.5" in explain(r, "A", "1.3")
    assert r.unit_json(1)["differences"] == []


def test_a_unit_scored_alone_is_flagged(score: Score) -> None:
    r = score([{"unit": "A", "5.9": 3, "7.10.a": 1, "7.10.b": 4}])
    codes = [w.code for w in r.warnings]
    assert "cohort-of-one" in codes
    row = r.unit_json(0)
    flagged = {c["code"] for c in row["criteria"] if c["cohort_dependent"]}
    assert flagged == {"4.5", "4.6", "4.11", "5.1", "5.9", "5.10", "7.10", "8.6", "8.7"}


def test_no_partial_result_when_one_row_is_bad(vl: DtiFramework) -> None:
    from certify.errors import CertifyError

    rows = [{"unit": "A", "1.3.a": 6, "1.3.b": 8}, {"unit": "B", "1.3.a": 9, "1.3.b": 8}]
    with pytest.raises(CertifyError):
        score_cohort(vl, cohort_from_records(rows, vl.plan))

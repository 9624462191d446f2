"""Every scoring method on the real Vĩnh Long criterion it comes from, with hand-worked points.

Worked examples are those of the reference catalogue (QĐ 2554/QĐ-UBND Vĩnh Long, 06/12/2022).
"""

from __future__ import annotations

import pytest

from certify.dti.cohort import cohort_from_records
from certify.dti.model import DtiFramework
from certify.dti.scoring import score_cohort
from tests.dti.conftest import Score, explain, points


def test_ratio_vl_1_3_six_of_eight(score: Score) -> None:
    r = score([{"unit": "A", "1.3.a": 6, "1.3.b": 8}])
    assert points(r, "A", "1.3") == pytest.approx(7.5)
    assert explain(r, "A", "1.3") == "6/8 = 0.75 × 10 = 7.5"


def test_ratio_given_directly_as_a_percentage(score: Score) -> None:
    r = score([{"unit": "A", "1.3": "75%"}, {"unit": "B", "1.3": 0.75}])
    assert points(r, "A", "1.3") == points(r, "B", "1.3") == pytest.approx(7.5)


def test_ratio_with_sums_vl_6_11(score: Score) -> None:
    # Tỷ lệ = (c+d)/(a+b): (30+20)/(60+40) = 0.5 of 10 points
    r = score([{"unit": "A", "6.11.a": 60, "6.11.b": 40, "6.11.c": 30, "6.11.d": 20}])
    assert points(r, "A", "6.11") == pytest.approx(5)
    assert explain(r, "A", "6.11") == "(30+20)/(60+40) = 0.5 × 10 = 5"


def test_ratio_cap_vl_6_12_sixty_percent(score: Score) -> None:
    # (b+c)/a = 60 %, T = 80 %: 20 × 0.6/0.8 = 15; at or above 80 %: 20
    r = score(
        [
            {"unit": "A", "6.12.a": 1000, "6.12.b": 400, "6.12.c": 200},
            {"unit": "B", "6.12.a": 1000, "6.12.b": 500, "6.12.c": 400},
        ]
    )
    assert points(r, "A", "6.12") == pytest.approx(15)
    assert points(r, "B", "6.12") == pytest.approx(20)
    assert explain(r, "A", "6.12") == "(400+200)/1000 = 0.6 < 0.8 → 0.6/0.8 = 0.75 × 20 = 15"


def test_ratio_cap_vl_4_9_is_clamped_although_the_text_is_not(score: Score) -> None:
    # «Điểm = Tỷ lệ/50% × Điểm tối đa» with no clamp: 90 % would give 9 of 5; the score stops at 5.
    r = score([{"unit": "A", "4.9.a": 9, "4.9.b": 10}, {"unit": "B", "4.9.a": 2, "4.9.b": 10}])
    assert points(r, "A", "4.9") == 5
    assert points(r, "B", "4.9") == pytest.approx(2)  # 0.2/0.5 × 5


def test_ratio_cap_jump_vl_7_5_is_discontinuous(score: Score) -> None:
    r = score([{"unit": "A", "7.5": "49%"}, {"unit": "B", "7.5": "50%"}])
    assert points(r, "A", "7.5") == pytest.approx(4.9)
    assert points(r, "B", "7.5") == 10
    assert explain(r, "A", "7.5") == "tỷ lệ = 0.49 < 0.5 → 0.49 × 10 = 4.9"


def test_ratio_cap_jump_vl_7_1_from_variables(score: Score) -> None:
    # 19.9 % → 3.98 of 20; 20 % → 20 (reference §9.4)
    r = score([{"unit": "A", "7.1.a": 199, "7.1.b": 1000}, {"unit": "B", "7.1.a": 200, "7.1.b": 1000}])
    assert points(r, "A", "7.1") == pytest.approx(3.98)
    assert points(r, "B", "7.1") == 20


def test_tiers_vl_5_12_1_eight_percent(score: Score) -> None:
    # (a+b)/c = (5+3)/100 = 8 %: ≥ 7 % gives 70 % of 5 = 3.5
    r = score([{"unit": "A", "5.12.1.a": 5, "5.12.1.b": 3, "5.12.1.c": 100}])
    assert points(r, "A", "5.12.1") == pytest.approx(3.5)
    assert explain(r, "A", "5.12.1") == "(5+3)/100 = 0.08: mức ≥ 0.07 → 0.7 × 5 = 3.5"


def test_tiers_vl_1_5_precondition_and_literal_quarter(score: Score) -> None:
    r = score(
        [
            {"unit": "A", "1.5": 25, "1.5.chuyen-muc": "có"},
            {"unit": "B", "1.5": 12, "1.5.chuyen-muc": "có"},
            {"unit": "C", "1.5": 0, "1.5.chuyen-muc": "có"},  # reference §9.9: ¼ even with 0 articles
            {"unit": "D", "1.5": 30, "1.5.chuyen-muc": "không"},
        ]
    )
    assert [points(r, u, "1.5") for u in "ABCD"] == [10, 5, 2.5, 0]


def test_tiers_on_an_ordinal_scale_vl_1_8(score: Score) -> None:
    r = score(
        [{"unit": "A", "1.8": "hang-tuan"}, {"unit": "B", "1.8": "hang-thang"}, {"unit": "C", "1.8": "duoi-hang-thang"}]
    )
    assert [points(r, u, "1.8") for u in "ABC"] == [10, 5, 0]


def test_all_or_nothing_vl_6_8(score: Score) -> None:
    r = score([{"unit": "A", "6.8.a": 99, "6.8.b": 100}, {"unit": "B", "6.8.a": 100, "6.8.b": 100}])
    assert points(r, "A", "6.8") == 0
    assert points(r, "B", "6.8") == 10


def test_count_capped_vl_6_21_and_8_8(score: Score) -> None:
    r = score([{"unit": "A", "6.21": 12, "8.8": 7}])
    assert points(r, "A", "6.21") == 10
    assert points(r, "A", "8.8") == 7
    assert explain(r, "A", "6.21") == "12 × 1 = 12 > 10 → 10"


def test_sum_of_parts_vl_5_12(score: Score) -> None:
    # 5.12.1 8 % → 3.5; 5.12.2 1.2 tỷ → 70 % of 2 = 1.4; 5.12.3 2 tỷ → 2; others 0.3 tỷ → 0
    r = score(
        [
            {
                "unit": "A",
                "5.12.1.a": 5,
                "5.12.1.b": 3,
                "5.12.1.c": 100,
                "5.12.2": 1.2,
                "5.12.3": 2,
                "5.12.4": 0.3,
                "5.12.5": 0.3,
                "5.12.6": 0.3,
            }
        ]
    )
    assert points(r, "A", "5.12") == pytest.approx(3.5 + 1.4 + 2)
    assert r.detail is not None
    assert r.index_points[0, 4] == pytest.approx(6.9)  # 5.12.x are counted once, through 5.12


def test_partial_credits_vl_6_3_merged_compliant_no_ipv6(score: Score) -> None:
    r = score([{"unit": "A", "6.3.hop-nhat": "có", "6.3.chuc-nang": "có", "6.3.ipv6": "không"}])
    assert points(r, "A", "6.3") == pytest.approx(8)
    assert explain(r, "A", "6.3") == "hop-nhat 1/5 × có + chuc-nang 3/5 × có + ipv6 1/5 × không = 0.8 × 10 = 8"


def test_partial_credits_with_ratios_vl_3_6(score: Score) -> None:
    # ½·(5/7) + ½·(4/5) = 0.357 + 0.4 → 20 × 0.757 = 15.14
    r = score([{"unit": "A", "3.6.a": 5, "3.6.c": 4, "3.6.d": 5}])
    assert points(r, "A", "3.6") == pytest.approx(20 * (0.5 * 5 / 7 + 0.5 * 4 / 5))
    assert explain(r, "A", "3.6").endswith("= 0.7571 × 20 = 15.1429")
    assert r.unit_json(0)["criteria"][[c.code for c in r.fw.criteria].index("3.6")]["points"] == 15.1429


def test_partial_credits_with_levels_vl_3_5(score: Score) -> None:
    # deployed but not to standard (¼ of max) + connected to the Government cloud (½): 30 × ¾ = 22.5
    r = score([{"unit": "A", "3.5.trung-tam-du-lieu": "chua-dat-chuan", "3.5.ket-noi-dam-may-cp": "có"}])
    assert points(r, "A", "3.5") == pytest.approx(22.5)


def test_categorical_vl_1_1(score: Score) -> None:
    r = score(
        [
            {"unit": "A", "1.1": "bi-thu-chu-tich"},
            {"unit": "B", "1.1": "pho-bi-thu-pho-chu-tich"},
            {"unit": "C", "1.1": "khac"},
        ]
    )
    assert [points(r, u, "1.1") for u in "ABC"] == [10, 5, 0]
    assert explain(r, "B", "1.1") == "«pho-bi-thu-pho-chu-tich» → 0.5 × 10 = 5"


def test_binary_vl_2_3(score: Score) -> None:
    r = score([{"unit": "A", "2.3": "có"}, {"unit": "B", "2.3": "không"}, {"unit": "C", "2.3": "yes"}])
    assert [points(r, u, "2.3") for u in "ABC"] == [10, 0, 10]


def test_relative_to_best_vl_7_10(score: Score) -> None:
    # x = .vn domains / enterprises: 0.3 against the best 0.6 → 10 × 0.5 = 5
    r = score([{"unit": "A", "7.10.a": 300, "7.10.b": 1000}, {"unit": "B", "7.10.a": 600, "7.10.b": 1000}])
    assert points(r, "A", "7.10") == pytest.approx(5)
    assert points(r, "B", "7.10") == 10


def test_relative_to_best_ratio_above_one_is_not_a_share(score: Score) -> None:
    r = score([{"unit": "A", "7.10.a": 1500, "7.10.b": 1000}, {"unit": "B", "7.10.a": 750, "7.10.b": 1000}])
    assert points(r, "A", "7.10") == 10
    assert points(r, "B", "7.10") == pytest.approx(5)


def test_min_max_vl_5_9_formula_a(score: Score) -> None:
    # x = 3 drills, peers' min 1 and max 6: 5 × (3 − 1)/(6 − 1) = 2.0 (formula B would give 2.5)
    r = score([{"unit": "A", "5.9": 3}, {"unit": "B", "5.9": 1}, {"unit": "C", "5.9": 6}])
    assert points(r, "A", "5.9") == pytest.approx(2.0)
    assert points(r, "B", "5.9") == 0
    assert points(r, "C", "5.9") == 5
    assert explain(r, "A", "5.9").endswith("(3 − 1)/(6 − 1) = 0.4 × 5 = 2")


def test_min_max_when_every_peer_is_equal(score: Score) -> None:
    # x_max = x_min: the data say max when the common value is above 0, else 0 (if_all_equal)
    r = score([{"unit": "A", "5.9": 3}, {"unit": "B", "5.9": 3}])
    assert points(r, "A", "5.9") == points(r, "B", "5.9") == 5
    r = score([{"unit": "A", "5.9": 0}, {"unit": "B", "5.9": 0}])
    assert points(r, "A", "5.9") == points(r, "B", "5.9") == 0


def test_best_alternative_modelled_on_mic_annex_1b() -> None:
    # MIC annex 1B, data centre: «tính điểm cho trường hợp nào có điểm cao nhất». The two cases and their
    # formulas are ours (the annex is a third-party copy); the rule under test is "best case wins".
    fw = DtiFramework.model_validate(
        {
            "kind": "dti",
            "id": "mic-1b-example",
            "version": "1.0",
            "title": "1B example",
            "tier": "province",
            "status": "sample",
            "source": {"title": "MIC Phụ lục 1B (third-party copy)", "status": "secondary"},
            "max_points": 40,
            "indices": [{"code": "1", "name": "Hạ tầng", "max_points": 40}],
            "criteria": [
                {
                    "code": "1.1",
                    "name": "Trung tâm dữ liệu",
                    "max_points": 40,
                    "method": "best_alternative",
                    "params": {
                        "alternatives": [
                            {"id": "tu-xay-dung", "method": "binary"},
                            {"id": "thue-dich-vu", "method": "ratio", "params": {"ratio": "a/b"}},
                        ]
                    },
                }
            ],
        }
    )
    rows = [
        {"unit": "A", "1.1.tu-xay-dung": "không", "1.1.thue-dich-vu.a": 3, "1.1.thue-dich-vu.b": 4},
        {"unit": "B", "1.1.tu-xay-dung": "có", "1.1.thue-dich-vu.a": 1, "1.1.thue-dich-vu.b": 4},
    ]
    r = score_cohort(fw, cohort_from_records(rows, fw.plan))
    assert points(r, "A", "1.1") == pytest.approx(30)
    assert points(r, "B", "1.1") == 40
    assert explain(r, "A", "1.1") == "cao nhất của «tu-xay-dung» 0; «thue-dich-vu» 30 → 30"


def test_index_points_are_sums_and_value_is_total_over_1000(score: Score) -> None:
    r = score([{"unit": "A", "1.3.a": 6, "1.3.b": 8, "2.3": "có", "6.12.a": 100, "6.12.b": 60, "6.12.c": 0}])
    assert list(r.index_points[0, :3]) == pytest.approx([7.5, 10, 0])
    assert r.index_points[0, 5] == pytest.approx(15)
    assert r.value[0] == pytest.approx((7.5 + 10 + 15) / 1000)

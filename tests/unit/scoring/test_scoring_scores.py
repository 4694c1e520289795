"""Section scores and totals: raw, floor at 0, weights, missing marks."""

from decimal import Decimal
from fractions import Fraction

import pytest

from competitions.scoring import compute_results, format2, section_scores, total_score

F = Fraction


def only(results):
    (result,) = results
    return result


def test_the_contest_package_example(make_scheme, make_entry):
    # T: 30 × 90 / 100 = 27.
    # P: P1 mean(35, 36, 37) = 36; P2 judgement mean(2, 3, 3) / 3 × 30 = 80/3;
    #    P3 deduction mean(1, 2) = 1.5; raw = 36 + 80/3 − 1.5 = 367/6 (61.1666…)
    #    of max 40 + 30 = 70; weighted = 70 × (367/6) / 70 = 367/6.
    # Total = 27 + 367/6 = 529/6 = 88.1666… → shown 88.17.
    entry = make_entry("E001", T1=[90], P1=[35, 36, 37], P2=[2, 3, 3], P3=[1, 2])
    result = only(compute_results(make_scheme(), [entry]))
    assert result.criteria == {"T1": F(90), "P1": F(36), "P2": F(80, 3), "P3": F(3, 2)}
    assert result.sections == {"T": F(27), "P": F(367, 6)}
    assert result.total == F(529, 6)
    assert (format2(result.sections["T"]), format2(result.sections["P"])) == ("27.00", "61.17")
    assert format2(result.total) == "88.17"
    assert result.missing == ()
    assert (result.rank, result.ranked, result.status) == (1, True, "finished")


@pytest.mark.parametrize(
    ("p1", "p3", "expected_p"),
    [
        # P has P1 (max 40) and P2 (judgement, max 30); P2 is given 0 here.
        ([2], [5], F(0)),  # raw 2 − 5 = −3 → floored at 0
        ([5], [5], F(0)),  # raw exactly 0
        ([6], [5], F(1)),  # raw 1 of max 70, weight 70 → 1
        ([40], [10], F(30)),  # raw 30 → 70 × 30 / 70
        ([0], [10], F(0)),
    ],
)
def test_deductions_never_push_a_section_below_zero(make_scheme, make_entry, p1, p3, expected_p):
    entry = make_entry("E1", T1=[50], P1=p1, P2=[0], P3=p3)
    result = only(compute_results(make_scheme(), [entry]))
    assert result.sections["P"] == expected_p
    # A floored section takes nothing from the other one.
    assert result.total == F(15) + expected_p


def test_weights_put_the_total_on_a_0_to_100_scale(make_scheme, make_entry):
    top = make_entry("TOP", T1=[100], P1=[40], P2=[3, 3], P3=[0])
    bottom = make_entry("BOTTOM", T1=[0], P1=[0], P2=[0, 0], P3=[10])
    results = {r.key: r for r in compute_results(make_scheme(), [top, bottom])}
    assert results["TOP"].sections == {"T": F(30), "P": F(70)}
    assert results["TOP"].total == 100
    assert results["BOTTOM"].total == 0


def test_weights_scale_each_section_by_its_own_maximum(make_scheme, make_entry):
    # A: weight 25, max 10 + 30 = 40, raw 8 + 12 = 20 → 25 × 20 / 40 = 12.5
    # B: weight 75, max 7, raw 3.5 → 75 × 3.5 / 7 = 37.5; total 50.
    scheme = make_scheme(
        {
            "A": (25, {"A1": ("marks", 10), "A2": ("marks", 30)}),
            "B": (75, {"B1": ("marks", 7)}),
        }
    )
    result = only(compute_results(scheme, [make_entry("E1", A1=[8], A2=[12], B1=["3.5"])]))
    assert result.sections == {"A": F(25, 2), "B": F(75, 2)}
    assert result.total == 50


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("174.69", "87.35"),  # 100 × 174.69 / 200 = 87.345 exactly → half up
        ("174.688", "87.34"),  # 87.344
        ("174.682", "87.34"),  # 87.341
        ("0.25", "0.13"),  # 0.125
        ("0.27", "0.14"),  # 0.135
    ],
)
def test_totals_at_a_half_hundredth_are_shown_half_up(make_scheme, make_entry, value, shown):
    scheme = make_scheme({"S": (100, {"C": ("marks", 200)})})
    result = only(compute_results(scheme, [make_entry("E1", C=[value])]))
    assert result.total == F(Decimal(value)) / 2
    assert format2(result.total) == shown


def test_missing_marks_count_as_nothing_and_are_listed(make_scheme, make_entry):
    # Only T1 and P2 were marked. P = 70 × (0 + 20) / 70 = 20 (P2 = 2 / 3 × 30).
    result = only(compute_results(make_scheme(), [make_entry("E1", T1=[50], P2=[2])]))
    assert result.criteria == {"T1": F(50), "P1": None, "P2": F(20), "P3": None}
    assert result.sections == {"T": F(15), "P": F(20)}
    assert result.total == 35
    assert result.missing == ("P1", "P3")
    assert result.ranked and result.rank == 1


def test_an_empty_list_of_values_is_a_missing_mark(make_scheme, make_entry):
    result = only(compute_results(make_scheme(), [make_entry("E1", T1=[], P1=[10])]))
    assert result.criteria["T1"] is None
    assert result.missing == ("T1", "P2", "P3")


def test_an_entry_nobody_marked_is_still_ranked_with_zero(make_scheme, make_entry):
    result = only(compute_results(make_scheme(), [make_entry("E1", status="competing")]))
    assert result.total == 0
    assert result.rank == 1
    assert result.missing == ("T1", "P1", "P2", "P3")


def test_section_scores_and_total_score_work_on_criterion_marks(make_scheme):
    marks = {"T1": F(90), "P1": F(36), "P2": F(80, 3), "P3": F(3, 2)}
    sections = section_scores(make_scheme(), marks)
    assert sections == {"T": F(27), "P": F(367, 6)}
    assert total_score(sections) == F(529, 6)
    assert section_scores(make_scheme(), {"P1": None}) == {"T": 0, "P": 0}

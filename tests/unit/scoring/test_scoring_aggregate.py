"""Criterion marks from judges' values: mean, median, trimmed mean, judgement scaling."""

from decimal import Decimal
from fractions import Fraction

import pytest

from competitions.scoring import (
    Aggregation,
    CriterionSpec,
    CriterionType,
    ScoringError,
    aggregate,
    criterion_mark,
    format2,
)

D = Decimal
F = Fraction


def values(*numbers):
    return tuple(D(str(n)) for n in numbers)


@pytest.mark.parametrize(
    ("method", "marks", "expected"),
    [
        # mean: Σ / n
        ("mean", [7], F(7)),
        ("mean", [7, 8], F(15, 2)),  # 15 / 2 = 7.5
        ("mean", [7, 8, 10], F(25, 3)),  # 25 / 3 = 8.333…
        ("mean", [6, 7, 8, 10], F(31, 4)),  # 31 / 4 = 7.75
        ("mean", [5, 6, 7, 8, 10], F(36, 5)),  # 36 / 5 = 7.2
        ("mean", [5, 6, 7, 8, 10, 10], F(23, 3)),  # 46 / 6 = 7.666…
        # median: the middle value; an even count takes the mean of the two middle ones
        ("median", [7], F(7)),
        ("median", [8, 7], F(15, 2)),  # (7 + 8) / 2
        ("median", [10, 7, 8], F(8)),  # 7 8 10
        ("median", [6, 10, 7, 8], F(15, 2)),  # 6 7 8 10 → (7 + 8) / 2
        ("median", [10, 5, 8, 6, 7], F(7)),  # 5 6 7 8 10
        ("median", [10, 5, 8, 6, 7, 10], F(15, 2)),  # 5 6 7 8 10 10 → (7 + 8) / 2
        ("median", ["7.5", "8.25"], F(63, 8)),  # (7.5 + 8.25) / 2 = 7.875
        # trimmed mean, min_judges_to_trim 5: fewer than 5 judges → plain mean
        ("trimmed_mean", [7], F(7)),
        ("trimmed_mean", [7, 8], F(15, 2)),
        ("trimmed_mean", [7, 8, 10], F(25, 3)),
        ("trimmed_mean", [6, 7, 8, 10], F(31, 4)),  # 4 judges: not trimmed
        ("trimmed_mean", [5, 6, 7, 8, 10], F(7)),  # drop 5 and 10: (6 + 7 + 8) / 3
        ("trimmed_mean", [10, 5, 8, 6, 7, 10], F(31, 4)),  # drop 5 and ONE 10: 31 / 4
        ("trimmed_mean", [5, 5, 5, 9, 9], F(19, 3)),  # drop one 5, one 9: (5 + 5 + 9) / 3
        ("trimmed_mean", [4, 4, 4, 4, 4], F(4)),
    ],
)
def test_aggregate_worked_examples(method, marks, expected):
    assert aggregate(values(*marks), method, 5) == expected
    assert aggregate(values(*marks), Aggregation(method)) == expected  # default threshold 5


@pytest.mark.parametrize(
    ("min_judges_to_trim", "marks", "expected"),
    [
        (4, [6, 7, 8, 10], F(15, 2)),  # 4 judges ≥ 4: drop 6 and 10 → (7 + 8) / 2
        (3, [7, 8, 10], F(8)),  # 3 judges ≥ 3: only 8 is left
        (6, [5, 6, 7, 8, 10], F(36, 5)),  # 5 judges < 6: plain mean 36 / 5
        (6, [5, 6, 7, 8, 10, 10], F(31, 4)),  # 6 judges ≥ 6: (6 + 7 + 8 + 10) / 4
    ],
)
def test_trimming_threshold_is_configurable(min_judges_to_trim, marks, expected):
    assert aggregate(values(*marks), "trimmed_mean", min_judges_to_trim) == expected


@pytest.mark.parametrize(
    ("marks", "exact", "shown"),
    [
        (["0.12", "0.13"], F(1, 8), "0.13"),  # exactly 0.125 → half up to 0.13
        (["0.13", "0.14"], F(27, 200), "0.14"),  # exactly 0.135 → 0.14
        (["0.11", "0.12", "0.13", "0.14"], F(1, 8), "0.13"),  # 0.50 / 4 = 0.125
    ],
)
def test_means_landing_on_a_half_hundredth_round_up(marks, exact, shown):
    mark = aggregate(values(*marks), "mean")
    assert mark == exact
    assert format2(mark) == shown


def test_aggregation_is_exact_beyond_the_default_decimal_precision():
    # 31 significant digits: a default 28-digit context would round the sum.
    tiny = D("0.0000000000000000000000000001")
    assert aggregate((D(1000), tiny), "mean") == (F(1000) + F(tiny)) / 2
    assert aggregate((D(1000), tiny, D(1), D(2), D(3)), "trimmed_mean") == F(2)


def test_aggregate_accepts_plain_integers():
    assert aggregate((7, 8), "mean") == F(15, 2)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (((), "mean", 5), "no value"),
        (((D(1),), "average", 5), "unknown aggregation method 'average'"),
        (((D(1),), "trimmed_mean", 2), "at least 3"),
        (((D(1),), "trimmed_mean", True), "at least 3"),
        (((D(1), 1.5), "mean", 5), "1.5 is not a finite Decimal"),
        (((D("NaN"),), "mean", 5), "NaN"),
        (((True,), "mean", 5), "True is not"),
        (((F(1, 3),), "median", 5), "is not a finite Decimal"),
    ],
)
def test_aggregate_refuses_what_it_cannot_compute_exactly(arguments, message):
    with pytest.raises(ScoringError, match=message):
        aggregate(*arguments)


def test_a_low_trim_threshold_is_fine_for_other_methods():
    assert aggregate((D(1), D(2)), "mean", 1) == F(3, 2)


def spec(kind, maximum, code="C1"):
    return CriterionSpec(code, CriterionType(kind), D(maximum))


@pytest.mark.parametrize(
    ("kind", "maximum", "method", "judges", "expected", "shown"),
    [
        # judgement: mean / 3 × max, whatever the event's method
        ("judgement", 30, "mean", [2, 3, 3], F(80, 3), "26.67"),  # 8/3 / 3 × 30 = 26.666…
        ("judgement", 30, "median", [0, 0, 3], F(10), "10.00"),  # mean 1, not median 0
        ("judgement", 30, "trimmed_mean", [0, 1, 2, 3, 3], F(18), "18.00"),  # 9/5 / 3 × 30
        ("judgement", 10, "mean", [3], F(10), "10.00"),
        ("judgement", 10, "mean", [0, 0], F(0), "0.00"),
        ("judgement", "7.5", "mean", [1, 2], F(15, 4), "3.75"),  # 1.5 / 3 × 7.5
        ("judgement", 20, "mean", ["2.0", 1], F(10), "10.00"),  # 2.0 is the integer 2
        # marks and deductions: the event's method
        ("marks", 40, "median", [30, 35, "38.5"], F(35), "35.00"),
        ("marks", 40, "mean", [30, 35, "38.5"], F(207, 6), "34.50"),
        ("deduction", 10, "mean", [1, 2], F(3, 2), "1.50"),
        ("deduction", 10, "trimmed_mean", [0, 1, 1, 2, 10], F(4, 3), "1.33"),
        ("marks", 40, "mean", [0, 40], F(20), "20.00"),  # both ends of [0, max] are allowed
    ],
)
def test_criterion_mark_worked_examples(kind, maximum, method, judges, expected, shown):
    mark = criterion_mark(spec(kind, maximum), values(*judges), method, 5)
    assert mark == expected
    assert format2(mark) == shown


def test_a_criterion_nobody_marked_has_no_mark():
    assert criterion_mark(spec("marks", 40), (), "mean") is None
    assert criterion_mark(spec("judgement", 30), (), "median") is None


@pytest.mark.parametrize(
    ("kind", "judges", "message"),
    [
        ("marks", ["40.01"], "criterion C1: value 40.01 is above the maximum 40"),
        ("marks", [10, "-0.5"], "criterion C1: value -0.5 is below 0"),
        ("deduction", [41], "above the maximum 40"),
        ("judgement", [2, "2.5"], "C1: judgement value 2.5 is not an integer from 0 to 3"),
        ("judgement", [4], "judgement value 4 is not an integer"),
        ("judgement", [-1], "judgement value -1 is not an integer"),
        ("marks", ["Infinity"], "criterion C1: value Decimal\\('Infinity'\\) is not a finite"),
        ("judgement", ["NaN"], "is not a finite"),
    ],
)
def test_criterion_mark_refuses_values_breaking_the_criterion_rule(kind, judges, message):
    with pytest.raises(ScoringError, match=message) as raised:
        criterion_mark(spec(kind, 40), values(*judges), "mean")
    assert raised.value.criterion == "C1"


def test_criterion_mark_refuses_floats():
    with pytest.raises(ScoringError, match="0.5 is not a finite Decimal"):
        criterion_mark(spec("marks", 40), (D(1), 0.5), "mean")


def test_criterion_mark_checks_the_method_even_without_values():
    with pytest.raises(ScoringError, match="unknown aggregation method"):
        criterion_mark(spec("marks", 40), (), "mode")


def test_criterion_mark_accepts_mixed_integers_and_decimals():
    assert criterion_mark(spec("marks", 40), (D("10.5"), 11), "mean") == F(43, 4)


def test_check_values_accepts_no_values():
    from competitions.scoring.aggregate import check_values

    assert check_values(spec("marks", 40), ()) is None

"""Two decimals, half up: how totals and tie-break values are shown and compared."""

from decimal import Decimal
from fractions import Fraction

import pytest

from competitions.scoring import format2, round2
from competitions.scoring.rounding import hundredths, round_half_up

D = Decimal


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("0.125"), "0.13"),  # half up; half-even (and float) would give 0.12
        (D("0.135"), "0.14"),
        (D("0.005"), "0.01"),
        (D("0.004999"), "0.00"),
        (D("2.675"), "2.68"),  # round(2.675, 2) on a float gives 2.67
        (D("87.345"), "87.35"),
        (D("87.344"), "87.34"),
        (D("87.341"), "87.34"),
        (Fraction(80, 3), "26.67"),  # 26.666…
        (Fraction(1, 8), "0.13"),  # 0.125 as a fraction
        (Fraction(529, 6), "88.17"),  # 88.1666…
        (Fraction(1, 3), "0.33"),
        (D("-0.125"), "-0.13"),  # halves go away from zero, as ROUND_HALF_UP does
        (D("-0.001"), "0.00"),  # never "-0.00"
        (0, "0.00"),
        (7, "7.00"),
        (D("100"), "100.00"),
        (D("99.995"), "100.00"),
        (D("1E+3"), "1000.00"),
    ],
)
def test_format2_shows_two_decimals_half_up(value, shown):
    assert format2(value) == shown
    assert round2(value) == D(shown)
    assert round2(value).as_tuple().exponent == -2


def test_round2_is_independent_of_the_decimal_context():
    from decimal import localcontext

    with localcontext(prec=3):
        assert round2(D("87.345")) == D("87.35")
        assert format2(Fraction(1234567, 10000)) == "123.46"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(5, 2), 3),
        (Fraction(7, 2), 4),  # not banker's rounding (which gives 4 here, 2 above)
        (Fraction(9, 4), 2),
        (Fraction(-5, 2), -3),
        (Fraction(-9, 4), -2),
        (Fraction(0), 0),
        (Fraction(24999, 10000), 2),
    ],
)
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected


def test_hundredths_is_the_integer_that_ranking_compares():
    assert hundredths(D("87.344")) == hundredths(D("87.341")) == 8734
    assert hundredths(D("87.345")) == 8735


@pytest.mark.parametrize("value", [0.125, True, None, "0.125"])
def test_inexact_or_non_numbers_are_refused(value):
    with pytest.raises(TypeError):
        round2(value)


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_non_finite_decimals_are_refused(value):
    with pytest.raises(ValueError, match="cannot round"):
        format2(value)

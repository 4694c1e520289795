"""Flags for the chief judge when judges disagree."""

from decimal import Decimal

import pytest

from competitions.scoring import judgement_discrepancy, marks_spread_exceeds

D = Decimal


@pytest.mark.parametrize(
    ("scores", "flagged"),
    [
        ([1, 3], True),  # differ by 2
        ([0, 3], True),
        ([3, 2, 2], False),  # differ by 1 at most
        ([1, 2], False),
        ([0, 1, 2], True),  # 0 and 2 differ by 2
        ([2, 2, 2], False),
        ([2], False),  # one judge cannot disagree
        ([], False),
        ([D(1), D(3)], True),
    ],
)
def test_judgement_discrepancy(scores, flagged):
    assert judgement_discrepancy(scores) is flagged


@pytest.mark.parametrize(
    ("marks", "flagged"),
    [
        (["30", "38"], False),  # spread 8 is not more than 0.2 × 40 = 8
        (["30", "38.01"], True),  # spread 8.01 > 8
        (["38.5", "30", "35"], True),
        (["20"], False),
        ([], False),
    ],
)
def test_marks_spread_exceeds(marks, flagged):
    assert marks_spread_exceeds([D(m) for m in marks], D(40), D("0.2")) is flagged

"""Warnings for the chief judge when judges disagree on one criterion of one entry."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction


def _spread(values: Sequence[Decimal | int]) -> Fraction:
    # Fractions, so the comparison is exact whatever the decimal context.
    return Fraction(max(values)) - Fraction(min(values))


def judgement_discrepancy(values: Sequence[Decimal | int]) -> bool:
    """True when two judges' judgement scores (0–3) differ by more than 1.

    Fewer than two values never disagree. Raises TypeError or ValueError for
    values that are not numbers.
    """
    return len(values) > 1 and _spread(values) > 1


def marks_spread_exceeds(
    values: Sequence[Decimal | int], max_mark: Decimal | int, share: Decimal | int
) -> bool:
    """True when the spread of judges' marks (highest − lowest) exceeds share × max_mark.

    E.g. share 0.2 on a criterion out of 40 flags marks more than 8 apart.
    Fewer than two values never disagree. Raises TypeError or ValueError for
    values that are not numbers.
    """
    return len(values) > 1 and _spread(values) > Fraction(share) * Fraction(max_mark)

"""Rounding to two decimal places, half up: how values are shown and compared.

Everything is done on exact integers, so the result never depends on a decimal
context or on binary floating point (``round(2.675, 2)`` is 2.67 in Python).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Exact = Fraction | Decimal | int


def _as_fraction(x: Exact) -> Fraction:
    # Floats are refused: they cannot hold 0.135 exactly, so "half up" would
    # silently become "whatever the binary value happens to be".
    if isinstance(x, bool) or not isinstance(x, Fraction | Decimal | int):
        raise TypeError(f"expected a Fraction, Decimal or int, got {type(x).__name__}")
    if isinstance(x, Decimal) and not x.is_finite():
        raise ValueError(f"cannot round {x}")
    return Fraction(x)


def round_half_up(x: Fraction) -> int:
    """Round an exact value to the nearest integer, halves away from zero. Raises nothing."""
    quotient, remainder = divmod(abs(x.numerator), x.denominator)
    if 2 * remainder >= x.denominator:
        quotient += 1
    return quotient if x >= 0 else -quotient


def hundredths(x: Exact) -> int:
    """``x`` in hundredths, rounded half up: the integer that ranking compares.

    Raises TypeError for floats and other non-exact types, ValueError for NaN
    or infinite decimals.
    """
    return round_half_up(_as_fraction(x) * 100)


def round2(x: Exact) -> Decimal:
    """Round ``x`` to two decimal places, half up (0.125 -> 0.13, 87.345 -> 87.35).

    Returns a Decimal with exactly two decimal places. Raises TypeError for
    floats and other non-exact types, ValueError for NaN or infinite decimals.
    """
    return Decimal(f"{hundredths(x)}E-2")


def format2(x: Exact) -> str:
    """Show ``x`` as people see results: two decimals, half up (e.g. "87.35").

    Raises like :func:`round2`.
    """
    return f"{round2(x):f}"

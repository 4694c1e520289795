"""From the judges' values for one criterion to the criterion's mark.

``marks`` and ``deduction`` criteria combine the judges' values by the event's
aggregation method; a ``judgement`` criterion is always the judges' mean on the
0–3 scale, scaled to the criterion's maximum.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from fractions import Fraction

from .errors import ScoringError
from .model import (
    DEFAULT_MIN_JUDGES_TO_TRIM,
    JUDGEMENT_SCALE_MAX,
    Aggregation,
    CriterionSpec,
    CriterionType,
)

Value = Decimal | int

# Trimming drops two values, so fewer than three judges would leave nothing.
SMALLEST_MIN_JUDGES_TO_TRIM = 3

_JUDGEMENT_SCALE = frozenset(range(JUDGEMENT_SCALE_MAX + 1))

# Decimal addition is exact only while the result fits the context's precision;
# with the largest precision it always does. Nothing here divides Decimals, so
# the huge precision never makes anything expand.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


@contextmanager
def exact_decimal_context() -> Iterator[None]:
    """Run the Decimal additions inside without any rounding. Raises nothing itself."""
    with localcontext(_EXACT):
        yield


def _sum(values: Sequence[Value]) -> tuple[int, int]:
    """Σ values as (numerator, denominator); call inside exact_decimal_context."""
    return sum(values, Decimal(0)).as_integer_ratio()


def _mean(values: Sequence[Value]) -> Fraction:
    numerator, denominator = _sum(values)
    return Fraction(numerator, denominator * len(values))


def _median(values: Sequence[Value]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    # An even count has no middle value: take the mean of the two middle ones.
    return _mean(ordered[middle - 1 : middle + 1])


def _trimmed_mean(values: Sequence[Value], min_judges_to_trim: int) -> Fraction:
    if len(values) < min_judges_to_trim:
        return _mean(values)
    # Only the single highest and single lowest go, even if others equal them;
    # subtracting them is exact here and spares a sort.
    kept = sum(values, Decimal(0)) - max(values) - min(values)
    numerator, denominator = kept.as_integer_ratio()
    return Fraction(numerator, denominator * (len(values) - 2))


def _aggregate(values: Sequence[Value], method: Aggregation, min_judges_to_trim: int) -> Fraction:
    """Combine non-empty, checked values; call inside exact_decimal_context."""
    if method == Aggregation.MEAN:
        return _mean(values)
    if method == Aggregation.MEDIAN:
        return _median(values)
    return _trimmed_mean(values, min_judges_to_trim)


def check_method(method: str, min_judges_to_trim: int) -> Aggregation:
    """Return ``method`` as an Aggregation; raise ScoringError if it or the trim is unusable."""
    try:
        aggregation = Aggregation(method)
    except ValueError:
        raise ScoringError(f"unknown aggregation method {method!r}") from None
    if aggregation == Aggregation.TRIMMED_MEAN and (
        isinstance(min_judges_to_trim, bool)
        or not isinstance(min_judges_to_trim, int)
        or min_judges_to_trim < SMALLEST_MIN_JUDGES_TO_TRIM
    ):
        raise ScoringError(
            f"a trimmed mean needs min_judges_to_trim of at least "
            f"{SMALLEST_MIN_JUDGES_TO_TRIM}, got {min_judges_to_trim!r}"
        )
    return aggregation


def aggregate(
    values: Sequence[Value],
    method: Aggregation | str,
    min_judges_to_trim: int = DEFAULT_MIN_JUDGES_TO_TRIM,
) -> Fraction:
    """Combine judges' values exactly by ``method``.

    ``mean``; ``median`` (the mean of the two middle values for an even count);
    ``trimmed_mean``: drop the single highest and single lowest value when at
    least ``min_judges_to_trim`` values are given, otherwise the mean.

    Raises ScoringError when there are no values, a value is not a finite
    Decimal or int, the method is unknown, or a trimmed mean is asked for with
    ``min_judges_to_trim`` below 3.
    """
    aggregation = check_method(method, min_judges_to_trim)
    if not values:
        raise ScoringError("there is no value to aggregate")
    _check_numbers(values)
    with exact_decimal_context():
        return _aggregate(values, aggregation, min_judges_to_trim)


def is_exact_number(value: object) -> bool:
    """True for a finite Decimal or an int (not a bool), the numbers marks may be; never raises."""
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int) and not isinstance(value, bool)


def _all_numbers(values: Sequence[Value]) -> bool:
    # The usual case, only Decimals or only ints, is checked at C speed; mixed
    # or odd types go through is_exact_number one by one.
    types = set(map(type, values))
    if types == {Decimal}:
        return all(map(Decimal.is_finite, values))
    if types == {int}:
        return True
    return all(map(is_exact_number, values))


def _check_numbers(values: Sequence[Value]) -> None:
    if not _all_numbers(values):
        bad = next(value for value in values if not is_exact_number(value))
        # Floats are refused: marks must arrive exact, never through binary floats.
        raise ScoringError(f"value {bad!r} is not a finite Decimal or integer")


def check_values(spec: CriterionSpec, values: Sequence[Value]) -> None:
    """Raise ScoringError naming the criterion if a judge's value breaks its rule.

    ``marks`` and ``deduction`` values lie in [0, max]; ``judgement`` values are
    integers 0–3. No values at all is fine: nobody has marked yet.
    """
    if not values:
        return
    try:
        _check_numbers(values)
    except ScoringError as error:
        raise ScoringError(f"criterion {spec.code}: {error}", criterion=spec.code) from None
    if spec.type == CriterionType.JUDGEMENT:
        # Decimal("2.0") hashes and compares like 2, so it is accepted; 2.5 is not.
        if not _JUDGEMENT_SCALE.issuperset(values):
            bad = next(value for value in values if value not in _JUDGEMENT_SCALE)
            raise ScoringError(
                f"criterion {spec.code}: judgement value {bad} is not an integer "
                f"from 0 to {JUDGEMENT_SCALE_MAX}",
                criterion=spec.code,
            )
    elif min(values) < 0:
        raise ScoringError(
            f"criterion {spec.code}: value {min(values)} is below 0", criterion=spec.code
        )
    elif max(values) > spec.max:
        raise ScoringError(
            f"criterion {spec.code}: value {max(values)} is above the maximum {spec.max}",
            criterion=spec.code,
        )


def mark_from_checked(
    spec: CriterionSpec,
    values: Sequence[Value],
    method: Aggregation,
    min_judges_to_trim: int,
) -> Fraction | None:
    """criterion_mark for values check_values accepted, inside exact_decimal_context.

    Raises nothing for such values; it trusts its caller to have checked them.
    """
    if not values:
        return None
    if spec.type == CriterionType.JUDGEMENT:
        # mean / 3 × max, as one fraction so it is reduced only once.
        numerator, denominator = _sum(values)
        max_numerator, max_denominator = spec.max.as_integer_ratio()
        return Fraction(
            numerator * max_numerator,
            denominator * len(values) * JUDGEMENT_SCALE_MAX * max_denominator,
        )
    return _aggregate(values, method, min_judges_to_trim)


def criterion_mark(
    spec: CriterionSpec,
    values: Sequence[Value],
    method: Aggregation | str,
    min_judges_to_trim: int = DEFAULT_MIN_JUDGES_TO_TRIM,
) -> Fraction | None:
    """The mark of one criterion from its judges' values, or None if nobody marked it.

    ``judgement``: mean(values) / 3 × max, whatever the event's method.
    ``marks`` and ``deduction``: :func:`aggregate` by ``method``. A deduction's
    mark is the positive number of points its section loses.

    Raises ScoringError naming the criterion when a value is outside [0, max],
    a judgement value is not an integer 0–3, a value is not a finite Decimal or
    int, or the method is unusable (see :func:`aggregate`).
    """
    aggregation = check_method(method, min_judges_to_trim)
    if not values:
        return None
    check_values(spec, values)
    with exact_decimal_context():
        return mark_from_checked(spec, values, aggregation, min_judges_to_trim)

"""Checking a marking scheme before anything is computed with it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from .aggregate import SMALLEST_MIN_JUDGES_TO_TRIM, exact_decimal_context, is_exact_number
from .model import Aggregation, AwardTierSpec, CriterionSpec, CriterionType, SchemeSpec
from .ranking import CRITERION_PREFIX, SECTION_PREFIX, TIME

TOTAL_WEIGHT = 100


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_code(code: object) -> bool:
    return isinstance(code, str) and code.strip() != ""


def _is_member(enum: type[StrEnum], value: object) -> bool:
    try:
        enum(value)
    except ValueError:
        return False
    return True


def _duplicates(codes: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for code in codes:
        if not isinstance(code, str):
            continue  # reported as a missing code
        if code in seen and code not in repeated:
            repeated.append(code)
        seen.add(code)
    return repeated


def _method_problems(scheme: SchemeSpec) -> list[str]:
    if not _is_member(Aggregation, scheme.aggregation):
        names = ", ".join(Aggregation)
        return [f"aggregation {scheme.aggregation!r} is not one of {names}"]
    trim = scheme.min_judges_to_trim
    if scheme.aggregation == Aggregation.TRIMMED_MEAN and (
        not _is_whole(trim) or trim < SMALLEST_MIN_JUDGES_TO_TRIM
    ):
        return [
            f"min_judges_to_trim must be a whole number of at least "
            f"{SMALLEST_MIN_JUDGES_TO_TRIM} for a trimmed mean, got {trim!r}"
        ]
    return []


def _criterion_problems(criterion: CriterionSpec, section: str) -> list[str]:
    where = f"criterion {criterion.code!r} of section {section!r}"
    problems = []
    if not _is_code(criterion.code):
        problems.append(f"a criterion of section {section!r} has no code")
    if not _is_member(CriterionType, criterion.type):
        names = ", ".join(CriterionType)
        problems.append(f"{where}: type {criterion.type!r} is not one of {names}")
    if not is_exact_number(criterion.max) or criterion.max <= 0:
        problems.append(f"{where}: maximum must be a number above 0, got {criterion.max!r}")
    return problems


def _adds_marks(criterion: CriterionSpec) -> bool:
    return criterion.type in (CriterionType.MARKS, CriterionType.JUDGEMENT)


def _section_problems(scheme: SchemeSpec) -> list[str]:
    problems = []
    if not scheme.sections:
        problems.append("the scheme has no section")
    for section in scheme.sections:
        if not _is_code(section.code):
            problems.append("a section has no code")
        if not is_exact_number(section.weight) or section.weight < 0:
            problems.append(
                f"section {section.code!r}: weight must be a number of at least 0, "
                f"got {section.weight!r}"
            )
        if not any(_adds_marks(criterion) for criterion in section.criteria):
            # Its maximum would be 0, leaving weight × raw / max undefined.
            problems.append(f"section {section.code!r} has no marks or judgement criterion")
        for criterion in section.criteria:
            problems.extend(_criterion_problems(criterion, section.code))
    return problems


def _weight_problems(scheme: SchemeSpec) -> list[str]:
    weights = [section.weight for section in scheme.sections]
    if not weights or not all(is_exact_number(weight) for weight in weights):
        return []  # already reported
    with exact_decimal_context():
        weight_sum = sum(weights, Decimal(0))
    if weight_sum != TOTAL_WEIGHT:
        return [f"section weights add up to {weight_sum}, not {TOTAL_WEIGHT}"]
    return []


def _code_problems(scheme: SchemeSpec) -> list[str]:
    sections = [section.code for section in scheme.sections]
    # Criterion codes are unique across the scheme: marks name a criterion only by its code.
    criteria = [c.code for section in scheme.sections for c in section.criteria]
    return [f"section code {code!r} is used more than once" for code in _duplicates(sections)] + [
        f"criterion code {code!r} is used more than once" for code in _duplicates(criteria)
    ]


def _tie_break_problems(scheme: SchemeSpec) -> list[str]:
    sections = {section.code for section in scheme.sections if _is_code(section.code)}
    criteria = {
        c.code: c for section in scheme.sections for c in section.criteria if _is_code(c.code)
    }
    problems = []
    for key in scheme.tie_break:
        if not isinstance(key, str):
            problems.append(f"tie-break key {key!r} is not text")
        elif key == TIME:
            pass
        elif key.startswith(SECTION_PREFIX):
            if key.removeprefix(SECTION_PREFIX) not in sections:
                problems.append(f"tie-break key {key!r} names no section of the scheme")
        elif key.startswith(CRITERION_PREFIX):
            if key.removeprefix(CRITERION_PREFIX) not in criteria:
                problems.append(f"tie-break key {key!r} names no criterion of the scheme")
        else:
            problems.append(f"tie-break key {key!r} is not section:CODE, criterion:CODE or time")
    problems.extend(
        f"tie-break key {key!r} is given more than once" for key in _duplicates(scheme.tie_break)
    )
    return problems


def _tier_problems(tier: AwardTierSpec) -> list[str]:
    where = f"award tier {tier.code!r}"
    problems = []
    if not _is_code(tier.code):
        problems.append("an award tier has no code")
    if (tier.share is None) == (tier.count is None):
        problems.append(f"{where}: give exactly one of share or count")
    if tier.share is not None and (not is_exact_number(tier.share) or not 0 <= tier.share <= 1):
        problems.append(f"{where}: share must be a number from 0 to 1, got {tier.share!r}")
    if tier.count is not None and (not _is_whole(tier.count) or tier.count < 0):
        problems.append(f"{where}: count must be a whole number of at least 0, got {tier.count!r}")
    if tier.min_total is not None and (
        not is_exact_number(tier.min_total) or not 0 <= tier.min_total <= TOTAL_WEIGHT
    ):
        problems.append(
            f"{where}: min_total must be a number from 0 to {TOTAL_WEIGHT}, got {tier.min_total!r}"
        )
    return problems


def _award_problems(scheme: SchemeSpec) -> list[str]:
    problems = [problem for tier in scheme.awards for problem in _tier_problems(tier)]
    problems.extend(
        f"award tier code {code!r} is used more than once"
        for code in _duplicates(tier.code for tier in scheme.awards)
    )
    shares = [tier.share for tier in scheme.awards if tier.share is not None]
    if all(is_exact_number(share) and 0 <= share <= 1 for share in shares):  # else reported
        with exact_decimal_context():
            share_sum = sum(shares, Decimal(0))
        if share_sum > 1:
            problems.append(f"award shares add up to {share_sum}, more than 1")
    return problems


def validate_scheme(scheme: SchemeSpec) -> list[str]:
    """Every problem that makes ``scheme`` unusable, as sentences for an organiser.

    An empty list means the scheme can be computed with. Checks: at least one
    section; weights are numbers ≥ 0 adding up to exactly 100; every section has
    a marks or judgement criterion; every criterion has a known type and a
    maximum above 0; section, criterion and award tier codes are present and
    unique (criterion codes across the whole scheme); the aggregation method is
    known and a trimmed mean has min_judges_to_trim ≥ 3; tie-break keys name an
    existing section, an existing criterion (on a deduction, fewer points win) or
    ``time``, once each; every award tier has exactly one of share (0–1) or count
    (≥ 0), shares add up to at most 1, and min_total is within 0–100. Raises nothing.
    """
    return (
        _method_problems(scheme)
        + _section_problems(scheme)
        + _weight_problems(scheme)
        + _code_problems(scheme)
        + _tie_break_problems(scheme)
        + _award_problems(scheme)
    )

"""Section scores and the total, from criterion marks.

raw = Σ marks and judgement criteria − Σ deductions, floored at 0;
weighted = weight × raw / Σ maxima of the section's non-deduction criteria;
total = Σ weighted. With weights summing to 100 the total lies in [0, 100].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from .model import CriterionType, SchemeSpec, SectionSpec

CriterionMarks = Mapping[str, Fraction | None]


@dataclass(frozen=True)
class SectionPlan:
    """A section prepared once per event, so each entry costs only additions."""

    code: str
    weight: Fraction
    max: Fraction
    gains: tuple[str, ...]
    deductions: tuple[str, ...]

    @classmethod
    def of(cls, section: SectionSpec) -> SectionPlan:
        """Prepare a section of a valid scheme (see validate_scheme). Raises nothing."""
        gains = tuple(c for c in section.criteria if c.type != CriterionType.DEDUCTION)
        deductions = tuple(c for c in section.criteria if c.type == CriterionType.DEDUCTION)
        return cls(
            code=section.code,
            weight=Fraction(section.weight),
            max=sum((Fraction(c.max) for c in gains), Fraction(0)),
            gains=tuple(c.code for c in gains),
            deductions=tuple(c.code for c in deductions),
        )

    def weighted_score(self, marks: CriterionMarks) -> Fraction:
        """weight × raw / max; a criterion nobody marked counts as 0. Raises nothing."""
        raw = _sum_marks(marks, self.gains) - _sum_marks(marks, self.deductions)
        # Deductions can outweigh the marks; a section never goes below zero.
        if raw <= 0:
            return Fraction(0)
        return self.weight * raw / self.max


def _sum_marks(marks: CriterionMarks, codes: tuple[str, ...]) -> Fraction:
    # Summed on integers over a common denominator and reduced once at the end:
    # adding Fractions one by one reduces after every addition, which dominated
    # the cost of a large event.
    numerator, denominator = 0, 1
    for code in codes:
        mark = marks.get(code)
        if mark is None:
            continue
        if mark.denominator == denominator:
            numerator += mark.numerator
        else:
            common = lcm(denominator, mark.denominator)
            numerator = numerator * (common // denominator) + mark.numerator * (
                common // mark.denominator
            )
            denominator = common
    return Fraction(numerator, denominator)


def section_scores(scheme: SchemeSpec, marks: CriterionMarks) -> dict[str, Fraction]:
    """Every section's weighted score, by section code, for one entry's criterion marks.

    ``marks`` maps criterion codes to aggregated marks (as criterion_mark gives
    them); absent or ``None`` marks count as 0. The scheme must be valid (see
    validate_scheme); this raises nothing itself.
    """
    return {s.code: SectionPlan.of(s).weighted_score(marks) for s in scheme.sections}


def total_score(sections: Mapping[str, Fraction]) -> Fraction:
    """The total: the sum of the weighted section scores. Raises nothing."""
    return sum(sections.values(), Fraction(0))

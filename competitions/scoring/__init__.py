"""The scoring core: marks to criterion marks, section scores, totals, ranks and awards.

Plain Python over frozen dataclasses, with exact arithmetic: no Flask, no
database. The rules are DESIGN.md's "Scoring rules"; callers build a
:class:`SchemeSpec` and :class:`EntryInput` objects and call
:func:`compute_results`, then show values with :func:`format2`.
"""

from .aggregate import aggregate, criterion_mark
from .awards import award_for, award_quotas
from .discrepancy import judgement_discrepancy, marks_spread_exceeds
from .errors import ScoringError
from .model import (
    DEFAULT_MIN_JUDGES_TO_TRIM,
    UNRANKED_STATUSES,
    Aggregation,
    AwardTierSpec,
    CriterionSpec,
    CriterionType,
    EntryInput,
    EntryResult,
    EntryStatus,
    SchemeSpec,
    SectionSpec,
)
from .results import compute_results
from .rounding import format2, round2
from .scores import section_scores, total_score
from .validation import validate_scheme

__all__ = [
    "DEFAULT_MIN_JUDGES_TO_TRIM",
    "UNRANKED_STATUSES",
    "Aggregation",
    "AwardTierSpec",
    "CriterionSpec",
    "CriterionType",
    "EntryInput",
    "EntryResult",
    "EntryStatus",
    "SchemeSpec",
    "ScoringError",
    "SectionSpec",
    "aggregate",
    "award_for",
    "award_quotas",
    "compute_results",
    "criterion_mark",
    "format2",
    "judgement_discrepancy",
    "marks_spread_exceeds",
    "round2",
    "section_scores",
    "total_score",
    "validate_scheme",
]

"""What the scoring core reads and returns: enums and frozen dataclasses.

Callers build these from the database or from a contest package; the core never
sees anything else. Numbers come in as :class:`~decimal.Decimal` (or ``int``)
and leave as exact :class:`~fractions.Fraction`; rounding for display is the
caller's last step (see :mod:`competitions.scoring.rounding`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction


class CriterionType(StrEnum):
    """How judges mark a criterion and how it counts in its section."""

    MARKS = "marks"
    JUDGEMENT = "judgement"
    DEDUCTION = "deduction"


class Aggregation(StrEnum):
    """How the judges' values for a marks or deduction criterion are combined."""

    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"


class EntryStatus(StrEnum):
    """Where an entry stands in its event."""

    REGISTERED = "registered"
    CHECKED_IN = "checked_in"
    COMPETING = "competing"
    FINISHED = "finished"
    ABSENT = "absent"
    WITHDRAWN = "withdrawn"
    DISQUALIFIED = "disqualified"


#: Entries in these states get no total, rank or award and do not count in N.
UNRANKED_STATUSES = frozenset({EntryStatus.ABSENT, EntryStatus.WITHDRAWN, EntryStatus.DISQUALIFIED})

#: The WorldSkills judgement scale: every judge gives an integer from 0 to 3.
JUDGEMENT_SCALE_MAX = 3

DEFAULT_MIN_JUDGES_TO_TRIM = 5


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of a marking scheme; ``max`` is its maximum mark."""

    code: str
    type: CriterionType
    max: Decimal


@dataclass(frozen=True)
class SectionSpec:
    """A weighted group of criteria (e.g. Theory 30, Practical 70)."""

    code: str
    weight: Decimal
    criteria: tuple[CriterionSpec, ...]


@dataclass(frozen=True)
class AwardTierSpec:
    """One award tier: exactly one of ``share`` (0–1 of N) or ``count``."""

    code: str
    share: Decimal | None = None
    count: int | None = None
    min_total: Decimal | None = None


@dataclass(frozen=True)
class SchemeSpec:
    """An event's marking scheme with its aggregation, tie-break and award rules."""

    sections: tuple[SectionSpec, ...]
    aggregation: Aggregation = Aggregation.MEAN
    min_judges_to_trim: int = DEFAULT_MIN_JUDGES_TO_TRIM
    tie_break: tuple[str, ...] = ()
    awards: tuple[AwardTierSpec, ...] = ()


@dataclass(frozen=True)
class EntryInput:
    """An entry and its marks: criterion code -> one value per judge who marked it."""

    key: str
    status: str = EntryStatus.FINISHED
    finish_seconds: Decimal | None = None
    marks: Mapping[str, tuple[Decimal, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class EntryResult:
    """The computed result of one entry; exact values, not yet rounded.

    ``criteria`` holds every criterion's aggregated mark (``None`` when no judge
    marked it), ``sections`` every section's weighted score. ``total``, ``rank``
    and ``award`` are ``None`` for unranked entries. ``missing`` lists the codes
    of criteria no judge marked, in scheme order. Treat the mappings as read-only.
    """

    key: str
    status: str
    ranked: bool
    criteria: Mapping[str, Fraction | None]
    sections: Mapping[str, Fraction]
    total: Fraction | None
    rank: int | None
    award: str | None
    missing: tuple[str, ...]

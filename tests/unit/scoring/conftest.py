"""Builders for the scoring core's tests: short to write, exact to read."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

import pytest

from competitions.scoring import (
    Aggregation,
    AwardTierSpec,
    CriterionSpec,
    CriterionType,
    EntryInput,
    SchemeSpec,
    SectionSpec,
)

# {section code: (weight, {criterion code: (type, max)})}
SectionsTable = Mapping[str, tuple[object, Mapping[str, tuple[str, object]]]]

#: The example scheme of the contest package: Theory 30, Practical 70.
PACKAGE_SECTIONS: SectionsTable = {
    "T": (30, {"T1": ("marks", 100)}),
    "P": (70, {"P1": ("marks", 40), "P2": ("judgement", 30), "P3": ("deduction", 10)}),
}


def build_scheme(
    sections: SectionsTable = PACKAGE_SECTIONS,
    *,
    aggregation: str = "mean",
    min_judges_to_trim: int = 5,
    tie_break: Sequence[str] = (),
    awards: Sequence[AwardTierSpec] = (),
) -> SchemeSpec:
    """A SchemeSpec from a compact table; numbers given as str or int become Decimals."""
    return SchemeSpec(
        sections=tuple(
            SectionSpec(
                code,
                Decimal(weight),
                tuple(
                    CriterionSpec(c, CriterionType(kind), Decimal(maximum))
                    for c, (kind, maximum) in criteria.items()
                ),
            )
            for code, (weight, criteria) in sections.items()
        ),
        aggregation=Aggregation(aggregation),
        min_judges_to_trim=min_judges_to_trim,
        tie_break=tuple(tie_break),
        awards=tuple(awards),
    )


def build_entry(
    key: str,
    status: str = "finished",
    time: object = None,
    **marks: Sequence[object],
) -> EntryInput:
    """An EntryInput; marks as keyword lists of str/int judge values, e.g. P2=[2, 3, 3]."""
    return EntryInput(
        key=key,
        status=status,
        finish_seconds=None if time is None else Decimal(time),
        marks={code: tuple(Decimal(v) for v in values) for code, values in marks.items()},
    )


def tier(code: str, share: str | None = None, count: int | None = None, min_total=None):
    """An AwardTierSpec with Decimal share and min_total."""
    return AwardTierSpec(
        code,
        share=None if share is None else Decimal(share),
        count=count,
        min_total=None if min_total is None else Decimal(min_total),
    )


@pytest.fixture
def make_scheme() -> Callable[..., SchemeSpec]:
    """Factory for schemes: make_scheme(sections_table, aggregation=..., ...)."""
    return build_scheme


@pytest.fixture
def make_entry() -> Callable[..., EntryInput]:
    """Factory for entries: make_entry("E1", time=5400, T1=[90], P2=[2, 3, 3])."""
    return build_entry


@pytest.fixture
def make_tier() -> Callable[..., AwardTierSpec]:
    """Factory for award tiers: make_tier("first", share="0.1", min_total=60)."""
    return tier

"""Ordering ranked entries and giving competition ranks (1, 2, 2, 4).

Totals and tie-break values are compared in hundredths rounded half up, as
they are shown: 87.344 and 87.341 are both 87.34 and tie. Each entry gets a key
of integers where smaller is better, so one sort orders the whole event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from .rounding import hundredths

RankKey = tuple[int, ...]
TIME = "time"
SECTION_PREFIX = "section:"
CRITERION_PREFIX = "criterion:"

Sections = Mapping[str, Fraction]
Criteria = Mapping[str, Fraction | None]
Seconds = Decimal | int | None

# Builds the part of a rank key that one tie-break key contributes.
KeyPart = Callable[[Sections, Criteria, Seconds], tuple[int, ...]]


def _section_part(code: str) -> KeyPart:
    def part(sections: Sections, criteria: Criteria, finish_seconds: Seconds) -> tuple[int]:
        return (-hundredths(sections[code]),)

    return part


def _criterion_part(code: str, *, deduction: bool = False) -> KeyPart:
    # For a deduction the criterion's mark is a penalty: the entry with fewer
    # penalty points is the better one (its criterion adds more to its score).
    sign = 1 if deduction else -1

    def part(sections: Sections, criteria: Criteria, finish_seconds: Seconds) -> tuple[int]:
        # A criterion nobody marked counts as nothing, here as in the total.
        mark = criteria[code]
        return (sign * hundredths(mark if mark is not None else 0),)

    return part


def _time_part(sections: Sections, criteria: Criteria, finish_seconds: Seconds) -> tuple[int, int]:
    # Shorter wins; no time loses to any time; two entries without one stay equal.
    # Like every tie-break value, a time is compared at two decimals.
    if finish_seconds is None:
        return (1, 0)
    return (0, hundredths(finish_seconds))


def key_parts(
    tie_break: Sequence[str], deductions: frozenset[str] = frozenset()
) -> tuple[KeyPart, ...]:
    """Turn valid tie-break keys (see validate_scheme) into rank key builders.

    ``deductions`` holds the codes of deduction criteria: on those the lower
    penalty wins. Raises ValueError for a key that is none of
    ``section:CODE``, ``criterion:CODE`` or ``time``.
    """
    parts: list[KeyPart] = []
    for key in tie_break:
        if key == TIME:
            parts.append(_time_part)
        elif key.startswith(SECTION_PREFIX):
            parts.append(_section_part(key.removeprefix(SECTION_PREFIX)))
        elif key.startswith(CRITERION_PREFIX):
            code = key.removeprefix(CRITERION_PREFIX)
            parts.append(_criterion_part(code, deduction=code in deductions))
        else:
            raise ValueError(f"unknown tie-break key {key!r}")
    return tuple(parts)


def rank_key(
    parts: Sequence[KeyPart],
    total: Fraction,
    sections: Sections,
    criteria: Criteria,
    finish_seconds: Seconds,
) -> RankKey:
    """The integers one entry is ordered by, smaller first: rounded total, then tie-breaks.

    Raises KeyError if a part names a section or criterion the entry lacks.
    """
    key = [-hundredths(total)]
    for part in parts:
        key.extend(part(sections, criteria, finish_seconds))
    return tuple(key)


def competition_ranks(keyed: Iterable[tuple[str, RankKey]]) -> list[tuple[str, int]]:
    """Order (entry key, rank key) pairs and rank them 1, 2, 2, 4.

    Entries with equal rank keys share a rank and are listed by entry key, so the
    result never depends on input order. Raises nothing.
    """
    ordered = sorted(keyed, key=lambda item: (item[1], item[0]))
    ranks: list[tuple[str, int]] = []
    for position, (entry_key, key) in enumerate(ordered, start=1):
        if ranks and key == ordered[position - 2][1]:
            ranks.append((entry_key, ranks[-1][1]))
        else:
            ranks.append((entry_key, position))
    return ranks

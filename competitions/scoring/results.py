"""The results pipeline: criterion marks, section scores, totals, ranks, awards."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from .aggregate import check_values, exact_decimal_context, is_exact_number, mark_from_checked
from .awards import award_for, award_quotas
from .errors import ScoringError
from .model import (
    UNRANKED_STATUSES,
    Aggregation,
    CriterionSpec,
    CriterionType,
    EntryInput,
    EntryResult,
    EntryStatus,
    SchemeSpec,
)
from .ranking import KeyPart, competition_ranks, key_parts, rank_key
from .scores import SectionPlan, total_score
from .validation import validate_scheme


@dataclass(frozen=True)
class _Scored:
    """One entry with its criterion marks and section scores, before ranking."""

    entry: EntryInput
    status: EntryStatus
    criteria: dict[str, Fraction | None]
    sections: dict[str, Fraction]
    total: Fraction
    missing: tuple[str, ...]

    @property
    def ranked(self) -> bool:
        return self.status not in UNRANKED_STATUSES


class _Event:
    """A valid scheme prepared once, then applied to every entry."""

    def __init__(self, scheme: SchemeSpec) -> None:
        problems = validate_scheme(scheme)
        if problems:
            raise ScoringError(
                "the marking scheme cannot be used: " + "; ".join(problems),
                problems=tuple(problems),
            )
        self.scheme = scheme
        self.method = Aggregation(scheme.aggregation)
        self.criteria: tuple[CriterionSpec, ...] = tuple(
            criterion for section in scheme.sections for criterion in section.criteria
        )
        self.codes = frozenset(criterion.code for criterion in self.criteria)
        self.sections = tuple(SectionPlan.of(section) for section in scheme.sections)
        deductions = frozenset(
            criterion.code
            for criterion in self.criteria
            if criterion.type == CriterionType.DEDUCTION
        )
        self.key_parts: tuple[KeyPart, ...] = key_parts(scheme.tie_break, deductions)

    def score(self, entry: EntryInput) -> _Scored:
        """Criterion marks and section scores; call inside exact_decimal_context."""
        status = _check_entry(entry, self.codes)
        criteria: dict[str, Fraction | None] = {}
        for criterion in self.criteria:
            values = tuple(entry.marks.get(criterion.code, ()))
            try:
                check_values(criterion, values)
            except ScoringError as error:
                raise ScoringError(
                    f"entry {entry.key}, {error.message}",
                    entry=entry.key,
                    criterion=criterion.code,
                ) from None
            criteria[criterion.code] = mark_from_checked(
                criterion, values, self.method, self.scheme.min_judges_to_trim
            )
        sections = {plan.code: plan.weighted_score(criteria) for plan in self.sections}
        return _Scored(
            entry=entry,
            status=status,
            criteria=criteria,
            sections=sections,
            total=total_score(sections),
            missing=tuple(code for code, mark in criteria.items() if mark is None),
        )


def _check_entry(entry: EntryInput, codes: frozenset[str]) -> EntryStatus:
    try:
        status = EntryStatus(entry.status)
    except ValueError:
        known = ", ".join(EntryStatus)
        raise ScoringError(
            f"entry {entry.key}: status {entry.status!r} is not one of {known}", entry=entry.key
        ) from None
    seconds = entry.finish_seconds
    if seconds is not None and not _is_time(seconds):
        raise ScoringError(
            f"entry {entry.key}: finish time {seconds!r} is not a number of seconds of at least 0",
            entry=entry.key,
        )
    for code, values in entry.marks.items():
        if code not in codes:
            raise ScoringError(
                f"entry {entry.key} has marks for {code!r}, which is no criterion of the scheme",
                entry=entry.key,
                criterion=code,
            )
        if not isinstance(values, tuple | list):
            raise ScoringError(
                f"entry {entry.key}, criterion {code}: expected a list of judges' values, "
                f"got {values!r}",
                entry=entry.key,
                criterion=code,
            )
    return status


def _is_time(seconds: object) -> bool:
    return is_exact_number(seconds) and seconds >= 0


def _check_keys(entries: tuple[EntryInput, ...]) -> None:
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry.key, str) or not entry.key:
            raise ScoringError(f"an entry has no key: {entry!r}")
        if entry.key in seen:
            raise ScoringError(f"entry {entry.key} is given more than once", entry=entry.key)
        seen.add(entry.key)


def _result(scored: _Scored, rank: int | None = None, award: str | None = None) -> EntryResult:
    return EntryResult(
        key=scored.entry.key,
        status=scored.status,
        ranked=scored.ranked,
        criteria=scored.criteria,
        sections=scored.sections,
        total=scored.total if scored.ranked else None,
        rank=rank,
        award=award,
        missing=scored.missing,
    )


def _rank(event: _Event, ranked: list[_Scored]) -> list[EntryResult]:
    by_key: Mapping[str, _Scored] = {scored.entry.key: scored for scored in ranked}
    ranks = competition_ranks(
        (
            scored.entry.key,
            rank_key(
                event.key_parts,
                scored.total,
                scored.sections,
                scored.criteria,
                scored.entry.finish_seconds,
            ),
        )
        for scored in ranked
    )
    tiers = event.scheme.awards
    quotas = award_quotas(tiers, len(ranked))
    results = []
    for key, rank in ranks:
        scored = by_key[key]
        results.append(_result(scored, rank, award_for(tiers, quotas, rank, scored.total)))
    return results


def compute_results(scheme: SchemeSpec, entries: Iterable[EntryInput]) -> tuple[EntryResult, ...]:
    """Score, rank and award every entry of one event.

    Returns the ranked entries in rank order (entries sharing a rank by key),
    then the unranked ones (absent, withdrawn, disqualified) by key; these keep
    their criterion marks and section scores for information but get no total,
    rank or award. A criterion nobody marked counts as 0 and is listed in the
    entry's ``missing``. Totals and tie-break values are compared rounded to 2
    decimals half up; ties that survive every tie-break key share a rank
    (1, 2, 2, 4). See DESIGN.md, "Scoring rules".

    Raises ScoringError listing the scheme's problems if it is invalid (see
    validate_scheme), or naming the entry (and criterion) for a missing or
    repeated entry key, an unknown status, a negative or non-numeric finish time, marks for an
    unknown criterion, a value outside [0, max], a judgement value that is not
    an integer 0–3, or a value that is not a finite Decimal or int.
    """
    event = _Event(scheme)
    entries = tuple(entries)
    _check_keys(entries)
    with exact_decimal_context():
        scored = [event.score(entry) for entry in entries]
    ranked = [item for item in scored if item.ranked]
    unranked = sorted((item for item in scored if not item.ranked), key=lambda s: s.entry.key)
    return tuple(_rank(event, ranked)) + tuple(_result(item) for item in unranked)

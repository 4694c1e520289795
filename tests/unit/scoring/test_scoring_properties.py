"""Properties of compute_results over generated schemes and entries."""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from competitions.scoring import (
    Aggregation,
    AwardTierSpec,
    CriterionSpec,
    CriterionType,
    EntryInput,
    EntryResult,
    EntryStatus,
    SchemeSpec,
    SectionSpec,
    compute_results,
    round2,
)

D = Decimal
PROPERTIES = settings(max_examples=75, deadline=None)
MAXIMA = [D(1), D(3), D("7.5"), D(10), D(30), D(100)]
STATUSES = [*EntryStatus, *[EntryStatus.FINISHED] * 4]  # mostly ranked
TIMES = [None, D(3000), D(3600), D("3600.004"), D(5400)]
TIME = st.sampled_from(TIMES)


@st.composite
def weights(draw, count: int) -> list[Decimal]:
    """``count`` weights in tenths (some may be 0) adding up to exactly 100."""
    cuts = sorted(draw(st.lists(st.integers(0, 1000), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 1000]
    return [D(high - low) / 10 for low, high in pairwise(bounds)]


@st.composite
def criterion_specs(draw, section: str) -> tuple[CriterionSpec, ...]:
    kinds = draw(st.lists(st.sampled_from(list(CriterionType)), min_size=0, max_size=3))
    first = draw(st.sampled_from([CriterionType.MARKS, CriterionType.JUDGEMENT]))
    return tuple(
        CriterionSpec(f"{section}{n}", kind, draw(st.sampled_from(MAXIMA)))
        for n, kind in enumerate([first, *kinds])
    )


@st.composite
def award_tiers(draw) -> tuple[AwardTierSpec, ...]:
    tiers = []
    shares_left = D(1)
    for n in range(draw(st.integers(0, 4))):
        min_total = draw(st.sampled_from([None, None, D(0), D(20), D(50), D("60.5")]))
        share = draw(st.sampled_from([D(0), D("0.1"), D("0.15"), D("0.2"), D("0.3")]))
        if draw(st.booleans()) or share > shares_left:
            tiers.append(AwardTierSpec(f"A{n}", count=draw(st.integers(0, 4)), min_total=min_total))
        else:
            shares_left -= share
            tiers.append(AwardTierSpec(f"A{n}", share=share, min_total=min_total))
    return tuple(tiers)


@st.composite
def schemes(draw) -> SchemeSpec:
    count = draw(st.integers(1, 3))
    sections = tuple(
        SectionSpec(code, weight, draw(criterion_specs(code)))
        for code, weight in zip("ABC", draw(weights(count)), strict=False)
    )
    keys = ["time", *(f"section:{s.code}" for s in sections)]
    keys += [
        f"criterion:{c.code}"
        for s in sections
        for c in s.criteria
        if c.type != CriterionType.DEDUCTION
    ]
    return SchemeSpec(
        sections=sections,
        aggregation=draw(st.sampled_from(list(Aggregation))),
        min_judges_to_trim=draw(st.integers(3, 6)),
        tie_break=tuple(draw(st.lists(st.sampled_from(keys), unique=True, max_size=4))),
        awards=draw(award_tiers()),
    )


def all_criteria(scheme: SchemeSpec) -> list[CriterionSpec]:
    return [c for section in scheme.sections for c in section.criteria]


# Entries are decoded from bytes drawn in one go: one draw per event instead of
# one per judge's value keeps generation fast, and bytes still shrink to zero.
MAX_JUDGES = 6
BYTES_PER_CRITERION = 1 + MAX_JUDGES
HEAD_BYTES = 2  # status, finish time


def judge_value(criterion: CriterionSpec, byte: int) -> Decimal:
    if criterion.type == CriterionType.JUDGEMENT:
        return D(byte % 4)
    if byte < 160:
        # Mostly a few round values, so that ties are common.
        return criterion.max * (byte % 5) / 4
    # Otherwise a hundredth somewhere in [0, max].
    return (criterion.max * (byte - 160) / 95).quantize(D("0.01"), rounding=ROUND_DOWN)


def decode_entry(scheme: SchemeSpec, key: str, data: bytes, status=None) -> EntryInput:
    marks = {}
    for n, criterion in enumerate(all_criteria(scheme)):
        chunk = data[HEAD_BYTES + n * BYTES_PER_CRITERION :][:BYTES_PER_CRITERION]
        judges = chunk[0] % (MAX_JUDGES + 2)
        if judges <= MAX_JUDGES:  # else the criterion is left out of the mapping
            marks[criterion.code] = tuple(judge_value(criterion, b) for b in chunk[1 : 1 + judges])
    return EntryInput(
        key=key,
        status=status or STATUSES[data[0] % len(STATUSES)],
        finish_seconds=TIMES[data[1] % len(TIMES)],
        marks=marks,
    )


def entry_size(scheme: SchemeSpec) -> int:
    return HEAD_BYTES + BYTES_PER_CRITERION * len(all_criteria(scheme))


@st.composite
def events(draw, max_entries: int = 10) -> tuple[SchemeSpec, list[EntryInput]]:
    scheme = draw(schemes())
    size = entry_size(scheme)
    count = draw(st.integers(0, max_entries))
    data = draw(st.binary(min_size=count * size, max_size=count * size))
    entries = [
        decode_entry(scheme, f"E{n:02d}", data[n * size : (n + 1) * size]) for n in range(count)
    ]
    # Copies of an entry's marks under another key, with the same or another
    # finish time: ties that only the time breaks, or that survive every key.
    copies = (
        draw(st.lists(st.tuples(st.sampled_from(entries), TIME), max_size=3)) if entries else []
    )
    entries += [
        replace(original, key=f"T{n:02d}", finish_seconds=seconds)
        for n, (original, seconds) in enumerate(copies)
    ]
    return scheme, entries


def rank_key(scheme: SchemeSpec, entry: EntryInput, result: EntryResult) -> tuple:
    """An independent statement of the ranking order, built from the result's own values."""
    key: list = [-round2(result.total)]
    for tie_break in scheme.tie_break:
        kind, _, code = tie_break.partition(":")
        if kind == "section":
            key.append(-round2(result.sections[code]))
        elif kind == "criterion":
            key.append(-round2(result.criteria[code] or 0))
        else:
            seconds = entry.finish_seconds
            key.append((1, 0) if seconds is None else (0, round2(seconds)))
    return tuple(key)


def quotas(scheme: SchemeSpec, ranked: int) -> list[int]:
    """Q_k computed a second way: Decimal arithmetic and quantize, half up."""
    result, shares, counts = [], D(0), 0
    for tier in scheme.awards:
        shares += tier.share or 0
        counts += tier.count or 0
        rounded = (shares * ranked).quantize(D(1), rounding=ROUND_HALF_UP)
        result.append(int(rounded) + counts)
    return result


def shuffled_values(entry: EntryInput, randoms) -> EntryInput:
    marks = {
        code: tuple(randoms.sample(values, len(values))) for code, values in entry.marks.items()
    }
    return replace(entry, marks=marks)


@PROPERTIES
@given(events(), st.randoms(use_true_random=False))
def test_input_order_never_changes_the_result(event, randoms):
    scheme, entries = event
    reordered = [shuffled_values(entry, randoms) for entry in randoms.sample(entries, len(entries))]
    assert compute_results(scheme, reordered) == compute_results(scheme, entries)


@PROPERTIES
@given(events())
def test_ranks_follow_totals_then_tie_breaks_as_competition_ranks(event):
    scheme, entries = event
    results = compute_results(scheme, entries)
    by_key = {entry.key: entry for entry in entries}
    ranked = [r for r in results if r.ranked]
    assert [r.key for r in results[len(ranked) :]] == sorted(r.key for r in results if not r.ranked)
    keys = [rank_key(scheme, by_key[r.key], r) for r in ranked]
    assert keys == sorted(keys)  # a higher rounded total never ranks below a lower one
    for result, key in zip(ranked, keys, strict=True):
        assert result.rank == 1 + sum(other < key for other in keys)
    ranks = [r.rank for r in ranked]
    assert ranks == sorted(ranks)
    assert not ranks or ranks[0] == 1
    for (a, key_a), (b, key_b) in pairwise(zip(ranked, keys, strict=True)):
        assert (a.rank == b.rank) == (key_a == key_b)
        if a.rank == b.rank:
            assert a.key < b.key  # ties listed by key
    for result in results[len(ranked) :]:
        assert (result.total, result.rank, result.award) == (None, None, None)
        assert result.status in {"absent", "withdrawn", "disqualified"}


@PROPERTIES
@given(events(max_entries=20))
def test_awards_follow_their_definition(event):
    scheme, entries = event
    ranked = [r for r in compute_results(scheme, entries) if r.ranked]
    q = quotas(scheme, len(ranked))
    for result in ranked:
        expected = next(
            (
                tier.code
                for tier, quota in zip(scheme.awards, q, strict=True)
                if result.rank <= quota
                and (tier.min_total is None or round2(result.total) >= tier.min_total)
            ),
            None,
        )
        assert result.award == expected
    by_rank: dict[int, set] = {}
    for result in ranked:
        by_rank.setdefault(result.rank, set()).add(result.award)
    assert all(len(awards) == 1 for awards in by_rank.values())  # a shared rank, a shared award


def _tied_across(ranked: list[EntryResult], position: int) -> bool:
    """True when the entries in places ``position`` and ``position`` + 1 share a rank."""
    return 0 < position < len(ranked) and ranked[position - 1].rank == ranked[position].rank


@PROPERTIES
@given(events(max_entries=20))
def test_tiers_hold_no_more_than_their_quota_except_for_ties_at_a_boundary(event):
    scheme, entries = event
    ranked = [r for r in compute_results(scheme, entries) if r.ranked]
    q = quotas(scheme, len(ranked))
    codes = [tier.code for tier in scheme.awards]
    has_min_total = any(tier.min_total is not None for tier in scheme.awards)
    for k, quota in enumerate(q):
        # Tiers 1..k together never go past Q_k but for a tie across place Q_k.
        up_to_k = [r for r in ranked if r.award in codes[: k + 1]]
        assert all(r.rank <= quota for r in up_to_k)
        if len(up_to_k) > quota:
            assert _tied_across(ranked, quota)
        # Without min_total, tier k alone holds at most Q_k − Q_(k−1), ties apart.
        below = q[k - 1] if k else 0
        in_k = [r for r in ranked if r.award == codes[k]]
        if not has_min_total and len(in_k) > max(quota - below, 0):
            assert _tied_across(ranked, quota)


@PROPERTIES
@given(events())
def test_totals_and_sections_are_exact_stay_in_range_and_add_up(event):
    scheme, entries = event
    for result in compute_results(scheme, entries):
        assert all(isinstance(score, Fraction) for score in result.sections.values())
        assert all(m is None or isinstance(m, Fraction) for m in result.criteria.values())
        for section in scheme.sections:
            assert 0 <= result.sections[section.code] <= section.weight
        if result.ranked:
            assert 0 <= result.total <= 100
            assert result.total == sum(result.sections.values())
            shown = sum(round2(score) for score in result.sections.values())
            assert abs(shown - round2(result.total)) <= D("0.01") * len(scheme.sections)
        assert result.missing == tuple(
            code for code, mark in result.criteria.items() if mark is None
        )


@st.composite
def one_improvement(draw):
    """A scheme, a ranked entry, and the same entry with one value improved."""
    scheme = draw(schemes())
    size = entry_size(scheme)
    data = draw(st.binary(min_size=size, max_size=size))
    entry = decode_entry(scheme, "E1", data, status=EntryStatus.FINISHED)
    criterion = draw(st.sampled_from(all_criteria(scheme)))
    values = list(entry.marks.get(criterion.code, ()))
    if not values:
        values = [judge_value(criterion, draw(st.integers(0, 255)))]
    index = draw(st.integers(0, len(values) - 1))
    if criterion.type == CriterionType.DEDUCTION:
        better = draw(st.decimals(0, values[index], places=2))  # a lower deduction
    elif criterion.type == CriterionType.JUDGEMENT:
        better = D(draw(st.integers(int(values[index]), 3)))
    else:
        better = draw(st.decimals(values[index], criterion.max, places=2))
    entry = replace(entry, marks={**entry.marks, criterion.code: tuple(values)})
    values[index] = better
    improved = replace(entry, marks={**entry.marks, criterion.code: tuple(values)})
    return scheme, entry, improved


@PROPERTIES
@given(one_improvement())
def test_a_better_mark_never_lowers_the_total(case):
    scheme, entry, improved = case
    (before,) = compute_results(scheme, [entry])
    (after,) = compute_results(scheme, [improved])
    assert after.total >= before.total
    for section in scheme.sections:
        assert after.sections[section.code] >= before.sections[section.code]

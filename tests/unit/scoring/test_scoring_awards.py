"""Awards: cumulative quotas Q_k, ties at a boundary, min_total, count tiers."""

from decimal import Decimal

import pytest

from competitions.scoring import AwardTierSpec, compute_results
from competitions.scoring.awards import award_for, award_quotas

D = Decimal

# One criterion out of 100 with weight 100: an entry's total is its mark.
SECTIONS = {"S": (100, {"C": ("marks", 100)})}

PRIZES = (  # the contest package's tiers
    AwardTierSpec("first", share=D("0.1")),
    AwardTierSpec("second", share=D("0.2")),
    AwardTierSpec("third", share=D("0.3"), min_total=D(60)),
)


@pytest.fixture
def award(make_scheme, make_entry):
    """award(tiers, totals, **unranked) -> [(key, rank, award)] for entries E01, E02, …"""

    def award(tiers, totals, unranked=()):
        entries = [make_entry(f"E{n:02d}", C=[total]) for n, total in enumerate(totals, 1)]
        entries += [make_entry(f"X{n}", status=s, C=[100]) for n, s in enumerate(unranked)]
        results = compute_results(make_scheme(SECTIONS, awards=tiers), entries)
        return [(r.key, r.rank, r.award) for r in results if r.ranked]

    return award


@pytest.mark.parametrize(
    ("shares_and_counts", "ranked", "expected"),
    [
        # 0.1, 0.2, 0.3 of 10: Q = 1, 3, 6
        ([("0.1", None), ("0.2", None), ("0.3", None)], 10, (1, 3, 6)),
        # of 25: 2.5 → 3, 7.5 → 8, 15 → 15 (half up)
        ([("0.1", None), ("0.2", None), ("0.3", None)], 25, (3, 8, 15)),
        # cumulative shares are rounded, not each tier's: 1.5 → 2, then 3.0 → 3 (not 2 + 2)
        ([("0.1", None), ("0.1", None)], 15, (2, 3)),
        ([("0.1", None)], 24, (2,)),  # 2.4 → 2
        ([("0.1", None)], 0, (0,)),
        ([("0", None), ("1", None)], 7, (0, 7)),
        # counts add up: 1, 1 + 2, 1 + 2 + 3
        ([(None, 1), (None, 2), (None, 3)], 8, (1, 3, 6)),
        # mixed: round(Σ shares × N) + Σ counts. N = 25: 0 + 1, round(2.5) + 1, round(7.5) + 1
        ([(None, 1), ("0.1", None), ("0.2", None)], 25, (1, 4, 9)),
        ([("0.1", None), (None, 2)], 25, (3, 5)),
        ([(None, 3)], 2, (3,)),  # a count may exceed N
    ],
)
def test_award_quotas(shares_and_counts, ranked, expected):
    tiers = [
        AwardTierSpec(f"T{n}", share=None if s is None else D(s), count=c)
        for n, (s, c) in enumerate(shares_and_counts)
    ]
    assert award_quotas(tiers, ranked) == expected


def test_awards_follow_the_quotas(award):
    # N = 10: first ranks 1, second 2–3, third 4–6 (all totals ≥ 60), none 7–10.
    totals = [100, 99, 98, 97, 96, 95, 94, 93, 92, 91]
    assert [a for _, _, a in award(PRIZES, totals)] == (
        ["first"] + ["second"] * 2 + ["third"] * 3 + [None] * 4
    )


def test_a_tenth_of_25_is_3_first_prizes(award):
    # 0.1 × 25 = 2.5 → 3.
    totals = list(range(99, 74, -1))
    awards = [a for _, _, a in award(PRIZES[:1], totals)]
    assert awards == ["first"] * 3 + [None] * 22


def test_entries_tied_across_a_boundary_share_the_better_award(award):
    # N = 10, first 0.2 → Q1 = 2, second 0.2 → Q2 = 4. Ranks 1, 2, 2, 4, 4, 6.
    tiers = (AwardTierSpec("first", share=D("0.2")), AwardTierSpec("second", share=D("0.2")))
    totals = [99, 98, 98, "97.001", "96.995", 96, 95, 94, 93, 92]
    assert award(tiers, totals)[:7] == [
        ("E01", 1, "first"),
        ("E02", 2, "first"),  # three firsts for a quota of two: the tie shares
        ("E03", 2, "first"),
        ("E04", 4, "second"),  # 97.001 and 96.995 are both shown 97.00: tied
        ("E05", 4, "second"),
        ("E06", 6, None),
        ("E07", 7, None),
    ]


def test_a_tie_just_past_a_boundary_gets_the_next_award(award):
    # Q1 = 2; ranks 1, 2, 3, 3: the tie at 3 is all outside "first".
    tiers = (AwardTierSpec("first", share=D("0.2")), AwardTierSpec("second", share=D("0.2")))
    totals = [99, 98, 97, 97, 90, 80, 70, 60, 50, 40]
    assert [(r, a) for _, r, a in award(tiers, totals)][:5] == [
        (1, "first"),
        (2, "first"),
        (3, "second"),
        (3, "second"),
        (5, None),  # Q2 = 4
    ]


def test_min_total_pushes_an_entry_to_a_lower_tier_or_to_no_award(award):
    tiers = (
        AwardTierSpec("first", share=D("0.1"), min_total=D(95)),
        AwardTierSpec("second", share=D("0.2")),
        AwardTierSpec("third", share=D("0.3"), min_total=D(60)),
    )
    # N = 10; Q = 1, 3, 6.
    totals = [94, 80, 70, 60, "59.995", "59.99", 50, 40, 30, 20]
    assert [a for _, _, a in award(tiers, totals)] == [
        "second",  # rank 1 but 94 < 95: first tier refused, second takes it
        "second",
        "second",
        "third",  # 60.00 ≥ 60
        "third",  # 59.995 is shown 60.00 and reaches 60
        None,  # 59.99 < 60 and no later tier
        None,
        None,
        None,
        None,
    ]


def test_min_total_can_leave_a_tier_empty(award):
    tiers = (AwardTierSpec("gold", count=1, min_total=D(90)),)
    assert award(tiers, [89, 50]) == [("E01", 1, None), ("E02", 2, None)]


def test_count_tiers(award):
    tiers = (
        AwardTierSpec("gold", count=1),
        AwardTierSpec("silver", count=2),
        AwardTierSpec("bronze", count=3),
    )
    awards = [a for _, _, a in award(tiers, [90, 80, 70, 60, 50, 40, 30, 20])]
    assert awards == ["gold", "silver", "silver", "bronze", "bronze", "bronze", None, None]


def test_count_and_share_tiers_mix(award):
    # N = 20: special Q = 0 + 1 = 1; first Q = round(0.1 × 20) + 1 = 3.
    tiers = (AwardTierSpec("special", count=1), AwardTierSpec("first", share=D("0.1")))
    awards = [a for _, _, a in award(tiers, list(range(100, 80, -1)))]
    assert awards == ["special", "first", "first"] + [None] * 17


def test_unranked_entries_do_not_count_in_n(award):
    # N = 10 ranked → 0.2 × 10 = 2 firsts. Counting the 3 unranked would give
    # 0.2 × 13 = 2.6 → 3.
    tiers = (AwardTierSpec("first", share=D("0.2")),)
    totals = [99, 98, 97, 96, 95, 94, 93, 92, 91, 90]
    results = award(tiers, totals, unranked=("absent", "withdrawn", "disqualified"))
    assert [a for _, _, a in results] == ["first", "first"] + [None] * 8


def test_no_tiers_no_awards(award):
    assert award((), [90, 80]) == [("E01", 1, None), ("E02", 2, None)]


def test_award_for_compares_min_total_with_the_rounded_total():
    from fractions import Fraction

    tiers = (AwardTierSpec("first", count=1, min_total=D("60")),)
    assert award_for(tiers, (1,), 1, Fraction(59995, 1000)) == "first"
    assert award_for(tiers, (1,), 1, Fraction(59994, 1000)) is None
    assert award_for(tiers, (1,), 2, Fraction(100)) is None

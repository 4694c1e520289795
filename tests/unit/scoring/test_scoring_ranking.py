"""Ranking: rounded totals, tie-break keys in order, shared ranks 1, 2, 2, 4."""

from fractions import Fraction

import pytest

from competitions.scoring import EntryStatus, compute_results
from competitions.scoring.ranking import competition_ranks, key_parts

# Every weighted score equals its raw marks: A = A1 (weight 50 of max 50),
# B = B1 + B2 (weight 50 of max 25 + 25). Total = A1 + B1 + B2.
SECTIONS = {
    "A": (50, {"A1": ("marks", 50)}),
    "B": (50, {"B1": ("marks", 25), "B2": ("marks", 25)}),
}


@pytest.fixture
def rank(make_scheme):
    """rank(entries, *tie_break) -> [(key, rank), ...] in result order."""

    def rank(entries, *tie_break):
        results = compute_results(make_scheme(SECTIONS, tie_break=tie_break), entries)
        return [(r.key, r.rank) for r in results]

    return rank


def test_higher_total_ranks_first(rank, make_entry):
    entries = [
        make_entry("E1", A1=[30], B1=[10], B2=[10]),  # 50
        make_entry("E2", A1=[40], B1=[20], B2=[20]),  # 80
        make_entry("E3", A1=[35], B1=[15], B2=[15]),  # 65
    ]
    assert rank(entries) == [("E2", 1), ("E3", 2), ("E1", 3)]


def test_totals_are_compared_rounded_to_two_decimals(rank, make_entry):
    entries = [
        make_entry("E2", A1=["40.341"], B1=[25], B2=[22]),  # 87.341 → 87.34
        make_entry("E1", A1=["40.344"], B1=[25], B2=[22]),  # 87.344 → 87.34
        make_entry("E3", A1=["40.345"], B1=[25], B2=[22]),  # 87.345 → 87.35: ahead
    ]
    assert rank(entries) == [("E3", 1), ("E1", 2), ("E2", 2)]


def test_a_better_tie_break_never_beats_a_higher_rounded_total(rank, make_entry):
    entries = [
        make_entry("E1", A1=[50], B1=[0], B2=["0.01"], time=9999),  # 50.01
        make_entry("E2", A1=[0], B1=[25], B2=[25], time=1),  # 50.00
    ]
    assert rank(entries, "section:B", "time") == [("E1", 1), ("E2", 2)]


# E1 and E2 both total 80, E1 = A 40 + B 40 (B1 20, B2 20), E2 = A 30 + B 50.
SECTION_TIE = [("E1", [40], [20], [20]), ("E2", [30], [25], [25])]
# Same A and B, different criteria: E1 B1 20 / B2 20, E2 B1 25 / B2 15.
CRITERION_TIE = [("E1", [40], [20], [20]), ("E2", [40], [25], [15])]


@pytest.mark.parametrize(
    ("marks", "tie_break", "expected"),
    [
        (SECTION_TIE, ["section:A"], [("E1", 1), ("E2", 2)]),
        (SECTION_TIE, ["section:B"], [("E2", 1), ("E1", 2)]),
        (CRITERION_TIE, ["section:A", "criterion:B1"], [("E2", 1), ("E1", 2)]),
        (CRITERION_TIE, ["criterion:B2"], [("E1", 1), ("E2", 2)]),
        (CRITERION_TIE, ["criterion:A1"], [("E1", 1), ("E2", 1)]),  # equal A1: still tied
        (CRITERION_TIE, [], [("E1", 1), ("E2", 1)]),
    ],
)
def test_ties_are_broken_by_sections_and_criteria(rank, make_entry, marks, tie_break, expected):
    entries = [make_entry(key, A1=a1, B1=b1, B2=b2) for key, a1, b1, b2 in marks]
    assert rank(list(reversed(entries)), *tie_break) == expected


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ({"E1": 3600, "E2": 3500}, [("E2", 1), ("E1", 2)]),  # shorter wins
        ({"E1": 3600, "E2": None}, [("E1", 1), ("E2", 2)]),  # no time loses
        ({"E1": None, "E2": 1}, [("E2", 1), ("E1", 2)]),
        ({"E1": None, "E2": None}, [("E1", 1), ("E2", 1)]),  # two without time stay equal
        ({"E1": 3600, "E2": 3600}, [("E1", 1), ("E2", 1)]),
        ({"E1": "3600.004", "E2": "3600.001"}, [("E1", 1), ("E2", 1)]),  # both 3600.00
        ({"E1": "3600.005", "E2": "3600.001"}, [("E2", 1), ("E1", 2)]),  # 3600.01 > 3600.00
    ],
)
def test_ties_are_broken_by_finish_time(rank, make_entry, times, expected):
    entries = [make_entry(key, time=t, A1=[40], B1=[20], B2=[20]) for key, t in times.items()]
    assert rank(entries, "time") == expected


def test_tie_break_values_are_compared_rounded_to_two_decimals(rank, make_entry):
    # Both total 80.00 and have A 40.001 / 40.004, both shown 40.00: section A
    # cannot separate them, so time decides.
    entries = [
        make_entry("E1", time=3600, A1=["40.001"], B1=[20], B2=["19.999"]),
        make_entry("E2", time=3500, A1=["40.004"], B1=[20], B2=["19.996"]),
    ]
    assert rank(entries, "section:A", "time") == [("E2", 1), ("E1", 2)]
    # A difference of 0.005 shows as 40.01 against 40.00, and does separate them.
    entries[0] = make_entry("E1", time=3600, A1=["40.005"], B1=[20], B2=["19.995"])
    assert rank(entries, "section:A", "time") == [("E1", 1), ("E2", 2)]


def test_tie_break_keys_apply_in_their_order(rank, make_entry):
    # E1 is better on section A, E2 on time.
    entries = [
        make_entry("E1", time=4000, A1=[40], B1=[20], B2=[20]),
        make_entry("E2", time=3000, A1=[30], B1=[25], B2=[25]),
    ]
    assert rank(entries, "section:A", "time") == [("E1", 1), ("E2", 2)]
    assert rank(entries, "time", "section:A") == [("E2", 1), ("E1", 2)]


def test_a_deduction_tie_break_favours_fewer_penalty_points(make_scheme, make_entry):
    """On a deduction criterion the criterion's mark is a penalty: the lower one wins."""
    sections = {"A": (100, {"A1": ("marks", 50), "D1": ("deduction", 10)})}
    entries = [
        make_entry("E1", A1=[46], D1=[4]),  # 42 of 50 -> 84.00, penalised 4
        make_entry("E2", A1=[43], D1=[1]),  # 42 of 50 -> 84.00, penalised 1
        make_entry("E3", A1=[42]),  # 42 of 50 -> 84.00, never penalised: counts as 0
    ]
    results = compute_results(make_scheme(sections, tie_break=("criterion:D1",)), entries)
    assert [(r.key, r.rank) for r in results] == [("E3", 1), ("E2", 2), ("E1", 3)]


def test_a_missing_mark_counts_as_zero_in_a_criterion_tie_break(rank, make_entry):
    entries = [
        make_entry("E1", A1=[45], B2=[25]),  # 70, B1 never marked
        make_entry("E2", A1=[40], B1=[5], B2=[25]),  # 70, B1 5
        make_entry("E3", A1=[45], B1=[0], B2=[25]),  # 70, B1 0, same as E1's nothing
    ]
    assert rank(entries, "criterion:B1") == [("E2", 1), ("E1", 2), ("E3", 2)]


def test_ties_surviving_every_key_share_a_rank_and_the_next_rank_skips(rank, make_entry):
    entries = [
        make_entry("E4", time=3600, A1=[35], B1=[15], B2=[20]),  # 70
        make_entry("E3", time=3600, A1=[40], B1=[20], B2=[20]),  # 80
        make_entry("E1", time=3000, A1=[45], B1=[20], B2=[25]),  # 90
        make_entry("E2", time=3600, A1=[40], B1=[20], B2=[20]),  # 80, same as E3 on all keys
    ]
    keys = ("section:A", "criterion:B1", "time")
    assert rank(entries, *keys) == [("E1", 1), ("E2", 2), ("E3", 2), ("E4", 4)]


def test_ties_at_the_top_and_three_way_ties(rank, make_entry):
    entries = [make_entry(f"E{n}", A1=[40], B1=[20], B2=[20]) for n in (3, 1, 2)]
    entries.append(make_entry("E4", A1=[1]))
    entries.append(make_entry("E5", A1=[1]))
    assert rank(entries) == [("E1", 1), ("E2", 1), ("E3", 1), ("E4", 4), ("E5", 4)]


@pytest.mark.parametrize("status", ["absent", "withdrawn", "disqualified"])
def test_absent_withdrawn_and_disqualified_entries_are_not_ranked(make_scheme, make_entry, status):
    entries = [
        make_entry("Z9", status=status, A1=[50], B1=[25], B2=[25]),  # would have won
        make_entry("E2", A1=[30]),
        make_entry("A1", status=EntryStatus(status), A1=[10]),
        make_entry("E1", A1=[40]),
    ]
    results = compute_results(make_scheme(SECTIONS), entries)
    assert [(r.key, r.rank, r.ranked) for r in results] == [
        ("E1", 1, True),
        ("E2", 2, True),
        ("A1", None, False),  # unranked entries come last, by key
        ("Z9", None, False),
    ]
    unranked = results[-1]
    assert (unranked.status, unranked.total, unranked.award) == (status, None, None)
    # Still reported for information.
    assert unranked.sections == {"A": 50, "B": 50}
    assert unranked.criteria == {"A1": 50, "B1": 25, "B2": 25}


@pytest.mark.parametrize("status", ["registered", "checked_in", "competing", "finished"])
def test_entries_in_other_states_are_ranked(make_scheme, make_entry, status):
    (result,) = compute_results(make_scheme(SECTIONS), [make_entry("E1", status=status)])
    assert (result.ranked, result.rank, result.total) == (True, 1, Fraction(0))
    assert result.status == status


def test_an_event_without_entries_has_no_results(make_scheme):
    assert compute_results(make_scheme(SECTIONS), []) == ()


def test_competition_ranks_orders_and_shares():
    keyed = [("b", (-5,)), ("a", (-5,)), ("c", (-9,)), ("d", (0,))]
    assert competition_ranks(keyed) == [("c", 1), ("a", 2), ("b", 2), ("d", 4)]
    assert competition_ranks([]) == []


def test_key_parts_refuses_an_unknown_key():
    with pytest.raises(ValueError, match="unknown tie-break key 'fastest'"):
        key_parts(["fastest"])

"""The draw of lots as a pure function, and the lifecycle table."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competitions.contests import draw, lifecycle
from competitions.enums import CompetitionStatus, EventStatus

SEED = "00112233445566778899aabbccddeeff"


def test_the_documented_algorithm_gives_the_outcome():
    """Recompute a draw by hand from the module docstring, with hashlib only."""
    refs = ["E001", "E002", "E003", "E004"]
    stations = ["A1", "A2", "A3", "A4", "A5"]

    def order(purpose):
        return sorted(
            refs, key=lambda r: hashlib.sha256(f"{SEED}|{purpose}|{r}".encode()).hexdigest()
        )

    expected_numbers = {ref: f"{i:03d}" for i, ref in enumerate(order("number"), 1)}
    expected_stations = dict(zip(order("station"), stations, strict=False))
    outcome = draw.draw_lots(SEED, refs, stations)
    assert {r: lot.number for r, lot in outcome.items()} == expected_numbers
    assert {r: lot.station for r, lot in outcome.items()} == expected_stations


def test_the_same_seed_gives_the_same_draw_in_any_input_order():
    refs = [f"E{n:03d}" for n in range(50)]
    assert draw.draw_lots(SEED, refs) == draw.draw_lots(SEED, list(reversed(refs)))
    assert draw.draw_lots(SEED, refs) != draw.draw_lots(draw.new_seed(), refs)


@given(st.sets(st.text("ABCDEF0123456789", min_size=1, max_size=8), min_size=1, max_size=60))
def test_numbers_are_a_permutation_and_stations_unique(refs):
    refs = sorted(refs)
    stations = [f"S{n}" for n in range(len(refs) + 3)]
    outcome = draw.draw_lots(SEED, refs, stations)
    assert sorted(lot.number for lot in outcome.values()) == [
        f"{n:03d}" for n in range(1, len(refs) + 1)
    ]
    used = [lot.station for lot in outcome.values()]
    assert len(set(used)) == len(refs) and set(used) <= set(stations)


def test_numbers_widen_past_999():
    assert draw.number_width(999) == 3 and draw.number_width(1000) == 4
    outcome = draw.draw_lots(SEED, [f"E{n}" for n in range(1000)])
    assert {len(lot.number) for lot in outcome.values()} == {4}


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        draw.draw_lots(SEED, ["A", "A"])
    with pytest.raises(ValueError):
        draw.draw_lots(SEED, ["A", "B"], ["S1"])


def test_seeds_are_128_bit_hex():
    seed = draw.new_seed()
    assert len(seed) == 32 and int(seed, 16) >= 0


@pytest.mark.parametrize(
    "status,scheme,entries,self_reg,lots,entry_status,details",
    [
        (EventStatus.DRAFT, True, True, False, False, False, True),
        (EventStatus.REGISTRATION_OPEN, True, True, True, True, True, True),
        (EventStatus.REGISTRATION_CLOSED, True, False, False, True, True, True),
        (EventStatus.MARKING, False, False, False, False, True, True),
        (EventStatus.SIGNED_OFF, False, False, False, False, False, True),
        (EventStatus.PUBLISHED, False, False, False, False, False, True),
        (EventStatus.FINAL, False, False, False, False, False, False),
    ],
)
def test_what_each_event_state_allows(
    status, scheme, entries, self_reg, lots, entry_status, details
):
    event = SimpleNamespace(status=status)
    assert lifecycle.scheme_editable(event) is scheme
    assert lifecycle.entries_editable(event) is entries
    assert lifecycle.registration_open(event) is self_reg
    assert lifecycle.draw_allowed(event) is lots
    assert lifecycle.entry_status_editable(event) is entry_status
    assert lifecycle.details_editable(event) is details
    assert lifecycle.marking_open(event) is (status is EventStatus.MARKING)


def test_every_event_state_is_reachable_and_has_its_owner():
    reached = {EventStatus.DRAFT}
    for transition in lifecycle.EVENT_TRANSITIONS.values():
        reached.add(transition.target)
        assert transition.owner in {"contests", "judging", "results"}
    assert reached == set(EventStatus)
    owners = {t.name: t.owner for t in lifecycle.EVENT_TRANSITIONS.values()}
    assert owners["sign_off"] == "judging" and owners["publish"] == "results"


def test_transitions_offered_from_a_state():
    event = SimpleNamespace(status=EventStatus.REGISTRATION_CLOSED)
    names = [t.name for t in lifecycle.event_transitions(event)]
    assert names == ["reopen_registration", "start_marking"]
    marking = SimpleNamespace(status=EventStatus.MARKING)
    assert lifecycle.event_transitions(marking, owner="contests") == []
    assert [t.name for t in lifecycle.event_transitions(marking)] == ["sign_off"]


def test_competition_states_run_in_order():
    status = CompetitionStatus.DRAFT
    path = []
    while True:
        options = lifecycle.competition_transitions(SimpleNamespace(status=status))
        forward = [t for t in options if t.name != "reopen_registration"]
        if not forward:
            break
        status = forward[0].target
        path.append(status)
    assert path == list(CompetitionStatus)[1:]
    assert lifecycle.events_addable(SimpleNamespace(status=CompetitionStatus.REGISTRATION_CLOSED))
    assert not lifecycle.events_addable(SimpleNamespace(status=CompetitionStatus.IN_PROGRESS))
    assert not lifecycle.competition_editable(SimpleNamespace(status=CompetitionStatus.ARCHIVED))

"""The lifecycle of competitions and events: allowed transitions and what may change.

Everything here reads an object's ``status`` only, so other domains can ask it
without a database round trip (``scheme_editable(event)``) and tests need no
database. The services apply transitions (:func:`transition_event`,
:func:`transition_competition`): they check the table below, change the status
and record who and when in the audit log. Preconditions that need data (a valid
scheme, a completed draw, every mark in) are checked by the service of the domain
that owns the action before it calls :func:`transition_event`.

Event states, in order::

    draft ─open_registration→ registration_open ─close_registration→ registration_closed
          ←─────────────────────── reopen_registration ──────────────┘
    registration_closed ─start_marking→ marking ─sign_off→ signed_off ─publish→ published
    signed_off ─reopen_marking→ marking          published ─finalise→ final

``sign_off``/``reopen_marking`` belong to judging (the chief judge) and
``publish``/``finalise`` to results; contests owns the rest.

What each event state allows:

============================  ======  ===========  ==========  ======  ==============
state                         scheme  add entries  self-reg.   draw    entry status
============================  ======  ===========  ==========  ======  ==============
draft                         yes     yes          no          no      no
registration_open             yes     yes          yes         yes     yes
registration_closed           yes     no           no          yes     yes
marking                       no      no           no          no      yes
signed_off, published, final  no      no           no          no      no
============================  ======  ===========  ==========  ======  ==============

The scheme (sections, criteria, award tiers, tie-break keys, aggregation) is frozen
once marking has started: a mark means something only against the scheme it was
given under. Names, venue and times of an event may change until its results are
final. Competition states are coarser: a competition opens and closes registration
for its events together, then moves on as its events do.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..enums import CompetitionStatus, EventStatus

C = CompetitionStatus
E = EventStatus


@dataclass(frozen=True)
class Transition:
    """A named move from one of ``sources`` to ``target``; ``owner`` is the domain that runs it."""

    name: str
    sources: tuple
    target: object
    owner: str
    label: object  # a lazy translated string: the button's text
    explanation: object  # a lazy translated string: shown on the confirmation page


EVENT_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "open_registration",
            (E.DRAFT,),
            E.REGISTRATION_OPEN,
            "contests",
            _l("Open registration"),
            _l(
                "Contestants can then be registered for this event. The marking scheme "
                "must be complete: weights total 100 and every section has a criterion."
            ),
        ),
        Transition(
            "close_registration",
            (E.REGISTRATION_OPEN,),
            E.REGISTRATION_CLOSED,
            "contests",
            _l("Close registration"),
            _l(
                "The list of entries is then fixed: nobody can add, change or remove entries. "
                "Organisers draw lots and check contestants in."
            ),
        ),
        Transition(
            "reopen_registration",
            (E.REGISTRATION_CLOSED,),
            E.REGISTRATION_OPEN,
            "contests",
            _l("Reopen registration"),
            _l("Contestants can register again until registration is closed once more."),
        ),
        Transition(
            "start_marking",
            (E.REGISTRATION_CLOSED,),
            E.MARKING,
            "contests",
            _l("Start marking"),
            _l(
                "Judges can then enter marks. The marking scheme is frozen from now on, "
                "no entries can be added and lots can no longer be drawn. Every entry "
                "that competes must have a number from the draw."
            ),
        ),
        Transition(
            "sign_off",
            (E.MARKING,),
            E.SIGNED_OFF,
            "judging",
            _l("Sign off"),
            _l("The chief judge locks the event's marks."),
        ),
        Transition(
            "reopen_marking",
            (E.SIGNED_OFF,),
            E.MARKING,
            "judging",
            _l("Reopen marking"),
            _l("The marks are unlocked for corrections."),
        ),
        Transition(
            "publish",
            (E.SIGNED_OFF,),
            E.PUBLISHED,
            "results",
            _l("Publish results"),
            _l("The results are published and the publicity period starts."),
        ),
        Transition(
            "finalise",
            (E.PUBLISHED,),
            E.FINAL,
            "results",
            _l("Finalise results"),
            _l("The results become final and never change again."),
        ),
    )
}

COMPETITION_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "open_registration",
            (C.DRAFT,),
            C.REGISTRATION_OPEN,
            "contests",
            _l("Open registration"),
            _l(
                "Registration opens for every event still in draft. Each of them needs a "
                "complete marking scheme."
            ),
        ),
        Transition(
            "close_registration",
            (C.REGISTRATION_OPEN,),
            C.REGISTRATION_CLOSED,
            "contests",
            _l("Close registration"),
            _l("Registration closes for every event where it is open."),
        ),
        Transition(
            "reopen_registration",
            (C.REGISTRATION_CLOSED,),
            C.REGISTRATION_OPEN,
            "contests",
            _l("Reopen registration"),
            _l("Registration opens again for every event where it was closed."),
        ),
        Transition(
            "start",
            (C.REGISTRATION_CLOSED,),
            C.IN_PROGRESS,
            "contests",
            _l("Start the competition"),
            _l(
                "The competition is under way. Each event starts marking on its own "
                "page when its contestants compete."
            ),
        ),
        Transition(
            "close_marking",
            (C.IN_PROGRESS,),
            C.MARKING_CLOSED,
            "contests",
            _l("Close marking"),
            _l("Every event must have been signed off by its chief judge."),
        ),
        Transition(
            "publish_results",
            (C.MARKING_CLOSED,),
            C.RESULTS_PUBLISHED,
            "contests",
            _l("Mark results as published"),
            _l("Every event must have published results."),
        ),
        Transition(
            "archive",
            (C.RESULTS_PUBLISHED,),
            C.ARCHIVED,
            "contests",
            _l("Archive"),
            _l("Every event must have final results. Nothing can change afterwards."),
        ),
    )
}

#: Event states in which the marking scheme may still change.
SCHEME_EDITABLE = frozenset({E.DRAFT, E.REGISTRATION_OPEN, E.REGISTRATION_CLOSED})
#: Event states in which organisers may add or remove entries.
ENTRIES_EDITABLE = frozenset({E.DRAFT, E.REGISTRATION_OPEN})
#: Event states in which lots may be drawn (again).
DRAW_ALLOWED = frozenset({E.REGISTRATION_OPEN, E.REGISTRATION_CLOSED})
#: Event states in which entries can be checked in, marked absent, withdrawn or disqualified.
ENTRY_STATUS_EDITABLE = frozenset({E.REGISTRATION_OPEN, E.REGISTRATION_CLOSED, E.MARKING})
#: Competition states in which events can be added.
EVENTS_ADDABLE = frozenset({C.DRAFT, C.REGISTRATION_OPEN, C.REGISTRATION_CLOSED})


def scheme_editable(event) -> bool:
    """The marking scheme, rules and award tiers may change (before marking starts)."""
    return event.status in SCHEME_EDITABLE


def entries_editable(event) -> bool:
    """Entries of the event may be added, changed or removed (registration pages check the
    competition's state too)."""
    return event.status in ENTRIES_EDITABLE


def registration_open(event) -> bool:
    """Contestants may register themselves (where the competition allows it)."""
    return event.status is E.REGISTRATION_OPEN


def draw_allowed(event) -> bool:
    """Lots may be drawn, or drawn again, for the event (refused once marking started)."""
    return event.status in DRAW_ALLOWED


def entry_status_editable(event) -> bool:
    """Check-in, absence, withdrawal, disqualification and finish times may be recorded."""
    return event.status in ENTRY_STATUS_EDITABLE


def marking_open(event) -> bool:
    """Judges may enter and change marks."""
    return event.status is E.MARKING


def details_editable(event) -> bool:
    """Names, venue and times of the event may change (until its results are final)."""
    return event.status is not E.FINAL


def competition_editable(competition) -> bool:
    """The competition's details may change (until it is archived)."""
    return competition.status is not C.ARCHIVED


def events_addable(competition) -> bool:
    """New events may be added to the competition (until it starts)."""
    return competition.status in EVENTS_ADDABLE


def event_transitions(event, owner: str | None = None) -> list[Transition]:
    """The transitions allowed from the event's state, optionally only ``owner``'s."""
    return [
        t
        for t in EVENT_TRANSITIONS.values()
        if event.status in t.sources and (owner is None or t.owner == owner)
    ]


def competition_transitions(competition) -> list[Transition]:
    """The transitions allowed from the competition's state."""
    return [t for t in COMPETITION_TRANSITIONS.values() if competition.status in t.sources]

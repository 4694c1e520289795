"""Contestants registering themselves, where the competition allows it.

A competition's organisers tick "Contestants may register themselves"; while an
individual event of it is open for registration, a contestant signs up (an
account tied to their person: name, ID number, phone, employer) and enters it,
or withdraws the entry again while registration is open. Team events are
registered by organisers, who know the team's members.

An ID number already on record (someone registered this person before, or an
account holds it) is not taken over by signing up: the person asks the
organiser, who can see and vouch for the record.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..accounts.models import User
from ..accounts.services import create_user
from ..audit import record
from ..contests.models import Competition, Event
from ..enums import CompetitionStatus, EventStatus, Role
from ..errors import DomainError, NotAllowed
from ..extensions import db
from .models import Entry, Person
from .services import ContestantData, register_contestant, registration_open, remove_entry


def self_registration_open(event: Event) -> bool:
    """A contestant may enter ``event`` themselves now."""
    return event.competition.self_registration and not event.is_team and registration_open(event)


def events_open_to_contestants() -> list[Event]:
    """Every event a contestant may enter themselves now, competition by competition."""
    events = db.session.scalars(
        select(Event)
        .join(Competition)
        .options(contains_eager(Event.competition))
        .where(
            Competition.self_registration.is_(True),
            Competition.status == CompetitionStatus.REGISTRATION_OPEN,
            Event.status == EventStatus.REGISTRATION_OPEN,
            Event.is_team.is_(False),
        )
        .order_by(Competition.starts_on, Competition.id, Event.code)
    )
    return [event for event in events if self_registration_open(event)]


def sign_up_contestant(*, username: str, password: str, data: ContestantData) -> User:
    """Create a contestant account with its person, for self-registration.

    Refused (``DomainError`` naming the field) when nothing is open to register
    for, the username is taken, the password is weak, or the ID number is
    already on record.
    """
    if not events_open_to_contestants():
        raise NotAllowed(_("No competition takes registrations from contestants at the moment."))
    if db.session.scalar(select(Person.id).where(Person.id_number == data.id_number)):
        raise DomainError(
            _(
                "This ID number is already on record (you may have been registered before, "
                "or have an account). Sign in, or ask the competition's organiser for your "
                "account."
            ),
            field="id_number",
        )
    person = Person(
        name=data.name, employer=data.employer, id_number=data.id_number, phone=data.phone
    )
    db.session.add(person)
    db.session.flush()
    user = create_user(
        username=username,
        display_name=data.name,
        password=password,
        role=Role.CONTESTANT,
        phone=data.phone,
        employer=data.employer,
    )
    user.person_id = person.id
    db.session.flush()
    record("contestant_signed_up", actor=user, target=user, person_id=person.id)
    return user


def _contestant_person(user: User) -> Person:
    person = user.person if user.role is Role.CONTESTANT else None
    if person is None or not person.id_number:
        raise NotAllowed(
            _(
                "Your account is not linked to a contestant with an ID number: ask the "
                "organiser to register you."
            )
        )
    return person


def enter_event(event: Event, user: User) -> Entry:
    """The signed-in contestant enters ``event``. Raises ``NotAllowed`` when they may not."""
    if not self_registration_open(event):
        raise NotAllowed(
            _("%(event)s does not take registrations from contestants now.", event=event.code)
        )
    person = _contestant_person(user)
    data = ContestantData(
        name=person.name,
        employer=person.employer or "",
        id_number=person.id_number,
        phone=person.phone or "",
    )
    try:
        return register_contestant(event, data, actor=user)
    except DomainError as error:  # already entered: say it in the contestant's words
        raise NotAllowed(error.message) from error


def withdraw_entry(entry: Entry, user: User) -> None:
    """The contestant takes back their own entry while registration is still open."""
    if entry.person_id != _contestant_person(user).id or not self_registration_open(entry.event):
        raise NotAllowed(_("This registration can no longer be withdrawn here: ask the organiser."))
    remove_entry(entry, actor=user)

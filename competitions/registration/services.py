"""Registering contestants: by form, in teams, by spreadsheet import, and listing them.

Every function flushes and never commits: the request (or CLI command) commits once.
Registration changes are allowed while the competition and the event are in ``draft`` or
``registration_open`` (:func:`registration_open`); an entry that has marks is never removed,
whatever the state, since removing it would remove its marks.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update

from ..audit import record
from ..certificates.models import Certificate
from ..contests import lifecycle
from ..contests.models import Competition, Event
from ..enums import CompetitionStatus, EventStatus
from ..errors import DomainError, NotAllowed
from ..extensions import db
from ..judging.models import Mark
from ..labels import label
from ..registration.models import Entry, Person, TeamMember
from ..sheets.columns import Problem
from ..sheets.contestants import ImportResult, parse_contestants
from ..sheets.reader import Table
from ..sheets.validators import mask_id_number, mask_phone
from .bulk import insert_people, plan_each_statement

OPEN_COMPETITION = (CompetitionStatus.DRAFT, CompetitionStatus.REGISTRATION_OPEN)
OPEN_EVENT = (EventStatus.DRAFT, EventStatus.REGISTRATION_OPEN)
_CHUNK = 500


class ImportRefused(DomainError):
    """A contestant import with problems: nothing was written. ``problems`` lists them all."""

    def __init__(self, problems: Sequence[Problem]):
        super().__init__(_("Nothing was imported: the file has problems."))
        self.problems = list(problems)


@dataclass(frozen=True)
class ContestantData:
    """A person as typed into the registration form; ID number and phone are normalised."""

    name: str
    employer: str
    id_number: str
    phone: str


@dataclass(frozen=True)
class ImportSummary:
    """What a successful import added."""

    entries: int
    people: int
    teams: int


def _key(text: str) -> str:
    """Compare names ignoring width, case and spacing."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


# --- state ------------------------------------------------------------------------------


def registration_open(event: Event) -> bool:
    """Entries of ``event`` may be added, changed and removed.

    True while the event's lifecycle allows it (``lifecycle.entries_editable``: draft or
    registration open) and its competition is in draft or registration open too.
    """
    return event.competition.status in OPEN_COMPETITION and lifecycle.entries_editable(event)


def _require_open(event: Event) -> None:
    if not registration_open(event):
        raise NotAllowed(
            _(
                "Registration for %(event)s is closed (%(state)s): entries can no longer be "
                "added, changed or removed.",
                event=event.code,
                state=label(
                    event.status if event.status not in OPEN_EVENT else event.competition.status
                ),
            )
        )


# --- people and references --------------------------------------------------------------


def _person(data: ContestantData, *, current: Person | None = None) -> Person:
    """The person with this ID number (their name must match), updated; or a new person."""
    person = db.session.scalar(select(Person).where(Person.id_number == data.id_number))
    if person is not None and person is not current and _key(person.name) != _key(data.name):
        raise DomainError(
            _(
                "%(id)s is registered for a person of another name. Check the name and the "
                "ID number.",
                id=mask_id_number(data.id_number),
            ),
            field="id_number",
        )
    if person is None:
        if current is not None and current.id_number is None:
            person = current
        else:
            person = Person()
            db.session.add(person)
    person.name = data.name
    person.employer = data.employer
    person.id_number = data.id_number
    person.phone = data.phone
    return person


def _entered_person_ids(event: Event, *, excluding: Entry | None = None) -> set[int]:
    """Ids of everybody entered in ``event``: individuals and team members."""
    skip = excluding.id if excluding is not None and excluding.id else -1
    individuals = db.session.scalars(
        select(Entry.person_id).where(
            Entry.event_id == event.id, Entry.person_id.is_not(None), Entry.id != skip
        )
    )
    members = db.session.scalars(
        select(TeamMember.person_id)
        .join(Entry, Entry.id == TeamMember.entry_id)
        .where(Entry.event_id == event.id, Entry.id != skip)
    )
    return set(individuals) | set(members)


def _check_not_entered(
    event: Event, person: Person, *, excluding: Entry | None, field: str
) -> None:
    if person.id is not None and person.id in _entered_person_ids(event, excluding=excluding):
        raise DomainError(
            _(
                "%(name)s (%(id)s) is already registered for %(event)s.",
                name=person.name,
                id=mask_id_number(person.id_number or ""),
                event=event.code,
            ),
            field=field,
        )


def _check_station(event: Event, station: str | None, *, excluding: Entry | None) -> None:
    if not station:
        return
    skip = excluding.id if excluding is not None and excluding.id else -1
    taken = db.session.scalar(
        select(Entry.id).where(
            Entry.event_id == event.id, Entry.station == station, Entry.id != skip
        )
    )
    if taken:
        raise DomainError(
            _(
                "Station %(station)s is already taken in %(event)s.",
                station=station,
                event=event.code,
            ),
            field="station",
        )


def _check_team_name(event: Event, name: str, *, excluding: Entry | None) -> None:
    skip = excluding.id if excluding is not None and excluding.id else -1
    names = db.session.scalars(
        select(Entry.team_name).where(
            Entry.event_id == event.id, Entry.team_name.is_not(None), Entry.id != skip
        )
    )
    if any(_key(other) == _key(name) for other in names):
        raise DomainError(
            _(
                "A team named %(name)s is already registered for %(event)s.",
                name=name,
                event=event.code,
            ),
            field="team_name",
        )


def _next_refs(event: Event, count: int) -> list[str]:
    """``count`` unused entry references for ``event``: E0001, E0002, …"""
    taken = set(db.session.scalars(select(Entry.ref).where(Entry.event_id == event.id)))
    refs: list[str] = []
    n = len(taken)
    while len(refs) < count:
        n += 1
        ref = f"E{n:04d}"
        if ref not in taken:
            refs.append(ref)
    return refs


# --- by form ----------------------------------------------------------------------------


def register_contestant(
    event: Event,
    data: ContestantData,
    *,
    actor,
    station: str | None = None,
    note: str | None = None,
) -> Entry:
    """Register one person for an individual event.

    Raises ``NotAllowed`` when registration is closed, ``DomainError`` (with ``field``) for a
    team event, an ID number of another person, a person already entered or a taken station.
    """
    _require_open(event)
    if event.is_team:
        raise DomainError(_("%(event)s is a team event: register a team.", event=event.code))
    station = _clean(station)
    person = _person(data)
    db.session.flush()
    _check_not_entered(event, person, excluding=None, field="id_number")
    _check_station(event, station, excluding=None)
    entry = Entry(
        event=event,
        ref=_next_refs(event, 1)[0],
        person=person,
        employer=data.employer,
        station=station,
        note=_clean(note),
    )
    db.session.add(entry)
    db.session.flush()
    record("entry_registered", actor=actor, target=entry, event=event.code, ref=entry.ref)
    return entry


def update_contestant(
    entry: Entry,
    data: ContestantData,
    *,
    actor,
    station: str | None = None,
    note: str | None = None,
) -> Entry:
    """Change an individual entry's person details, station and note (registration open).

    A different ID number moves the entry to that person. Raises as
    :func:`register_contestant`.
    """
    event = entry.event
    _require_open(event)
    station = _clean(station)
    person = _person(data, current=entry.person)
    db.session.flush()
    _check_not_entered(event, person, excluding=entry, field="id_number")
    _check_station(event, station, excluding=entry)
    entry.person = person
    entry.employer = data.employer
    entry.station = station
    entry.note = _clean(note)
    db.session.flush()
    record("entry_changed", actor=actor, target=entry, event=event.code, ref=entry.ref)
    return entry


def _team_people(
    event: Event, members: Sequence[ContestantData], *, excluding: Entry | None
) -> list[Person]:
    if not members:
        raise DomainError(_("A team needs at least one member."), field="members")
    seen: dict[str, int] = {}
    for index, member in enumerate(members, start=1):
        first = seen.setdefault(member.id_number, index)
        if first != index:
            raise DomainError(
                _("Members %(a)d and %(b)d have the same ID number.", a=first, b=index),
                field="members",
            )
    people = []
    for member in members:
        person = _person(member)
        db.session.flush()
        _check_not_entered(event, person, excluding=excluding, field="members")
        people.append(person)
    return people


def register_team(
    event: Event,
    *,
    team_name: str,
    members: Sequence[ContestantData],
    captain: int = 0,
    actor,
    station: str | None = None,
    note: str | None = None,
) -> Entry:
    """Register a team for a team event; ``captain`` is the index of its captain in ``members``.

    The team's employer is its captain's. Raises ``NotAllowed`` when registration is closed,
    ``DomainError`` for an individual event, a team name or station already taken, a member
    given twice or already entered in the event.
    """
    _require_open(event)
    if not event.is_team:
        raise DomainError(_("%(event)s is an individual event.", event=event.code))
    team_name = team_name.strip()
    station = _clean(station)
    _check_team_name(event, team_name, excluding=None)
    _check_station(event, station, excluding=None)
    people = _team_people(event, members, excluding=None)
    captain = captain if 0 <= captain < len(members) else 0
    entry = Entry(
        event=event,
        ref=_next_refs(event, 1)[0],
        team_name=team_name,
        employer=members[captain].employer,
        station=station,
        note=_clean(note),
    )
    for position, (member, person) in enumerate(zip(members, people, strict=True)):
        entry.members.append(
            TeamMember(
                person=person,
                position=position,
                is_captain=position == captain,
                employer=member.employer,
            )
        )
    db.session.add(entry)
    db.session.flush()
    record("team_registered", actor=actor, target=entry, event=event.code, ref=entry.ref)
    return entry


def update_team(
    entry: Entry,
    *,
    team_name: str,
    members: Sequence[ContestantData],
    captain: int = 0,
    actor,
    station: str | None = None,
    note: str | None = None,
) -> Entry:
    """Change a team's name, station, note and members (registration open). Raises as
    :func:`register_team`."""
    event = entry.event
    _require_open(event)
    team_name = team_name.strip()
    station = _clean(station)
    _check_team_name(event, team_name, excluding=entry)
    _check_station(event, station, excluding=entry)
    people = _team_people(event, members, excluding=entry)
    captain = captain if 0 <= captain < len(members) else 0
    entry.team_name = team_name
    entry.station = station
    entry.note = _clean(note)
    entry.employer = members[captain].employer
    entry.members.clear()
    db.session.flush()
    for position, (member, person) in enumerate(zip(members, people, strict=True)):
        entry.members.append(
            TeamMember(
                person=person,
                position=position,
                is_captain=position == captain,
                employer=member.employer,
            )
        )
    db.session.flush()
    record("team_changed", actor=actor, target=entry, event=event.code, ref=entry.ref)
    return entry


def remove_entry(entry: Entry, *, actor) -> None:
    """Remove an entry while registration is open. An entry with marks is never removed.

    Raises ``NotAllowed`` when registration is closed or the entry has marks.
    """
    event = entry.event
    _require_open(event)
    if db.session.scalar(select(Mark.id).where(Mark.entry_id == entry.id).limit(1)):
        raise NotAllowed(_("This entry has marks and cannot be removed."))
    if db.session.scalar(select(Certificate.id).where(Certificate.entry_id == entry.id).limit(1)):
        raise NotAllowed(_("This entry has certificates and cannot be removed."))
    record(
        "entry_removed",
        actor=actor,
        target=entry,
        event=event.code,
        ref=entry.ref,
        name=entry.display_name,
    )
    db.session.delete(entry)
    db.session.flush()


# --- by spreadsheet ---------------------------------------------------------------------


def import_contestants(
    competition: Competition, table: Table, *, actor, filename: str = ""
) -> ImportSummary:
    """Register every row of a contestant sheet (read by ``read_table``), or nobody.

    Checks every rule of ``parse_contestants`` and, against the database, people already
    entered in the event, an ID number registered under another name, stations and team
    names already taken, and events whose registration is closed. Raises
    :class:`ImportRefused` with every problem (row number, column, reason) before anything is
    written. Inserts in bulk: one statement per table.
    """
    plan_each_statement()
    events = {event.code: event for event in competition.events}
    result = parse_contestants(
        table,
        events={code: event.is_team for code, event in events.items()},
        existing_id_numbers_by_event=_entered_id_numbers(competition),
    )
    if not result.ok:
        raise ImportRefused(result.problems)
    problems = _database_problems(result, events, table)
    if problems:
        raise ImportRefused(problems)
    rows = [*result.individuals, *(m for team in result.teams for m in team.members)]
    person_ids = _upsert_people(rows)
    by_event: dict[str, list] = defaultdict(list)
    for row in result.individuals:
        by_event[row.event_code].append(row)
    for team in result.teams:
        by_event[team.event_code].append(team)
    entry_rows = []
    teams_with_rows = []
    for code, items in by_event.items():
        event = events[code]
        for item, ref in zip(items, _next_refs(event, len(items)), strict=True):
            if hasattr(item, "members"):
                captain = item.members[0]
                entry_rows.append(
                    {
                        "event_id": event.id,
                        "ref": ref,
                        "person_id": None,
                        "team_name": item.name,
                        "employer": captain.employer,
                        "station": item.station,
                        "note": next((m.note for m in item.members if m.note), None),
                    }
                )
                teams_with_rows.append((len(entry_rows) - 1, item))
            else:
                entry_rows.append(
                    {
                        "event_id": event.id,
                        "ref": ref,
                        "person_id": person_ids[item.id_number],
                        "team_name": None,
                        "employer": item.employer,
                        "station": item.station,
                        "note": item.note,
                    }
                )
    if entry_rows:
        db.session.execute(Entry.__table__.insert(), entry_rows)
    by_ref = {
        (event_id, ref): entry_id
        for entry_id, event_id, ref in db.session.execute(
            select(Entry.id, Entry.event_id, Entry.ref).where(
                Entry.event_id.in_({row["event_id"] for row in entry_rows})
            )
        )
    }
    entry_ids = [by_ref[(row["event_id"], row["ref"])] for row in entry_rows]
    members = [
        {
            "entry_id": entry_ids[index],
            "person_id": person_ids[member.id_number],
            "position": position,
            "is_captain": position == 0,
            "employer": member.employer,
        }
        for index, team in teams_with_rows
        for position, member in enumerate(team.members)
    ]
    if members:
        db.session.execute(insert(TeamMember), members)
    db.session.flush()
    summary = ImportSummary(
        entries=result.entry_count, people=result.person_count, teams=len(result.teams)
    )
    record(
        "contestants_imported",
        actor=actor,
        target=competition,
        filename=filename[:200],
        entries=summary.entries,
        people=summary.people,
    )
    return summary


def _entered_id_numbers(competition: Competition) -> dict[str, set[str]]:
    """The ID numbers already entered in each event of ``competition``, by event code."""
    entered: dict[str, set[str]] = defaultdict(set)
    individuals = (
        select(Event.code, Person.id_number)
        .join(Entry, Entry.event_id == Event.id)
        .join(Person, Person.id == Entry.person_id)
        .where(Event.competition_id == competition.id, Person.id_number.is_not(None))
    )
    members = (
        select(Event.code, Person.id_number)
        .join(Entry, Entry.event_id == Event.id)
        .join(TeamMember, TeamMember.entry_id == Entry.id)
        .join(Person, Person.id == TeamMember.person_id)
        .where(Event.competition_id == competition.id, Person.id_number.is_not(None))
    )
    for query in (individuals, members):
        for code, id_number in db.session.execute(query):
            entered[code].add(id_number)
    return entered


def _database_problems(
    result: ImportResult, events: dict[str, Event], table: Table
) -> list[Problem]:
    """Problems only the database can tell: closed events, names, stations, team names."""
    headers = _headers(table)
    problems: list[Problem] = []
    rows = [*result.individuals, *(m for team in result.teams for m in team.members)]
    for row in rows:
        if not registration_open(events[row.event_code]):
            problems.append(
                Problem(
                    row.row,
                    headers.get("event_code"),
                    _("registration for %(event)s is closed", event=row.event_code),
                )
            )
    names = _registered_names([row.id_number for row in rows])
    for row in rows:
        known = names.get(row.id_number)
        if known is not None and _key(known) != _key(row.name):
            problems.append(
                Problem(
                    row.row,
                    headers.get("id_number"),
                    _(
                        "%(id)s is registered for a person of another name; check the name "
                        "and the ID number",
                        id=mask_id_number(row.id_number),
                    ),
                )
            )
    stations: dict[str, set[str]] = defaultdict(set)
    team_names: dict[str, set[str]] = defaultdict(set)
    for code, station, team_name in db.session.execute(
        select(Event.code, Entry.station, Entry.team_name)
        .join(Entry, Entry.event_id == Event.id)
        .where(Event.id.in_([event.id for event in events.values()]))
    ):
        if station:
            stations[code].add(_key(station))
        if team_name:
            team_names[code].add(_key(team_name))
    for row in result.individuals:
        if row.station and _key(row.station) in stations[row.event_code]:
            problems.append(
                Problem(
                    row.row,
                    headers.get("station"),
                    _(
                        "station %(station)s is already taken in %(event)s",
                        station=row.station,
                        event=row.event_code,
                    ),
                )
            )
    for team in result.teams:
        first = team.members[0]
        if _key(team.name) in team_names[team.event_code]:
            problems.append(
                Problem(
                    first.row,
                    headers.get("team"),
                    _(
                        "team %(team)s is already registered for %(event)s",
                        team=team.name,
                        event=team.event_code,
                    ),
                )
            )
        if team.station and _key(team.station) in stations[team.event_code]:
            problems.append(
                Problem(
                    first.row,
                    headers.get("station"),
                    _(
                        "station %(station)s is already taken in %(event)s",
                        station=team.station,
                        event=team.event_code,
                    ),
                )
            )
    problems.sort(key=lambda problem: problem.row or 0)
    return problems


def _headers(table: Table) -> dict[str, str]:
    from ..sheets.columns import map_columns
    from ..sheets.contestants import COLUMNS

    mapping, _problems = map_columns(table, COLUMNS)
    return {key: mapping.header(key) for key in mapping.indexes}


def _registered_names(id_numbers: Sequence[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    numbers = sorted(set(id_numbers))
    for start in range(0, len(numbers), _CHUNK):
        chunk = numbers[start : start + _CHUNK]
        names.update(
            db.session.execute(
                select(Person.id_number, Person.name).where(Person.id_number.in_(chunk))
            ).all()
        )
    return names


def _upsert_people(people: Iterable) -> dict[str, int]:
    """Person ids by ID number: existing people get the sheet's employer and phone."""
    latest = {row.id_number: row for row in people}
    numbers = sorted(latest)
    found: dict[str, int] = {}
    for start in range(0, len(numbers), _CHUNK):
        chunk = numbers[start : start + _CHUNK]
        found.update(
            db.session.execute(
                select(Person.id_number, Person.id).where(Person.id_number.in_(chunk))
            ).all()
        )
    if found:
        db.session.execute(
            update(Person),
            [
                {"id": person_id, "employer": latest[n].employer, "phone": latest[n].phone}
                for n, person_id in found.items()
            ],
        )
    new = [n for n in numbers if n not in found]
    rows = [
        {
            "name": latest[n].name,
            "employer": latest[n].employer,
            "id_number": n,
            "phone": latest[n].phone,
        }
        for n in new
    ]
    found.update(insert_people(rows))
    return found


# --- listing and export -----------------------------------------------------------------


@dataclass(frozen=True)
class PersonLine:
    """One person of an entry as shown in lists and exports (masked unless ``full``)."""

    entry: Entry
    person: Person
    employer: str | None
    is_captain: bool

    def id_number(self, full: bool) -> str:
        """The ID number, masked unless ``full``."""
        value = self.person.id_number or ""
        return value if full else mask_id_number(value) if value else ""

    def phone(self, full: bool) -> str:
        """The phone number, masked unless ``full``."""
        value = self.person.phone or ""
        return value if full else mask_phone(value) if value else ""


def entry_counts(competition: Competition) -> dict[int, int]:
    """The number of entries of each event of ``competition``, by event id (one query)."""
    counts = dict.fromkeys((event.id for event in competition.events), 0)
    counts.update(
        db.session.execute(
            select(Entry.event_id, func.count(Entry.id))
            .join(Event, Event.id == Entry.event_id)
            .where(Event.competition_id == competition.id)
            .group_by(Entry.event_id)
        ).all()
    )
    return counts


def event_entries(event: Event) -> list[Entry]:
    """The event's entries in registration order, with people and team members loaded."""
    from sqlalchemy.orm import selectinload

    return list(
        db.session.scalars(
            select(Entry)
            .where(Entry.event_id == event.id)
            .options(
                selectinload(Entry.person),
                selectinload(Entry.members).selectinload(TeamMember.person),
            )
            .order_by(Entry.id)
        )
    )


def person_lines(entry: Entry) -> list[PersonLine]:
    """The people an entry stands for: its contestant, or its team members in order."""
    if entry.person is not None:
        return [PersonLine(entry, entry.person, entry.employer, False)]
    return [
        PersonLine(entry, member.person, member.employer, member.is_captain)
        for member in entry.members
    ]


def contestant_table(
    competition: Competition, *, personal: bool, locale: str | None = None
) -> tuple[list[str], list[list[object]]]:
    """The competition's contestants as (headers, rows), one row per person.

    ID numbers and phones are included only when ``personal`` is true; the caller checks that
    the user may see them. Never writes.
    """
    headers = [
        _("Event code"),
        _("Event"),
        _("Reference"),
        _("Number"),
        _("Station"),
        _("Team"),
        _("Name"),
        _("Employer"),
    ]
    if personal:
        headers += [_("ID number"), _("Phone")]
    headers += [_("Status"), _("Note")]
    rows: list[list[object]] = []
    for event in competition.events:
        for entry in event_entries(event):
            for line in person_lines(entry):
                row: list[object] = [
                    event.code,
                    event.name(locale),
                    entry.ref,
                    entry.number or "",
                    entry.station or "",
                    entry.team_name or "",
                    line.person.name,
                    line.employer or "",
                ]
                if personal:
                    row += [line.person.id_number or "", line.person.phone or ""]
                row += [label(entry.status), entry.note or ""]
                rows.append(row)
    return headers, rows


def record_export(competition: Competition, *, actor, rows: int) -> None:
    """Note in the audit log that ``actor`` exported the contestants' personal data."""
    record("contestants_exported", actor=actor, target=competition, rows=rows, personal=True)


def entries_of_person(person: Person) -> list[Entry]:
    """Every entry ``person`` is in, alone or in a team, newest first."""
    return list(
        db.session.scalars(
            select(Entry)
            .where(
                (Entry.person_id == person.id)
                | Entry.members.any(TeamMember.person_id == person.id)
            )
            .order_by(Entry.registered_at.desc(), Entry.id.desc())
        )
    )

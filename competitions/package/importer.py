"""Contest packages to and from the database: :func:`import_package` and :func:`export_competition`.

``parse_package`` (schema.py) has already checked the document on its own. Importing adds the
checks only the database can answer (a competition code already taken, an ID number that
belongs to somebody of another name, values longer than a column holds), reports every one of
them with its JSON path in a :class:`PackageError`, and writes nothing unless there is none.

What a package becomes:

- the competition, its events, marking schemes (sections, criteria), tie-break keys and award
  tiers, in package order;
- the organiser becomes an :class:`Organisation` (found by name, or created);
- each judge becomes a judge account (username ``<competition>.<event>.<ref>`` in lower case,
  without a usable password: an admin sets one before the judge signs in) and a
  :class:`JudgeAssignment` keeping the package's ``ref``; re-importing the same package with
  ``replace`` finds those accounts again instead of creating more;
- each entry becomes an :class:`Entry` keeping its ``ref``; its person is found by ID number
  (the lifelong record) or created; a team's members become :class:`TeamMember` rows, the
  first one the captain;
- each mark becomes a :class:`Mark` with a first :class:`MarkRevision` (source ``import``,
  changed by the importing user), so that the audit trail of every mark starts at the import.

The package has no lifecycle state. An event that brings marks is put in ``marking`` (its
results are provisional until the chief judge signs off) and its competition ``in_progress``;
one without marks stays ``draft``, like a competition set up by hand.

Export is the inverse: ``export_competition(import_package(p, ...)) == p`` for every valid
package ``p`` (the round trip is lossless), and the exported package always passes
``parse_package`` again.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select

from ..audit import record
from ..certificates.models import Certificate
from ..contests.models import AwardTier, Competition, Criterion, Event, Organisation, Section
from ..enums import (
    Aggregation,
    CompetitionKind,
    CompetitionStatus,
    CriterionType,
    EntryStatus,
    EventStatus,
    Level,
    Role,
)
from ..extensions import db
from ..judging.models import JudgeAssignment, Mark, MarkRevision
from ..registration.bulk import copy_rows, insert_people, plan_each_statement
from ..registration.models import Entry, Person, TeamMember
from ..sheets.validators import mask_id_number
from ..sqltypes import utcnow
from .schema import (
    AwardTierData,
    CompetitionData,
    CriterionData,
    EntryData,
    EventData,
    JudgeData,
    LocalizedText,
    MarkData,
    MemberData,
    Package,
    PackageError,
    SectionData,
    canonical_decimal,
)

if TYPE_CHECKING:
    from ..accounts.models import User

__all__ = ["export_competition", "import_package", "package_problems"]

# Columns shorter than what the package format allows.
NUMBER_LENGTH = 16  # Entry.number, Entry.station
USERNAME_LENGTH = 64
# A password hash no password matches (not PHC form, so argon2 refuses it): imported judge
# accounts cannot sign in until an admin gives them a password.
UNUSABLE_HASH = "!imported-without-password"
_CHUNK = 500  # values per IN (...) query


def _key(text: str) -> str:
    """Compare names ignoring width, case and spacing."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _chunks(values: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _people(package: Package) -> Iterator[tuple[str, str, str]]:
    """Every (JSON path, ID number, name) of the package's people, in document order."""
    for e_index, event in enumerate(package.events):
        for n_index, entry in enumerate(event.entries):
            path = f"events[{e_index}].entries[{n_index}]"
            if entry.id_number:
                yield path, entry.id_number, entry.name
            for m_index, member in enumerate(entry.members):
                if member.id_number:
                    yield f"{path}.members[{m_index}]", member.id_number, member.name


def package_problems(package: Package, *, replace: bool = False) -> list[str]:
    """The problems of importing ``package`` into this database, each with its JSON path.

    Empty when the import may go ahead. Checks that the competition code is free (unless
    ``replace``; a competition that has issued certificates is never replaced), that an ID
    number names one person in the package and the same person as in the database, and that
    entry numbers and stations fit their columns.
    """
    problems: list[str] = []
    code = package.competition.code
    existing = db.session.scalar(select(Competition.id).where(Competition.code == code))
    if existing and not replace:
        problems.append(
            f"competition.code: a competition with the code {code} already exists "
            "(replace it, or give this package another code)"
        )
    elif existing:
        issued = _certificates_issued(existing)
        if issued:
            problems.append(
                f"competition.code: {code} has {issued} certificates issued; a competition "
                "with certificates cannot be replaced"
            )
    for e_index, event in enumerate(package.events):
        for n_index, entry in enumerate(event.entries):
            for field in ("number", "station"):
                value = getattr(entry, field)
                if value is not None and len(value) > NUMBER_LENGTH:
                    problems.append(
                        f"events[{e_index}].entries[{n_index}].{field}: is longer than "
                        f"{NUMBER_LENGTH} characters"
                    )
    first: dict[str, tuple[str, str]] = {}
    people = list(_people(package))
    for path, id_number, name in people:
        seen = first.setdefault(id_number, (path, name))
        if _key(seen[1]) != _key(name):
            problems.append(
                f"{path}.id_number: {mask_id_number(id_number)} is given for {seen[1]} at "
                f"{seen[0]} and for {name} here"
            )
    registered = _registered_names([id_number for id_number in first])
    for path, id_number, name in people:
        known = registered.get(id_number)
        if known is not None and _key(known) != _key(name) and first[id_number][0] == path:
            problems.append(
                f"{path}.id_number: {mask_id_number(id_number)} is already registered for "
                f"a person of another name; check the name and the ID number"
            )
    return problems


def _certificates_issued(competition_id: int) -> int:
    """How many certificates the competition's events have issued (they are never deleted)."""
    return db.session.scalar(
        select(func.count(Certificate.id))
        .join(Event, Event.id == Certificate.event_id)
        .where(Event.competition_id == competition_id)
    )


def _registered_names(id_numbers: Sequence[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for chunk in _chunks(list(id_numbers)):
        for id_number, name in db.session.execute(
            select(Person.id_number, Person.name).where(Person.id_number.in_(chunk))
        ):
            names[id_number] = name
    return names


def import_package(package: Package, *, actor: User, replace: bool = False) -> Competition:
    """Create the competition held in ``package`` (parsed by ``parse_package``) and return it.

    ``actor`` is the user importing: the audit log and every mark's first revision name them,
    and an organiser becomes an organiser of the new competition. With ``replace``, a
    competition with the same code is deleted first (with everything in it); the caller checks
    that ``actor`` may manage it. Judge accounts are created without a usable password.

    Raises ``PackageError`` listing every problem with its JSON path, before anything is
    written. Flushes, never commits: the caller commits once (or rolls back).
    """
    plan_each_statement()
    problems = package_problems(package, replace=replace)
    if problems:
        raise PackageError(problems)
    data = package.competition
    if replace:
        _delete_competition(data.code, actor=actor)
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == data.organiser)
    ) or Organisation(name=data.organiser)
    has_marks = any(event.marks for event in package.events)
    competition = Competition(
        code=data.code,
        name_zh=data.name.zh,
        name_en=data.name.en,
        level=Level(data.level),
        kind=CompetitionKind(data.kind),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        organisation=organisation,
        status=CompetitionStatus.IN_PROGRESS if has_marks else CompetitionStatus.DRAFT,
    )
    if actor is not None and actor.role is Role.ORGANISER:
        competition.organisers.append(actor)
    db.session.add(competition)
    events = [
        _new_event(competition, position, event) for position, event in enumerate(package.events)
    ]
    db.session.flush()
    persons = _persons(package)
    judges = _judge_accounts(package)
    mark_count = 0
    for event_data, event in zip(package.events, events, strict=True):
        judge_ids = {
            judge.ref: judges[(event_data.code, judge.ref)].id for judge in event_data.judges
        }
        db.session.add_all(
            JudgeAssignment(
                event=event, judge_id=judge_ids[judge.ref], is_chief=judge.chief, ref=judge.ref
            )
            for judge in event_data.judges
        )
        entry_ids = _insert_entries(event, event_data, persons)
        criterion_ids = {
            criterion.code: criterion.id
            for section in event.sections
            for criterion in section.criteria
        }
        mark_count += _insert_marks(event_data.marks, entry_ids, judge_ids, criterion_ids, actor)
    db.session.flush()
    record(
        "package_imported",
        actor=actor,
        target=competition,
        code=competition.code,
        events=len(events),
        entries=sum(len(event.entries) for event in package.events),
        marks=mark_count,
        replaced=replace,
    )
    return competition


def _delete_competition(code: str, *, actor: User) -> None:
    """Delete the competition ``code`` and everything in it, in SQL (the foreign keys cascade)."""
    competition_id = db.session.scalar(select(Competition.id).where(Competition.code == code))
    if competition_id is None:
        return
    db.session.flush()
    # What goes with it, for the audit log: replacing is the one way an import removes marks.
    marks, entries = db.session.execute(
        select(func.count(Mark.id), func.count(func.distinct(Entry.id)))
        .select_from(Entry)
        .join(Event, Event.id == Entry.event_id)
        .outerjoin(Mark, Mark.entry_id == Entry.id)
        .where(Event.competition_id == competition_id)
    ).one()
    db.session.execute(delete(Competition).where(Competition.id == competition_id))
    db.session.expire_all()
    record(
        "competition_replaced",
        actor=actor,
        code=code,
        competition_id=competition_id,
        entries=entries,
        marks=marks,
    )


def _new_event(competition: Competition, position: int, data: EventData) -> Event:
    event = Event(
        code=data.code,
        name_zh=data.name.zh,
        name_en=data.name.en,
        position=position,
        is_team=data.team,
        aggregation=Aggregation(data.method),
        tie_break=list(data.tie_break),
        status=EventStatus.MARKING if data.marks else EventStatus.DRAFT,
    )
    competition.events.append(event)
    if data.min_judges_to_trim is not None:
        event.min_judges_to_trim = data.min_judges_to_trim
    for s_index, section_data in enumerate(data.sections):
        section = Section(
            code=section_data.code,
            name_zh=section_data.name.zh,
            name_en=section_data.name.en,
            position=s_index,
            weight=section_data.weight,
        )
        event.sections.append(section)
        for c_index, criterion_data in enumerate(section_data.criteria):
            section.criteria.append(
                Criterion(
                    event=event,
                    code=criterion_data.code,
                    name_zh=criterion_data.name.zh,
                    name_en=criterion_data.name.en,
                    position=c_index,
                    type=CriterionType(criterion_data.type),
                    max_mark=criterion_data.max,
                )
            )
    for a_index, award in enumerate(data.awards):
        event.award_tiers.append(
            AwardTier(
                code=award.code,
                name_zh=award.name.zh,
                name_en=award.name.en,
                position=a_index,
                share=award.share,
                count=award.count,
                min_total=award.min_total,
            )
        )
    return event


def _persons(package: Package) -> dict[str, int]:
    """Person ids by ID number: found in the database or inserted (one query per 500)."""
    wanted: dict[str, tuple[str, str | None]] = {}
    for event in package.events:
        for entry in event.entries:
            if entry.id_number:
                wanted.setdefault(entry.id_number, (entry.name, entry.employer))
            for member in entry.members:
                if member.id_number:
                    wanted.setdefault(member.id_number, (member.name, member.employer))
    found: dict[str, int] = {}
    numbers = list(wanted)
    for chunk in _chunks(numbers):
        found.update(
            db.session.execute(
                select(Person.id_number, Person.id).where(Person.id_number.in_(chunk))
            ).all()
        )
    new = [number for number in numbers if number not in found]
    rows = [
        {"name": wanted[number][0], "employer": wanted[number][1], "id_number": number}
        for number in new
    ]
    found.update(insert_people(rows))
    return found


def _insert(model, rows: list[dict]) -> None:
    """Insert ``rows`` in one executemany, without RETURNING.

    Callers read the ids back by a unique key: with RETURNING, SQLite would be sent one
    statement per row to keep the ids in order, and the ORM's bulk machinery costs more than
    the database for tens of thousands of rows.
    """
    if rows:
        db.session.execute(model.__table__.insert(), rows)


def _insert_returning_ids(model, rows: list[dict]) -> list[int]:
    """Insert ``rows`` in one executemany and return their ids in the same order."""
    if not rows:
        return []
    # The Core insert of the table skips the ORM's bulk machinery, which costs more than the
    # database itself for tens of thousands of rows.
    table = model.__table__
    return list(
        db.session.scalars(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows)
    )


def _judge_accounts(package: Package) -> dict[tuple[str, str], User]:
    """A judge account per (event code, judge ref): an earlier import's, or a new one."""
    from ..accounts.models import User

    wanted = {
        (event.code, judge.ref): (judge, _username(package.competition.code, event.code, judge.ref))
        for event in package.events
        for judge in event.judges
    }
    taken: dict[str, User] = {}
    names = [username for _, username in wanted.values()]
    for chunk in _chunks(names):
        for user in db.session.scalars(select(User).where(func.lower(User.username).in_(chunk))):
            taken[user.username.lower()] = user
    accounts: dict[tuple[str, str], User] = {}
    used: set[str] = set()  # usernames given to a judge of this import
    for key, (judge, username) in wanted.items():
        candidate, n = username, 1
        while True:
            if candidate not in used:
                user = taken.get(candidate) or _find_username(candidate)
                if user is None:
                    user = User(
                        username=candidate,
                        display_name=judge.name,
                        employer=judge.employer,
                        role=Role.JUDGE,
                        password_hash=UNUSABLE_HASH,
                    )
                    db.session.add(user)
                    break
                # An account of an earlier import of this package is found again; refs that
                # differ in case alone ("J1", "j1") share a username but are two judges.
                if _same_judge(user, judge):
                    user.employer = judge.employer
                    break
            n += 1
            suffix = f"-{n}"
            candidate = username[: USERNAME_LENGTH - len(suffix)] + suffix
        used.add(candidate)
        accounts[key] = user
    db.session.flush()
    return accounts


def _find_username(username: str):
    from ..accounts.models import User

    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def _same_judge(user: User, judge: JudgeData) -> bool:
    return user.role is Role.JUDGE and user.display_name == judge.name


def _username(competition: str, event: str, ref: str) -> str:
    name = f"{competition}.{event}.{ref}".lower()
    if len(name) <= USERNAME_LENGTH:
        return name
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{name[: USERNAME_LENGTH - 9]}-{digest}"


def _insert_entries(event: Event, data: EventData, persons: dict[str, int]) -> dict[str, int]:
    """Insert the event's entries (and their people and team members); ids by ref."""
    anonymous = [
        (index, person)
        for index, entry in enumerate(data.entries)
        for person in ([entry] if not data.team else entry.members)
        if person.id_number is None
    ]
    new_ids = _insert_returning_ids(
        Person, [{"name": p.name, "employer": p.employer, "id_number": None} for _, p in anonymous]
    )
    anonymous_ids: dict[int, list[int]] = {}
    for (index, _), person_id in zip(anonymous, new_ids, strict=True):
        anonymous_ids.setdefault(index, []).append(person_id)

    def person_ids(index: int, people: Iterable[MemberData | EntryData]) -> list[int]:
        fresh = iter(anonymous_ids.get(index, ()))
        return [persons[p.id_number] if p.id_number else next(fresh) for p in people]

    rows = []
    for index, entry in enumerate(data.entries):
        rows.append(
            {
                "event_id": event.id,
                "ref": entry.ref,
                "person_id": None if data.team else person_ids(index, [entry])[0],
                "team_name": entry.name if data.team else None,
                "employer": entry.employer,
                "number": entry.number,
                "station": entry.station,
                "status": EntryStatus(entry.status),
                "finish_seconds": entry.finish_seconds,
            }
        )
    _insert(Entry, rows)
    by_ref = dict(
        db.session.execute(select(Entry.ref, Entry.id).where(Entry.event_id == event.id)).all()
    )
    ids = [by_ref[entry.ref] for entry in data.entries]
    if data.team:
        members = [
            {
                "entry_id": entry_id,
                "person_id": person_id,
                "position": position,
                "is_captain": position == 0,
                "employer": member.employer,
            }
            for index, (entry, entry_id) in enumerate(zip(data.entries, ids, strict=True))
            for position, (member, person_id) in enumerate(
                zip(entry.members, person_ids(index, entry.members), strict=True)
            )
        ]
        if members:
            db.session.execute(insert(TeamMember), members)
    return {entry.ref: entry_id for entry, entry_id in zip(data.entries, ids, strict=True)}


def _insert_marks(
    marks: Sequence[MarkData],
    entry_ids: dict[str, int],
    judge_ids: dict[str, int],
    criterion_ids: dict[str, int],
    actor: User,
) -> int:
    """Insert the marks, each with its first revision (source ``import``), in package order."""
    if not marks:
        return 0
    now = utcnow()
    rows = [
        {
            "entry_id": entry_ids[mark.entry],
            "criterion_id": criterion_ids[mark.criterion],
            "judge_id": judge_ids[mark.judge],
            "value": mark.value,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for mark in marks
    ]
    copy_rows(Mark.__table__, rows)
    inserted: dict[tuple[int, int, int], int] = {}
    for chunk in _chunks(sorted(set(entry_ids.values()))):
        for mark_id, entry_id, judge_id, criterion_id in db.session.execute(
            select(Mark.id, Mark.entry_id, Mark.judge_id, Mark.criterion_id).where(
                Mark.entry_id.in_(chunk)
            )
        ):
            inserted[(entry_id, judge_id, criterion_id)] = mark_id
    mark_ids = [inserted[(row["entry_id"], row["judge_id"], row["criterion_id"])] for row in rows]
    actor_id = actor.id
    # One random token per import and a counter: unique keys without 50,000 uuid4 calls.
    token = secrets.token_hex(8)
    copy_rows(
        MarkRevision.__table__,
        [
            {
                "mark_id": mark_id,
                "submission_key": f"import-{token}-{index}",
                "version": 1,
                "old_value": None,
                "new_value": mark.value,
                "changed_by_id": actor_id,
                "reason": "imported from a contest package",
                "source": "import",
                "changed_at": now,
            }
            for index, (mark, mark_id) in enumerate(zip(marks, mark_ids, strict=True))
        ],
    )
    return len(marks)


# --- export ---------------------------------------------------------------------------------


def _text(obj) -> LocalizedText:
    # A package needs a name in one language at least; an unnamed object is named by its code.
    if not obj.name_zh and not obj.name_en:
        return LocalizedText(en=getattr(obj, "code", None) or "—")
    return LocalizedText(zh=obj.name_zh or None, en=obj.name_en or None)


def _number(value: Decimal | None) -> Decimal | None:
    return None if value is None else canonical_decimal(value)


def export_competition(competition: Competition) -> Package:
    """Return ``competition`` as a contest package, personal data included.

    Entries, judges and marks come in the order they were created, so a package exported
    after an import is the one imported. A judge assignment without a ``ref`` gets ``J`` and
    its id; a mark by somebody no longer assigned to the event brings that judge along.
    Only for those who may manage the competition (the caller checks). Never writes.
    """
    return Package(
        competition=CompetitionData(
            code=competition.code,
            name=_text(competition),
            level=competition.level.value,
            kind=competition.kind.value,
            organiser=competition.organisation.name,
            starts_on=competition.starts_on,
            ends_on=competition.ends_on,
        ),
        events=tuple(_export_event(event) for event in competition.events),
    )


def _export_event(event: Event) -> EventData:
    from ..accounts.models import User

    assignments = db.session.scalars(
        select(JudgeAssignment)
        .where(JudgeAssignment.event_id == event.id)
        .order_by(JudgeAssignment.id)
    ).all()
    refs: dict[int, str] = {}
    judges: list[JudgeData] = []
    users = {
        user.id: user
        for user in db.session.scalars(
            select(User).where(User.id.in_([a.judge_id for a in assignments]))
        )
    }
    given = {assignment.ref for assignment in assignments if assignment.ref}
    for assignment in assignments:
        user = users[assignment.judge_id]
        ref = assignment.ref
        if not ref:  # appointed in the browser: a ref no other judge of the event has
            ref, n = f"J{assignment.id}", 1
            while ref in given:
                n += 1
                ref = f"J{assignment.id}-{n}"
            given.add(ref)
        refs[assignment.judge_id] = ref
        judges.append(
            JudgeData(
                ref=ref, name=user.display_name, employer=user.employer, chief=assignment.is_chief
            )
        )
    entries = db.session.scalars(
        select(Entry).where(Entry.event_id == event.id).order_by(Entry.id)
    ).all()
    person_ids = {entry.person_id for entry in entries if entry.person_id}
    members: dict[int, list[TeamMember]] = {}
    if event.is_team:
        for member in db.session.scalars(
            select(TeamMember)
            .join(Entry, Entry.id == TeamMember.entry_id)
            .where(Entry.event_id == event.id)
            .order_by(TeamMember.entry_id, TeamMember.position, TeamMember.id)
        ):
            members.setdefault(member.entry_id, []).append(member)
            person_ids.add(member.person_id)
    people: dict[int, Person] = {}
    for chunk in _chunks(sorted(person_ids)):
        people.update(
            (person.id, person)
            for person in db.session.scalars(select(Person).where(Person.id.in_(chunk)))
        )
    entry_refs = {entry.id: entry.ref for entry in entries}
    criteria = {
        criterion.id: criterion.code for section in event.sections for criterion in section.criteria
    }
    marks = []
    for entry_id, criterion_id, judge_id, value in db.session.execute(
        select(Mark.entry_id, Mark.criterion_id, Mark.judge_id, Mark.value)
        .join(Entry, Entry.id == Mark.entry_id)
        .where(Entry.event_id == event.id)
        .order_by(Mark.id)
    ):
        if judge_id not in refs:
            user = db.session.get(User, judge_id)
            refs[judge_id] = f"U{judge_id}"
            judges.append(
                JudgeData(ref=refs[judge_id], name=user.display_name, employer=user.employer)
            )
        marks.append(
            MarkData(
                entry=entry_refs[entry_id],
                judge=refs[judge_id],
                criterion=criteria[criterion_id],
                value=canonical_decimal(value),
            )
        )
    return EventData(
        code=event.code,
        name=_text(event),
        method=event.aggregation.value,
        min_judges_to_trim=(
            event.min_judges_to_trim if event.aggregation is Aggregation.TRIMMED_MEAN else None
        ),
        team=event.is_team,
        sections=tuple(
            SectionData(
                code=section.code,
                name=_text(section),
                weight=canonical_decimal(section.weight),
                criteria=tuple(
                    CriterionData(
                        code=criterion.code,
                        name=_text(criterion),
                        type=criterion.type.value,
                        max=canonical_decimal(criterion.max_mark),
                    )
                    for criterion in section.criteria
                ),
            )
            for section in event.sections
        ),
        tie_break=tuple(event.tie_break or ()),
        awards=tuple(
            AwardTierData(
                code=tier.code,
                name=_text(tier),
                share=_number(tier.share),
                count=tier.count,
                min_total=_number(tier.min_total),
            )
            for tier in event.award_tiers
        ),
        judges=tuple(judges),
        entries=tuple(_export_entry(entry, event, people, members) for entry in entries),
        marks=tuple(marks),
    )


def _export_entry(
    entry: Entry, event: Event, people: dict[int, Person], members: dict[int, list[TeamMember]]
) -> EntryData:
    common = {
        "ref": entry.ref,
        "status": entry.status.value,
        "employer": entry.employer,
        "number": entry.number,
        "station": entry.station,
        "finish_seconds": _number(entry.finish_seconds),
    }
    if event.is_team:
        return EntryData(
            name=entry.team_name or entry.ref,
            members=tuple(
                MemberData(
                    name=people[member.person_id].name,
                    employer=member.employer,
                    id_number=people[member.person_id].id_number,
                )
                for member in members.get(entry.id, ())
            ),
            **common,
        )
    person = people.get(entry.person_id) if entry.person_id else None
    return EntryData(
        name=person.name if person else (entry.team_name or entry.ref),
        id_number=person.id_number if person else None,
        **common,
    )

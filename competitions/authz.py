"""Who may do what: one predicate per kind of object, used by views and templates.

Views never re-implement these checks. Loaders abort with 404 when the object
does not exist and 403 when it exists but the user may not act on it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TYPE_CHECKING

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from .enums import Role
from .extensions import db

if TYPE_CHECKING:
    from .accounts.models import User
    from .contests.models import Competition, Event


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_admin(user: User | None) -> bool:
    """Admins may do everything."""
    return _signed_in(user) and user.role is Role.ADMIN


def can_manage_users(user: User | None) -> bool:
    """Creating, editing and deactivating accounts is for admins."""
    return is_admin(user)


def can_create_competition(user: User | None) -> bool:
    """Admins and organisers may set up new competitions."""
    return _signed_in(user) and user.role in (Role.ADMIN, Role.ORGANISER)


def can_manage(user: User | None, competition: Competition) -> bool:
    """Admins, and the organisers the competition names, manage it."""
    if is_admin(user):
        return True
    return (
        _signed_in(user)
        and user.role is Role.ORGANISER
        and any(organiser.id == user.id for organiser in competition.organisers)
    )


def can_see_personal_data(user: User | None, competition: Competition) -> bool:
    """Full ID numbers and phones are for the competition's organisers only."""
    return can_manage(user, competition)


def judge_assignment(user: User | None, event: Event):
    """The user's assignment to ``event`` as a judge, or None."""
    if not _signed_in(user) or user.role is not Role.JUDGE:
        return None
    from .judging.models import JudgeAssignment

    return db.session.scalar(
        select(JudgeAssignment).where(
            JudgeAssignment.event_id == event.id, JudgeAssignment.judge_id == user.id
        )
    )


def is_chief_judge(user: User | None, event: Event) -> bool:
    """The chief judge of ``event`` watches completeness and signs the event off."""
    assignment = judge_assignment(user, event)
    return bool(assignment and assignment.is_chief)


def role_required(*roles: Role) -> Callable:
    """View decorator: signed in with one of ``roles`` (admins always pass), else 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not _signed_in(current_user):
                from .extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role is not Role.ADMIN and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def load_or_404(model, object_id, check: Callable[[object], bool] | None = None):
    """Load ``model`` by id: 404 when missing, 403 when ``check(obj)`` is false."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    if check is not None and not check(obj):
        abort(403)
    return obj


# --- contests: competition and event setup -------------------------------------------


def can_manage_event(user: User | None, event: Event) -> bool:
    """An event's scheme, lifecycle, draw and check-in are for its competition's managers."""
    return can_manage(user, event.competition)


def can_copy_scheme_from(user: User | None, event: Event) -> bool:
    """A scheme may be copied from any event of a competition the user manages."""
    return can_manage(user, event.competition)


# --- registration: contestant lists, registration and contest packages ----------------------


def can_view_entries(user: User | None, competition: Competition) -> bool:
    """The contestant list: the competition's managers, and other organisers read-only.

    Only managers see personal data in full (:func:`can_see_personal_data`); other organisers
    see ID numbers and phones masked. Judges never see it: they know entries by number only.
    """
    return can_manage(user, competition) or (_signed_in(user) and user.role is Role.ORGANISER)


def can_register(user: User | None, competition: Competition) -> bool:
    """Registering, importing, changing and removing entries is for the competition's managers."""
    return can_manage(user, competition)


def can_import_package(user: User | None) -> bool:
    """Importing a contest package creates a competition: admins and organisers."""
    return can_create_competition(user)


def can_export_package(user: User | None, competition: Competition) -> bool:
    """A contest package holds personal data in full: the competition's managers only."""
    return can_manage(user, competition)


# --------------------------------------------------------------------- marking


def _same_employer(a: str | None, b: str | None) -> bool:
    """Employers match as the appointment page compares them; a missing one never matches.

    That is :func:`competitions.judging.conflicts.employer_key`: ignoring case, spaces
    (also inside the name) and full-/half-width forms, so that what the organiser sees
    listed as a conflict is exactly what marking refuses.
    """
    from .judging.conflicts import employer_key

    key = employer_key(a)
    return bool(key) and key == employer_key(b)


@lru_cache(maxsize=1)
def _conflict_query():
    """People of some entries, their employers and whether a judge declared a relation.

    Built once: the marking hot path runs it for every mark.
    """
    from sqlalchemy import String, and_, bindparam, null, union_all

    from .judging.models import ConflictDeclaration
    from .registration.models import Entry, Person, TeamMember

    entry_ids = bindparam("entry_ids", expanding=True)
    people = union_all(
        select(
            Entry.id.label("entry_id"),
            Entry.person_id.label("person_id"),
            null().cast(String).label("member_employer"),
        ).where(Entry.id.in_(entry_ids), Entry.person_id.is_not(None)),
        # A team member's employer of record counts as well as the person's own.
        select(TeamMember.entry_id, TeamMember.person_id, TeamMember.employer).where(
            TeamMember.entry_id.in_(entry_ids)
        ),
    ).subquery()
    return (
        select(
            people.c.entry_id,
            Person.employer,
            ConflictDeclaration.id.is_not(None),
            people.c.member_employer,
        )
        .join(Person, Person.id == people.c.person_id)
        .outerjoin(
            ConflictDeclaration,
            and_(
                ConflictDeclaration.person_id == people.c.person_id,
                ConflictDeclaration.judge_id == bindparam("judge_id"),
            ),
        )
    )


def conflicted_entry_ids(judge: User, entries) -> set[int]:
    """The ids of ``entries`` that ``judge`` has a conflict of interest with.

    A conflict is a declared relation (ConflictDeclaration) with anybody the
    entry stands for (the contestant or a team member), or the same employer
    as the entry or one of its people. One query for any number of entries.
    """
    entries = list(entries)
    if not entries:
        return set()
    conflicted = {e.id for e in entries if _same_employer(judge.employer, e.employer)}
    rows = db.session.execute(
        _conflict_query(), {"entry_ids": [e.id for e in entries], "judge_id": judge.id}
    ).all()
    for entry_id, employer, declared, member_employer in rows:
        if (
            declared
            or _same_employer(judge.employer, employer)
            or _same_employer(judge.employer, member_employer)
        ):
            conflicted.add(entry_id)
    return conflicted


def judge_may_mark(judge: User | None, entry, assignment=None) -> bool:
    """May ``judge`` read and mark ``entry``? Only as an assigned judge, never when conflicted.

    The judge must be assigned to the entry's event (``assignment`` may be
    passed when already loaded), the entry must be at one of the assignment's
    stations when it names any, and the judge must have no conflict of
    interest with the entry (declared relation or same employer). Whether a
    given *criterion* is theirs is :func:`judge_may_mark_criterion`.
    """
    if not _signed_in(judge) or judge.role is not Role.JUDGE:
        return False
    if assignment is None:
        assignment = judge_assignment(judge, entry.event)
    if assignment is None or assignment.event_id != entry.event_id:
        return False
    if assignment.judge_id != judge.id:
        return False
    if assignment.stations is not None and entry.station not in assignment.stations:
        return False
    return entry.id not in conflicted_entry_ids(judge, [entry])


def judge_may_mark_criterion(assignment, criterion) -> bool:
    """Is ``criterion`` within ``assignment`` (all criteria unless the assignment names some)?"""
    if assignment is None or criterion.event_id != assignment.event_id:
        return False
    return assignment.criteria is None or criterion.code in assignment.criteria


def can_mark_event(user: User | None, event: Event) -> bool:
    """Judges of ``event`` open its marking page (what they may mark is judge_may_mark)."""
    return judge_assignment(user, event) is not None


def is_judge(user: User | None) -> bool:
    """Judges have the marking pages (what they may mark is decided per entry)."""
    return _signed_in(user) and user.role is Role.JUDGE


# --------------------------------------------------------------------- judges and the chief judge


def can_manage_judges(user: User | None) -> bool:
    """Organisers and admins create and import judge accounts."""
    return _signed_in(user) and user.role in (Role.ADMIN, Role.ORGANISER)


def can_assign_judges(user: User | None, event: Event) -> bool:
    """The competition's organisers appoint an event's judges and its chief judge."""
    return can_manage(user, event.competition)


def can_follow_marking(user: User | None, event: Event) -> bool:
    """The completeness matrix: the event's chief judge and the competition's organisers."""
    return is_chief_judge(user, event) or can_manage(user, event.competition)


def can_supervise_marking(user: User | None, event: Event) -> bool:
    """Excusing marks, asking for re-marking and signing off: the event's chief judge only."""
    return is_chief_judge(user, event)


def can_reopen_marking(user: User | None, event: Event) -> bool:
    """Reopening a signed-off event is for the competition's organisers (audited)."""
    return can_manage(user, event.competition)


def can_answer_remark(user: User | None, request) -> bool:
    """A re-mark request is answered by the judge it is addressed to."""
    return _signed_in(user) and user.role is Role.JUDGE and request.judge_id == user.id


# --------------------------------------------------------------------- results


def results_are_public(event: Event) -> bool:
    """Published results (in publicity or final) are public: no sign-in needed."""
    from .enums import EventStatus

    return event.status in (EventStatus.PUBLISHED, EventStatus.FINAL)


def can_see_provisional_results(user: User | None, event: Event) -> bool:
    """The competition's organisers and the event's chief judge follow results while marking."""
    return can_manage(user, event.competition) or is_chief_judge(user, event)


def can_publish_results(user: User | None, event: Event) -> bool:
    """Publishing and finalising results is for the competition's organisers."""
    return can_manage(user, event.competition)


def can_export_results(user: User | None, competition: Competition) -> bool:
    """Result exports (names, employers, every score) are for the organisers."""
    return can_manage(user, competition)


def can_enter_events_themselves(user: User | None) -> bool:
    """Contestants enter events open to self-registration (the service checks which)."""
    return _signed_in(user) and user.role is Role.CONTESTANT


def is_entry_contestant(user: User | None, entry) -> bool:
    """The signed-in contestant is the entry's person (or one of its team's members)."""
    if not _signed_in(user) or user.role is not Role.CONTESTANT or not user.person_id:
        return False
    if entry.person_id == user.person_id:
        return True
    return any(member.person_id == user.person_id for member in entry.members)


def can_see_entry_result(user: User | None, entry) -> bool:
    """An entry's breakdown: organisers and the chief judge always; its contestant once public."""
    if can_see_provisional_results(user, entry.event):
        return True
    return results_are_public(entry.event) and is_entry_contestant(user, entry)


def can_see_judges_marks(user: User | None, event: Event) -> bool:
    """Judge-by-judge marks with judges' names are for organisers and the chief judge."""
    return can_see_provisional_results(user, event)


def can_appeal(user: User | None, entry) -> bool:
    """Only the entry's own contestant appeals (the service checks the publicity period)."""
    return is_entry_contestant(user, entry)


def can_resolve_appeal(user: User | None, appeal) -> bool:
    """The competition's organisers and the event's chief judge resolve appeals."""
    from .contests.models import Event as EventModel

    event = db.session.get(EventModel, appeal.event_id)
    return can_see_provisional_results(user, event)


def can_correct_appeal_marks(user: User | None, appeal) -> bool:
    """The event's chief judge corrects the marks of an upheld appeal (admins may too)."""
    from .contests.models import Event as EventModel

    event = db.session.get(EventModel, appeal.event_id)
    return is_admin(user) or is_chief_judge(user, event)


# --------------------------------------------------------------------- certificates


def can_download_certificate(user: User | None, certificate, claimed=frozenset()) -> bool:
    """The holder (signed in, or having claimed it in this browser) and its organisers."""
    if certificate.id in claimed:
        return True
    if _signed_in(user) and user.person_id is not None and user.person_id == certificate.person_id:
        return True
    return can_manage(user, certificate.event.competition)


def can_view_person_record(user: User | None, person) -> bool:
    """Admins, and organisers of a competition the person entered, see their whole record."""
    if is_admin(user):
        return True
    if not _signed_in(user) or user.role is not Role.ORGANISER:
        return False
    from .contests.models import Competition, Event
    from .registration.models import Entry, TeamMember

    entered = (
        select(Entry.id)
        .join(Event, Event.id == Entry.event_id)
        .join(Competition, Competition.id == Event.competition_id)
        .where(
            (Entry.person_id == person.id) | Entry.members.any(TeamMember.person_id == person.id),
            Competition.organisers.any(id=user.id),
        )
        .limit(1)
    )
    return db.session.scalar(entered) is not None


def can_look_up_people(user: User | None) -> bool:
    """Looking people up for their recognition record is for admins and organisers."""
    return _signed_in(user) and user.role in (Role.ADMIN, Role.ORGANISER)

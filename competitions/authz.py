"""Who may do what: one predicate per kind of object, used by views and templates.

Views never re-implement these checks. Loaders abort with 404 when the object
does not exist and 403 when it exists but the user may not act on it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
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

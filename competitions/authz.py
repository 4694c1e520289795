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

"""Self-registration pages: contestants sign up and enter open events themselves.

The rules are in :mod:`.selfservice`; these views only load, authorise, call
it and commit.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select

from .. import authz
from ..contests.models import Event
from ..errors import DomainError, NotAllowed
from ..extensions import db, limiter
from . import selfservice
from .forms import ConfirmForm, SignUpForm
from .models import Entry

bp = Blueprint("enrol", __name__, url_prefix="/register")


def _locale() -> str:
    return str(get_locale() or "zh")


def _signup_limit() -> str:
    return current_app.config.get("SIGNUP_LIMIT_PER_ADDRESS", "10 per minute;50 per hour")


def _my_entries_by_event() -> dict[int, Entry]:
    person = getattr(current_user, "person", None) if current_user.is_authenticated else None
    if person is None:
        return {}
    entries = db.session.scalars(select(Entry).where(Entry.person_id == person.id))
    return {entry.event_id: entry for entry in entries}


@bp.get("/")
def events():
    """The events that take registrations from contestants now."""
    open_events = selfservice.events_open_to_contestants()
    by_competition: dict[int, tuple] = {}
    for event in open_events:
        by_competition.setdefault(event.competition_id, (event.competition, []))[1].append(event)
    return render_template(
        "registration/self_register.html",
        competitions=list(by_competition.values()),
        mine=_my_entries_by_event(),
        is_contestant=authz.can_enter_events_themselves(current_user),
        form=ConfirmForm(),
    )


@bp.route("/account", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"], scope="signup-address")
def sign_up():
    """A contestant creates an account with their personal data, then picks events."""
    if current_user.is_authenticated:
        return redirect(url_for("enrol.events"))
    open_now = bool(selfservice.events_open_to_contestants())
    form = SignUpForm()
    status = 200
    if open_now and form.validate_on_submit():
        try:
            user = selfservice.sign_up_contestant(
                username=form.username.data.strip(),
                password=form.password.data,
                data=form.contestant(),
            )
        except NotAllowed as error:
            db.session.rollback()
            flash(error.message, "danger")
            return redirect(url_for("enrol.events"))
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "username").errors.append(error.message)
            status = 422
        else:
            db.session.commit()
            login_user(user)
            flash(_("Your account is ready. Now choose the events you enter."), "success")
            return redirect(url_for("enrol.events"))
    elif form.errors:
        status = 422
    return render_template("registration/sign_up.html", form=form, open_now=open_now), status


def _event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


@bp.post("/events/<int:event_id>")
@login_required
def enter(event_id: int):
    """The signed-in contestant enters an open event."""
    event = _event_or_404(event_id)
    if not authz.can_enter_events_themselves(current_user):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        selfservice.enter_event(event, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("enrol.events"))
    db.session.commit()
    flash(
        _(
            "You are registered for %(event)s. The organiser draws your contestant number "
            "before the competition.",
            event=event.name(_locale()),
        ),
        "success",
    )
    return redirect(url_for("enrol.events"))


@bp.post("/entries/<int:entry_id>/withdraw")
@login_required
def withdraw(entry_id: int):
    """The contestant takes back their own entry while registration is open."""
    entry = db.session.get(Entry, entry_id)
    if entry is None:
        abort(404)
    if not authz.is_entry_contestant(current_user, entry):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = entry.event.name(_locale())
    try:
        selfservice.withdraw_entry(entry, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Your registration for %(event)s is withdrawn.", event=name), "success")
    return redirect(url_for("enrol.events"))

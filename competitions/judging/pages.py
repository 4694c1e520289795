"""The tablet marking pages: a judge's events, and the marking page of one event.

The marking page is a shell: ``static/js/marking.js`` reads and writes
everything through the ``/api/v1`` endpoints, keeps unsent marks in the
browser (IndexedDB) and sends them when the connection allows. A small
service worker keeps the page and its assets so that it reloads offline.
"""

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_login import current_user

from .. import authz
from ..contests.models import Event
from ..enums import Role
from . import marksheet

bp = Blueprint("marking", __name__, url_prefix="/marking")


@bp.get("/")
@authz.role_required(Role.JUDGE)
def assignments():
    """The judge's events with progress; each opens its marking page."""
    if current_user.role is not Role.JUDGE:
        abort(403)
    return render_template(
        "judging/assignments.html", progress=marksheet.assignments_progress(current_user)
    )


@bp.get("/events/<int:event_id>")
@authz.role_required(Role.JUDGE)
def mark_event(event_id: int):
    """The marking page of one event (404 when missing, 403 when not the judge's)."""
    event = authz.load_or_404(Event, event_id, lambda e: authz.can_mark_event(current_user, e))
    return render_template(
        "judging/mark.html", event=event, strings=page_strings(), assets=cached_assets()
    )


def cached_assets() -> list[str]:
    """What the service worker keeps so that the marking page reloads without a network."""
    return [
        url_for("static", filename=name)
        for name in (
            "vendor/bootstrap/bootstrap.min.css",
            "vendor/bootstrap/bootstrap.bundle.min.js",
            "css/app.css",
            "js/marking.js",
            "img/logo.svg",
            "img/favicon.svg",
        )
    ]


def page_strings() -> dict[str, str]:
    """The marking page's texts in the user's language, for marking.js.

    Placeholders such as ``%(num)d`` are filled in by the script.
    """
    plurals = get_translations()
    return {
        "progress": _("%(marked)d of %(total)d entries marked"),
        # The script fills in %(num)s and picks the form: both forms, unformatted.
        "queue_one": plurals.ungettext(
            "%(num)s mark waiting to send", "%(num)s marks waiting to send", 1
        ),
        "queue_other": plurals.ungettext(
            "%(num)s mark waiting to send", "%(num)s marks waiting to send", 2
        ),
        "queue_empty": _("All marks sent"),
        # Short labels keep the status line one line high whatever it says (the sheet
        # below must not move under a judge's finger); the sentences explain them.
        "online": _("Online"),
        "offline": _("Offline"),
        "offline_detail": _(
            "Offline: marks are kept on this tablet and sent when the connection returns"
        ),
        "sending": _("Sending…"),
        "retrying": _("Retrying"),
        "retrying_detail": _("The server did not answer; trying again shortly"),
        "loading": _("Loading…"),
        "no_entries": _("No entries to mark."),
        "saved_copy": _("No connection: showing the copy saved on this tablet."),
        "no_copy": _("No connection and no copy saved on this tablet. Try again when online."),
        "entry": _("Entry %(number)s"),
        "station": _("Station %(station)s"),
        "criteria_done": _("%(marked)d of %(expected)d criteria"),
        "type_marks": _("Marks"),
        "type_judgement": _("Judgement (0–3)"),
        "type_deduction": _("Deduction"),
        "range": _("0 to %(max)s"),
        "range_whole": _("whole number 0 to 3"),
        "not_marked": _("Not marked yet"),
        "sent": _("Sent"),
        "waiting": _("Waiting to send"),
        "attention": _("Needs your attention"),
        "reason": _("Reason for the change"),
        "reason_needed": _("Say why you change a mark that was already sent."),
        "enter_number": _("Enter a number."),
        "too_many_decimals": _("At most 3 decimal places."),
        "out_of_range": _("Enter a number from 0 to %(max)s."),
        "whole_0_3": _("Choose a whole number from 0 to 3."),
        "store_failed": _(
            "This tablet could not store the marks (%(error)s), so nothing was saved. "
            "Keep this page open and tell the chief judge."
        ),
        "fix_errors": _("Some values need correcting; nothing was saved."),
        "nothing_changed": _("Nothing to save: no mark was changed."),
        "saved": _("Marks for entry %(number)s are saved on this tablet and will be sent."),
        "save": _("Save marks"),
        "back": _("Entries"),
        "session": _(
            "Your session has ended. Sign in again in a new tab; the marks stay on this "
            "tablet and are sent afterwards."
        ),
        "sign_in": _("Sign in again"),
        "other_user": _(
            "%(num)d marks of another judge are kept on this tablet. "
            "They are sent when that judge signs in here."
        ),
        "conflict": _(
            "This mark was changed on another device: the server has %(server)s, "
            "you entered %(mine)s."
        ),
        "keep_server": _("Keep %(value)s"),
        "send_mine": _("Send mine (%(value)s)"),
        "try_again": _("Try again"),
        "discard": _("Discard"),
        "confirm_discard": _("Remove this mark from the tablet? The server has not stored it."),
        "mark_label": _("Entry %(number)s · %(code)s = %(value)s"),
        "switched_user": _(
            "Somebody else has signed in on this browser. Reload the page to continue."
        ),
    }


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from /marking/ so that it may control the marking pages."""
    path = Path(current_app.static_folder) / "js" / "marking-sw.js"
    response = current_app.response_class(path.read_bytes(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/marking/"
    return response

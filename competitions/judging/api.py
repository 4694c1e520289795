"""The JSON API for the marking page, under ``/api/v1`` (described at ``/api/v1/openapi.json``).

Judges list their assignments with progress, read their entries and mark
sheets (anonymous numbers only) and store marks. Every write needs the
``X-CSRFToken`` header (Flask-WTF checks it like a form's token) and a
client-generated idempotency ``key``. Errors are JSON:
``{"error": <machine code>, "message": <translated text>, "field": <input>}``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from typing import Any

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import HTTPException

from .. import authz
from ..contests.models import Criterion, Event
from ..enums import Role
from ..errors import DomainError
from ..extensions import db
from ..registration.models import Entry
from . import marksheet
from .marks import MarkOutcome, MarkState, submit_mark
from .models import JudgeAssignment
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_REASON = 1000


class ApiError(Exception):
    """An API refusal with a machine code, an HTTP status and the input concerned."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def error_body(code: str, message: str, field: str | None = None, **extra: Any) -> dict:
    body = {"error": code, "message": message, "field": field}
    body.update(extra)
    return body


@bp.before_request
def require_judge():
    """Every endpoint but the OpenAPI document is for signed-in judges."""
    if request.endpoint == "api.openapi":
        return None
    if not current_user.is_authenticated:
        return jsonify(error_body("unauthenticated", _("Please sign in again."))), 401
    if current_user.role is not Role.JUDGE:
        return jsonify(error_body("forbidden", _("Only judges use the marking API."))), 403
    return None


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return jsonify(error_body(error.code, error.message, error.field)), error.status


@bp.errorhandler(DomainError)
def domain_error(error: DomainError):
    db.session.rollback()
    current = getattr(error, "current", None)
    extra = {"current": state_json(current, None)} if current is not None else {}
    code = getattr(error, "code", "refused")
    return jsonify(error_body(code, error.message, error.field, **extra)), error.status_code


@bp.errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    return jsonify(
        error_body(
            "csrf_invalid",
            _("The security token is missing or has expired. Reload the page and try again."),
            "X-CSRFToken",
        )
    ), 400


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    if error.code and error.code >= 500:
        db.session.rollback()
    messages = {
        400: ("bad_request", _("The request could not be understood.")),
        403: ("forbidden", _("You may not open this.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This action is not allowed here.")),
        413: ("too_large", _("The request is too large.")),
        415: ("unsupported_media_type", _("Send JSON (Content-Type: application/json).")),
    }
    code, message = messages.get(error.code or 500, ("error", _("The request failed.")))
    return jsonify(error_body(code, message)), error.code


# --------------------------------------------------------------------- loading


def _load_event(event_id: int):
    event = db.session.get(Event, event_id)
    if event is None:
        raise ApiError(404, "not_found", _("Not found."))
    assignment = authz.judge_assignment(current_user, event)
    if assignment is None:
        raise ApiError(403, "not_assigned", _("You are not a judge of this event."), "event")
    return event, assignment


def _load_entry(entry_id: int):
    """The entry and the judge's assignment: 404 when missing, 403 when not theirs."""
    entry = db.session.scalar(
        select(Entry).options(joinedload(Entry.event)).where(Entry.id == entry_id)
    )
    if entry is None:
        raise ApiError(404, "not_found", _("Not found."))
    assignment = authz.judge_assignment(current_user, entry.event)
    if not authz.judge_may_mark(current_user, entry, assignment):
        raise ApiError(
            403, "not_assigned", _("This entry is not among the entries you mark."), "entry"
        )
    return entry, assignment


# --------------------------------------------------------------------- output


def state_json(state: MarkState | None, code: str | None) -> dict | None:
    if state is None:
        return None
    body = {
        "entry": state.entry_id,
        "value": marksheet.plain(state.value),
        "version": state.version,
        "updated_at": state.updated_at.isoformat(),
    }
    if code is not None:
        body["criterion"] = code
    return body


def _criterion_json(criterion: Criterion, locale: str) -> dict:
    judgement = criterion.type.value == "judgement"
    return {
        "id": criterion.id,
        "code": criterion.code,
        "name": criterion.name(locale) or criterion.code,
        "type": criterion.type.value,
        "min": "0",
        "max": "3" if judgement else marksheet.plain(criterion.max_mark),
        "max_mark": marksheet.plain(criterion.max_mark),
        "decimals": 0 if judgement else 3,
    }


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "zh")


def _event_json(event: Event, locale: str) -> dict:
    locked = event.signed_off_at is not None or event.status.value in (
        "signed_off",
        "published",
        "final",
    )
    return {
        "id": event.id,
        "code": event.code,
        "name": event.name(locale),
        "competition": event.competition.name(locale),
        "status": event.status.value,
        "open": event.status.value == "marking" and not locked,
        "locked": locked,
    }


def _sheet_json(sheet: marksheet.EventSheet) -> dict:
    locale = _locale()
    return {
        "event": _event_json(sheet.event, locale),
        "sections": [
            {
                "code": section.code,
                "name": section.name(locale) or section.code,
                "weight": marksheet.plain(section.weight),
                "criteria": [_criterion_json(c, locale) for c in criteria],
            }
            for section, criteria in sheet.sections
        ],
        "entries": [
            {
                "id": entry.id,
                "number": entry.number,
                "station": entry.station,
                "expected": entry.expected,
                "marked": entry.marked,
                "complete": entry.complete,
                "marks": {code: state_json(state, None) for code, state in entry.marks.items()},
            }
            for entry in sheet.entries
        ],
        "progress": {"entries_total": len(sheet.entries), "entries_marked": sheet.entries_marked},
    }


# --------------------------------------------------------------------- endpoints


@bp.get("/me")
def me():
    """Who is signed in, and a CSRF token for writes (the page refreshes it here)."""
    return {
        "id": current_user.id,
        "display_name": current_user.display_name,
        "csrf_token": generate_csrf(),
    }


@bp.get("/assignments")
def assignments():
    """The judge's events with progress: ``entries_marked`` of ``entries_total``."""
    locale = _locale()
    return {
        "assignments": [
            {
                "event": _event_json(item.event, locale),
                "chief": item.assignment.is_chief,
                "criteria": item.assignment.criteria,
                "stations": item.assignment.stations,
                "entries_total": item.entries_total,
                "entries_marked": item.entries_marked,
                "entries_url": url_for("api.event_entries", event_id=item.event.id),
            }
            for item in marksheet.assignments_progress(current_user)
        ]
    }


@bp.get("/events/<int:event_id>/entries")
def event_entries(event_id: int):
    """The judge's entries of an event with their marks, and the criteria they mark."""
    _event, assignment = _load_event(event_id)
    return _sheet_json(marksheet.event_sheet(current_user, assignment))


@bp.get("/entries/<int:entry_id>/marks")
def entry_marks(entry_id: int):
    """One entry's mark sheet: the criteria by section and the judge's marks."""
    entry, assignment = _load_entry(entry_id)
    body = _sheet_json(marksheet.entry_sheet(current_user, assignment, entry))
    body["entry"] = body.pop("entries")[0]
    return body


def _reject_constant(name: str):
    raise ValueError(name)


def _read_mark_body() -> dict:
    if not request.is_json:
        raise ApiError(
            415, "unsupported_media_type", _("Send JSON (Content-Type: application/json).")
        )
    try:
        body = json.loads(request.get_data(), parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_json", _("The request body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", _("The request body must be a JSON object."))
    version = body.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ApiError(
            422, "version_invalid", _("“version” must be a whole number or null."), "version"
        )
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ApiError(422, "reason_invalid", _("“reason” must be text."), "reason")
    if reason and len(reason) > MAX_REASON:
        raise ApiError(
            422,
            "reason_invalid",
            _("“reason” is longer than %(max)d characters.", max=MAX_REASON),
            "reason",
        )
    if "value" not in body:
        raise ApiError(422, "value_missing", _("“value” is missing."), "value")
    return body


@lru_cache(maxsize=1)
def _marking_query():
    """Entry (with its event), criterion by code and the judge's assignment: built once."""
    return (
        select(Entry, Criterion, JudgeAssignment)
        .outerjoin(
            Criterion,
            and_(Criterion.event_id == Entry.event_id, Criterion.code == bindparam("code")),
        )
        .outerjoin(
            JudgeAssignment,
            and_(
                JudgeAssignment.event_id == Entry.event_id,
                JudgeAssignment.judge_id == bindparam("judge_id"),
            ),
        )
        .options(joinedload(Entry.event))
        .where(Entry.id == bindparam("entry_id"))
    )


def _load_for_marking(entry_id: int, criterion_code: str):
    """Entry (with event), criterion and the judge's assignment in one query.

    404 when the entry or criterion does not exist, 403 when the judge is not
    on the event. Stations, criteria limits and conflicts of interest are
    checked by ``submit_mark`` itself (through authz), for every caller.
    """
    row = db.session.execute(
        _marking_query(),
        {"entry_id": entry_id, "code": criterion_code, "judge_id": current_user.id},
    ).first()
    if row is None:
        raise ApiError(404, "not_found", _("Not found."))
    entry, criterion, assignment = row
    if assignment is None:
        raise ApiError(
            403, "not_assigned", _("This entry is not among the entries you mark."), "entry"
        )
    if criterion is None:
        raise ApiError(
            404,
            "not_found",
            _("This event has no criterion %(code)s.", code=criterion_code),
            "criterion",
        )
    return entry, criterion, assignment


@bp.put("/entries/<int:entry_id>/marks/<criterion_code>")
def put_mark(entry_id: int, criterion_code: str):
    """Store a mark: 201 when first stored, 200 for a change or a repeat of the same key."""
    body = _read_mark_body()
    entry, criterion, assignment = _load_for_marking(entry_id, criterion_code)
    outcome: MarkOutcome = submit_mark(
        entry,
        criterion,
        body.get("value"),
        judge=current_user,
        key=body.get("key"),
        expected_version=body.get("version"),
        reason=body.get("reason"),
        source="api",
        assignment=assignment,
    )
    db.session.commit()
    status = 201 if outcome.created and not outcome.repeat else 200
    return {
        "mark": state_json(outcome.state, criterion_code),
        "repeat": outcome.repeat,
        "changed": outcome.changed,
    }, status


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return openapi_document()

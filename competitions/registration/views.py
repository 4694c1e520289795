"""Contestant lists, registration by form and by spreadsheet, templates and exports."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from .. import authz
from ..contests.models import Competition, Event
from ..errors import DomainError
from ..extensions import db
from ..sheets.contestants import EventChoice, template_csv_bytes, template_workbook
from ..sheets.reader import DEFAULT_MAX_BYTES, SheetError, read_table
from ..sheets.validators import mask_id_number, mask_phone
from ..sheets.writer import write_csv, write_xlsx
from . import services
from .forms import MEMBER_ROWS, ConfirmForm, ContestantForm, TeamForm, UploadForm
from .messages import translate_problem, translate_sheet_error
from .models import Entry

bp = Blueprint("registration", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A competition with more entries than this lists one event at a time.
ALL_EVENTS_UP_TO = 600

bp.add_app_template_filter(mask_id_number, "mask_id")
bp.add_app_template_filter(mask_phone, "mask_phone")


def _locale() -> str:
    return str(get_locale() or "zh")


def _competition(competition_id: int, check) -> Competition:
    return authz.load_or_404(Competition, competition_id, lambda c: check(current_user, c))


def _event(competition: Competition, event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or event.competition_id != competition.id:
        abort(404)
    return event


def _entry(entry_id: int) -> Entry:
    return authz.load_or_404(
        Entry, entry_id, lambda e: authz.can_register(current_user, e.event.competition)
    )


def upload_limit() -> int:
    """The largest contestant file read, in bytes: the reader's limit or the request limit."""
    return min(DEFAULT_MAX_BYTES, current_app.config.get("MAX_CONTENT_LENGTH") or DEFAULT_MAX_BYTES)


@bp.get("/competitions/<int:competition_id>/entries")
@login_required
def entries(competition_id: int):
    """The competition's entries, event by event; personal data masked unless organiser."""
    competition = _competition(competition_id, authz.can_view_entries)
    counts = services.entry_counts(competition)
    chosen = request.args.get("event", type=int)
    # Beyond a few hundred entries, one event at a time unless all are asked for.
    crowded = sum(counts.values()) > ALL_EVENTS_UP_TO and request.args.get("event") != "all"
    if chosen is None and crowded and competition.events:
        chosen = competition.events[0].id
    shown = [event for event in competition.events if chosen in (None, event.id)]
    events = [(event, services.event_entries(event)) for event in shown]
    return render_template(
        "registration/entries.html",
        competition=competition,
        events=events,
        counts=counts,
        chosen=chosen,
        full=authz.can_see_personal_data(current_user, competition),
        can_register=authz.can_register(current_user, competition),
        lines=services.person_lines,
        is_open=services.registration_open,
    )


def _form_error(form, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors") and isinstance(field.errors, list):
        field.errors.append(error.message)
    else:
        flash(error.message, "danger")


@bp.route(
    "/competitions/<int:competition_id>/events/<int:event_id>/entries/new",
    methods=["GET", "POST"],
)
@login_required
def new_entry(competition_id: int, event_id: int):
    """Register a contestant (individual event) or a team (team event)."""
    competition = _competition(competition_id, authz.can_register)
    event = _event(competition, event_id)
    form = TeamForm() if event.is_team else ContestantForm()
    if not services.registration_open(event):
        flash(_("Registration for this event is closed."), "warning")
        return redirect(url_for(".entries", competition_id=competition.id))
    if form.validate_on_submit():
        try:
            if event.is_team:
                members, captain = form.members_data()
                entry = services.register_team(
                    event,
                    team_name=form.team_name.data,
                    members=members,
                    captain=captain,
                    station=form.station.data,
                    note=form.note.data,
                    actor=current_user,
                )
            else:
                entry = services.register_contestant(
                    event,
                    form.contestant(),
                    station=form.station.data,
                    note=form.note.data,
                    actor=current_user,
                )
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s is registered for %(event)s.",
                    name=entry.display_name,
                    event=event.name(_locale()),
                ),
                "success",
            )
            if request.form.get("another"):
                return redirect(
                    url_for(".new_entry", competition_id=competition.id, event_id=event.id)
                )
            return redirect(
                url_for(".entries", competition_id=competition.id, _anchor=f"event-{event.id}")
            )
    return render_template(
        "registration/entry_form.html",
        competition=competition,
        event=event,
        entry=None,
        form=form,
        member_rows=MEMBER_ROWS,
    )


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit_entry(entry_id: int):
    """Change an entry while registration is open."""
    entry = _entry(entry_id)
    event = entry.event
    competition = event.competition
    if not services.registration_open(event):
        flash(_("Registration for this event is closed."), "warning")
        return redirect(url_for(".entries", competition_id=competition.id))
    if event.is_team:
        form = TeamForm(obj=entry) if request.method == "GET" else TeamForm()
        if request.method == "GET":
            for row, member in zip(form.members, entry.members, strict=False):
                row.form.name.data = member.person.name
                row.form.employer.data = member.employer
                row.form.id_number.data = member.person.id_number
                row.form.phone.data = member.person.phone
            form.captain.data = str(
                next((i for i, m in enumerate(entry.members) if m.is_captain), 0)
            )
    else:
        form = ContestantForm()
        if request.method == "GET":
            person = entry.person
            form.name.data = person.name
            form.employer.data = entry.employer
            form.id_number.data = person.id_number
            form.phone.data = person.phone
            form.station.data = entry.station
            form.note.data = entry.note
    if form.validate_on_submit():
        try:
            if event.is_team:
                members, captain = form.members_data()
                services.update_team(
                    entry,
                    team_name=form.team_name.data,
                    members=members,
                    captain=captain,
                    station=form.station.data,
                    note=form.note.data,
                    actor=current_user,
                )
            else:
                services.update_contestant(
                    entry,
                    form.contestant(),
                    station=form.station.data,
                    note=form.note.data,
                    actor=current_user,
                )
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("Entry %(ref)s saved.", ref=entry.ref), "success")
            return redirect(
                url_for(".entries", competition_id=competition.id, _anchor=f"event-{event.id}")
            )
    return render_template(
        "registration/entry_form.html",
        competition=competition,
        event=event,
        entry=entry,
        form=form,
        member_rows=MEMBER_ROWS,
        delete_form=ConfirmForm(),
    )


@bp.post("/entries/<int:entry_id>/delete")
@login_required
def delete_entry(entry_id: int):
    """Remove an entry (registration open, no marks)."""
    entry = _entry(entry_id)
    competition_id = entry.event.competition_id
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    name = entry.display_name
    try:
        services.remove_entry(entry, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("%(name)s was removed.", name=name), "success")
    return redirect(url_for(".entries", competition_id=competition_id))


@bp.route("/competitions/<int:competition_id>/entries/import", methods=["GET", "POST"])
@login_required
def import_entries(competition_id: int):
    """Upload a contestant sheet: every row is registered, or none and every problem shown."""
    competition = _competition(competition_id, authz.can_register)
    limit = upload_limit()
    status = 200
    try:
        form = UploadForm()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        status = 413
        form, submitted = UploadForm(formdata=None), False
        form.file.errors = [_too_large(limit)]
    problems = []
    if submitted:
        upload = form.file.data
        data = upload.read(limit + 1)
        try:
            if len(data) > limit:
                raise SheetError(_too_large(limit))
            table = read_table(data, upload.filename or "", max_bytes=limit)
            summary = services.import_contestants(
                competition, table, actor=current_user, filename=upload.filename or ""
            )
        except SheetError as error:
            db.session.rollback()
            form.file.errors = [translate_sheet_error(str(error))]
        except services.ImportRefused as refused:
            db.session.rollback()
            problems = [translate_problem(problem) for problem in refused.problems]
        else:
            db.session.commit()
            flash(
                _(
                    "%(entries)d entries with %(people)d contestants were added.",
                    entries=summary.entries,
                    people=summary.people,
                ),
                "success",
            )
            return redirect(url_for(".entries", competition_id=competition.id))
    return render_template(
        "registration/import.html",
        competition=competition,
        form=form,
        problems=problems,
        limit=limit,
        open_events=[e for e in competition.events if services.registration_open(e)],
    ), status


def _too_large(limit: int) -> str:
    return _(
        "The file is larger than %(mb).0f MB. Delete unused sheets, pictures and formatting, "
        "or split it into several files.",
        mb=limit / (1024 * 1024),
    )


@bp.get("/competitions/<int:competition_id>/entries/template.<any(xlsx, csv):fmt>")
@login_required
def template(competition_id: int, fmt: str):
    """The import template with this competition's event codes (Chinese or English headers)."""
    competition = _competition(competition_id, authz.can_register)
    language = "en" if _locale().startswith("en") else "zh"
    choices = [
        EventChoice(event.code, event.name(language), event.is_team) for event in competition.events
    ]
    if fmt == "xlsx":
        body, mimetype = template_workbook(choices, language=language), XLSX
    else:
        body, mimetype = template_csv_bytes(choices, language=language), "text/csv"
    name = f"{competition.code}-contestants-template.{fmt}"
    return _download(body, mimetype, name)


@bp.get("/competitions/<int:competition_id>/entries/export.<any(xlsx, csv):fmt>")
@login_required
def export(competition_id: int, fmt: str):
    """The contestant list; ID numbers and phones only for organisers who ask for them."""
    competition = _competition(competition_id, authz.can_view_entries)
    personal = request.args.get("personal") == "1"
    if personal and not authz.can_see_personal_data(current_user, competition):
        abort(403)
    headers, rows = services.contestant_table(competition, personal=personal, locale=_locale())
    if personal:
        services.record_export(competition, actor=current_user, rows=len(rows))
        db.session.commit()
    name = f"{competition.code}-contestants.{fmt}"
    if fmt == "xlsx":
        return _download(write_xlsx([(competition.code, headers, rows)]), XLSX, name)
    return _download(write_csv(headers, rows), "text/csv", name)


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    """An upload over MAX_CONTENT_LENGTH: the import page again, saying so."""
    if request.endpoint != "registration.import_entries":
        return render_template("errors/error.html", code=413, title=_too_large(upload_limit())), 413
    competition = _competition(request.view_args["competition_id"], authz.can_register)
    form = UploadForm(formdata=None)
    form.file.errors = [_too_large(upload_limit())]
    return render_template(
        "registration/import.html",
        competition=competition,
        form=form,
        problems=[],
        limit=upload_limit(),
        open_events=[e for e in competition.events if services.registration_open(e)],
    ), 413


@bp.get("/registration/mine")
@login_required
def my_entries():
    """A contestant's own entries, their personal data masked."""
    person = current_user.person
    entries = services.entries_of_person(person) if person is not None else []
    return render_template("registration/mine.html", person=person, entries=entries)

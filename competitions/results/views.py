"""Results pages: provisional and public results, breakdowns, publication, appeals, exports."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import authz
from ..audit import record
from ..contests.models import Competition, Criterion, Event
from ..enums import EventStatus, Role
from ..errors import DomainError
from ..extensions import db
from ..judging.models import JudgeAssignment
from ..registration.models import Entry, TeamMember
from . import exports, services
from .forms import AppealForm, ConfirmForm, CorrectMarkForm, PublishForm, ResolveAppealForm
from .models import Appeal
from .tables import award_name, describe_missing, entry_breakdown, result_rows

bp = Blueprint("results", __name__, url_prefix="/results")


def _locale() -> str:
    return str(get_locale() or "zh")


def _field_error(form, error: DomainError, default: str) -> None:
    field = getattr(form, error.field or default, None) or getattr(form, default)
    field.errors = [*field.errors, error.message]


@bp.get("/")
def index():
    """Where results are: published events for everyone, plus what the user looks after."""
    published = db.session.scalars(
        select(Event)
        .where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.FINAL]))
        .order_by(Event.published_at.desc(), Event.id)
        .limit(100)
    ).all()
    managed: list[Competition] = []
    chief_events: list[Event] = []
    own_entries: list[Entry] = []
    if current_user.is_authenticated:
        if current_user.role in (Role.ADMIN, Role.ORGANISER):
            managed = [
                c
                for c in db.session.scalars(
                    select(Competition).order_by(Competition.starts_on.desc())
                )
                if authz.can_manage(current_user, c)
            ]
        elif current_user.role is Role.JUDGE:
            chief_events = db.session.scalars(
                select(Event)
                .join(JudgeAssignment, JudgeAssignment.event_id == Event.id)
                .where(JudgeAssignment.judge_id == current_user.id, JudgeAssignment.is_chief)
                .order_by(Event.id)
            ).all()
        elif current_user.role is Role.CONTESTANT and current_user.person_id:
            own_entries = db.session.scalars(
                select(Entry)
                .where(
                    (Entry.person_id == current_user.person_id)
                    | Entry.members.any(TeamMember.person_id == current_user.person_id)
                )
                .order_by(Entry.id)
            ).all()
    return render_template(
        "results/index.html",
        published=published,
        managed=managed,
        chief_events=chief_events,
        own_entries=own_entries,
    )


@bp.get("/events/<int:event_id>")
def public(event_id: int):
    """An event's published results: names, employers, ranks, awards. No sign-in needed."""
    event = authz.load_or_404(Event, event_id)
    if not authz.results_are_public(event):
        if authz.can_see_provisional_results(current_user, event):
            return redirect(url_for("results.provisional", event_id=event.id))
        abort(404)
    results = services.event_results(event)
    return render_template(
        "results/public.html",
        event=event,
        rows=result_rows(event, results),
        results=results,
        award_name=award_name,
        in_publicity=services.in_publicity_period(event),
    )


@bp.get("/events/<int:event_id>/provisional")
@login_required
def provisional(event_id: int):
    """Results as they stand, with what is missing, for organisers and the chief judge."""
    event = authz.load_or_404(
        Event, event_id, lambda e: authz.can_see_provisional_results(current_user, e)
    )
    results = services.event_results(event)
    form = PublishForm()
    if event.publicity_ends_on is None:
        # A publicity period (公示) usually lasts a week; the organiser may change it.
        form.publicity_ends_on.data = services.local_today() + timedelta(days=7)
    return render_template(
        "results/provisional.html",
        event=event,
        rows=result_rows(event, results),
        results=results,
        award_name=award_name,
        missing=describe_missing(event, services.missing_marks_for(event)),
        appeals=services.event_appeals(event),
        publish_form=form,
        confirm_form=ConfirmForm(),
        today=services.local_today(),
    )


@bp.post("/events/<int:event_id>/publish")
@login_required
def publish(event_id: int):
    """The organiser publishes signed-off results and starts the publicity period."""
    event = authz.load_or_404(Event, event_id, lambda e: authz.can_publish_results(current_user, e))
    form = PublishForm()
    if form.validate_on_submit():
        try:
            services.publish_results(
                event, publicity_ends_on=form.publicity_ends_on.data, actor=current_user
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Results published. The publicity period has started."), "success")
    else:
        for messages in form.errors.values():
            for message in messages:
                flash(message, "danger")
    return redirect(url_for("results.provisional", event_id=event_id))


@bp.post("/events/<int:event_id>/finalise")
@login_required
def finalise(event_id: int):
    """The organiser makes published results final after the publicity period."""
    event = authz.load_or_404(Event, event_id, lambda e: authz.can_publish_results(current_user, e))
    if ConfirmForm().validate_on_submit():
        try:
            services.finalise_results(event, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("The results are final."), "success")
    return redirect(url_for("results.provisional", event_id=event_id))


@bp.get("/entries/<int:entry_id>")
@login_required
def entry(entry_id: int):
    """One entry's breakdown: section by section, criterion by criterion (judges for staff)."""
    entry = authz.load_or_404(
        Entry, entry_id, lambda e: authz.can_see_entry_result(current_user, e)
    )
    event = entry.event
    with_judges = authz.can_see_judges_marks(current_user, event)
    return render_template(
        "results/entry.html",
        entry=entry,
        event=event,
        breakdown=entry_breakdown(entry, locale=_locale(), with_judges=with_judges),
        results=services.event_results(event),
        award_name=award_name,
        with_judges=with_judges,
        appeals=services.entry_appeals(entry),
        can_appeal=authz.can_appeal(current_user, entry) and services.in_publicity_period(event),
    )


@bp.route("/entries/<int:entry_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(entry_id: int):
    """The entry's contestant files an appeal during the publicity period."""
    entry = authz.load_or_404(Entry, entry_id, lambda e: authz.can_appeal(current_user, e))
    form = AppealForm()
    if form.validate_on_submit():
        try:
            services.file_appeal(entry, reason=form.reason.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            _field_error(form, error, "reason")
        else:
            db.session.commit()
            flash(_("Your appeal has been filed. You will see the decision here."), "success")
            return redirect(url_for("results.entry", entry_id=entry.id))
    return render_template(
        "results/appeal.html",
        entry=entry,
        event=entry.event,
        form=form,
        open_period=services.in_publicity_period(entry.event),
    )


@bp.route("/appeals/<int:appeal_id>", methods=["GET", "POST"])
@login_required
def resolve(appeal_id: int):
    """The organiser or the chief judge upholds or dismisses an appeal."""
    appeal = authz.load_or_404(
        Appeal, appeal_id, lambda a: authz.can_resolve_appeal(current_user, a)
    )
    entry = db.session.get(Entry, appeal.entry_id)
    form = ResolveAppealForm()
    if form.validate_on_submit():
        try:
            if form.decision.data == "upheld":
                services.uphold_appeal(appeal, resolution=form.resolution.data, actor=current_user)
            else:
                services.dismiss_appeal(appeal, resolution=form.resolution.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            _field_error(form, error, "resolution")
        else:
            db.session.commit()
            if form.decision.data == "upheld":
                flash(_("Appeal upheld. The chief judge can now correct the marks."), "success")
            else:
                flash(_("Appeal dismissed."), "success")
            return redirect(url_for("results.resolve", appeal_id=appeal.id))
    return render_template(
        "results/resolve.html",
        appeal=appeal,
        entry=entry,
        event=entry.event,
        form=form,
        breakdown=entry_breakdown(entry, locale=_locale(), with_judges=True),
        can_correct=authz.can_correct_appeal_marks(current_user, appeal)
        and services.appeal_allows_remarking(appeal, entry.id),
    )


@bp.route("/appeals/<int:appeal_id>/marks", methods=["GET", "POST"])
@login_required
def correct(appeal_id: int):
    """The chief judge corrects the contested marks of an upheld appeal, one mark at a time."""
    appeal = authz.load_or_404(
        Appeal, appeal_id, lambda a: authz.can_correct_appeal_marks(current_user, a)
    )
    entry = db.session.get(Entry, appeal.entry_id)
    form = CorrectMarkForm()
    errors: dict[tuple[int, int], list[str]] = {}
    if form.validate_on_submit():
        criterion = db.session.get(Criterion, form.criterion_id.data)
        try:
            if criterion is None:
                raise DomainError(_("Unknown criterion."), field="criterion_id")
            version = int(form.version.data) if (form.version.data or "").isdigit() else None
            services.correct_mark_for_appeal(
                appeal,
                judge_id=form.judge_id.data,
                criterion=criterion,
                value=form.value.data,
                note=form.note.data,
                expected_version=version,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            errors[(form.judge_id.data, form.criterion_id.data)] = [error.message]
        else:
            db.session.commit()
            flash(
                _("Mark corrected. The results have been recomputed."),
                "success",
            )
            return redirect(url_for("results.correct", appeal_id=appeal.id))
    elif request.method == "POST":
        key = (form.judge_id.data, form.criterion_id.data)
        errors[key] = [m for messages in form.errors.values() for m in messages]
    status = 422 if errors else 200
    return render_template(
        "results/correct.html",
        appeal=appeal,
        entry=entry,
        event=entry.event,
        form=form,
        errors=errors,
        breakdown=entry_breakdown(entry, locale=_locale(), with_judges=True),
        open_for_changes=services.appeal_allows_remarking(appeal, entry.id),
    ), status


@bp.get("/events/<int:event_id>/results-<lang>.pdf")
@login_required
def event_pdf(event_id: int, lang: str):
    """The printable results table of one event, in Chinese or English."""
    event = authz.load_or_404(
        Event, event_id, lambda e: authz.can_see_provisional_results(current_user, e)
    )
    if lang not in ("zh", "en"):
        abort(404)
    body = exports.event_pdf(event, lang)
    return _download(body, "application/pdf", f"{event.competition.code}-{event.code}-{lang}.pdf")


@bp.get("/competitions/<int:competition_id>/results.<fmt>")
@login_required
def export(competition_id: int, fmt: str):
    """A competition's results as .xlsx (summary + a sheet per event), CSV or JSON."""
    competition = authz.load_or_404(
        Competition, competition_id, lambda c: authz.can_export_results(current_user, c)
    )
    name = f"{competition.code}-results.{fmt}"
    if fmt not in ("xlsx", "csv", "json"):
        abort(404)
    # Names, employers and every score leave the system: on record.
    record("results_exported", actor=current_user, target=competition, format=fmt)
    db.session.commit()
    if fmt == "xlsx":
        body = exports.competition_xlsx(competition, _locale())
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        body = exports.competition_csv(competition, _locale())
        mimetype = "text/csv; charset=utf-8"
    else:
        body = exports.dumps_results(competition).encode()
        mimetype = "application/json"
    return _download(body, mimetype, name)


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_template_filter("plain_number")
def plain_number(value) -> str:
    """A Decimal as people write it: 100, 7.5 (no exponent, no trailing zeros)."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text

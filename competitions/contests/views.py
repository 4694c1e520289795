"""Organisers set up competitions, events and marking schemes, run the lifecycle, draw lots
and check contestants in at the venue.

Every page here is for the organisers of the competition concerned (and admins): a
loader gives 404 for an unknown object and 403 to anybody else.
"""

from __future__ import annotations

from datetime import UTC

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, to_user_timezone, to_utc
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from .. import authz
from ..accounts.models import User
from ..enums import EntryStatus, Role
from ..errors import DomainError
from ..extensions import db
from ..registration import services as registration_services
from ..registration.models import Draw, Entry
from . import lifecycle, services
from .forms import (
    AwardTierForm,
    CompetitionForm,
    ConfirmForm,
    CopySchemeForm,
    CriterionForm,
    DrawForm,
    EntryStatusForm,
    EventForm,
    FinishTimeForm,
    ImportSchemeForm,
    SectionForm,
)
from .models import AwardTier, Competition, Criterion, Event, Organisation, Section

bp = Blueprint("contests", __name__)


@bp.before_request
@authz.role_required(Role.ORGANISER)
def require_organiser():
    """Setting up competitions is for organisers (and admins); per-object checks follow."""


# --------------------------------------------------------------------------- loaders


def _competition(competition_id: int) -> Competition:
    return authz.load_or_404(
        Competition, competition_id, lambda c: authz.can_manage(current_user, c)
    )


def _event(event_id: int) -> Event:
    return authz.load_or_404(Event, event_id, lambda e: authz.can_manage_event(current_user, e))


def _section(section_id: int) -> Section:
    return authz.load_or_404(
        Section, section_id, lambda s: authz.can_manage_event(current_user, s.event)
    )


def _criterion(criterion_id: int) -> Criterion:
    return authz.load_or_404(
        Criterion, criterion_id, lambda c: authz.can_manage_event(current_user, c.section.event)
    )


def _tier(tier_id: int) -> AwardTier:
    return authz.load_or_404(
        AwardTier, tier_id, lambda t: authz.can_manage_event(current_user, t.event)
    )


def _entry(entry_id: int) -> Entry:
    return authz.load_or_404(
        Entry, entry_id, lambda e: authz.can_manage_event(current_user, e.event)
    )


def _actor() -> User:
    return current_user._get_current_object()


def _refused(form, error: DomainError) -> None:
    """Roll back and show the refusal beside its field (or at the top of the page)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if (form is not None and error.field) else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")


def _data(form, *names: str) -> dict:
    return {name: getattr(form, name).data for name in names}


# --------------------------------------------------------------------------- competitions


@bp.get("/competitions")
def competitions():
    """The competitions the user manages (admins: all), newest first."""
    query = select(Competition).order_by(Competition.starts_on.desc(), Competition.id.desc())
    if not authz.is_admin(current_user):
        query = query.where(Competition.organisers.any(id=current_user.id))
    return render_template(
        "contests/competitions.html",
        competitions=db.session.scalars(query).all(),
        can_create=authz.can_create_competition(current_user),
    )


def _organiser_choices(form: CompetitionForm) -> None:
    organisers = db.session.scalars(
        select(User)
        .where(User.role == Role.ORGANISER, User.active.is_(True))
        .order_by(User.display_name)
    ).all()
    form.organisers.choices = [(u.id, f"{u.display_name} ({u.username})") for u in organisers]


def _chosen_organisers(form: CompetitionForm) -> list[User]:
    ids = set(form.organisers.data or [])
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids))))


_COMPETITION_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "level",
    "kind",
    "starts_on",
    "ends_on",
    "organisation",
    "self_registration",
)


def _organisation_names() -> list[str]:
    return list(db.session.scalars(select(Organisation.name).order_by(Organisation.name)))


@bp.route("/competitions/new", methods=["GET", "POST"])
def new_competition():
    """Create a competition (in draft); its creator becomes one of its organisers."""
    if not authz.can_create_competition(current_user):
        abort(403)
    form = CompetitionForm()
    _organiser_choices(form)
    if request.method == "GET" and current_user.role is Role.ORGANISER:
        form.organisers.data = [current_user.id]
    if form.validate_on_submit():
        try:
            competition = services.create_competition(
                actor=_actor(),
                organisers=_chosen_organisers(form),
                **_data(form, *_COMPETITION_FIELDS),
            )
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Competition %(code)s created.", code=competition.code), "success")
            return redirect(url_for("contests.competition", competition_id=competition.id))
    return render_template(
        "contests/competition_form.html",
        form=form,
        competition=None,
        organisations=_organisation_names(),
    )


@bp.get("/competitions/<int:competition_id>")
def competition(competition_id: int):
    """A competition's overview: details, lifecycle actions and its events."""
    competition = _competition(competition_id)
    counts = dict(
        db.session.execute(
            select(Entry.event_id, func.count(Entry.id))
            .join(Event, Entry.event_id == Event.id)
            .where(Event.competition_id == competition.id)
            .group_by(Entry.event_id)
        ).all()
    )
    return render_template(
        "contests/competition.html",
        competition=competition,
        transitions=lifecycle.competition_transitions(competition),
        entry_counts=counts,
        complete={e.id: not services.scheme_problems(e) for e in competition.events},
        lifecycle=lifecycle,
    )


@bp.route("/competitions/<int:competition_id>/edit", methods=["GET", "POST"])
def edit_competition(competition_id: int):
    """Change a competition's details and organisers."""
    competition = _competition(competition_id)
    form = CompetitionForm(obj=competition if request.method == "GET" else None)
    _organiser_choices(form)
    if request.method == "GET":
        form.level.data = competition.level.value
        form.kind.data = competition.kind.value
        form.organisation.data = competition.organisation.name
        form.organisers.data = [u.id for u in competition.organisers]
    if form.validate_on_submit():
        try:
            services.update_competition(
                competition,
                actor=_actor(),
                organisers=_chosen_organisers(form),
                **_data(form, *_COMPETITION_FIELDS),
            )
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Competition %(code)s saved.", code=competition.code), "success")
            return redirect(url_for("contests.competition", competition_id=competition.id))
    return render_template(
        "contests/competition_form.html",
        form=form,
        competition=competition,
        organisations=_organisation_names(),
    )


@bp.route("/competitions/<int:competition_id>/actions/<name>", methods=["GET", "POST"])
def competition_action(competition_id: int, name: str):
    """Confirm, then run, a lifecycle transition of the competition."""
    competition = _competition(competition_id)
    transition = lifecycle.COMPETITION_TRANSITIONS.get(name)
    if transition is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.transition_competition(competition, name, actor=_actor())
        except DomainError as error:
            _refused(None, error)
        else:
            db.session.commit()
            flash(
                _("Done: %(action)s.", action=str(transition.label)),
                "success",
            )
            return redirect(url_for("contests.competition", competition_id=competition.id))
    allowed = competition.status in transition.sources
    return render_template(
        "contests/confirm_transition.html",
        form=form,
        transition=transition,
        subject=competition,
        allowed=allowed,
        reasons=services.competition_readiness(competition, name) if allowed else [],
        back=url_for("contests.competition", competition_id=competition.id),
        competition=competition,
        event=None,
    )


# --------------------------------------------------------------------------- events

_EVENT_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "is_team",
    "aggregation",
    "min_judges_to_trim",
    "discrepancy_share",
    "venue",
)


def _local(value):
    """An aware UTC time as the naive local time a datetime-local input shows."""
    return to_user_timezone(value).replace(tzinfo=None) if value else None


def _utc(value):
    """A naive local time from a datetime-local input as an aware UTC time."""
    return to_utc(value).replace(tzinfo=UTC) if value else None


def _event_values(form: EventForm) -> dict:
    return {
        **_data(form, *_EVENT_FIELDS),
        "tie_break": services.parse_tie_break(form.tie_break.data),
        "starts_at": _utc(form.starts_at.data),
        "ends_at": _utc(form.ends_at.data),
    }


@bp.route("/competitions/<int:competition_id>/events/new", methods=["GET", "POST"])
def new_event(competition_id: int):
    """Add an event (a trade) to a competition."""
    competition = _competition(competition_id)
    form = EventForm()
    if form.validate_on_submit():
        try:
            event = services.create_event(competition, actor=_actor(), **_event_values(form))
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(
                _("Event %(code)s added. Now set up its marking scheme.", code=event.code),
                "success",
            )
            return redirect(url_for("contests.scheme", event_id=event.id))
    return render_template(
        "contests/event_form.html", form=form, competition=competition, event=None
    )


@bp.get("/events/<int:event_id>")
def event(event_id: int):
    """An event's overview: state, actions, scheme summary, draw and check-in."""
    event = _event(event_id)
    statuses: dict[EntryStatus, int] = {}
    for entry in event.entries:
        statuses[entry.status] = statuses.get(entry.status, 0) + 1
    return render_template(
        "contests/event.html",
        event=event,
        competition=event.competition,
        transitions=lifecycle.event_transitions(event, owner="contests"),
        problems=services.scheme_problems(event),
        draw=services.latest_draw(event),
        statuses=statuses,
        lifecycle=lifecycle,
        registration_open=registration_services.registration_open(event),
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int):
    """Change an event's details and rules."""
    event = _event(event_id)
    form = EventForm(obj=event if request.method == "GET" else None)
    if request.method == "GET":
        form.aggregation.data = event.aggregation.value
        form.tie_break.data = ", ".join(event.tie_break or [])
        form.starts_at.data = _local(event.starts_at)
        form.ends_at.data = _local(event.ends_at)
    if form.validate_on_submit():
        try:
            services.update_event(event, actor=_actor(), **_event_values(form))
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Event %(code)s saved.", code=event.code), "success")
            return redirect(url_for("contests.event", event_id=event.id))
    return render_template(
        "contests/event_form.html",
        form=form,
        competition=event.competition,
        event=event,
        rules_frozen=not lifecycle.scheme_editable(event),
    )


@bp.route("/events/<int:event_id>/actions/<name>", methods=["GET", "POST"])
def event_action(event_id: int, name: str):
    """Confirm, then run, one of the event's lifecycle transitions."""
    event = _event(event_id)
    transition = lifecycle.EVENT_TRANSITIONS.get(name)
    if transition is None or transition.owner != "contests":
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.apply_event_action(event, name, actor=_actor())
        except DomainError as error:
            _refused(None, error)
        else:
            db.session.commit()
            flash(_("Done: %(action)s.", action=str(transition.label)), "success")
            return redirect(url_for("contests.event", event_id=event.id))
    allowed = event.status in transition.sources
    return render_template(
        "contests/confirm_transition.html",
        form=form,
        transition=transition,
        subject=event,
        allowed=allowed,
        reasons=services.event_readiness(event, name) if allowed else [],
        back=url_for("contests.event", event_id=event.id),
        competition=event.competition,
        event=event,
    )


# --------------------------------------------------------------------------- scheme


@bp.get("/events/<int:event_id>/scheme")
def scheme(event_id: int):
    """The marking scheme editor: sections, criteria, award tiers and what is missing."""
    event = _event(event_id)
    return render_template(
        "contests/scheme.html",
        event=event,
        competition=event.competition,
        problems=services.scheme_problems(event),
        editable=lifecycle.scheme_editable(event),
        weight_total=sum((s.weight for s in event.sections), 0),
        confirm=ConfirmForm(),
    )


def _scheme_url(event: Event, anchor: str | None = None) -> str:
    return url_for("contests.scheme", event_id=event.id, _anchor=anchor)


_SECTION_FIELDS = ("code", "name_zh", "name_en", "weight")
_CRITERION_FIELDS = ("code", "name_zh", "name_en", "type", "max_mark")
_TIER_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "share",
    "count",
    "min_total",
    "recognition_zh",
    "recognition_en",
)


@bp.route("/events/<int:event_id>/sections/new", methods=["GET", "POST"])
def new_section(event_id: int):
    """Add a section to the event's scheme."""
    event = _event(event_id)
    form = SectionForm()
    if form.validate_on_submit():
        try:
            section = services.add_section(event, actor=_actor(), **_data(form, *_SECTION_FIELDS))
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Section %(code)s added.", code=section.code), "success")
            return redirect(_scheme_url(event, f"section-{section.id}"))
    return render_template(
        "contests/item_form.html", form=form, event=event, kind="section", item=None
    )


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
def edit_section(section_id: int):
    """Change a section."""
    section = _section(section_id)
    event = section.event
    form = SectionForm(obj=section if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update_section(section, actor=_actor(), **_data(form, *_SECTION_FIELDS))
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Section %(code)s saved.", code=section.code), "success")
            return redirect(_scheme_url(event, f"section-{section.id}"))
    return render_template(
        "contests/item_form.html",
        form=form,
        event=event,
        kind="section",
        item=section,
        delete_url=url_for("contests.delete_section", section_id=section.id),
        confirm=ConfirmForm(),
    )


@bp.post("/sections/<int:section_id>/delete")
def delete_section(section_id: int):
    """Remove a section and its criteria."""
    section = _section(section_id)
    event = section.event
    if ConfirmForm().validate_on_submit():
        code = section.code
        try:
            services.delete_section(section, actor=_actor())
        except DomainError as error:
            _refused(None, error)
        else:
            db.session.commit()
            flash(_("Section %(code)s deleted.", code=code), "success")
    return redirect(_scheme_url(event))


@bp.route("/sections/<int:section_id>/criteria/new", methods=["GET", "POST"])
def new_criterion(section_id: int):
    """Add a criterion to a section."""
    section = _section(section_id)
    event = section.event
    form = CriterionForm()
    if form.validate_on_submit():
        try:
            criterion = services.add_criterion(
                section, actor=_actor(), **_data(form, *_CRITERION_FIELDS)
            )
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Criterion %(code)s added.", code=criterion.code), "success")
            return redirect(_scheme_url(event, f"section-{section.id}"))
    return render_template(
        "contests/item_form.html",
        form=form,
        event=event,
        kind="criterion",
        item=None,
        section=section,
    )


@bp.route("/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
def edit_criterion(criterion_id: int):
    """Change a criterion."""
    criterion = _criterion(criterion_id)
    section = criterion.section
    event = section.event
    form = CriterionForm(obj=criterion if request.method == "GET" else None)
    if request.method == "GET":
        form.type.data = criterion.type.value
    if form.validate_on_submit():
        try:
            services.update_criterion(criterion, actor=_actor(), **_data(form, *_CRITERION_FIELDS))
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Criterion %(code)s saved.", code=criterion.code), "success")
            return redirect(_scheme_url(event, f"section-{section.id}"))
    return render_template(
        "contests/item_form.html",
        form=form,
        event=event,
        kind="criterion",
        item=criterion,
        section=section,
        delete_url=url_for("contests.delete_criterion", criterion_id=criterion.id),
        confirm=ConfirmForm(),
    )


@bp.post("/criteria/<int:criterion_id>/delete")
def delete_criterion(criterion_id: int):
    """Remove a criterion."""
    criterion = _criterion(criterion_id)
    event = criterion.section.event
    if ConfirmForm().validate_on_submit():
        code = criterion.code
        try:
            services.delete_criterion(criterion, actor=_actor())
        except DomainError as error:
            _refused(None, error)
        else:
            db.session.commit()
            flash(_("Criterion %(code)s deleted.", code=code), "success")
    return redirect(_scheme_url(event))


@bp.route("/events/<int:event_id>/awards/new", methods=["GET", "POST"])
def new_award_tier(event_id: int):
    """Add an award tier."""
    event = _event(event_id)
    form = AwardTierForm()
    if form.validate_on_submit():
        try:
            tier = services.add_award_tier(event, actor=_actor(), **_data(form, *_TIER_FIELDS))
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Award tier %(code)s added.", code=tier.code), "success")
            return redirect(_scheme_url(event, "awards"))
    return render_template(
        "contests/item_form.html", form=form, event=event, kind="award", item=None
    )


@bp.route("/awards/<int:tier_id>/edit", methods=["GET", "POST"])
def edit_award_tier(tier_id: int):
    """Change an award tier."""
    tier = _tier(tier_id)
    event = tier.event
    form = AwardTierForm(obj=tier if request.method == "GET" else None)
    if request.method == "GET":
        form.recognition_zh.data = (tier.recognition or {}).get("zh")
        form.recognition_en.data = (tier.recognition or {}).get("en")
    if form.validate_on_submit():
        try:
            services.update_award_tier(tier, actor=_actor(), **_data(form, *_TIER_FIELDS))
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Award tier %(code)s saved.", code=tier.code), "success")
            return redirect(_scheme_url(event, "awards"))
    return render_template(
        "contests/item_form.html",
        form=form,
        event=event,
        kind="award",
        item=tier,
        delete_url=url_for("contests.delete_award_tier", tier_id=tier.id),
        confirm=ConfirmForm(),
    )


@bp.post("/awards/<int:tier_id>/delete")
def delete_award_tier(tier_id: int):
    """Remove an award tier."""
    tier = _tier(tier_id)
    event = tier.event
    if ConfirmForm().validate_on_submit():
        code = tier.code
        try:
            services.delete_award_tier(tier, actor=_actor())
        except DomainError as error:
            _refused(None, error)
        else:
            db.session.commit()
            flash(_("Award tier %(code)s deleted.", code=code), "success")
    return redirect(_scheme_url(event, "awards"))


@bp.post("/scheme/<kind>/<int:item_id>/move/<direction>")
def move_item(kind: str, item_id: int, direction: str):
    """Move a section, criterion or award tier up or down."""
    loaders = {"section": _section, "criterion": _criterion, "award": _tier}
    offsets = {"up": -1, "down": 1}
    if kind not in loaders or direction not in offsets:
        abort(404)
    item = loaders[kind](item_id)
    event = item.section.event if kind == "criterion" else item.event
    if ConfirmForm().validate_on_submit():
        try:
            services.move_item(item, offsets[direction], actor=_actor())
        except DomainError as error:
            _refused(None, error)
        else:
            db.session.commit()
    anchor = "awards" if kind == "award" else None
    return redirect(_scheme_url(event, anchor))


@bp.route("/events/<int:event_id>/scheme/copy", methods=["GET", "POST"])
def copy_scheme(event_id: int):
    """Replace the event's scheme by a copy of another event's."""
    event = _event(event_id)
    query = (
        select(Event)
        .where(Event.id != event.id)
        .order_by(Event.competition_id.desc(), Event.position)
    )
    if not authz.is_admin(current_user):
        query = query.where(Event.competition.has(Competition.organisers.any(id=current_user.id)))
    sources = db.session.scalars(query).all()
    form = CopySchemeForm()
    locale = str(get_locale() or "zh")
    form.source.choices = [
        (e.id, f"{e.competition.code} · {e.code} · {e.name(locale)}") for e in sources
    ]
    if form.validate_on_submit():
        source = db.session.get(Event, form.source.data)
        if source is None or not authz.can_copy_scheme_from(current_user, source):
            form.source.errors = [_("Choose an event of a competition you manage.")]
        else:
            try:
                services.copy_scheme(source, event, actor=_actor())
            except DomainError as error:
                _refused(form, error)
            else:
                db.session.commit()
                flash(
                    _("The scheme of %(code)s was copied.", code=source.code),
                    "success",
                )
                return redirect(_scheme_url(event))
    return render_template(
        "contests/scheme_copy.html",
        form=form,
        event=event,
        competition=event.competition,
        has_sources=bool(sources),
    )


@bp.get("/events/<int:event_id>/scheme.json")
def export_scheme(event_id: int):
    """Download the event's scheme as a JSON file."""
    event = _event(event_id)
    filename = f"{event.competition.code}-{event.code}-scheme.json"
    return Response(
        services.export_scheme(event),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/events/<int:event_id>/scheme/import", methods=["GET", "POST"])
def import_scheme(event_id: int):
    """Replace the event's scheme by one from a JSON file; every problem listed, or done."""
    event = _event(event_id)
    form = ImportSchemeForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        source = upload.read() if upload else (form.text.data or "").encode()
        if not source.strip():
            form.file.errors = [_("Choose a file or paste the JSON.")]
        else:
            try:
                services.import_scheme(event, source, actor=_actor())
            except services.SchemeFileError as error:
                db.session.rollback()
                problems = error.problems
            except DomainError as error:
                _refused(None, error)
            else:
                db.session.commit()
                flash(_("The scheme was imported."), "success")
                return redirect(_scheme_url(event))
    return render_template(
        "contests/scheme_import.html",
        form=form,
        event=event,
        competition=event.competition,
        problems=problems,
    )


# --------------------------------------------------------------------------- draw


@bp.route("/events/<int:event_id>/draw", methods=["GET", "POST"])
def draw(event_id: int):
    """Draw lots for numbers and work stations, and show the latest draw."""
    event = _event(event_id)
    latest = services.latest_draw(event)
    form = DrawForm()
    if request.method == "GET" and latest is not None:
        form.stations.data = ", ".join(latest.outcome.get("stations") or [])
    if form.validate_on_submit():
        if latest is not None and not form.confirm.data:
            form.confirm.errors = [_("Tick this box to draw again.")]
        else:
            try:
                stations = services.parse_stations(form.stations.data)
                services.draw_lots(event, actor=_actor(), stations=stations)
            except DomainError as error:
                _refused(form, error)
            else:
                db.session.commit()
                flash(_("Lots were drawn."), "success")
                return redirect(url_for("contests.draw", event_id=event.id))
    entries = sorted(event.entries, key=lambda e: (e.number is None, e.number or "", e.ref))
    operator = db.session.get(User, latest.performed_by_id) if latest else None
    history = db.session.scalar(select(func.count(Draw.id)).where(Draw.event_id == event.id))
    return render_template(
        "contests/draw.html",
        form=form,
        event=event,
        competition=event.competition,
        latest=latest,
        operator=operator,
        history=history,
        entries=entries,
        competing=len(services.competing_entries(event)),
        allowed=lifecycle.draw_allowed(event),
        verified=services.verify_draw(latest) if latest else None,
    )


@bp.get("/events/<int:event_id>/draw.pdf")
def draw_sheet(event_id: int):
    """The printable draw sheet: number ↔ station, for the venue."""
    from ..pdf.table import render_table

    event = _event(event_id)
    latest = services.latest_draw(event)
    if latest is None:
        abort(404)
    operator = db.session.get(User, latest.performed_by_id) if latest.performed_by_id else None
    document = services.draw_sheet(
        event, latest, performed_by=operator.display_name if operator else None
    )
    filename = f"{event.competition.code}-{event.code}-draw.pdf"
    return Response(
        render_table(document),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


# --------------------------------------------------------------------------- check-in


@bp.get("/events/<int:event_id>/checkin")
def checkin(event_id: int):
    """The venue page: check contestants in, record absences, withdrawals,
    disqualifications and finish times. Made for a tablet or a phone."""
    event = _event(event_id)
    entries = sorted(event.entries, key=lambda e: (e.number is None, e.number or "", e.ref))
    counts: dict[EntryStatus, int] = {}
    for entry in entries:
        counts[entry.status] = counts.get(entry.status, 0) + 1
    return render_template(
        "contests/checkin.html",
        event=event,
        competition=event.competition,
        entries=entries,
        counts=counts,
        editable=lifecycle.entry_status_editable(event),
        form=EntryStatusForm(),
        finish_form=FinishTimeForm(),
        format_duration=services.format_duration,
        EntryStatus=EntryStatus,
    )


def _checkin_url(entry: Entry) -> str:
    return url_for("contests.checkin", event_id=entry.event_id, _anchor=f"entry-{entry.id}")


@bp.post("/entries/<int:entry_id>/status")
def entry_status(entry_id: int):
    """Set an entry's status from the check-in page."""
    entry = _entry(entry_id)
    form = EntryStatusForm()
    if form.validate_on_submit():
        try:
            status = EntryStatus(form.status.data)
        except ValueError:
            abort(400)
        try:
            services.set_entry_status(entry, status, actor=_actor(), reason=form.reason.data)
        except DomainError as error:
            _refused(None, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(number)s %(name)s: %(status)s.",
                    number=entry.number or entry.ref,
                    name=entry.display_name,
                    status=str(_status_label(status)),
                ),
                "success",
            )
    else:
        flash(_("The form had expired. Please send it again."), "danger")
    return redirect(_checkin_url(entry))


def _status_label(status):
    from ..labels import label

    return label(status)


@bp.post("/entries/<int:entry_id>/finish")
def entry_finish(entry_id: int):
    """Record (or clear) the time an entry took."""
    entry = _entry(entry_id)
    form = FinishTimeForm()
    if form.validate_on_submit():
        try:
            seconds = services.parse_duration(form.finish.data)
            services.record_finish_time(entry, seconds, actor=_actor())
        except DomainError as error:
            _refused(None, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(number)s: finish time %(time)s recorded.",
                    number=entry.number or entry.ref,
                    time=services.format_duration(seconds) or "—",
                ),
                "success",
            )
    else:
        flash(_("The form had expired. Please send it again."), "danger")
    return redirect(_checkin_url(entry))


@bp.app_template_filter("plain_number")
def plain_number(value) -> str:
    """A Decimal without trailing zeros or exponent: ``30.000`` → ``30``, ``0.100000`` → ``0.1``."""
    if value is None:
        return ""
    from decimal import Decimal

    return format(Decimal(value).normalize(), "f")

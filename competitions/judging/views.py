"""Judges, their appointment to events, and the chief judge's desk (blueprint ``judging``).

Organisers create and import judge accounts, appoint judges (and one chief
judge) to events and declare conflicts of interest. The chief judge follows
completeness and discrepancies, asks for re-marking, excuses missing marks and
signs the event off; the organiser may reopen it, with a reason.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import authz
from ..accounts.models import User
from ..contests.models import Competition, Criterion, Event
from ..enums import EventStatus, Role
from ..errors import DomainError
from ..extensions import db
from ..registration.models import Entry, Person, TeamMember
from ..sheets.judges import judge_template_csv_bytes, judge_template_workbook
from . import services
from .completeness import completeness
from .conflicts import DECLARED
from .forms import (
    AssignForm,
    AssignmentLimitsForm,
    ConfirmForm,
    ConflictForm,
    ExcuseForm,
    JudgeForm,
    JudgeImportForm,
    ReasonForm,
    RemarkForm,
)
from .models import ConflictDeclaration, JudgeAssignment, MarkExcuse, RemarkRequest

bp = Blueprint("judging", __name__, url_prefix="/judging")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _event(event_id: int, check) -> Event:
    return authz.load_or_404(Event, event_id, lambda event: check(current_user, event))


def _assignment(assignment_id: int) -> JudgeAssignment:
    return authz.load_or_404(
        JudgeAssignment,
        assignment_id,
        lambda a: authz.can_assign_judges(current_user, a.event),
    )


def _no_store(response: Response) -> Response:
    """Pages that show initial passwords must not stay in caches or history."""
    response.headers["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------- organiser: overview


@bp.get("/")
@login_required
def index():
    """The events whose judges the user appoints, with their chief judge and judge count."""
    if not authz.can_manage_judges(current_user):
        abort(403)
    query = (
        select(Competition)
        .options(selectinload(Competition.events))
        .order_by(Competition.starts_on.desc())
    )
    if not authz.is_admin(current_user):
        query = query.where(Competition.organisers.any(id=current_user.id))
    competitions = db.session.scalars(query).all()
    assignments = db.session.scalars(
        select(JudgeAssignment)
        .options(selectinload(JudgeAssignment.judge))
        .where(
            JudgeAssignment.event_id.in_(
                [event.id for competition in competitions for event in competition.events]
            )
        )
    ).all()
    judges_by_event: dict[int, list[JudgeAssignment]] = {}
    for assignment in assignments:
        judges_by_event.setdefault(assignment.event_id, []).append(assignment)
    return render_template(
        "judging/index.html", competitions=competitions, judges_by_event=judges_by_event
    )


# --------------------------------------------------------------------- organiser: judge accounts


@bp.get("/judges")
@login_required
def judges():
    """Every judge account, with the events each is appointed to."""
    if not authz.can_manage_judges(current_user):
        abort(403)
    accounts = db.session.scalars(
        select(User).where(User.role == Role.JUDGE).order_by(User.display_name, User.username)
    ).all()
    appointed: dict[int, list[JudgeAssignment]] = {}
    for assignment in db.session.scalars(
        select(JudgeAssignment).options(selectinload(JudgeAssignment.event))
    ):
        appointed.setdefault(assignment.judge_id, []).append(assignment)
    return render_template("judging/judges.html", judges=accounts, appointed=appointed)


@bp.route("/judges/new", methods=["GET", "POST"])
@login_required
def new_judge():
    """Create one judge account; its generated password is shown once."""
    if not authz.can_manage_judges(current_user):
        abort(403)
    form = JudgeForm()
    if form.validate_on_submit():
        try:
            user, password = services.create_judge(
                username=form.username.data,
                display_name=form.display_name.data,
                employer=form.employer.data,
                phone=form.phone.data,
                email=form.email.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "username").errors.append(error.message)
        else:
            db.session.commit()
            return _no_store(
                make_response(
                    render_template("judging/credentials.html", credentials=[(user, password)])
                )
            )
    return render_template("judging/judge_form.html", form=form)


@bp.route("/judges/import", methods=["GET", "POST"])
@login_required
def import_judges():
    """Create judge accounts from a spreadsheet: every row or none; passwords shown once."""
    if not authz.can_manage_judges(current_user):
        abort(403)
    form = JudgeImportForm()
    problems = []
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            created = services.import_judges(
                upload.read(), upload.filename or "judges.xlsx", actor=current_user
            )
        except services.JudgeImportFailed as error:
            db.session.rollback()
            form.file.errors.append(error.message)
            problems = error.problems
            status = 422
        else:
            db.session.commit()
            return _no_store(
                make_response(render_template("judging/credentials.html", credentials=created))
            )
    elif request.method == "POST":
        status = 400
    return render_template("judging/import.html", form=form, problems=problems), status


@bp.get("/judges/template.<fmt>")
@login_required
def judge_template(fmt: str):
    """The judge import template, as .xlsx or .csv, in the page's language."""
    if not authz.can_manage_judges(current_user):
        abort(403)
    from flask_babel import get_locale

    language = "en" if str(get_locale()).startswith("en") else "zh"
    name = "judges" if language == "en" else "judges-zh"
    if fmt == "xlsx":
        body, mimetype = judge_template_workbook(language=language), XLSX
    elif fmt == "csv":
        body, mimetype = judge_template_csv_bytes(language=language), "text/csv; charset=utf-8"
    else:
        abort(404)
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f"attachment; filename={name}.{fmt}"
    return response


# --------------------------------------------------------------------- organiser: assignment


def _assign_form(event: Event, form: AssignForm | None = None) -> AssignForm:
    form = form or AssignForm(prefix="assign")
    form.judge.choices = [
        (judge.id, f"{judge.display_name} ({judge.username}) · {judge.employer or '—'}")
        for judge in services.judge_candidates(event)
    ]
    form.criteria.choices = [(c.code, f"{c.code} {c.name(_locale())}") for c in event.criteria]
    return form


def _conflict_form(event: Event, form: ConflictForm | None = None) -> ConflictForm:
    form = form or ConflictForm(prefix="conflict")
    form.judge.choices = [
        (a.judge.id, a.judge.display_name)
        for a in db.session.scalars(
            select(JudgeAssignment)
            .options(selectinload(JudgeAssignment.judge))
            .where(JudgeAssignment.event_id == event.id)
            .order_by(JudgeAssignment.ref)
        )
    ]
    people = []
    for entry in _entries_with_people(event):
        for person in entry.people:
            label = f"{_entry_label(entry)} · {person.name}"
            if entry.team_name:
                label += f" ({entry.team_name})"
            people.append((person.id, label))
    form.person.choices = people
    return form


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "zh")


def _entry_label(entry) -> str:
    return entry.number or entry.ref


def _entries_with_people(event: Event) -> list[Entry]:
    entries = db.session.scalars(
        select(Entry)
        .options(
            selectinload(Entry.person),
            selectinload(Entry.members).selectinload(TeamMember.person),
        )
        .where(Entry.event_id == event.id)
    ).all()
    return sorted(entries, key=lambda e: (e.number is None, (e.number or "").zfill(8), e.ref))


def _render_assignments(event: Event, assign_form=None, conflict_form=None, reopen_form=None):
    survey = completeness(event)
    assignments = db.session.scalars(
        select(JudgeAssignment)
        .options(selectinload(JudgeAssignment.judge))
        .where(JudgeAssignment.event_id == event.id)
        .order_by(JudgeAssignment.is_chief.desc(), JudgeAssignment.ref)
    ).all()
    entries = _entries_with_people(event)
    declarations = db.session.scalars(
        select(ConflictDeclaration)
        .options(selectinload(ConflictDeclaration.judge), selectinload(ConflictDeclaration.person))
        .where(ConflictDeclaration.judge_id.in_([a.judge_id for a in assignments]))
        .order_by(ConflictDeclaration.declared_at)
    ).all()
    person_ids = {p.id for e in entries for p in e.people}
    declarations = [d for d in declarations if d.person_id in person_ids]
    status = 200
    for form in (assign_form, conflict_form, reopen_form):
        if form is not None and form.errors:
            status = 422
    return render_template(
        "judging/event_judges.html",
        event=event,
        survey=survey,
        assignments=assignments,
        entries=entries,
        entries_by_id={e.id: e for e in entries},
        judges_by_id={a.judge_id: a.judge for a in assignments},
        declarations=declarations,
        assign_form=_assign_form(event, assign_form),
        conflict_form=_conflict_form(event, conflict_form),
        reopen_form=reopen_form or ReasonForm(prefix="reopen"),
        confirm_form=ConfirmForm(),
        declared=DECLARED,
        locked=event.status in (EventStatus.SIGNED_OFF, EventStatus.PUBLISHED, EventStatus.FINAL),
    ), status


@bp.get("/events/<int:event_id>/judges")
@login_required
def assignments(event_id: int):
    """The event's judges with their load, each entry's judge count, and the conflicts."""
    event = _event(event_id, authz.can_assign_judges)
    return _render_assignments(event)


@bp.post("/events/<int:event_id>/judges")
@login_required
def assign(event_id: int):
    """Appoint a judge to the event."""
    event = _event(event_id, authz.can_assign_judges)
    form = _assign_form(event)
    if form.validate_on_submit():
        judge = db.session.get(User, form.judge.data)
        try:
            if judge is None:
                raise DomainError(_("Choose a judge."), field="judge")
            services.assign_judge(
                event,
                judge,
                actor=current_user,
                chief=form.chief.data,
                criteria=form.criteria.data or None,
                stations=form.station_list(),
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "judge").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("%(name)s appointed.", name=judge.display_name), "success")
            return redirect(url_for("judging.assignments", event_id=event.id))
    return _render_assignments(event, assign_form=form)


@bp.route("/assignments/<int:assignment_id>", methods=["GET", "POST"])
@login_required
def edit_assignment(assignment_id: int):
    """Limit an appointed judge to some criteria or stations."""
    assignment = _assignment(assignment_id)
    event = assignment.event
    form = AssignmentLimitsForm()
    form.criteria.choices = [(c.code, f"{c.code} {c.name(_locale())}") for c in event.criteria]
    if request.method == "GET":
        form.criteria.data = assignment.criteria or []
        form.stations.data = ", ".join(assignment.stations or [])
    if form.validate_on_submit():
        try:
            services.update_assignment(
                assignment,
                actor=current_user,
                criteria=form.criteria.data or None,
                stations=form.station_list(),
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "criteria").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("judging.assignments", event_id=event.id))
    return render_template(
        "judging/judge_limits.html", form=form, assignment=assignment, event=event
    ), (422 if form.errors else 200)


def _assignment_action(assignment_id: int, action, success: str):
    assignment = _assignment(assignment_id)
    event_id = assignment.event_id
    name = assignment.judge.display_name
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(assignment, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(success % {"name": name}, "success")
    return redirect(url_for("judging.assignments", event_id=event_id))


@bp.post("/assignments/<int:assignment_id>/chief")
@login_required
def make_chief(assignment_id: int):
    """Name this judge the event's chief judge."""
    return _assignment_action(
        assignment_id, services.make_chief_judge, _("%(name)s is now the chief judge.")
    )


@bp.post("/assignments/<int:assignment_id>/remove")
@login_required
def remove(assignment_id: int):
    """Withdraw a judge who has given no mark from the event."""
    return _assignment_action(
        assignment_id, services.remove_judge, _("%(name)s no longer judges this event.")
    )


@bp.post("/events/<int:event_id>/conflicts")
@login_required
def declare_conflict(event_id: int):
    """Declare a relation between one of the event's judges and one of its contestants."""
    event = _event(event_id, authz.can_assign_judges)
    form = _conflict_form(event)
    if form.validate_on_submit():
        judge = db.session.get(User, form.judge.data)
        person = db.session.get(Person, form.person.data)
        try:
            services.declare_conflict(judge, person, form.relation.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "relation").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Relation recorded: the judge will not be given that entry."), "success")
            return redirect(url_for("judging.assignments", event_id=event.id) + "#conflicts")
    return _render_assignments(event, conflict_form=form)


@bp.post("/events/<int:event_id>/conflicts/<int:declaration_id>/withdraw")
@login_required
def withdraw_conflict(event_id: int, declaration_id: int):
    """Remove a declared relation recorded by mistake."""
    event = _event(event_id, authz.can_assign_judges)
    declaration = authz.load_or_404(ConflictDeclaration, declaration_id)
    in_event = db.session.scalar(
        select(Entry.id).where(
            Entry.event_id == event.id,
            (Entry.person_id == declaration.person_id)
            | Entry.members.any(TeamMember.person_id == declaration.person_id),
        )
    )
    if in_event is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.withdraw_conflict(declaration, actor=current_user)
    db.session.commit()
    flash(_("The declared relation was removed."), "success")
    return redirect(url_for("judging.assignments", event_id=event.id) + "#conflicts")


@bp.post("/events/<int:event_id>/reopen")
@login_required
def reopen(event_id: int):
    """The organiser reopens a signed-off event's marking, with a reason."""
    event = _event(event_id, authz.can_reopen_marking)
    form = ReasonForm(prefix="reopen")
    if form.validate_on_submit():
        try:
            services.reopen_marking(event, actor=current_user, reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            if error.field is None:  # not signed off (any more): the form is not shown
                flash(error.message, "danger")
                return redirect(url_for("judging.assignments", event_id=event.id))
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(
                _("Marking is open again. The chief judge must sign the event off anew."), "success"
            )
            return redirect(url_for("judging.assignments", event_id=event.id))
    return _render_assignments(event, reopen_form=form)


# --------------------------------------------------------------------- chief judge


def _chief_context(event: Event) -> dict:
    survey = completeness(event)
    order = {entry.id: index for index, entry in enumerate(survey.entries)}
    criteria = {
        c.id: c for c in db.session.scalars(select(Criterion).where(Criterion.event_id == event.id))
    }
    return {
        "event": event,
        "survey": survey,
        "criteria_by_id": criteria,
        "discrepancies": sorted(
            services.discrepancies(event),
            key=lambda d: (order.get(d.entry_id, len(order)), d.entry_id, d.criterion_id),
        ),
        "remarks": services.open_remark_requests(event=event),
        "excuses": services.excuses_on_record(event),
        "entries_by_id": {e.id: e for e in survey.entries + survey.not_competing},
        "judges_by_id": {j.id: j for j in survey.judges},
        # Actions (re-mark, excuse, sign off) only while marking is open.
        "supervise": authz.can_supervise_marking(current_user, event)
        and event.status is EventStatus.MARKING,
        "plain": _plain,
    }


def _plain(value) -> str:
    """A mark as people write it: ``35.500`` → ``35.5``, ``3.000`` → ``3``."""
    return format(value.normalize(), "f")


def _fill_choices(form, survey, criteria_by_id, *, all_judges: bool) -> None:
    form.entry.choices = [(e.id, e.number or "—") for e in survey.entries]
    judges = [(j.id, f"{j.ref or ''} {j.name}".strip()) for j in survey.judges if j.marks]
    form.judge.choices = ([(0, _("All judges"))] if all_judges else []) + judges
    form.criterion.choices = [(0, _("All criteria"))] + [
        (c.id, f"{c.code} {criteria_by_id[c.id].name(_locale())}".strip()) for c in survey.criteria
    ]


def _render_chief(event: Event, *, excuse_form=None, remark_form=None, refused=None, status=200):
    context = _chief_context(event)
    excuse_form = excuse_form or ExcuseForm(prefix="excuse", formdata=None)
    remark_form = remark_form or RemarkForm(prefix="remark", formdata=None)
    _fill_choices(excuse_form, context["survey"], context["criteria_by_id"], all_judges=True)
    _fill_choices(remark_form, context["survey"], context["criteria_by_id"], all_judges=False)
    if request.method == "GET":
        for form, name in ((excuse_form, "excuse"), (remark_form, "remark")):
            for key in ("entry", "judge", "criterion"):
                value = request.args.get(f"{name}_{key}", type=int)
                if value is not None:
                    getattr(form, key).data = value
    return render_template(
        "judging/chief.html",
        excuse_form=excuse_form,
        remark_form=remark_form,
        confirm_form=ConfirmForm(),
        refused=refused,
        **context,
    ), status


@bp.get("/events/<int:event_id>/chief")
@login_required
def chief(event_id: int):
    """The chief judge's desk: completeness matrix, discrepancies, re-marking, sign-off."""
    event = _event(event_id, authz.can_follow_marking)
    return _render_chief(event)


@bp.get("/events/<int:event_id>/chief/live")
@login_required
def chief_live(event_id: int):
    """The live part of the desk as an HTML fragment, fetched by chief-desk.js every few seconds."""
    event = _event(event_id, authz.can_follow_marking)
    response = make_response(render_template("judging/_live.html", **_chief_context(event)))
    # Tablets on venue Wi-Fi poll this: an unchanged fragment costs a 304, not its bytes.
    response.headers["Cache-Control"] = "private, no-cache"
    response.add_etag()
    return response.make_conditional(request)


def _object(model, object_id):
    return db.session.get(model, object_id) if object_id else None


@bp.post("/events/<int:event_id>/excuses")
@login_required
def excuse(event_id: int):
    """The chief judge excuses a missing mark, with a reason."""
    event = _event(event_id, authz.can_supervise_marking)
    context = _chief_context(event)
    form = ExcuseForm(prefix="excuse")
    _fill_choices(form, context["survey"], context["criteria_by_id"], all_judges=True)
    if form.validate_on_submit():
        try:
            services.excuse_missing_mark(
                event,
                entry=db.session.get(Entry, form.entry.data),
                judge=_object(User, form.judge.data),
                criterion=_object(Criterion, form.criterion.data),
                reason=form.reason.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            if error.field is None:  # marking closed meanwhile: the form is no longer shown
                flash(error.message, "danger")
                return redirect(url_for("judging.chief", event_id=event.id))
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The missing mark is excused; the reason is on record."), "success")
            return redirect(url_for("judging.chief", event_id=event.id))
    return _render_chief(event, excuse_form=form, status=422)


@bp.post("/events/<int:event_id>/excuses/<int:excuse_id>/withdraw")
@login_required
def withdraw_excuse(event_id: int, excuse_id: int):
    """The chief judge takes back an excuse recorded by mistake."""
    event = _event(event_id, authz.can_supervise_marking)
    excuse = db.session.get(MarkExcuse, excuse_id)
    if excuse is None or excuse.event_id != event.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.withdraw_excuse(event, excuse, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("The excuse is withdrawn; the mark it covered is expected again."), "success")
    return redirect(url_for("judging.chief", event_id=event.id) + "#excuses")


@bp.post("/events/<int:event_id>/remarks")
@login_required
def remark(event_id: int):
    """The chief judge asks a judge to look at an entry's marks again."""
    event = _event(event_id, authz.can_supervise_marking)
    context = _chief_context(event)
    form = RemarkForm(prefix="remark")
    _fill_choices(form, context["survey"], context["criteria_by_id"], all_judges=False)
    if form.validate_on_submit():
        try:
            services.request_remark(
                event,
                entry=db.session.get(Entry, form.entry.data),
                judge=db.session.get(User, form.judge.data),
                criterion=_object(Criterion, form.criterion.data),
                reason=form.reason.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            if error.field is None:  # marking closed meanwhile: the form is no longer shown
                flash(error.message, "danger")
                return redirect(url_for("judging.chief", event_id=event.id))
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The judge has been asked to re-mark."), "success")
            return redirect(url_for("judging.chief", event_id=event.id))
    return _render_chief(event, remark_form=form, status=422)


@bp.post("/events/<int:event_id>/sign-off")
@login_required
def sign_off(event_id: int):
    """Sign the event off and lock its marks; refused while marks are missing."""
    event = _event(event_id, authz.can_supervise_marking)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.sign_off_event(event, actor=current_user)
    except services.SignOffRefused as error:
        db.session.rollback()
        return _render_chief(db.session.get(Event, event_id), refused=error, status=409)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("judging.chief", event_id=event_id))
    db.session.commit()
    flash(_("The event is signed off; its marks are locked."), "success")
    return redirect(url_for("judging.chief", event_id=event_id))


@bp.post("/remarks/<int:request_id>/answer")
@login_required
def answer_remark(request_id: int):
    """The judge answers a re-mark request: they looked again and their marks stand."""
    remark_request = authz.load_or_404(
        RemarkRequest, request_id, lambda r: authz.can_answer_remark(current_user, r)
    )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.close_remark_request(remark_request, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Thank you; the chief judge sees that your marks stand."), "success")
    return redirect(url_for("main.home"))

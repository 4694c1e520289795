"""The home page (a dashboard for each role) and the health check."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select, text

from ..contests.models import Competition, Event
from ..enums import EventStatus, Role
from ..extensions import db
from ..judging.models import JudgeAssignment
from ..registration.models import Entry, TeamMember

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """What each visitor needs first: their competitions, events or entries."""
    published = db.session.scalars(
        select(Event)
        .where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.FINAL]))
        .order_by(Event.published_at.desc())
        .limit(20)
    ).all()
    context = {"published_events": published}
    if current_user.is_authenticated:
        role = current_user.role
        if role is Role.ADMIN:
            context["competitions"] = db.session.scalars(
                select(Competition).order_by(Competition.starts_on.desc())
            ).all()
        elif role is Role.ORGANISER:
            context["competitions"] = db.session.scalars(
                select(Competition)
                .where(Competition.organisers.any(id=current_user.id))
                .order_by(Competition.starts_on.desc())
            ).all()
        elif role is Role.JUDGE:
            context["assignments"] = db.session.scalars(
                select(JudgeAssignment)
                .where(JudgeAssignment.judge_id == current_user.id)
                .order_by(JudgeAssignment.id)
            ).all()
            from ..judging.services import open_remark_requests

            context["remark_requests"] = open_remark_requests(judge=current_user)
        elif role is Role.CONTESTANT and current_user.person_id:
            context["entries"] = db.session.scalars(
                select(Entry)
                .where(
                    (Entry.person_id == current_user.person_id)
                    | Entry.members.any(TeamMember.person_id == current_user.person_id)
                )
                .order_by(Entry.registered_at.desc())
            ).all()
    return render_template("main/home.html", **context)


@bp.get("/healthz")
def health():
    """Liveness and database check for load balancers."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}

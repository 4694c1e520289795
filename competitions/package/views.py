"""Contest packages in the browser: upload one to create a competition, download one."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from .. import authz
from ..contests.models import Competition
from ..extensions import db
from ..registration.messages import translate_package_problem
from .forms import PackageUploadForm
from .importer import export_competition, import_package
from .schema import PackageError, parse_package
from .serialize import dumps

bp = Blueprint("package", __name__)


def _too_large() -> str:
    from flask import current_app

    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return _("The file is larger than %(mb).0f MB.", mb=limit / (1024 * 1024))


@bp.route("/packages/import", methods=["GET", "POST"])
@login_required
def upload():
    """Create a competition from a contest package; every problem listed, nothing half-written."""
    if not authz.can_import_package(current_user):
        abort(403)
    status = 200
    try:
        form = PackageUploadForm()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        status = 413
        form, submitted = PackageUploadForm(formdata=None), False
        form.file.errors = [_too_large()]
    problems: list[tuple[str, str]] = []
    if submitted:
        replace = bool(form.replace.data)
        try:
            package = parse_package(form.file.data.read())
            if replace:
                existing = db.session.scalar(
                    select(Competition).where(Competition.code == package.competition.code)
                )
                if existing is not None and not authz.can_manage(current_user, existing):
                    raise PackageError(
                        [
                            f"competition.code: {package.competition.code} belongs to "
                            "organisers you are not one of; it cannot be replaced from here"
                        ]
                    )
            competition = import_package(package, actor=current_user, replace=replace)
        except PackageError as error:
            db.session.rollback()
            problems = [translate_package_problem(problem) for problem in error.problems]
        else:
            db.session.commit()
            flash(
                _(
                    "Competition %(code)s imported: %(events)d events, %(entries)d entries, "
                    "%(marks)d marks.",
                    code=competition.code,
                    events=len(package.events),
                    entries=sum(len(e.entries) for e in package.events),
                    marks=sum(len(e.marks) for e in package.events),
                ),
                "success",
            )
            return redirect(url_for("registration.entries", competition_id=competition.id))
    return render_template("package/upload.html", form=form, problems=problems), status


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    """A package over MAX_CONTENT_LENGTH: the upload page again, saying so."""
    form = PackageUploadForm(formdata=None)
    form.file.errors = [_too_large()]
    return render_template("package/upload.html", form=form, problems=[]), 413


@bp.get("/competitions/<int:competition_id>/package.json")
@login_required
def export(competition_id: int):
    """The competition as a contest package (personal data included: managers only)."""
    competition = authz.load_or_404(
        Competition, competition_id, lambda c: authz.can_export_package(current_user, c)
    )
    body = dumps(export_competition(competition)).encode("utf-8")
    from ..audit import record

    record("package_exported", actor=current_user, target=competition, code=competition.code)
    db.session.commit()
    response = Response(body, mimetype="application/json")
    response.headers.set(
        "Content-Disposition", "attachment", filename=f"{competition.code}.contest-package.json"
    )
    response.headers["Cache-Control"] = "no-store"
    return response

"""Certificates: issuing and managing them, downloads, claims, public verification, recognition."""

from __future__ import annotations

import hashlib
import io
import json
import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import authz
from ..contests.models import Competition, Event
from ..enums import Role
from ..errors import DomainError, NotAllowed
from ..extensions import db, limiter, login_manager
from ..registration.models import Person
from ..sheets.validators import mask_id_number
from . import recognition, services
from .forms import (
    ClaimCodesForm,
    ClaimForm,
    ImageForm,
    IssueForm,
    ReinstateForm,
    ReissueForm,
    RevokeForm,
)
from .models import Certificate, CertificateImage

bp = Blueprint("certificates", __name__)

CLAIMED_KEY = "claimed_certificates"
MAX_CLAIMED = 50
EXPORT_FORMATS = ("xlsx", "csv", "json")


def _claimed() -> frozenset[int]:
    """Certificates claimed with a claim code in this browser (kept in the signed session)."""
    return frozenset(i for i in session.get(CLAIMED_KEY, []) if isinstance(i, int))


def _sign_in_first() -> None:
    """Send a visitor who is not signed in to the sign-in page (then back here)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def _managed_certificate(certificate_id: int) -> Certificate:
    _sign_in_first()
    return authz.load_or_404(
        Certificate, certificate_id, lambda c: authz.can_manage(current_user, c.event.competition)
    )


def _managed_event(event_id: int) -> Event:
    _sign_in_first()
    return authz.load_or_404(
        Event, event_id, lambda e: authz.can_manage(current_user, e.competition)
    )


def _managed_competition(competition_id: int) -> Competition:
    _sign_in_first()
    return authz.load_or_404(
        Competition, competition_id, lambda c: authz.can_manage(current_user, c)
    )


def _pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> Response:
    response = send_file(
        io.BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=not inline,
        download_name=filename,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------- public verification


def _verify_limit() -> str:
    return current_app.config.get("VERIFY_LIMIT_PER_ADDRESS", "60 per minute;600 per hour")


@bp.get("/verify")
@limiter.limit(_verify_limit, scope="verify-search")
def verify_search():
    """Search a certificate by its printed number; shows the same facts as the QR code does."""
    number = (request.args.get("number") or "").strip()
    certificate = services.find_by_number(number) if number else None
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        number=number,
        searched=bool(number),
    ), (404 if number and certificate is None else 200)


@bp.get("/verify/<code>")
@limiter.limit(_verify_limit, scope="verify-code")
def verify(code: str):
    """The page the QR code opens: valid or revoked, and what the certificate certifies."""
    certificate = services.find_by_code(code)
    if certificate is None:
        return render_template(
            "certificates/verify.html", certificate=None, number="", searched=True
        ), 404
    return render_template(
        "certificates/verify.html", certificate=certificate, number="", searched=False
    )


# --------------------------------------------------------------------- contestants


@bp.get("/certificates/mine")
def mine():
    """The signed-in contestant's certificates and those claimed in this browser."""
    own = []
    if current_user.is_authenticated and current_user.person_id:
        own = services.certificates_of_person(current_user.person_id)
    own_ids = {c.id for c in own}
    claimed = [c for c in services.certificates_by_ids(_claimed()) if c.id not in own_ids]
    if not current_user.is_authenticated and not claimed:
        return redirect(url_for("certificates.claim"))
    return render_template("certificates/mine.html", own=own, claimed=claimed)


def _claim_limit_address() -> str:
    return current_app.config.get("CLAIM_LIMIT_PER_ADDRESS", "10 per minute;30 per hour")


def _claim_limit_holder() -> str:
    return current_app.config.get("CLAIM_LIMIT_PER_HOLDER", "5 per minute;10 per hour")


def _claim_holder_key() -> str:
    """Rate-limit key for one certificate holder: their ID number, hashed (never stored plain)."""
    id_number = re.sub(r"\s", "", request.form.get("id_number") or "").upper()[:18]
    return "claim:" + hashlib.sha256(id_number.encode()).hexdigest()[:24]


def _failed_claim(response) -> bool:
    return response.status_code != 302


@bp.route("/certificates/claim", methods=["GET", "POST"])
@limiter.limit(
    _claim_limit_holder,
    key_func=_claim_holder_key,
    methods=["POST"],
    deduct_when=_failed_claim,
    scope="claim-holder",
)
@limiter.limit(
    _claim_limit_address, methods=["POST"], deduct_when=_failed_claim, scope="claim-address"
)
def claim():
    """A contestant without an account claims certificates with ID number and claim code."""
    form = ClaimForm()
    status = 200
    if form.validate_on_submit():
        found = services.claim_certificates(form.id_number.data, form.code.data)
        if found:
            db.session.commit()
            claimed = list(_claimed() | {c.id for c in found})[-MAX_CLAIMED:]
            session[CLAIMED_KEY] = claimed
            flash(
                _("Certificate found. You can download it below in this browser."),
                "success",
            )
            return redirect(url_for("certificates.mine"))
        form.code.errors.append(
            _("No certificate matches this ID number and claim code. Check both and try again.")
        )
        status = 422
    elif request.method == "POST":
        status = 400
    return render_template("certificates/claim.html", form=form), status


@bp.get("/certificates/<int:certificate_id>.pdf")
def download(certificate_id: int):
    """One certificate as a PDF: for its holder and the competition's organisers only."""
    certificate = authz.load_or_404(Certificate, certificate_id)
    if not authz.can_download_certificate(current_user, certificate, _claimed()):
        _sign_in_first()
        abort(403)
    return _pdf_response(
        services.certificate_pdf(certificate), services.certificate_filename(certificate)
    )


@bp.get("/certificates/<int:certificate_id>/badge.json")
def badge(certificate_id: int):
    """The certificate as an Open Badges 3.0 credential (JSON-LD, unsigned)."""
    certificate = authz.load_or_404(Certificate, certificate_id)
    if not authz.can_download_certificate(current_user, certificate, _claimed()):
        _sign_in_first()
        abort(403)
    document = services.open_badge(certificate, services.verification_url)
    response = Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/ld+json",
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{certificate.number}-badge.json"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------- organisers


@bp.get("/certificates/manage")
@authz.role_required(Role.ORGANISER)
def manage():
    """The competitions the user organises, each event with its certificate counts."""
    query = select(Competition).order_by(Competition.starts_on.desc())
    if not authz.is_admin(current_user):
        query = query.where(Competition.organisers.any(id=current_user.id))
    competitions = db.session.scalars(query).all()
    counts = dict(
        db.session.execute(
            select(Certificate.event_id, db.func.count(Certificate.id)).group_by(
                Certificate.event_id
            )
        ).all()
    )
    return render_template("certificates/manage.html", competitions=competitions, counts=counts)


@bp.route("/certificates/events/<int:event_id>", methods=["GET"])
def event_page(event_id: int):
    """An event's certificates: issue them, download them, reissue, revoke, claim codes."""
    event = _managed_event(event_id)
    return render_template(
        "certificates/event.html",
        event=event,
        certificates=services.event_certificates(event),
        issue_form=IssueForm(),
        codes_form=ClaimCodesForm(),
    )


@bp.post("/certificates/events/<int:event_id>/issue")
def issue(event_id: int):
    """Issue the event's certificates in one action (idempotent)."""
    event = _managed_event(event_id)
    form = IssueForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = services.issue_certificates(
            event, actor=current_user, participation=form.participation.data
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    except IntegrityError:
        db.session.rollback()
        flash(
            _("Somebody else issued certificates at the same moment. Please try again."), "danger"
        )
    else:
        if outcome.created:
            flash(
                ngettext(
                    "%(num)d certificate issued.",
                    "%(num)d certificates issued.",
                    len(outcome.created),
                ),
                "success",
            )
        else:
            flash(_("Every certificate had already been issued; nothing was added."), "info")
    return redirect(url_for("certificates.event_page", event_id=event.id))


@bp.get("/certificates/events/<int:event_id>/certificates.zip")
def event_zip(event_id: int):
    """All certificates of the event as a ZIP, one PDF per person named number and name."""
    event = _managed_event(event_id)
    try:
        data = services.event_zip(event)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(url_for("certificates.event_page", event_id=event.id))
    response = send_file(
        io.BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{event.competition.code}-{event.code}-certificates.zip",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/certificates/events/<int:event_id>/print.pdf")
def event_print(event_id: int):
    """The event's valid certificates merged into one PDF for printing."""
    event = _managed_event(event_id)
    try:
        data = services.event_print_pdf(event)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(url_for("certificates.event_page", event_id=event.id))
    return _pdf_response(data, f"{event.competition.code}-{event.code}-print.pdf")


@bp.post("/certificates/events/<int:event_id>/claim-codes")
def claim_codes(event_id: int):
    """New claim codes as a CSV list for the organiser to hand out (shown only this once)."""
    event = _managed_event(event_id)
    form = ClaimCodesForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        pairs = services.issue_claim_codes(event, actor=current_user, replace=form.replace.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("certificates.event_page", event_id=event.id))
    if not pairs:
        flash(_("Every valid certificate already has a claim code; none was made."), "info")
        return redirect(url_for("certificates.event_page", event_id=event.id))
    db.session.commit()
    from ..sheets.writer import write_csv

    data = write_csv(
        ["证书编号 Certificate number", "姓名 Name", "工作单位 Employer", "领取码 Claim code"],
        [(c.number, c.facts["person_name"], c.facts.get("employer"), code) for c, code in pairs],
    )
    response = send_file(
        io.BytesIO(data),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"{event.competition.code}-{event.code}-claim-codes.csv",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/certificates/<int:certificate_id>", methods=["GET", "POST"])
def certificate_page(certificate_id: int):
    """One certificate for its organisers: details, history, reissue with a corrected name."""
    certificate = _managed_certificate(certificate_id)
    form = ReissueForm()
    if request.method == "GET":
        form.person_name.data = certificate.facts.get("person_name")
        form.employer.data = certificate.facts.get("employer")
    if form.validate_on_submit():
        try:
            services.reissue_certificate(
                certificate,
                actor=current_user,
                person_name=form.person_name.data,
                employer=form.employer.data,
                reason=form.reason.data,
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "person_name").errors.append(error.message)
        else:
            db.session.commit()
            flash(
                _(
                    "Certificate %(number)s reissued; its number stays the same.",
                    number=certificate.number,
                ),
                "success",
            )
            return redirect(url_for("certificates.certificate_page", certificate_id=certificate.id))
    return _certificate_page(certificate, 422 if form.errors else 200, form=form)


def _certificate_page(certificate: Certificate, status: int, **forms):
    """The certificate page with the given forms (with their errors) and blank others."""
    return render_template(
        "certificates/certificate.html",
        certificate=certificate,
        form=forms.get("form") or ReissueForm(formdata=None, data=certificate.facts),
        revoke_form=forms.get("revoke_form") or RevokeForm(formdata=None),
        reinstate_form=forms.get("reinstate_form") or ReinstateForm(formdata=None),
        verify_url=services.verification_url(certificate),
    ), status


@bp.post("/certificates/<int:certificate_id>/revoke")
def revoke(certificate_id: int):
    """Revoke a certificate with a reason."""
    certificate = _managed_certificate(certificate_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke_certificate(certificate, actor=current_user, reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Certificate %(number)s revoked.", number=certificate.number), "success")
            return redirect(url_for("certificates.certificate_page", certificate_id=certificate.id))
    return _certificate_page(certificate, 422, revoke_form=form)


@bp.post("/certificates/<int:certificate_id>/reinstate")
def reinstate(certificate_id: int):
    """Reinstate a certificate revoked by mistake, with a reason."""
    certificate = _managed_certificate(certificate_id)
    form = ReinstateForm()
    if form.validate_on_submit():
        try:
            services.reinstate_certificate(certificate, actor=current_user, reason=form.reason.data)
        except NotAllowed as error:  # not revoked (any more): nothing to reinstate
            db.session.rollback()
            flash(error.message, "danger")
            return redirect(url_for("certificates.certificate_page", certificate_id=certificate.id))
        except DomainError as error:
            db.session.rollback()
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Certificate %(number)s is valid again.", number=certificate.number), "success")
            return redirect(url_for("certificates.certificate_page", certificate_id=certificate.id))
    return _certificate_page(certificate, 422, reinstate_form=form)


@bp.post("/certificates/<int:certificate_id>/claim-code")
def new_claim_code(certificate_id: int):
    """A new claim code for one certificate, shown once on the page."""
    certificate = _managed_certificate(certificate_id)
    form = ClaimCodesForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        code = services.set_claim_code(certificate, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("certificates.certificate_page", certificate_id=certificate.id))
    from .. import audit

    audit.record("certificate_claim_code_set", actor=current_user, target=certificate)
    db.session.commit()
    response = Response(
        render_template("certificates/claim_code.html", certificate=certificate, code=code)
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/certificates/competitions/<int:competition_id>/design", methods=["GET", "POST"])
def design(competition_id: int):
    """Upload the competition's logo and seal and preview a certificate before issuing."""
    competition = _managed_competition(competition_id)
    form = ImageForm()
    status = 200
    if form.validate_on_submit():
        try:
            for kind in services.IMAGE_KINDS:
                upload = getattr(form, kind).data
                if upload and getattr(upload, "filename", ""):
                    services.set_certificate_image(
                        competition, kind, upload.read(), actor=current_user
                    )
                elif getattr(form, f"remove_{kind}").data:
                    services.remove_certificate_image(competition, kind, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "logo").errors.append(error.message)
            status = 422
        else:
            db.session.commit()
            flash(_("Certificate design saved."), "success")
            return redirect(url_for("certificates.design", competition_id=competition.id))
    images = {
        image.kind: image
        for image in db.session.scalars(
            select(CertificateImage).where(CertificateImage.competition_id == competition.id)
        )
    }
    return render_template(
        "certificates/design.html", competition=competition, form=form, images=images
    ), status


@bp.get("/certificates/competitions/<int:competition_id>/images/<kind>")
def image(competition_id: int, kind: str):
    """The uploaded logo or seal, for the design page."""
    competition = _managed_competition(competition_id)
    stored = db.session.scalar(
        select(CertificateImage).where(
            CertificateImage.competition_id == competition.id, CertificateImage.kind == kind
        )
    )
    if stored is None:
        abort(404)
    response = Response(bytes(stored.data), mimetype=stored.mimetype)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/certificates/competitions/<int:competition_id>/preview.pdf")
def preview(competition_id: int):
    """A watermarked sample certificate with this competition's names, logo and seal."""
    competition = _managed_competition(competition_id)
    event = None
    if event_id := request.args.get("event", type=int):
        event = next((e for e in competition.events if e.id == event_id), None)
    try:
        pdf = services.preview_pdf(competition, event)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("certificates.design", competition_id=competition.id))
    return _pdf_response(pdf, f"{competition.code}-preview.pdf", inline=True)


# --------------------------------------------------------------------- recognition


def _export(rows, fmt: str, stem: str, scope: dict):
    if fmt == "xlsx":
        data = recognition.export_xlsx(rows, _("Award winners"))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        data, mimetype = recognition.export_csv(rows), "text/csv"
    elif fmt == "json":
        data, mimetype = recognition.export_json(rows, scope), "application/json"
    else:
        abort(404)
    response = send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"{stem}-award-winners.{fmt}",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/recognition/events/<int:event_id>/award-winners.<fmt>")
def event_award_winners(event_id: int, fmt: str):
    """An event's award winners with the recognition each tier recommends."""
    event = _managed_event(event_id)
    rows = recognition.award_winner_rows([event])
    scope = {"competition": event.competition.code, "event": event.code}
    return _export(rows, fmt, f"{event.competition.code}-{event.code}", scope)


@bp.get("/recognition/competitions/<int:competition_id>/award-winners.<fmt>")
def competition_award_winners(competition_id: int, fmt: str):
    """A competition's award winners (final events only) for the recognition office."""
    competition = _managed_competition(competition_id)
    rows = recognition.award_winner_rows(list(competition.events))
    return _export(rows, fmt, competition.code, {"competition": competition.code})


@bp.get("/recognition/people")
def people():
    """Look a person up by name, ID number or phone to see their record."""
    _sign_in_first()
    if not authz.can_look_up_people(current_user):
        abort(403)
    query = (request.args.get("q") or "").strip()[:100]
    found = recognition.people_visible_to(current_user, query)
    return render_template(
        "certificates/people.html", query=query, people=found, mask_id_number=mask_id_number
    )


@bp.get("/recognition/people/<int:person_id>")
def person(person_id: int):
    """A person's record across competitions: entries, results, awards and certificates."""
    _sign_in_first()
    found = authz.load_or_404(
        Person, person_id, lambda p: authz.can_view_person_record(current_user, p)
    )
    return render_template(
        "certificates/person.html",
        person=found,
        lines=recognition.person_record(found),
        mask_id_number=mask_id_number,
    )

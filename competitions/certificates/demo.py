"""Certificates for the demo: issued for every demo event whose results are final."""

from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..contests.models import Competition
from ..enums import EventStatus
from ..extensions import db
from .models import CertificateImage
from .services import issue_certificates, set_certificate_image


def issue_demo_certificates(competition_code: str) -> int:
    """Issue the award certificates of the demo competition's FINAL events; returns how many.

    Also gives the demo competition a made-up logo and seal if it has none.

    Idempotent like :func:`issue_certificates`: running the demo again adds nothing.
    Flushes, never commits.
    """
    competition = db.session.scalar(select(Competition).where(Competition.code == competition_code))
    if competition is None:
        return 0
    organiser = db.session.scalar(select(User).where(User.username == "organiser"))
    has_images = db.session.scalar(
        select(CertificateImage.id).where(CertificateImage.competition_id == competition.id)
    )
    if not has_images:
        # A made-up emblem and seal, so that the demo's certificates look like real ones.
        from ..pdf.samples import sample_logo_png, sample_seal_png

        set_certificate_image(competition, "logo", sample_logo_png(), actor=organiser)
        set_certificate_image(
            competition, "seal", sample_seal_png(competition.organisation.name), actor=organiser
        )
    created = 0
    for event in competition.events:
        if event.status is EventStatus.FINAL:
            created += len(issue_certificates(event, actor=organiser).created)
    return created

"""Certificates for the demo: issued for every demo event whose results are final."""

from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..contests.models import Competition
from ..enums import EventStatus
from ..extensions import db
from .models import CertificateImage
from .services import issue_certificates, set_certificate_image

# What the demo's award tiers recommend to the recognition office (when not set already).
DEMO_RECOGNITION = {
    "first": {
        "zh": "推荐申报龙华区技术能手",
        "en": "Recommend as Longhua District technical expert",
        "skill_levels": 1,
    },
    "second": {
        "zh": "推荐晋升一级职业技能等级",
        "en": "Promote one skill level",
        "skill_levels": 1,
    },
}


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
    for event in competition.events:
        for tier in event.award_tiers:
            if not tier.recognition and tier.code in DEMO_RECOGNITION:
                tier.recognition = DEMO_RECOGNITION[tier.code]
    created = 0
    for event in competition.events:
        if event.status is EventStatus.FINAL:
            created += len(issue_certificates(event, actor=organiser).created)
    return created

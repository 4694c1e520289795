"""Issuing, reissuing, revoking, claiming and rendering certificates; competition images.

Services check the rules, change state, flush and never commit: the view or
CLI command commits once. A broken rule raises a :class:`DomainError` with a
message fit for the user (and ``field=`` naming the input).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import audit
from ..contests.models import AwardTier, Competition, Event
from ..enums import CertificateKind, CertificateStatus, EventStatus
from ..errors import DomainError, NotAllowed
from ..extensions import db
from ..pdf import CertificateData, render_certificate, render_certificates
from ..pdf.fonts import missing_glyphs
from ..pdf.image import MAX_IMAGE_BYTES, validate_image
from ..registration.models import Entry, Person
from ..results.services import event_results, load_entries
from ..sqltypes import utcnow
from .models import Certificate, CertificateClaimCode, CertificateImage, CertificateRevision

# token_urlsafe(18) is 144 random bits in 24 characters: not a sequence, not a UUID.
VERIFICATION_CODE_BYTES = 18
IMAGE_KINDS = ("logo", "seal")

# Claim codes are typed by people from a printed slip: no 0/O, 1/I/L.
CLAIM_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CLAIM_CODE_LENGTH = 10
_CLAIM_HASH_ITERATIONS = 20_000


@dataclass(frozen=True)
class IssueOutcome:
    """What :func:`issue_certificates` did: the new certificates and how many existed."""

    created: list[Certificate]
    existing: int


# --------------------------------------------------------------------- helpers


def new_verification_code() -> str:
    """A fresh random verification code (at least 128 bits)."""
    return secrets.token_urlsafe(VERIFICATION_CODE_BYTES)


def certificate_number(event: Event, sequence: int) -> str:
    """The printed number: competition code, event code and a sequence, e.g. LH-2026-ROBOT-0007."""
    return f"{event.competition.code}-{event.code}-{sequence:04d}"


def local_today() -> date:
    """Today in the application's time zone (the date printed on certificates)."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def verification_url(certificate: Certificate) -> str:
    """The absolute address the QR code opens: PUBLIC_BASE_URL if set, else this request's host."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if base:
        return f"{base}/verify/{certificate.verification_code}"
    return url_for("certificates.verify", code=certificate.verification_code, _external=True)


def _tier_names(tier: AwardTier) -> tuple[str, str]:
    zh = tier.name_zh or tier.name_en or tier.code
    return zh, tier.name_en or zh


def _facts(
    event: Event,
    entry: Entry,
    person: Person,
    tier: AwardTier | None,
    rank: int | None,
    issued_on: date,
) -> dict[str, Any]:
    """The texts printed on one certificate, frozen at issue."""
    competition = event.competition
    organisation = competition.organisation
    award_zh, award_en = _tier_names(tier) if tier is not None else (None, None)
    return {
        "person_name": person.name,
        "employer": entry.employer or person.employer,
        "team_name": entry.team_name,
        "competition_name_zh": competition.name_zh or competition.name_en or competition.code,
        "competition_name_en": competition.name_en or competition.name_zh or competition.code,
        "event_name_zh": event.name_zh or event.name_en or event.code,
        "event_name_en": event.name_en or event.name_zh or event.code,
        "award_code": tier.code if tier is not None else None,
        "award_name_zh": award_zh,
        "award_name_en": award_en,
        "rank": rank,
        "organiser_name_zh": organisation.name,
        "organiser_name_en": organisation.name_en or organisation.name,
        "issued_on": issued_on.isoformat(),
    }


def _data(
    kind: CertificateKind,
    number: str,
    facts: dict[str, Any],
    url: str,
    *,
    status: str = "valid",
    preview: bool = False,
    logo: bytes | None = None,
    seal: bytes | None = None,
) -> CertificateData:
    return CertificateData(
        number=number,
        verification_url=url,
        competition_name_zh=facts["competition_name_zh"],
        competition_name_en=facts["competition_name_en"],
        event_name_zh=facts["event_name_zh"],
        event_name_en=facts["event_name_en"],
        person_name=facts["person_name"],
        issued_on=date.fromisoformat(facts["issued_on"]),
        organiser_name_zh=facts["organiser_name_zh"],
        organiser_name_en=facts["organiser_name_en"],
        kind=kind.value,
        award_name_zh=facts.get("award_name_zh"),
        award_name_en=facts.get("award_name_en"),
        employer=facts.get("employer"),
        team_name=facts.get("team_name"),
        status=status,
        preview=preview,
        logo=logo,
        seal=seal,
    )


def _unprintable(facts: dict[str, Any]) -> list[tuple[str, set[str]]]:
    """(field, characters) for every printed text the certificate fonts cannot draw."""
    problems = []
    for name in (
        "person_name",
        "employer",
        "team_name",
        "competition_name_zh",
        "competition_name_en",
        "event_name_zh",
        "event_name_en",
        "award_name_zh",
        "award_name_en",
        "organiser_name_zh",
        "organiser_name_en",
    ):
        text = facts.get(name)
        if text and (missing := missing_glyphs(text)):
            problems.append((name, missing))
    return problems


def _describe_missing(facts: dict[str, Any], problems: list[tuple[str, set[str]]]) -> str:
    labels = {
        "person_name": _("the name"),
        "employer": _("the employer"),
        "team_name": _("the team"),
    }
    fields = "; ".join(
        _(
            "%(field)s: %(chars)s",
            field=labels.get(name, name),
            chars=", ".join(f"{c} (U+{ord(c):04X})" for c in sorted(chars)),
        )
        for name, chars in problems
    )
    return _(
        "%(name)s — the certificate font has no glyph for %(fields)s.",
        name=facts["person_name"],
        fields=fields,
    )


def competition_images(competition_id: int) -> dict[str, bytes]:
    """The competition's uploaded logo and seal bytes, by kind."""
    rows = db.session.execute(
        select(CertificateImage.kind, CertificateImage.data).where(
            CertificateImage.competition_id == competition_id
        )
    )
    return {kind: bytes(data) for kind, data in rows}


# --------------------------------------------------------------------- issuing


def issue_certificates(
    event: Event, *, actor, participation: bool = False, issued_on: date | None = None
) -> IssueOutcome:
    """Issue certificates for every award winner of a FINAL event (and optionally participants).

    One certificate per person: a team entry's members get one each. Issuing
    again creates only what is missing, so the action is idempotent. Names and
    every other printed text are checked against the certificate fonts first;
    when any cannot be printed nothing is issued and the :class:`DomainError`
    names each person concerned. Organisers of the competition (checked by the
    caller through ``authz``) call it. Raises :class:`NotAllowed` unless the
    event's results are final.
    """
    if event.status is not EventStatus.FINAL:
        raise NotAllowed(
            _("Certificates can only be issued once the event's results are final."),
            field="event",
        )
    results = event_results(event)
    entries = load_entries(event)
    tiers = {tier.code: tier for tier in event.award_tiers}
    existing = {
        (cert.entry_id, cert.person_id)
        for cert in db.session.scalars(select(Certificate).where(Certificate.event_id == event.id))
    }
    issued_on = issued_on or local_today()
    planned: list[tuple[Entry, Person, AwardTier | None, int | None, dict[str, Any]]] = []
    problems: list[str] = []
    for result in results.results:
        if result.award is not None:
            tier = tiers[result.award]
        elif participation and result.ranked:
            tier = None
        else:
            continue
        entry = entries[int(result.key)]
        for person in entry.people:
            if (entry.id, person.id) in existing:
                continue
            facts = _facts(event, entry, person, tier, result.rank, issued_on)
            if unprintable := _unprintable(facts):
                problems.append(_describe_missing(facts, unprintable))
            planned.append((entry, person, tier, result.rank, facts))
    if problems:
        raise DomainError(
            _(
                "No certificate was issued. Correct these names (or configure a font that has "
                "the characters) and issue again: %(problems)s",
                problems=" ".join(problems),
            ),
            field="event",
        )
    sequence = (
        db.session.scalar(
            select(func.max(Certificate.sequence)).where(Certificate.event_id == event.id)
        )
        or 0
    )
    created = []
    now = utcnow()
    for entry, person, tier, rank, facts in planned:
        sequence += 1
        certificate = Certificate(
            number=certificate_number(event, sequence),
            event_id=event.id,
            sequence=sequence,
            entry_id=entry.id,
            person_id=person.id,
            kind=CertificateKind.AWARD if tier is not None else CertificateKind.PARTICIPATION,
            award_tier_id=tier.id if tier is not None else None,
            rank=rank,
            verification_code=new_verification_code(),
            facts=facts,
            issued_at=now,
            issued_by_id=getattr(actor, "id", None),
        )
        db.session.add(certificate)
        created.append(certificate)
    db.session.flush()
    if created:
        audit.record(
            "certificates_issued",
            actor=actor,
            target=event,
            count=len(created),
            participation=participation,
            numbers=[c.number for c in created[:20]],
        )
    return IssueOutcome(created=created, existing=len(existing))


def reissue_certificate(
    certificate: Certificate, *, actor, person_name: str, employer: str | None, reason: str
) -> CertificateRevision:
    """Reissue with corrected texts: same number and verification code, history recorded.

    Raises :class:`NotAllowed` for a revoked certificate, :class:`DomainError`
    (``field``: ``person_name``, ``reason``) for an empty name or reason, a name
    the fonts cannot print, or no change at all.
    """
    if certificate.status is CertificateStatus.REVOKED:
        raise NotAllowed(_("A revoked certificate cannot be reissued."), field="person_name")
    person_name = (person_name or "").strip()
    employer = (employer or "").strip() or None
    reason = (reason or "").strip()
    if not person_name:
        raise DomainError(_("Enter the name to print."), field="person_name")
    if not reason:
        raise DomainError(_("Say why the certificate is reissued."), field="reason")
    old = dict(certificate.facts)
    new = {**old, "person_name": person_name, "employer": employer}
    if new == old:
        raise DomainError(_("Nothing was changed."), field="person_name")
    for name in ("person_name", "employer"):
        if new[name] and (missing := missing_glyphs(new[name])):
            raise DomainError(
                _(
                    "The certificate font cannot print %(chars)s.",
                    chars=", ".join(f"{c} (U+{ord(c):04X})" for c in sorted(missing)),
                ),
                field=name,
            )
    certificate.revision += 1
    revision = CertificateRevision(
        certificate=certificate,
        revision=certificate.revision,
        old_facts=old,
        new_facts=new,
        reason=reason,
        changed_by_id=getattr(actor, "id", None),
    )
    certificate.facts = new
    db.session.add(revision)
    db.session.flush()
    audit.record(
        "certificate_reissued",
        actor=actor,
        target=certificate,
        number=certificate.number,
        old_name=old.get("person_name"),
        new_name=person_name,
        reason=reason,
    )
    return revision


def revoke_certificate(certificate: Certificate, *, actor, reason: str) -> None:
    """Revoke a certificate; the reason is shown on its public verification page.

    Raises :class:`DomainError` (``field="reason"``) without a reason and
    :class:`NotAllowed` when it is already revoked.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for revoking the certificate."), field="reason")
    if certificate.status is CertificateStatus.REVOKED:
        raise NotAllowed(_("The certificate is already revoked."), field="reason")
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_reason = reason
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(
        "certificate_revoked",
        actor=actor,
        target=certificate,
        number=certificate.number,
        reason=reason,
    )


def reinstate_certificate(certificate: Certificate, *, actor, reason: str) -> None:
    """Make a certificate revoked by mistake valid again, with the same number and code.

    The verification page shows it as valid from now on; the audit log keeps
    the revocation (when, by whom, why) and the reason for reinstating it.
    Raises :class:`DomainError` (``field="reason"``) without a reason and
    :class:`NotAllowed` when it is not revoked.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for reinstating the certificate."), field="reason")
    if certificate.status is not CertificateStatus.REVOKED:
        raise NotAllowed(_("Only a revoked certificate can be reinstated."), field="reason")
    audit.record(
        "certificate_reinstated",
        actor=actor,
        target=certificate,
        number=certificate.number,
        reason=reason,
        revoked_reason=certificate.revoked_reason,
        revoked_at=certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        revoked_by_id=certificate.revoked_by_id,
    )
    certificate.status = CertificateStatus.VALID
    certificate.revoked_reason = None
    certificate.revoked_at = None
    certificate.revoked_by_id = None
    db.session.flush()


# --------------------------------------------------------------------- rendering


def certificate_pdf(certificate: Certificate, *, images: dict[str, bytes] | None = None) -> bytes:
    """The certificate as a one-page PDF, from its frozen facts (revoked ones watermarked)."""
    return render_certificate(certificate_data(certificate, images=images))


def certificate_data(
    certificate: Certificate, *, images: dict[str, bytes] | None = None
) -> CertificateData:
    """The renderer's data for a stored certificate."""
    if images is None:
        images = competition_images(certificate.event.competition_id)
    return _data(
        certificate.kind,
        certificate.number,
        certificate.facts,
        verification_url(certificate),
        status=certificate.status.value,
        logo=images.get("logo"),
        seal=images.get("seal"),
    )


def event_certificates(event: Event) -> list[Certificate]:
    """The event's certificates in number order, with person, entry and award loaded."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.event_id == event.id)
            .options(
                selectinload(Certificate.person),
                selectinload(Certificate.claim_code),
                selectinload(Certificate.award_tier),
            )
            .order_by(Certificate.sequence)
        )
    )


def _safe_filename(text: str) -> str:
    cleaned = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', "_", text).strip(" .")
    return cleaned[:80] or "certificate"


def certificate_filename(certificate: Certificate, suffix: str = ".pdf") -> str:
    """``NUMBER-NAME.pdf``: the download and ZIP member name."""
    return _safe_filename(f"{certificate.number}-{certificate.facts['person_name']}") + suffix


def event_zip(event: Event) -> bytes:
    """Every certificate of the event, a PDF each named number and name, in one ZIP.

    Raises :class:`NotAllowed` when the event has no certificates yet.
    """
    certificates = event_certificates(event)
    if not certificates:
        raise NotAllowed(_("No certificates have been issued for this event yet."))
    images = competition_images(event.competition_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(
                certificate_filename(certificate), certificate_pdf(certificate, images=images)
            )
    return buffer.getvalue()


def event_print_pdf(event: Event) -> bytes:
    """The event's valid certificates merged into one PDF, a page each, for printing.

    Raises :class:`NotAllowed` when there is no valid certificate.
    """
    images = competition_images(event.competition_id)
    valid = [c for c in event_certificates(event) if c.status is CertificateStatus.VALID]
    if not valid:
        raise NotAllowed(_("No certificates have been issued for this event yet."))
    return render_certificates(certificate_data(c, images=images) for c in valid)


def preview_pdf(competition: Competition, event: Event | None = None) -> bytes:
    """A watermarked sample certificate with the competition's names and images."""
    event = event or (competition.events[0] if competition.events else None)
    tier = event.award_tiers[0] if event is not None and event.award_tiers else None
    facts = {
        "person_name": "张伟",
        "employer": "深圳市龙华区智能制造有限公司",
        "team_name": None,
        "competition_name_zh": competition.name_zh or competition.name_en or competition.code,
        "competition_name_en": competition.name_en or competition.name_zh or competition.code,
        "event_name_zh": (event.name_zh or event.name_en or event.code) if event else "示例赛项",
        "event_name_en": (event.name_en or event.name_zh or event.code) if event else "Sample",
        "award_name_zh": _tier_names(tier)[0] if tier else "一等奖",
        "award_name_en": _tier_names(tier)[1] if tier else "First prize",
        "organiser_name_zh": competition.organisation.name,
        "organiser_name_en": competition.organisation.name_en or competition.organisation.name,
        "issued_on": local_today().isoformat(),
    }
    event_code = event.code if event else "EVENT"
    number = f"{competition.code}-{event_code}-0000"
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    url = (base or url_for("main.home", _external=True).rstrip("/")) + "/verify/PREVIEW"
    images = competition_images(competition.id)
    if unprintable := _unprintable(facts):
        raise DomainError(_describe_missing(facts, unprintable))
    return render_certificate(
        _data(
            CertificateKind.AWARD,
            number,
            facts,
            url,
            preview=True,
            logo=images.get("logo"),
            seal=images.get("seal"),
        )
    )


# --------------------------------------------------------------------- images


def set_certificate_image(competition: Competition, kind: str, data: bytes, *, actor) -> None:
    """Store the competition's logo or seal after checking it by content, not by name.

    Raises :class:`DomainError` (``field`` = ``kind``) for anything but a PNG or
    JPEG of at most 2 MB and 16–4000 pixels a side that decodes completely.
    """
    if kind not in IMAGE_KINDS:
        raise DomainError(_("Unknown image kind."), field="logo")
    if not data:
        raise DomainError(_("Choose a PNG or JPEG file."), field=kind)
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError(
            _("The file is larger than %(mb)s MB.", mb=MAX_IMAGE_BYTES // 1048576), field=kind
        )
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise DomainError(
            _("The file is not a PNG or JPEG image (whatever its name says)."), field=kind
        )
    try:
        mimetype, width, height = validate_image(data)
    except ValueError as error:
        raise DomainError(
            _("The image cannot be used: %(detail)s", detail=str(error)), field=kind
        ) from error
    image = db.session.scalar(
        select(CertificateImage).where(
            CertificateImage.competition_id == competition.id, CertificateImage.kind == kind
        )
    )
    if image is None:
        image = CertificateImage(competition_id=competition.id, kind=kind)
        db.session.add(image)
    image.mimetype, image.width, image.height, image.data = mimetype, width, height, data
    image.uploaded_at = utcnow()
    image.uploaded_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(
        "certificate_image_set",
        actor=actor,
        target=competition,
        kind=kind,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def remove_certificate_image(competition: Competition, kind: str, *, actor) -> None:
    """Remove the competition's logo or seal (certificates then print without it)."""
    image = db.session.scalar(
        select(CertificateImage).where(
            CertificateImage.competition_id == competition.id, CertificateImage.kind == kind
        )
    )
    if image is not None:
        db.session.delete(image)
        db.session.flush()
        audit.record("certificate_image_removed", actor=actor, target=competition, kind=kind)


# --------------------------------------------------------------------- claim codes


def _normalise_code(code: str) -> str:
    return re.sub(r"[\s\-]", "", code or "").upper()


def _format_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def _hash_code(code: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac(
        "sha256", _normalise_code(code).encode(), salt, _CLAIM_HASH_ITERATIONS
    )
    return f"pbkdf2_sha256${_CLAIM_HASH_ITERATIONS}${salt.hex()}${digest.hex()}"


def _code_matches(stored: str, code: str) -> bool:
    try:
        _scheme, iterations, salt, digest = stored.split("$")
        computed = hashlib.pbkdf2_hmac(
            "sha256", _normalise_code(code).encode(), bytes.fromhex(salt), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), digest)


def set_claim_code(certificate: Certificate, *, actor) -> str:
    """Give the certificate a new claim code and return it (it is shown once; a hash is kept).

    A code handed out before stops working. Raises :class:`NotAllowed` for a
    revoked certificate.
    """
    if certificate.status is CertificateStatus.REVOKED:
        raise NotAllowed(_("A revoked certificate cannot be claimed."))
    code = "".join(secrets.choice(CLAIM_ALPHABET) for _ in range(CLAIM_CODE_LENGTH))
    claim = certificate.claim_code
    if claim is None:
        claim = CertificateClaimCode(certificate=certificate, code_hash="")
        db.session.add(claim)
    claim.code_hash = _hash_code(code)
    claim.created_at = utcnow()
    claim.created_by_id = getattr(actor, "id", None)
    claim.last_claimed_at = None
    db.session.flush()
    return _format_code(code)


def issue_claim_codes(
    event: Event, *, actor, replace: bool = False
) -> list[tuple[Certificate, str]]:
    """Claim codes for the event's valid certificates that have none (or all, with ``replace``).

    Returns (certificate, code) pairs for the organiser's list; only hashes
    are stored, so the codes cannot be shown again later.
    """
    pairs = [
        (certificate, set_claim_code(certificate, actor=actor))
        for certificate in event_certificates(event)
        if certificate.status is CertificateStatus.VALID
        and (replace or certificate.claim_code is None)
    ]
    if pairs:
        audit.record(
            "certificate_claim_codes_issued",
            actor=actor,
            target=event,
            count=len(pairs),
            replace=replace,
        )
    return pairs


# A hash to compare against when nobody matches, so that the time taken does
# not tell whether an ID number is known.
_DUMMY_HASH = _hash_code("NOTACODE00", b"\0" * 16)


def claim_certificates(id_number: str, code: str) -> list[Certificate]:
    """The certificates whose claim code is ``code`` and whose holder's ID number is ``id_number``.

    Anyone may call it (the view rate-limits it). Returns an empty list when
    nothing matches; never says which of the two was wrong.
    """
    id_number = re.sub(r"\s", "", id_number or "").upper()
    code = _normalise_code(code)
    person = (
        db.session.scalar(select(Person).where(Person.id_number == id_number))
        if id_number and code
        else None
    )
    candidates = []
    if person is not None:
        candidates = list(
            db.session.scalars(
                select(Certificate)
                .join(CertificateClaimCode)
                .where(Certificate.person_id == person.id)
                .options(selectinload(Certificate.claim_code))
            )
        )
    if not candidates:
        _code_matches(_DUMMY_HASH, code or "X")
        return []
    matched = [c for c in candidates if _code_matches(c.claim_code.code_hash, code)]
    for certificate in matched:
        certificate.claim_code.last_claimed_at = utcnow()
        audit.record("certificate_claimed", target=certificate, number=certificate.number)
    db.session.flush()
    return matched


# --------------------------------------------------------------------- verification


def find_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code, or None."""
    if not code or len(code) > 64:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.verification_code == code))


def find_by_number(number: str) -> Certificate | None:
    """The certificate with this printed number (case and spaces forgiven), or None."""
    number = re.sub(r"\s", "", number or "").upper()
    if not number or len(number) > 80:
        return None
    return db.session.scalar(select(Certificate).where(func.upper(Certificate.number) == number))


def certificates_of_person(person_id: int) -> list[Certificate]:
    """A person's certificates, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.person_id == person_id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def certificates_by_ids(ids: Iterable[int]) -> list[Certificate]:
    """Certificates by id (e.g. those claimed in this browser), newest first."""
    ids = [i for i in ids if isinstance(i, int)]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Certificate).where(Certificate.id.in_(ids)).order_by(Certificate.id.desc())
        )
    )


# --------------------------------------------------------------------- Open Badges


OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def open_badge(certificate: Certificate, url_for_verify: Callable[[Certificate], str]) -> dict:
    """The certificate as an (unsigned) Open Badges 3.0 ``OpenBadgeCredential``."""
    facts = certificate.facts
    verify = url_for_verify(certificate)
    base = verify.rsplit("/verify/", 1)[0]
    event = certificate.event
    if certificate.kind is CertificateKind.AWARD:
        name = f"{facts['award_name_en']} · {facts['event_name_en']}"
        name_zh = f"{facts['event_name_zh']} {facts['award_name_zh']}"
        narrative = (
            f"Awarded the {facts['award_name_en']} in the {facts['event_name_en']} event of the "
            f"{facts['competition_name_en']}, by the ranking of the event's final results."
        )
        achievement_type = "Award"
    else:
        name = f"Participation · {facts['event_name_en']}"
        name_zh = f"{facts['event_name_zh']} 参赛"
        narrative = (
            f"Took part in the {facts['event_name_en']} event of the "
            f"{facts['competition_name_en']} and was ranked in its final results."
        )
        achievement_type = "Achievement"
    achievement_id = f"{base}/achievements/{event.competition.code}/{event.code}/" + (
        facts.get("award_code") or "participation"
    )
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": facts["person_name"],
                "identityType": "name",
                "hashed": False,
            }
        ],
        "achievement": {
            "id": achievement_id,
            "type": ["Achievement"],
            "achievementType": achievement_type,
            "name": name,
            "description": f"{name_zh} — {facts['competition_name_zh']}",
            "criteria": {"narrative": narrative},
            "inLanguage": "zh-CN",
        },
    }
    if certificate.rank is not None:
        subject["result"] = [{"type": ["Result"], "value": str(certificate.rank)}]
        subject["achievement"]["resultDescription"] = [
            {
                "id": f"{achievement_id}#rank",
                "type": ["ResultDescription"],
                "name": "Rank",
                "resultType": "RankOrder",
            }
        ]
        subject["result"][0]["resultDescription"] = f"{achievement_id}#rank"
    badge = {
        "@context": OB_CONTEXT,
        "id": verify,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{certificate.number} {name}",
        "issuer": {
            "id": f"{base}/issuers/{event.competition.code}",
            "type": ["Profile"],
            "name": facts["organiser_name_en"],
            "description": facts["organiser_name_zh"],
        },
        "validFrom": certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": subject,
    }
    if certificate.status is CertificateStatus.REVOKED and certificate.revoked_at:
        badge["validUntil"] = certificate.revoked_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return badge

"""Certificates, their reissue history, claim codes and each competition's certificate images.

A certificate keeps a snapshot of the facts it prints (``facts``): what was
issued is what is printed and verified, even when a name or an event is edited
later. Only a reissue changes the snapshot, and it records the change.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import CertificateKind, CertificateStatus
from ..extensions import db
from ..sqltypes import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from ..contests.models import AwardTier, Competition, Event
    from ..registration.models import Entry, Person


class Certificate(db.Model):
    """One certificate for one person of one entry (a team entry gets one per member).

    ``number`` (``COMPETITION-EVENT-0001``) is printed and never changes, also
    not on a reissue. ``verification_code`` is random (``secrets.token_urlsafe``,
    at least 128 bits) and is what the QR code opens. ``facts`` holds the texts
    printed on the certificate when it was (re)issued.
    """

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80), unique=True)
    # No cascades: an event or entry with issued certificates cannot be deleted
    # (a certificate is revoked, never silently removed).
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    sequence: Mapped[int]
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[CertificateKind] = mapped_column(str_enum(CertificateKind, "kind"))
    award_tier_id: Mapped[int | None] = mapped_column(
        ForeignKey("award_tier.id", ondelete="SET NULL")
    )
    rank: Mapped[int | None]
    status: Mapped[CertificateStatus] = mapped_column(
        str_enum(CertificateStatus, "status"), default=CertificateStatus.VALID
    )
    verification_code: Mapped[str] = mapped_column(String(64), unique=True)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(default=1)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    event: Mapped[Event] = relationship()
    entry: Mapped[Entry] = relationship()
    person: Mapped[Person] = relationship()
    award_tier: Mapped[AwardTier | None] = relationship()
    revisions: Mapped[list[CertificateRevision]] = relationship(
        back_populates="certificate",
        order_by="CertificateRevision.id",
        cascade="all, delete-orphan",
    )
    claim_code: Mapped[CertificateClaimCode | None] = relationship(
        back_populates="certificate", cascade="all, delete-orphan", uselist=False
    )

    __table_args__ = (
        UniqueConstraint("event_id", "sequence"),
        UniqueConstraint("entry_id", "person_id"),
    )

    @property
    def is_valid(self) -> bool:
        return self.status is CertificateStatus.VALID


class CertificateRevision(db.Model):
    """A reissue: the printed facts before and after, who changed them and why."""

    __tablename__ = "certificate_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int]
    old_facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    new_facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    certificate: Mapped[Certificate] = relationship(back_populates="revisions")

    __table_args__ = (UniqueConstraint("certificate_id", "revision"),)


class CertificateClaimCode(db.Model):
    """The code an organiser hands a contestant without an account; only its hash is kept."""

    __tablename__ = "certificate_claim_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id", ondelete="CASCADE"), unique=True
    )
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    last_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    certificate: Mapped[Certificate] = relationship(back_populates="claim_code")


class CertificateImage(db.Model):
    """A competition's logo or seal/signature image for its certificates (PNG or JPEG)."""

    __tablename__ = "certificate_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competition.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    mimetype: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    competition: Mapped[Competition] = relationship()

    __table_args__ = (
        UniqueConstraint("competition_id", "kind"),
        CheckConstraint("kind IN ('logo', 'seal')", name="kind_known"),
    )

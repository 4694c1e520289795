"""Competitions, events and marking schemes."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import (
    Aggregation,
    CompetitionKind,
    CompetitionStatus,
    CriterionType,
    EventStatus,
    Level,
)
from ..extensions import db
from ..sqltypes import ScaledDecimal, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..registration.models import Entry


class LocalizedNameMixin:
    """A Chinese and an English name; either may be missing, not both."""

    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))

    def name(self, locale: str | None = None) -> str:
        """The name in ``locale`` (``zh`` or ``en``), falling back to the other."""
        if locale and locale.startswith("en"):
            return self.name_en or self.name_zh or ""
        return self.name_zh or self.name_en or ""


class Organisation(db.Model):
    """An organising body: a trade union, an HR bureau or an enterprise."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(200))


competition_organiser = Table(
    "competition_organiser",
    db.Model.metadata,
    Column("competition_id", ForeignKey("competition.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


class Competition(LocalizedNameMixin, db.Model):
    """A competition such as "2026 Longhua District Vocational Skills Competition"."""

    __tablename__ = "competition"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    level: Mapped[Level] = mapped_column(str_enum(Level, "level"))
    kind: Mapped[CompetitionKind] = mapped_column(str_enum(CompetitionKind, "kind"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    status: Mapped[CompetitionStatus] = mapped_column(
        str_enum(CompetitionStatus, "status"), default=CompetitionStatus.DRAFT
    )
    self_registration: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    organisers: Mapped[list[User]] = relationship(secondary=competition_organiser)
    events: Mapped[list[Event]] = relationship(
        back_populates="competition", order_by="Event.position", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="dates_in_order"),)


class Event(LocalizedNameMixin, db.Model):
    """One trade within a competition, with its marking scheme and rules.

    ``marks_version`` rises with every change that can change results (a mark,
    an entry's status or finish time, the scheme), so cached results are keyed
    by it and never outlive a change.
    """

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competition.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    is_team: Mapped[bool] = mapped_column(default=False)
    status: Mapped[EventStatus] = mapped_column(
        str_enum(EventStatus, "status"), default=EventStatus.DRAFT
    )
    aggregation: Mapped[Aggregation] = mapped_column(
        str_enum(Aggregation, "aggregation"), default=Aggregation.MEAN
    )
    min_judges_to_trim: Mapped[int] = mapped_column(default=5)
    tie_break: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Marks whose spread exceeds this share of the criterion's maximum are flagged.
    discrepancy_share: Mapped[Decimal] = mapped_column(ScaledDecimal(3), default=Decimal("0.2"))
    venue: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Starts at a random number so that a cache entry of a deleted event can
    # never be mistaken for a new event that reuses its id.
    marks_version: Mapped[int] = mapped_column(default=lambda: secrets.randbelow(2**30))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    publicity_ends_on: Mapped[date | None]
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    competition: Mapped[Competition] = relationship(back_populates="events")
    sections: Mapped[list[Section]] = relationship(
        back_populates="event", order_by="Section.position", cascade="all, delete-orphan"
    )
    criteria: Mapped[list[Criterion]] = relationship(
        viewonly=True, order_by=lambda: (Criterion.section_id, Criterion.position)
    )
    award_tiers: Mapped[list[AwardTier]] = relationship(
        back_populates="event", order_by="AwardTier.position", cascade="all, delete-orphan"
    )
    entries: Mapped[list[Entry]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("competition_id", "code"),
        CheckConstraint("min_judges_to_trim >= 3", name="trim_needs_three"),
    )

    def bump_marks_version(self) -> None:
        """Note a change that can change this event's results (invalidates caches).

        The increment happens in SQL at flush time, so two concurrent
        transactions each add one instead of both writing the same number.
        """
        self.marks_version = Event.marks_version + 1


class Section(LocalizedNameMixin, db.Model):
    """A weighted part of a marking scheme, e.g. Theory 30 %, Practical 70 %."""

    __tablename__ = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    weight: Mapped[Decimal] = mapped_column(ScaledDecimal(3))

    event: Mapped[Event] = relationship(back_populates="sections")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="section", order_by="Criterion.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )


class Criterion(LocalizedNameMixin, db.Model):
    """One thing judges mark. Codes are unique within the event (tie-breaks name them)."""

    __tablename__ = "criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    type: Mapped[CriterionType] = mapped_column(str_enum(CriterionType, "type"))
    max_mark: Mapped[Decimal] = mapped_column(ScaledDecimal(3))

    section: Mapped[Section] = relationship(back_populates="criteria")
    event: Mapped[Event] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        CheckConstraint("max_mark > 0", name="max_positive"),
    )


class AwardTier(LocalizedNameMixin, db.Model):
    """An award level (first prize …) with its quota and the recognition it recommends."""

    __tablename__ = "award_tier"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    share: Mapped[Decimal | None] = mapped_column(ScaledDecimal(6))
    count: Mapped[int | None]
    min_total: Mapped[Decimal | None] = mapped_column(ScaledDecimal(3))
    recognition: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    event: Mapped[Event] = relationship(back_populates="award_tiers")

    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        CheckConstraint("(share IS NULL) <> (count IS NULL)", name="share_xor_count"),
        # share is stored scaled by 10**6, so 1000000 is a share of 1.
        CheckConstraint("share IS NULL OR (share >= 0 AND share <= 1000000)", name="share_range"),
        CheckConstraint("count IS NULL OR count >= 0", name="count_range"),
    )

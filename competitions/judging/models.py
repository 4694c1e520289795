"""Judge assignments, conflicts of interest, marks and the audit trail of every mark."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..sqltypes import ScaledDecimal, UTCDateTime, utcnow

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..contests.models import Criterion, Event
    from ..registration.models import Entry, Person


class JudgeAssignment(db.Model):
    """A judge appointed to an event, optionally limited to some criteria or stations."""

    __tablename__ = "judge_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    is_chief: Mapped[bool] = mapped_column(default=False)
    ref: Mapped[str | None] = mapped_column(String(64))
    # None means "all": criterion codes / station labels this judge marks.
    criteria: Mapped[list[str] | None] = mapped_column(JSON)
    stations: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    judge: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("event_id", "judge_id"),)


class ConflictDeclaration(db.Model):
    """A declared relation between a judge and a person (relative, teacher, …)."""

    __tablename__ = "conflict_declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    relation: Mapped[str] = mapped_column(String(200))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    judge: Mapped[User] = relationship()
    person: Mapped[Person] = relationship()

    __table_args__ = (UniqueConstraint("judge_id", "person_id"),)


class Mark(db.Model):
    """One judge's current value for one criterion of one entry.

    The value is never changed without a :class:`MarkRevision`; ``version``
    rises with every change so that two tabs or devices cannot overwrite each
    other silently (the writer names the version it saw).
    """

    __tablename__ = "mark"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("criterion.id", ondelete="CASCADE"), index=True
    )
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    value: Mapped[Decimal] = mapped_column(ScaledDecimal(3))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[Entry] = relationship()
    criterion: Mapped[Criterion] = relationship()
    judge: Mapped[User] = relationship()
    revisions: Mapped[list[MarkRevision]] = relationship(
        back_populates="mark", order_by="MarkRevision.id", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("entry_id", "judge_id", "criterion_id"),)


class MarkRevision(db.Model):
    """One accepted submission of a mark: who, when, old value, new value, why.

    ``submission_key`` is the client-generated idempotency key: a retried
    submission finds its revision here and gets the original answer.
    """

    __tablename__ = "mark_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[int] = mapped_column(ForeignKey("mark.id", ondelete="CASCADE"), index=True)
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    version: Mapped[int]
    old_value: Mapped[Decimal | None] = mapped_column(ScaledDecimal(3))
    new_value: Mapped[Decimal] = mapped_column(ScaledDecimal(3))
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="web")

    mark: Mapped[Mark] = relationship(back_populates="revisions")
    changed_by: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("mark_id", "version"),)


class RemarkRequest(db.Model):
    """The chief judge asks a judge to look at a mark (or an entry) again."""

    __tablename__ = "remark_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    entry: Mapped[Entry] = relationship()
    criterion: Mapped[Criterion | None] = relationship()


class MarkExcuse(db.Model):
    """The chief judge's recorded reason why an expected mark may stay missing."""

    __tablename__ = "mark_excuse"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    excused_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    excused_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

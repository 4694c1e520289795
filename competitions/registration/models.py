"""People, their entries in events, and the draw of anonymous numbers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import EntryStatus
from ..extensions import db
from ..sqltypes import ScaledDecimal, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from ..contests.models import Event


class Person(db.Model):
    """A contestant's identity across competitions: the lifelong record hangs on it.

    ``id_number`` (a resident ID number) identifies the same person in
    different competitions; it is shown masked to everyone but the organisers
    of a competition the person entered.
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    employer: Mapped[str | None] = mapped_column(String(200))
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Entry(db.Model):
    """A person (or a team) in an event.

    Judges only ever see ``number``, the anonymous number drawn by lot.
    ``employer`` is the employer of record for this entry (people change jobs;
    the record keeps what was true at the time).
    """

    __tablename__ = "entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    team_name: Mapped[str | None] = mapped_column(String(200))
    employer: Mapped[str | None] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(16))
    station: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[EntryStatus] = mapped_column(
        str_enum(EntryStatus, "status"), default=EntryStatus.REGISTERED
    )
    status_reason: Mapped[str | None] = mapped_column(Text)
    # The organiser's note from registration (the import sheet's note column).
    note: Mapped[str | None] = mapped_column(Text)
    finish_seconds: Mapped[Decimal | None] = mapped_column(ScaledDecimal(3))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="entries")
    person: Mapped[Person | None] = relationship()
    members: Mapped[list[TeamMember]] = relationship(
        back_populates="entry", order_by="TeamMember.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("event_id", "ref"),
        UniqueConstraint("event_id", "number"),
        UniqueConstraint("event_id", "station"),
        UniqueConstraint("event_id", "person_id"),
    )

    @property
    def display_name(self) -> str:
        """The contestant's name, or the team's name for a team entry."""
        if self.team_name:
            return self.team_name
        return self.person.name if self.person else self.ref

    @property
    def people(self) -> list[Person]:
        """Everybody this entry stands for: the contestant or the team's members."""
        if self.person is not None:
            return [self.person]
        return [member.person for member in self.members]


class TeamMember(db.Model):
    """A named member of a team entry."""

    __tablename__ = "team_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    is_captain: Mapped[bool] = mapped_column(default=False)
    # The member's employer of record for this team, as Entry.employer is for an entry:
    # the person's current employer may differ later.
    employer: Mapped[str | None] = mapped_column(String(200))

    entry: Mapped[Entry] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()

    __table_args__ = (UniqueConstraint("entry_id", "person_id"),)


class Draw(db.Model):
    """A recorded draw of lots: enough to reproduce and audit it."""

    __tablename__ = "draw"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    seed: Mapped[str] = mapped_column(String(128))
    method: Mapped[str] = mapped_column(String(32))
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    performed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # entry id -> {"number": ..., "station": ...}, as drawn
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

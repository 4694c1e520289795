"""Appeals against published results. Results themselves are computed, never stored by hand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..enums import AppealStatus, EventStatus
from ..extensions import db
from ..sqltypes import UTCDateTime, str_enum, utcnow


class Appeal(db.Model):
    """A contestant's appeal during the publicity period, and how it was resolved."""

    __tablename__ = "appeal"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[AppealStatus] = mapped_column(
        str_enum(AppealStatus, "status"), default=AppealStatus.OPEN
    )
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def reopens_marks_of(self, entry_id: int) -> bool:
        """True when this appeal lets the marks of entry ``entry_id`` change after sign-off.

        Exactly one thing unlocks marks after sign-off: an upheld appeal of that
        entry while its event's results are in the publicity period. The marks lock
        (``judging.marks.submit_mark``) asks this.
        """
        from ..contests.models import Event

        if self.status is not AppealStatus.UPHELD or self.entry_id != entry_id:
            return False
        event = db.session.get(Event, self.event_id)
        return event is not None and event.status is EventStatus.PUBLISHED

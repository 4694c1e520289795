"""Appeals against published results. Results themselves are computed, never stored by hand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..enums import AppealStatus
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

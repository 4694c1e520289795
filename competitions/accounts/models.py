"""User accounts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import Role
from ..extensions import db
from ..sqltypes import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from ..registration.models import Person


class User(UserMixin, db.Model):
    """Somebody who signs in: an admin, organiser, judge or contestant.

    ``session_version`` is part of the session's user id: raising it ends every
    other session of this user (logout everywhere, deactivation, new password).
    """

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    employer: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    locale: Mapped[str | None] = mapped_column(String(8))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person | None] = relationship()

    def get_id(self) -> str:
        """The session's user id: the row id and the session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"

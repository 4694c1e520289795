"""The audit log: who did what, when, from where.

Entries are only ever added. Services call :func:`record` and the request's
single commit makes the entry durable together with the change it describes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .sqltypes import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One recorded action."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None]
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record(action: str, *, actor=None, target=None, **detail: Any) -> AuditEntry:
    """Add an audit entry for ``action`` by ``actor`` on ``target`` (flushed, not committed).

    ``target`` is any model instance with an ``id``; its class name is stored.
    Extra keyword arguments are kept as JSON detail.
    """
    entry = AuditEntry(
        action=action,
        actor_id=getattr(actor, "id", None),
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
        address=request.remote_addr if has_request_context() else None,
        detail=detail,
    )
    db.session.add(entry)
    db.session.flush()
    return entry

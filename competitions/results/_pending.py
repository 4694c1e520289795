"""Stand-ins for functions other parts deliver (judging.marks, judging.completeness).

Removed as soon as ``competitions.judging.marks.submit_mark`` and
``competitions.judging.completeness.missing_marks`` are on main.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from ..enums import CriterionType, EventStatus
from ..errors import Conflict, DomainError, NotAllowed
from ..extensions import db
from ..judging.models import Mark, MarkRevision
from ..sqltypes import utcnow


def missing_marks(event) -> list:
    """Nothing is reported missing until the completeness check lands."""
    return []


def submit_mark(
    *, entry, criterion, judge_id, value, actor, reason, expected_version, submission_key, appeal
):
    """Write one mark as an audited revision (the marks lock lets an upheld appeal through)."""
    from .services import appeal_allows_remarking

    event = entry.event
    if event.status is EventStatus.FINAL:
        raise NotAllowed(_("These results are final; their marks can no longer change."))
    if event.status in (EventStatus.SIGNED_OFF, EventStatus.PUBLISHED) and not (
        appeal_allows_remarking(appeal, entry.id)
    ):
        raise NotAllowed(_("The event's marks are locked."))
    value = Decimal(value)
    top = Decimal(3) if criterion.type is CriterionType.JUDGEMENT else criterion.max_mark
    if value < 0 or value > top:
        raise DomainError(_("The mark must lie between 0 and %(max)s.", max=top), field="value")
    mark = db.session.scalar(
        select(Mark).where(
            Mark.entry_id == entry.id,
            Mark.judge_id == judge_id,
            Mark.criterion_id == criterion.id,
        )
    )
    if mark is None:
        mark = Mark(entry_id=entry.id, judge_id=judge_id, criterion_id=criterion.id, value=value)
        old = None
        db.session.add(mark)
    else:
        if expected_version is not None and mark.version != expected_version:
            raise Conflict(_("Somebody changed this mark meanwhile; reload and try again."))
        old = mark.value
        mark.value = value
        mark.version += 1
        mark.updated_at = utcnow()
    db.session.flush()
    db.session.add(
        MarkRevision(
            mark_id=mark.id,
            submission_key=submission_key,
            version=mark.version,
            old_value=old,
            new_value=value,
            changed_by_id=actor.id,
            reason=reason,
        )
    )
    event.bump_marks_version()
    db.session.flush()
    return mark

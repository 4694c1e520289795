"""Demo results: full marks for two demo events, one in its publicity period, one final.

Called by ``competitions.demo.create_demo`` so that a newcomer sees results,
appeals and award winners (the certificates need winners) straight away.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from ..contests.models import Competition, Event
from ..enums import CriterionType, EntryStatus, EventStatus
from ..extensions import db
from ..judging.models import JudgeAssignment, Mark, MarkRevision
from ..registration.models import Entry
from ..sqltypes import utcnow
from .services import local_today

PUBLISHED_EVENT = "ROBOT"  # in its publicity period: the demo contestant can appeal
FINAL_EVENT = "ELEC"


def _mark_event(event: Event, rng: random.Random) -> None:
    """Every assigned judge marks every criterion of every entry that competed."""
    assignments = db.session.scalars(
        select(JudgeAssignment).where(JudgeAssignment.event_id == event.id)
    ).all()
    entries = db.session.scalars(select(Entry).where(Entry.event_id == event.id)).all()
    now = utcnow()
    for entry in entries:
        if not EntryStatus(entry.status).ranked:
            continue
        entry.status = EntryStatus.FINISHED
        entry.finish_seconds = Decimal(rng.randint(4800, 7200))
        ability = rng.uniform(0.55, 0.95)
        for criterion in event.criteria:
            for assignment in assignments:
                if criterion.type is CriterionType.JUDGEMENT:
                    value = Decimal(min(3, max(0, round(ability * 3 + rng.uniform(-0.7, 0.7)))))
                elif criterion.type is CriterionType.DEDUCTION:
                    value = Decimal(rng.choice((0, 0, 0, 0, 1, 2)))
                else:
                    share = min(1.0, max(0.0, ability + rng.uniform(-0.08, 0.08)))
                    value = (criterion.max_mark * Decimal(str(round(share, 2)))).quantize(
                        Decimal("0.5")
                    )
                mark = Mark(
                    entry_id=entry.id,
                    criterion_id=criterion.id,
                    judge_id=assignment.judge_id,
                    value=value,
                    created_at=now,
                    updated_at=now,
                )
                mark.revisions.append(
                    MarkRevision(
                        submission_key=f"demo-{uuid.uuid4().hex}",
                        version=1,
                        new_value=value,
                        changed_by_id=assignment.judge_id,
                        changed_at=now,
                        source="demo",
                    )
                )
                db.session.add(mark)
    event.bump_marks_version()


def create_demo_results(competition: Competition) -> None:
    """Mark two demo events fully; publish one (publicity period open) and make one final.

    Flushes, never commits.
    """
    rng = random.Random(5)
    today = local_today()
    events = {event.code: event for event in competition.events}
    for code in (PUBLISHED_EVENT, FINAL_EVENT):
        event = events.get(code)
        if event is None:
            continue
        _mark_event(event, rng)
        chief = db.session.scalar(
            select(JudgeAssignment).where(
                JudgeAssignment.event_id == event.id, JudgeAssignment.is_chief
            )
        )
        event.signed_off_at = utcnow() - timedelta(days=10 if code == FINAL_EVENT else 1)
        event.signed_off_by_id = chief.judge_id if chief else None
        if code == FINAL_EVENT:
            event.status = EventStatus.FINAL
            event.published_at = utcnow() - timedelta(days=9)
            event.publicity_ends_on = today - timedelta(days=2)
            event.finalised_at = utcnow() - timedelta(days=1)
        else:
            event.status = EventStatus.PUBLISHED
            event.published_at = utcnow()
            event.publicity_ends_on = today + timedelta(days=7)
    db.session.flush()

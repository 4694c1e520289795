"""Fixtures for the certificate tests: an event with marks whose results are FINAL.

Imported by the certificate tests' conftest files. Until the results workflow
sets events final, the fixture sets ``EventStatus.FINAL`` directly.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from competitions.extensions import db

AWARD_NAMES = {
    "first": (
        "一等奖",
        "First prize",
        {
            "zh": "推荐申报区级技术能手",
            "en": "Recommend as district technical expert",
            "skill_levels": 1,
        },
    ),
    "second": (
        "二等奖",
        "Second prize",
        {"zh": "推荐晋升一级职业技能等级", "en": "Promote one skill level", "skill_levels": 1},
    ),
    "third": ("三等奖", "Third prize", {}),
}


@pytest.fixture
def make_final_event(app, make_event, make_entry, make_judge):
    """``make_final_event(names=[...], team=False, **event_columns)`` → (event, entries).

    Entries are ranked in the order of ``names`` (marks fall with the position).
    With the default six names: rank 1 first prize, 2 second, 3–4 third, 5–6 none.
    ``status`` values in ``statuses`` (name → status) mark entries absent etc.
    """
    from competitions.contests.models import AwardTier, Criterion, Event
    from competitions.enums import EventStatus
    from competitions.judging.models import Mark
    from competitions.registration.models import Entry, Person, TeamMember

    def factory(
        names=("张伟", "李娜", "王强", "刘洋", "陈静", "杨帆"),
        statuses=None,
        teams=None,
        id_numbers=None,
        **columns,
    ):
        event = make_event(**columns)
        judge, _ = make_judge(event)
        entries = []
        for index, name in enumerate(names):
            status = (statuses or {}).get(name, "checked_in")
            id_number = (id_numbers or {}).get(name)
            if teams and name in teams:
                with app.app_context():
                    entry = Entry(
                        event_id=event.id,
                        ref=f"T{index:03d}",
                        number=f"9{index:02d}",
                        team_name=name,
                        employer="团队单位",
                        status=status,
                    )
                    for position, member in enumerate(teams[name]):
                        entry.members.append(
                            TeamMember(person=Person(name=member), position=position)
                        )
                    db.session.add(entry)
                    db.session.commit()
                    db.session.refresh(entry)
                    db.session.expunge(entry)
            else:
                entry = make_entry(event, name=name, status=status, id_number=id_number)
            entries.append(entry)
        with app.app_context():
            loaded = db.session.get(Event, event.id)
            for tier in loaded.award_tiers:
                tier.name_zh, tier.name_en, tier.recognition = AWARD_NAMES[tier.code]
            ids = {c.code: c.id for c in db.session.query(Criterion).filter_by(event_id=event.id)}
            for index, entry in enumerate(entries):
                values = {
                    "T1": 90 - 5 * index,
                    "P1": 38 - 2 * index,
                    "P2": 3 if index < 2 else 2,
                    "P3": 0,
                }
                for code, value in values.items():
                    db.session.add(
                        Mark(
                            entry_id=entry.id,
                            judge_id=judge.id,
                            criterion_id=ids[code],
                            value=Decimal(value),
                        )
                    )
            loaded.status = EventStatus.FINAL
            loaded.bump_marks_version()
            db.session.commit()
            db.session.refresh(loaded)
            db.session.expunge(loaded)
        assert AwardTier  # the tiers are named above
        return loaded, entries

    return factory


def finalise_demo_events():
    """Mark the demo's events that have no marks yet and make every demo event final.

    Call inside an app context after ``create_demo()``; flushes, never commits.
    """
    from sqlalchemy import func, select

    from competitions.contests.models import Competition
    from competitions.demo import DEMO_CODE
    from competitions.enums import CriterionType, EventStatus
    from competitions.judging.models import JudgeAssignment, Mark
    from competitions.registration.models import Entry

    competition = db.session.scalar(select(Competition).where(Competition.code == DEMO_CODE))
    rng = random.Random(7)
    for event in competition.events:
        marked = db.session.scalar(
            select(func.count(Mark.id)).join(Entry).where(Entry.event_id == event.id)
        )
        if not marked:
            judges = db.session.scalars(
                select(JudgeAssignment.judge_id).where(JudgeAssignment.event_id == event.id)
            ).all()
            for entry in event.entries:
                for criterion in event.criteria:
                    for judge_id in judges:
                        if criterion.type is CriterionType.JUDGEMENT:
                            value = Decimal(rng.randint(1, 3))
                        elif criterion.type is CriterionType.DEDUCTION:
                            value = Decimal(rng.randint(0, 2))
                        else:
                            value = Decimal(
                                rng.randint(int(criterion.max_mark) // 2, int(criterion.max_mark))
                            )
                        db.session.add(
                            Mark(
                                entry_id=entry.id,
                                criterion_id=criterion.id,
                                judge_id=judge_id,
                                value=value,
                            )
                        )
            event.bump_marks_version()
        # As if every publicity period had ended without appeals.
        event.status = EventStatus.FINAL
    db.session.flush()

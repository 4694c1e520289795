"""Fixtures of the results tests: load a contest package into the database."""

from __future__ import annotations

import pytest

from competitions.extensions import db


def _load(package, actor):
    """Stand-in for the package importer until it is on main: the same objects it creates."""
    from competitions.accounts.models import User
    from competitions.contests.models import (
        AwardTier,
        Competition,
        Criterion,
        Event,
        Organisation,
        Section,
    )
    from competitions.enums import (
        Aggregation,
        CompetitionKind,
        CriterionType,
        EntryStatus,
        EventStatus,
        Level,
        Role,
    )
    from competitions.judging.models import JudgeAssignment, Mark
    from competitions.registration.models import Entry, Person

    data = package.competition
    competition = Competition(
        code=data.code,
        name_zh=data.name.zh,
        name_en=data.name.en,
        level=Level(data.level),
        kind=CompetitionKind(data.kind),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        organisation=Organisation(name=data.organiser),
    )
    db.session.add(competition)
    for position, ev in enumerate(package.events):
        event = Event(
            code=ev.code,
            name_zh=ev.name.zh,
            name_en=ev.name.en,
            position=position,
            aggregation=Aggregation(ev.method),
            min_judges_to_trim=ev.min_judges_to_trim or 5,
            tie_break=list(ev.tie_break),
            status=EventStatus.MARKING,
        )
        competition.events.append(event)
        criteria = {}
        for s_pos, sec in enumerate(ev.sections):
            section = Section(code=sec.code, weight=sec.weight, position=s_pos)
            event.sections.append(section)
            for c_pos, cri in enumerate(sec.criteria):
                criterion = Criterion(
                    event=event,
                    code=cri.code,
                    type=CriterionType(cri.type),
                    max_mark=cri.max,
                    position=c_pos,
                )
                section.criteria.append(criterion)
                criteria[cri.code] = criterion
        for a_pos, tier in enumerate(ev.awards):
            event.award_tiers.append(
                AwardTier(
                    code=tier.code,
                    name_zh=tier.name.zh,
                    name_en=tier.name.en,
                    share=tier.share,
                    count=tier.count,
                    min_total=tier.min_total,
                    position=a_pos,
                )
            )
        judges = {}
        for judge in ev.judges:
            user = User(
                username=f"{data.code}-{ev.code}-{judge.ref}".lower(),
                display_name=judge.name,
                employer=judge.employer,
                role=Role.JUDGE,
                password_hash="!",
            )
            db.session.add(
                JudgeAssignment(event=event, judge=user, is_chief=judge.chief, ref=judge.ref)
            )
            judges[judge.ref] = user
        entries = {}
        for item in ev.entries:
            entry = Entry(
                event=event,
                ref=item.ref,
                number=item.number,
                station=item.station,
                employer=item.employer,
                status=EntryStatus(item.status),
                finish_seconds=item.finish_seconds,
                person=Person(name=item.name, employer=item.employer, id_number=item.id_number),
            )
            db.session.add(entry)
            entries[item.ref] = entry
        db.session.flush()
        for mark in ev.marks:
            db.session.add(
                Mark(
                    entry_id=entries[mark.entry].id,
                    judge_id=judges[mark.judge].id,
                    criterion_id=criteria[mark.criterion].id,
                    value=mark.value,
                )
            )
    db.session.flush()
    return competition


@pytest.fixture
def import_package(app):
    """``import_package(text, actor=None)`` → the competition's id, committed."""
    from competitions.package.schema import parse_package

    def load(text, actor=None):
        with app.app_context():
            competition = _load(parse_package(text), actor)
            db.session.commit()
            return competition.id

    return load

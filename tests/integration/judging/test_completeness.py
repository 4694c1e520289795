"""Conflicts of interest and the completeness check (expected, given, excused, missing marks)."""

from decimal import Decimal

from competitions.accounts.models import User
from competitions.contests.models import Criterion, Event
from competitions.extensions import db
from competitions.judging.completeness import MissingMark, completeness, missing_marks
from competitions.judging.conflicts import (
    conflict_reasons,
    employer_key,
    event_conflicts,
    judge_conflicted,
)
from competitions.judging.models import ConflictDeclaration, Mark, MarkExcuse
from competitions.registration.models import Entry, Person, TeamMember


def _criteria(event):
    return {c.code: c.id for c in db.session.query(Criterion).filter_by(event_id=event.id)}


def test_employers_compare_ignoring_spaces_case_and_width():
    assert employer_key(" 深圳技师学院 ") == employer_key("深圳技师学院")
    assert employer_key("ＡＢＣ Ltd") == employer_key("abcltd")
    assert employer_key(None) == employer_key("") == ""


def test_same_employer_and_declared_relation_conflict(app, make_event, make_entry, make_judge):
    event = make_event()
    judge, _ = make_judge(event, employer="深圳技师学院")
    colleague = make_entry(event, employer=" 深圳技师学院")
    relative = make_entry(event, employer="鹏城电力工程有限公司")
    stranger = make_entry(event, employer="华星智能装备股份有限公司")
    with app.app_context():
        db.session.add(
            ConflictDeclaration(judge_id=judge.id, person_id=relative.person_id, relation="表兄弟")
        )
        db.session.commit()
        user = db.session.get(User, judge.id)
        assert judge_conflicted(user, db.session.get(Entry, colleague.id))
        assert judge_conflicted(user, db.session.get(Entry, relative.id))
        assert not judge_conflicted(user, db.session.get(Entry, stranger.id))
        [reason] = conflict_reasons(user, db.session.get(Entry, relative.id))
        assert (reason.kind, reason.detail) == ("declared", "表兄弟")
        conflicts = event_conflicts(db.session.get(Event, event.id))
        assert set(conflicts) == {(judge.id, colleague.id), (judge.id, relative.id)}
        assert conflicts[(judge.id, colleague.id)][0].kind == "employer"


def test_a_team_member_conflicts_the_whole_team(app, make_event, make_judge):
    event = make_event(is_team=True)
    judge, _ = make_judge(event, employer="深圳技师学院")
    other, _ = make_judge(event, employer="龙华区人力资源局")
    with app.app_context():
        team = Entry(
            event_id=event.id, ref="T1", number="001", team_name="精密队", employer="A公司"
        )
        team.members.append(TeamMember(person=Person(name="甲", employer="A公司"), position=0))
        relative = Person(name="乙", employer="深圳技师学院")
        team.members.append(TeamMember(person=relative, position=1))
        db.session.add(team)
        db.session.flush()
        db.session.add(
            ConflictDeclaration(judge_id=other.id, person_id=relative.id, relation="师徒")
        )
        db.session.commit()
        conflicts = event_conflicts(db.session.get(Event, event.id))
        assert conflicts[(judge.id, team.id)][0].kind == "employer"
        assert conflicts[(other.id, team.id)][0].detail == "师徒"


def test_missing_marks_follow_assignments_statuses_conflicts_and_excuses(
    app, make_event, make_entry, make_judge
):
    event = make_event()  # criteria T1, P1, P2, P3
    make_judge(event, chief=True)  # the chief judge is expected to give no mark
    full, _ = make_judge(event, employer="深圳技师学院")
    practical, _ = make_judge(event, employer="龙华区人力资源局", criteria=["P1", "P2"])
    station_a, _ = make_judge(event, employer="深圳职业技术大学", criteria=["T1"], stations=["A1"])
    first = make_entry(event, number="002", station="A1")
    second = make_entry(
        event, number="010", station="B1", employer="深圳技师学院"
    )  # conflicts `full`
    make_entry(event, number="003", status="absent")
    make_entry(event, number="004", status="withdrawn")
    make_entry(event, number="005", status="disqualified")
    with app.app_context():
        ids = _criteria(event)
        loaded = db.session.get(Event, event.id)
        missing = missing_marks(loaded)
        # first: full × 4, practical × 2, station_a × 1; second: practical × 2 (full conflicted,
        # station_a not at B1).
        assert len(missing) == 4 + 2 + 1 + 2
        assert missing[0].entry_id == first.id  # "002" before "010"
        assert MissingMark(second.id, full.id, ids["T1"]) not in missing

        db.session.add(
            Mark(entry_id=first.id, judge_id=full.id, criterion_id=ids["T1"], value=Decimal("80"))
        )
        db.session.add(
            MarkExcuse(
                event_id=event.id,
                entry_id=first.id,
                judge_id=practical.id,
                reason="设备故障",
                excused_by_id=full.id,
            )
        )
        db.session.add(
            MarkExcuse(
                event_id=event.id,
                entry_id=second.id,
                criterion_id=ids["P2"],
                reason="作品损坏",
                excused_by_id=full.id,
            )
        )
        db.session.commit()
        survey = completeness(db.session.get(Event, event.id))
        assert survey.count("given") == 1
        assert survey.count("excused") == 2 + 1
        assert survey.missing == missing_marks(db.session.get(Event, event.id))
        assert {(m.entry_id, m.judge_id) for m in survey.missing} == {
            (first.id, full.id),
            (first.id, station_a.id),
            (second.id, practical.id),
        }
        assert MissingMark(second.id, practical.id, ids["P1"]) in survey.missing
        assert survey.judge_load(full.id) == 4
        assert survey.judge_progress()[full.id] == (1, 4)
        assert survey.entry_judges(second.id) == 1
        assert [e.number for e in survey.not_competing] == ["003", "004", "005"]


def test_an_event_without_judges_or_entries_expects_nothing(app, make_event):
    event = make_event()
    with app.app_context():
        assert missing_marks(db.session.get(Event, event.id)) == []


def test_completeness_reads_in_a_fixed_number_of_queries(app, make_event, make_entry, make_judge):
    from sqlalchemy import event as sa_event

    ev = make_event()
    for _ in range(3):
        make_judge(ev)
    for _ in range(6):
        make_entry(ev)
    with app.app_context():
        loaded = db.session.get(Event, ev.id)
        statements = []

        def count(*_args, **_kw):
            statements.append(1)

        sa_event.listen(db.engine, "before_cursor_execute", count)
        try:
            missing_marks(loaded)
            small = len(statements)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", count)
    for _ in range(6):
        make_entry(ev)
    make_judge(ev)
    with app.app_context():
        loaded = db.session.get(Event, ev.id)
        statements.clear()
        sa_event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert len(missing_marks(loaded)) == 4 * 12 * 4
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", count)
        assert len(statements) == small


def test_marks_given_before_a_conflict_was_declared_are_flagged(
    app, make_event, make_entry, make_judge
):
    event = make_event()
    judge, _ = make_judge(event)
    entry = make_entry(event)
    with app.app_context():
        criterion = db.session.query(Criterion).filter_by(event_id=event.id, code="T1").one()
        db.session.add(
            Mark(entry_id=entry.id, judge_id=judge.id, criterion_id=criterion.id, value=Decimal(7))
        )
        db.session.commit()
        assert completeness(db.session.get(Event, event.id)).conflicted_marks == []
        db.session.add(
            ConflictDeclaration(judge_id=judge.id, person_id=entry.person_id, relation="父子")
        )
        db.session.commit()
        survey = completeness(db.session.get(Event, event.id))
        assert survey.conflicted_marks == [(entry.id, judge.id)]
        assert survey.missing == []  # nothing is expected of a conflicted judge


def test_a_chief_judge_who_marks_named_criteria_is_expected_to(
    app, make_event, make_entry, make_judge
):
    event = make_event()
    supervising = make_event()
    marking_chief, _ = make_judge(event, chief=True, criteria=["T1"])
    make_judge(supervising, chief=True)
    entry = make_entry(event)
    make_entry(supervising)
    with app.app_context():
        ids = _criteria(event)
        assert missing_marks(db.session.get(Event, event.id)) == [
            MissingMark(entry.id, marking_chief.id, ids["T1"])
        ]
        assert missing_marks(db.session.get(Event, supervising.id)) == []


def test_marking_refuses_exactly_the_entries_the_appointment_page_lists(
    app, make_event, make_entry, make_judge
):
    """One definition of a conflict: authz (marking) agrees with event_conflicts (the pages)."""
    from competitions import authz

    event = make_event(is_team=True)
    judge, _ = make_judge(event, employer="深圳技师学院")
    spaced = make_entry(event, employer="深圳 技师学院")  # same employer, typed with a space
    stranger = make_entry(event, employer="华星智能")
    with app.app_context():
        team = Entry(event_id=event.id, ref="T9", number="099", team_name="联队", employer="A公司")
        # The member now works elsewhere; their employer of record for this team is the judge's.
        member = Person(name="丙", employer="别的公司")
        team.members.append(TeamMember(person=member, employer="深圳技师学院", position=0))
        db.session.add(team)
        db.session.commit()
        user = db.session.get(User, judge.id)
        entries = [db.session.get(Entry, e) for e in (spaced.id, stranger.id, team.id)]
        listed = {entry_id for _judge, entry_id in event_conflicts(db.session.get(Event, event.id))}
        assert listed == {spaced.id, team.id}
        assert authz.conflicted_entry_ids(user, entries) == listed

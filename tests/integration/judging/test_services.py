"""The judging services: appointment, conflicts, discrepancies, re-marking, sign-off, reopening."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from competitions.accounts.models import User
from competitions.accounts.passwords import verify_password
from competitions.audit import AuditEntry
from competitions.contests.models import Criterion, Event
from competitions.enums import EventStatus
from competitions.errors import DomainError, NotAllowed
from competitions.extensions import db
from competitions.judging import services
from competitions.judging.models import JudgeAssignment, Mark, MarkRevision
from competitions.registration.models import Entry, Person
from competitions.sqltypes import utcnow


def _load(model, obj):
    return db.session.get(model, obj.id)


def _criteria(event_id):
    return {c.code: c for c in db.session.scalars(select(Criterion).filter_by(event_id=event_id))}


def _actions():
    return [a.action for a in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _give(entry, judge, criterion, value, *, at=None):
    mark = Mark(entry_id=entry.id, judge_id=judge.id, criterion_id=criterion.id, value=value)
    db.session.add(mark)
    db.session.flush()
    db.session.add(
        MarkRevision(
            mark_id=mark.id,
            submission_key=f"k-{entry.id}-{judge.id}-{criterion.id}-{mark.id}",
            version=1,
            new_value=value,
            changed_by_id=judge.id,
            changed_at=at or utcnow(),
        )
    )
    db.session.flush()
    return mark


# --------------------------------------------------------------------- appointment


def test_assign_judge_checks_account_duplicates_and_criteria(app, make_event, make_user):
    event = make_event()
    organiser = make_user("organiser")
    judge = make_user("judge", employer="深圳技师学院")
    contestant = make_user("contestant")
    with app.app_context():
        ev, actor = _load(Event, event), _load(User, organiser)
        with pytest.raises(DomainError) as error:
            services.assign_judge(ev, _load(User, contestant), actor=actor)
        assert error.value.field == "judge"
        with pytest.raises(DomainError) as error:
            services.assign_judge(ev, _load(User, judge), actor=actor, criteria=["P1", "X9"])
        assert "X9" in error.value.message and error.value.field == "criteria"
        assignment = services.assign_judge(
            ev,
            _load(User, judge),
            actor=actor,
            criteria=["P2", "P1"],
            stations=[" A1 ", "A1", "B2"],
        )
        assert assignment.criteria == ["P1", "P2"]  # in scheme order
        assert assignment.stations == ["A1", "B2"]
        assert assignment.ref == "J01"
        with pytest.raises(DomainError, match="already a judge"):
            services.assign_judge(ev, _load(User, judge), actor=actor)
        db.session.commit()
        assert "judge_assigned" in _actions()


def test_one_chief_judge_per_event(app, make_event, make_user, make_judge):
    event = make_event()
    organiser = make_user("organiser")
    first, first_assignment = make_judge(event, chief=True)
    second, _ = make_judge(event)
    with app.app_context():
        services.assign_judge(
            _load(Event, event),
            _load(User, make_user("judge")),
            actor=_load(User, organiser),
            chief=True,
        )
        db.session.commit()
        chiefs = db.session.scalars(
            select(JudgeAssignment).where(
                JudgeAssignment.event_id == event.id, JudgeAssignment.is_chief.is_(True)
            )
        ).all()
        assert len(chiefs) == 1 and chiefs[0].judge_id not in (first.id, second.id)
        assert not _load(JudgeAssignment, first_assignment).is_chief


def test_a_judge_with_marks_cannot_be_removed(app, make_event, make_entry, make_judge, make_user):
    event = make_event()
    organiser = make_user("organiser")
    judge, assignment = make_judge(event)
    idle, idle_assignment = make_judge(event)
    entry = make_entry(event)
    with app.app_context():
        _give(entry, judge, _criteria(event.id)["T1"], Decimal("50"))
        db.session.commit()
        with pytest.raises(NotAllowed, match="given 1 mark in"):
            services.remove_judge(_load(JudgeAssignment, assignment), actor=_load(User, organiser))
        services.remove_judge(_load(JudgeAssignment, idle_assignment), actor=_load(User, organiser))
        db.session.commit()
        assert db.session.get(JudgeAssignment, idle_assignment.id) is None
        assert db.session.get(JudgeAssignment, assignment.id) is not None


def test_appointments_are_frozen_once_signed_off(app, make_event, make_user, make_judge):
    event = make_event(status=EventStatus.SIGNED_OFF)
    _, assignment = make_judge(event)
    organiser = make_user("organiser")
    with app.app_context():
        actor = _load(User, organiser)
        with pytest.raises(NotAllowed):
            services.assign_judge(_load(Event, event), _load(User, make_user("judge")), actor=actor)
        with pytest.raises(NotAllowed):
            services.update_assignment(
                _load(JudgeAssignment, assignment), actor=actor, criteria=None, stations=None
            )
        with pytest.raises(NotAllowed):
            services.make_chief_judge(_load(JudgeAssignment, assignment), actor=actor)


def test_declaring_a_relation_twice_is_refused(app, make_event, make_entry, make_judge, make_user):
    event = make_event()
    judge, _ = make_judge(event)
    entry = make_entry(event)
    organiser = make_user("organiser")
    with app.app_context():
        person = db.session.get(Person, entry.person_id)
        actor = _load(User, organiser)
        with pytest.raises(DomainError) as error:
            services.declare_conflict(_load(User, judge), person, "  ", actor=actor)
        assert error.value.field == "relation"
        declaration = services.declare_conflict(_load(User, judge), person, "舅甥", actor=actor)
        with pytest.raises(DomainError) as error:
            services.declare_conflict(_load(User, judge), person, "舅甥", actor=actor)
        assert error.value.field == "person"
        assert services.judge_conflicted(_load(User, judge), _load(Entry, entry))
        services.withdraw_conflict(declaration, actor=actor)
        assert not services.judge_conflicted(_load(User, judge), _load(Entry, entry))
        assert _actions()[-2:] == ["conflict_declared", "conflict_withdrawn"]


# --------------------------------------------------------------------- judge accounts


CSV_OK = (
    "姓名,用户名,工作单位,手机号,电子邮箱\n"
    "李明,liming,深圳技师学院,13900139001,liming@example.com\n"
    "王芳,wangfang,深圳职业技术大学,13900139002,\n"
).encode()


def test_import_judges_creates_every_row_with_a_working_password(app, make_user):
    organiser = make_user("organiser")
    with app.app_context():
        created = services.import_judges(CSV_OK, "judges.csv", actor=_load(User, organiser))
        db.session.commit()
        assert [u.username for u, _ in created] == ["liming", "wangfang"]
        for user, password in created:
            assert user.role.value == "judge"
            assert verify_password(user.password_hash, password)
            assert len(password) == services.PASSWORD_LENGTH
        assert _load(User, created[0][0]).employer == "深圳技师学院"
        assert "judges_imported" in _actions()


def test_import_judges_with_a_bad_row_creates_nothing(app, make_user):
    organiser = make_user("organiser")
    make_user("judge", username="taken")
    bad = CSV_OK + "赵强,taken,深圳技师学院,13900139003,\n钱七,qianqi,,13900139004,\n".encode()
    with app.app_context():
        before = db.session.query(User).count()
        with pytest.raises(services.JudgeImportFailed) as error:
            services.import_judges(bad, "judges.csv", actor=_load(User, organiser))
        db.session.rollback()
        assert db.session.query(User).count() == before
        rows = {problem.row for problem in error.value.problems}
        assert rows == {4, 5}
        with pytest.raises(services.JudgeImportFailed, match="xlsx"):
            services.import_judges(b"PK", "judges.xls", actor=_load(User, organiser))


# --------------------------------------------------------------------- discrepancies


def test_discrepancies_flag_judgement_and_mark_spreads(app, make_event, make_entry, make_judge):
    event = make_event()  # P1 marks /40, P2 judgement, share 0.2 → spread > 8 flagged
    a, _ = make_judge(event)
    b, _ = make_judge(event)
    flagged = make_entry(event)
    calm = make_entry(event)
    absent = make_entry(event, status="absent")
    with app.app_context():
        c = _criteria(event.id)
        for entry, (p1a, p1b, p2a, p2b) in {
            flagged: ("30", "21", "3", "1"),
            calm: ("30", "22", "3", "2"),
            absent: ("40", "0", "3", "0"),
        }.items():
            _give(entry, a, c["P1"], Decimal(p1a))
            _give(entry, b, c["P1"], Decimal(p1b))
            _give(entry, a, c["P2"], Decimal(p2a))
            _give(entry, b, c["P2"], Decimal(p2b))
        db.session.commit()
        found = services.discrepancies(_load(Event, event))
        assert {(d.entry_id, d.criterion_id, d.kind) for d in found} == {
            (flagged.id, c["P1"].id, "spread"),
            (flagged.id, c["P2"].id, "judgement"),
        }
        p1 = next(d for d in found if d.kind == "spread")
        assert p1.values == {a.id: Decimal("30"), b.id: Decimal("21")} and p1.spread == 9


# --------------------------------------------------------------------- re-marking


def test_remark_request_stays_open_until_remarked_or_answered(
    app, make_event, make_entry, make_judge
):
    event = make_event()
    chief, _ = make_judge(event, chief=True)
    judge, _ = make_judge(event, employer="深圳技师学院")
    entry = make_entry(event)
    other = make_entry(event)
    colleague = make_entry(event, employer="深圳技师学院")
    with app.app_context():
        c = _criteria(event.id)
        ev, actor, marker = _load(Event, event), _load(User, chief), _load(User, judge)
        with pytest.raises(DomainError) as error:
            services.request_remark(
                ev, entry=_load(Entry, colleague), judge=marker, reason="请复核", actor=actor
            )
        assert error.value.field == "judge"
        with pytest.raises(DomainError) as error:
            services.request_remark(
                ev, entry=_load(Entry, entry), judge=marker, reason="", actor=actor
            )
        assert error.value.field == "reason"
        one = services.request_remark(
            ev,
            entry=_load(Entry, entry),
            judge=marker,
            criterion=c["P1"],
            reason="分差过大",
            actor=actor,
        )
        two = services.request_remark(
            ev, entry=_load(Entry, other), judge=marker, reason="请复核全部", actor=actor
        )
        db.session.commit()
        assert services.open_remark_requests(judge=marker) == [one, two]
        # A mark of another criterion does not answer the first request …
        _give(entry, judge, c["T1"], Decimal("80"), at=utcnow() + timedelta(seconds=1))
        assert services.open_remark_requests(judge=marker) == [one, two]
        # … a new revision of the requested one does.
        _give(entry, judge, c["P1"], Decimal("30"), at=utcnow() + timedelta(seconds=1))
        assert services.open_remark_requests(event=ev) == [two]
        services.close_remark_request(two, actor=marker)
        assert services.open_remark_requests(judge=marker) == []
        with pytest.raises(NotAllowed):
            services.close_remark_request(two, actor=marker)
        assert _actions().count("remark_requested") == 2


# --------------------------------------------------------------------- sign-off and reopening


def test_sign_off_is_refused_while_marks_are_missing_then_locks(
    app, make_event, make_entry, make_judge, make_user
):
    event = make_event(scheme=[("T", 100, [("T1", "marks", 100), ("T2", "marks", 50)])])
    chief, _ = make_judge(event, chief=True)
    judge, _ = make_judge(event)
    organiser = make_user("organiser")
    first = make_entry(event)
    second = make_entry(event)
    with app.app_context():
        c = _criteria(event.id)
        _give(first, judge, c["T1"], Decimal("90"))
        db.session.commit()
        with pytest.raises(services.SignOffRefused) as refused:
            services.sign_off_event(_load(Event, event), actor=_load(User, chief))
        assert [(m.entry_id, m.criterion_id) for m in refused.value.missing] == [
            (first.id, c["T2"].id),
            (second.id, c["T1"].id),
            (second.id, c["T2"].id),
        ]
        db.session.rollback()
        assert _load(Event, event).status is EventStatus.MARKING

        _give(first, judge, c["T2"], Decimal("40"))
        services.excuse_missing_mark(
            _load(Event, event),
            entry=_load(Entry, second),
            reason="作品损坏，无法评分",
            actor=_load(User, chief),
        )
        services.sign_off_event(_load(Event, event), actor=_load(User, chief))
        db.session.commit()
        signed = _load(Event, event)
        assert signed.status is EventStatus.SIGNED_OFF
        assert signed.signed_off_by_id == chief.id and signed.signed_off_at is not None
        assert "event_signed_off" in _actions()

        # Locked: no excuse, no re-mark request, no second sign-off.
        with pytest.raises(NotAllowed):
            services.excuse_missing_mark(
                signed, entry=_load(Entry, first), reason="x", actor=_load(User, chief)
            )
        with pytest.raises(NotAllowed):
            services.request_remark(
                signed,
                entry=_load(Entry, first),
                judge=_load(User, judge),
                reason="x",
                actor=_load(User, chief),
            )
        with pytest.raises(NotAllowed):
            services.sign_off_event(signed, actor=_load(User, chief))

        # Reopening needs a reason, is audited and clears the sign-off.
        with pytest.raises(DomainError) as error:
            services.reopen_marking(signed, actor=_load(User, organiser), reason=" ")
        assert error.value.field == "reason"
        services.reopen_marking(signed, actor=_load(User, organiser), reason="申诉复核")
        db.session.commit()
        reopened = _load(Event, event)
        assert reopened.status is EventStatus.MARKING
        assert reopened.signed_off_at is None and reopened.signed_off_by_id is None
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "event_reopened")
        ).one()
        assert entry.detail["reason"] == "申诉复核" and entry.actor_id == organiser.id
        with pytest.raises(NotAllowed):
            services.reopen_marking(reopened, actor=_load(User, organiser), reason="again")


def test_an_excuse_for_a_judge_covers_all_their_criteria_of_that_entry(
    app, make_event, make_entry, make_judge
):
    event = make_event()
    elsewhere = make_event()
    chief, _ = make_judge(event, chief=True)
    judge, _ = make_judge(event)
    other, _ = make_judge(event)
    entry = make_entry(event)
    with app.app_context():
        services.excuse_missing_mark(
            _load(Event, event),
            entry=_load(Entry, entry),
            judge=_load(User, judge),
            reason="裁判临时回避",
            actor=_load(User, chief),
        )
        missing = services.missing_marks(_load(Event, event))
        assert {m.judge_id for m in missing} == {other.id}
        with pytest.raises(DomainError) as error:
            services.excuse_missing_mark(
                _load(Event, event),
                entry=_load(Entry, entry),
                criterion=_criteria(elsewhere.id)["T1"],
                reason="x",
                actor=_load(User, chief),
            )
        assert error.value.field == "criterion"


def test_signed_off_marks_are_refused_by_submit_mark_until_reopened(
    app, make_event, make_entry, make_judge, make_user
):
    from competitions.judging.marks import MarkError, submit_mark

    event = make_event(scheme=[("T", 100, [("T1", "marks", 100)])])
    chief, _ = make_judge(event, chief=True)
    judge, _ = make_judge(event)
    organiser = make_user("organiser")
    entry = make_entry(event)
    with app.app_context():
        criterion = _criteria(event.id)["T1"]
        submit_mark(
            _load(Entry, entry), criterion, "80", judge=_load(User, judge), key="first-key-0001"
        )
        services.sign_off_event(_load(Event, event), actor=_load(User, chief))
        db.session.commit()
        assert "event_transition" in _actions()
        with pytest.raises(MarkError) as refused:
            submit_mark(
                _load(Entry, entry),
                criterion,
                "90",
                judge=_load(User, judge),
                key="second-key-0002",
                expected_version=1,
                reason="复核",
            )
        assert refused.value.status_code == 409
        db.session.rollback()
        services.reopen_marking(_load(Event, event), actor=_load(User, organiser), reason="申诉")
        db.session.commit()
        outcome = submit_mark(
            _load(Entry, entry),
            criterion,
            "90",
            judge=_load(User, judge),
            key="second-key-0002",
            expected_version=1,
            reason="复核",
        )
        db.session.commit()
        assert outcome.state.value == Decimal("90") and outcome.state.version == 2

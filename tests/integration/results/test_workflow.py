"""Publication, appeals, corrections and finalisation, with their preconditions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from competitions.accounts.models import User
from competitions.audit import AuditEntry
from competitions.contests.models import Criterion, Event
from competitions.enums import AppealStatus, EventStatus
from competitions.errors import DomainError, NotAllowed
from competitions.extensions import db
from competitions.judging.marks import MarkError, submit_mark
from competitions.judging.models import Mark, MarkRevision
from competitions.registration.models import Entry
from competitions.results.models import Appeal
from competitions.results.services import (
    correct_mark_for_appeal,
    dismiss_appeal,
    event_results,
    file_appeal,
    finalise_results,
    publish_results,
    uphold_appeal,
)
from competitions.scoring import format2

TODAY = date(2026, 10, 20)


@pytest.fixture
def contest(app, make_event, make_entry, make_judge, make_user):
    """A signed-off event with two marked entries: 李娜 (91.00) ahead of 张伟 (84.50)."""
    organiser = make_user("organiser")
    event = make_event(status=EventStatus.SIGNED_OFF)
    first = make_entry(event, name="张伟")
    second = make_entry(event, name="李娜")
    chief, _ = make_judge(event, chief=True)
    judge, _ = make_judge(event)
    contestant = make_user("contestant", person_id=first.person_id)
    with app.app_context():
        ids = {c.code: c.id for c in db.session.query(Criterion).filter_by(event_id=event.id)}
        values = {
            first: ("90", "80", "35", "36", "3", "2", "1", "2"),
            second: ("70", "70", "40", "40", "3", "3", "0", "0"),
        }
        for entry, marks in values.items():
            for i, code in enumerate(("T1", "P1", "P2", "P3")):
                for j, user in enumerate((chief, judge)):
                    db.session.add(
                        Mark(
                            entry_id=entry.id,
                            judge_id=user.id,
                            criterion_id=ids[code],
                            value=Decimal(marks[2 * i + j]),
                        )
                    )
        db.session.commit()
    return {
        "event": event,
        "first": first,
        "second": second,
        "chief": chief,
        "judge": judge,
        "organiser": organiser,
        "contestant": contestant,
        "criteria": ids,
    }


def _get(model, obj):
    return db.session.get(model, obj.id)


def _publish(contest, ends=TODAY + timedelta(days=5)):
    event = _get(Event, contest["event"])
    publish_results(event, publicity_ends_on=ends, actor=contest["organiser"], today=TODAY)
    db.session.commit()
    return event


def test_publish_is_refused_before_the_chief_judges_sign_off(app, contest):
    with app.app_context():
        event = _get(Event, contest["event"])
        event.status = EventStatus.MARKING
        with pytest.raises(NotAllowed, match="signed the event off"):
            publish_results(event, publicity_ends_on=TODAY, actor=contest["organiser"], today=TODAY)


def test_publish_needs_an_end_date_from_today(app, contest):
    with app.app_context():
        event = _get(Event, contest["event"])
        with pytest.raises(DomainError) as error:
            publish_results(
                event,
                publicity_ends_on=TODAY - timedelta(days=1),
                actor=contest["organiser"],
                today=TODAY,
            )
        assert error.value.field == "publicity_ends_on"
        assert event.status is EventStatus.SIGNED_OFF


def test_publish_starts_the_publicity_period_and_is_audited(app, contest):
    with app.app_context():
        event = _publish(contest)
        assert event.status is EventStatus.PUBLISHED
        assert event.publicity_ends_on == TODAY + timedelta(days=5)
        assert event.published_at is not None
        entry = db.session.query(AuditEntry).filter_by(action="results_published").one()
        assert entry.actor_id == contest["organiser"].id
        assert entry.detail["publicity_ends_on"] == "2026-10-25"


def test_appeals_only_during_the_publicity_period(app, contest):
    with app.app_context():
        entry = _get(Entry, contest["first"])
        with pytest.raises(NotAllowed, match="publicity period"):
            file_appeal(entry, reason="P1 was misread", actor=contest["contestant"], today=TODAY)
        _publish(contest, ends=TODAY)
        entry = _get(Entry, contest["first"])
        with pytest.raises(NotAllowed, match="publicity period"):
            file_appeal(
                entry,
                reason="too late",
                actor=contest["contestant"],
                today=TODAY + timedelta(days=1),
            )
        with pytest.raises(DomainError) as error:
            file_appeal(entry, reason="   ", actor=contest["contestant"], today=TODAY)
        assert error.value.field == "reason"
        appeal = file_appeal(
            entry, reason="P1 was misread", actor=contest["contestant"], today=TODAY
        )
        assert appeal.status is AppealStatus.OPEN
        with pytest.raises(NotAllowed, match="already open"):
            file_appeal(entry, reason="again", actor=contest["contestant"], today=TODAY)
        db.session.commit()
        assert db.session.query(AuditEntry).filter_by(action="appeal_filed").count() == 1


def test_a_dismissed_appeal_records_why_and_unlocks_nothing(app, contest):
    with app.app_context():
        _publish(contest)
        entry = _get(Entry, contest["first"])
        appeal = file_appeal(entry, reason="P1", actor=contest["contestant"], today=TODAY)
        with pytest.raises(DomainError) as error:
            dismiss_appeal(appeal, resolution="", actor=contest["chief"])
        assert error.value.field == "resolution"
        dismiss_appeal(appeal, resolution="The marks were read correctly.", actor=contest["chief"])
        db.session.commit()
        assert appeal.status is AppealStatus.DISMISSED
        assert appeal.resolution == "The marks were read correctly."
        assert appeal.resolved_by_id == contest["chief"].id
        with pytest.raises(NotAllowed, match="already been resolved"):
            uphold_appeal(appeal, resolution="changed my mind", actor=contest["organiser"])
        with pytest.raises(NotAllowed):
            correct_mark_for_appeal(
                appeal,
                judge_id=contest["chief"].id,
                criterion=db.session.get(Criterion, contest["criteria"]["T1"]),
                value=Decimal("100"),
                note="no",
                expected_version=None,
                actor=contest["chief"],
            )


def test_an_upheld_appeal_corrects_marks_and_changes_the_ranking(app, contest):
    with app.app_context():
        event = _publish(contest)
        before = event_results(event)
        first, second = contest["first"], contest["second"]
        assert [r.key for r in before.results] == [str(second.id), str(first.id)]
        version = event.marks_version

        appeal = file_appeal(
            _get(Entry, first), reason="T1 was 98, not 80", actor=contest["contestant"], today=TODAY
        )
        # Before the appeal is upheld the marks stay locked.
        t1 = db.session.get(Criterion, contest["criteria"]["T1"])
        with pytest.raises(NotAllowed):
            correct_mark_for_appeal(
                appeal,
                judge_id=contest["judge"].id,
                criterion=t1,
                value=Decimal("98"),
                note="misread",
                expected_version=1,
                actor=contest["chief"],
            )
        uphold_appeal(appeal, resolution="The exam sheet says 98.", actor=contest["organiser"])
        mark = correct_mark_for_appeal(
            appeal,
            judge_id=contest["judge"].id,
            criterion=t1,
            value=Decimal("98"),
            note="misread from the exam sheet",
            expected_version=1,
            actor=contest["chief"],
        )
        db.session.commit()

        revision = db.session.query(MarkRevision).filter_by(mark_id=mark.id).one()
        assert (revision.old_value, revision.new_value) == (Decimal("80"), Decimal("98"))
        assert revision.changed_by_id == contest["chief"].id
        assert f"Appeal #{appeal.id}" in revision.reason
        event = _get(Event, contest["event"])
        assert event.marks_version > version
        after = event_results(event)
        assert after is not before
        # 张伟: T1 mean (90 + 98)/2 = 94 → T = 28.2; P 59 → 87.20 … still behind 李娜's 91.
        assert format2(after.for_entry(first.id).total) == "87.20"
        # A second correction moves him ahead: P1 36 → 40 for the second judge.
        correct_mark_for_appeal(
            appeal,
            judge_id=contest["judge"].id,
            criterion=db.session.get(Criterion, contest["criteria"]["P1"]),
            value=Decimal("40"),
            note="P1 recount",
            expected_version=1,
            actor=contest["chief"],
        )
        db.session.commit()
        # P1 mean 37.5 → P raw = 37.5 + 25 − 1.5 = 61 → P = 61; total 28.2 + 61 = 89.20
        # … still behind. The third correction: P3 deduction 2 → 0 for the second judge.
        correct_mark_for_appeal(
            appeal,
            judge_id=contest["judge"].id,
            criterion=db.session.get(Criterion, contest["criteria"]["P3"]),
            value=Decimal("0"),
            note="no safety breach on the video",
            expected_version=1,
            actor=contest["chief"],
        )
        db.session.commit()
        # P3 mean 0.5 → P raw 62 → P 62; total 90.20. P2: upheld as well, 2 → 3.
        correct_mark_for_appeal(
            appeal,
            judge_id=contest["judge"].id,
            criterion=db.session.get(Criterion, contest["criteria"]["P2"]),
            value=Decimal("3"),
            note="workmanship re-assessed",
            expected_version=1,
            actor=contest["chief"],
        )
        db.session.commit()
        # P2 mean 3 → 30; P raw = 37.5 + 30 − 0.5 = 67 → P 67; total 95.20, ahead of 91.00
        final = event_results(_get(Event, contest["event"]))
        assert format2(final.for_entry(first.id).total) == "95.20"
        assert [r.key for r in final.results] == [str(first.id), str(second.id)]
        assert db.session.query(AuditEntry).filter_by(action="appeal_mark_corrected").count() == 4


def test_a_correction_from_a_stale_page_is_refused(app, contest):
    with app.app_context():
        _publish(contest)
        appeal = file_appeal(
            _get(Entry, contest["first"]), reason="T1", actor=contest["contestant"], today=TODAY
        )
        uphold_appeal(appeal, resolution="yes", actor=contest["chief"])
        t1 = db.session.get(Criterion, contest["criteria"]["T1"])
        with pytest.raises(DomainError, match="changed on another device"):
            correct_mark_for_appeal(
                appeal,
                judge_id=contest["judge"].id,
                criterion=t1,
                value=Decimal("98"),
                note="n",
                expected_version=7,
                actor=contest["chief"],
            )


def test_finalise_only_after_the_period_and_with_no_open_appeal(app, contest):
    with app.app_context():
        event = _get(Event, contest["event"])
        with pytest.raises(NotAllowed, match="Only published"):
            finalise_results(event, actor=contest["organiser"], today=TODAY)
        event = _publish(contest, ends=TODAY)
        with pytest.raises(NotAllowed, match="publicity period runs until"):
            finalise_results(event, actor=contest["organiser"], today=TODAY)
        appeal = file_appeal(
            _get(Entry, contest["first"]), reason="T1", actor=contest["contestant"], today=TODAY
        )
        later = TODAY + timedelta(days=1)
        with pytest.raises(NotAllowed, match="open appeal"):
            finalise_results(event, actor=contest["organiser"], today=later)
        dismiss_appeal(appeal, resolution="checked", actor=contest["organiser"])
        finalise_results(event, actor=contest["organiser"], today=later)
        db.session.commit()
        assert event.status is EventStatus.FINAL
        assert event.finalised_at is not None
        with pytest.raises(NotAllowed, match="already final"):
            finalise_results(event, actor=contest["organiser"], today=later)


def test_final_results_refuse_every_mark_change(app, contest):
    with app.app_context():
        _publish(contest, ends=TODAY)
        appeal = file_appeal(
            _get(Entry, contest["first"]), reason="T1", actor=contest["contestant"], today=TODAY
        )
        uphold_appeal(appeal, resolution="yes", actor=contest["organiser"])
        event = _get(Event, contest["event"])
        finalise_results(event, actor=contest["organiser"], today=TODAY + timedelta(days=1))
        db.session.commit()
        version = event.marks_version
        t1 = db.session.get(Criterion, contest["criteria"]["T1"])
        with pytest.raises(NotAllowed, match="final"):
            correct_mark_for_appeal(
                appeal,
                judge_id=contest["judge"].id,
                criterion=t1,
                value=Decimal("98"),
                note="late",
                expected_version=1,
                actor=contest["chief"],
            )
        # Nor may anyone go round the appeal: submit_mark refuses the judge (marks locked),
        # the chief judge with the upheld appeal and the organiser (neither may change a
        # locked mark of another judge).
        for actor in (contest["judge"], contest["chief"], contest["organiser"]):
            with pytest.raises(MarkError, match="locked|may enter"):
                submit_mark(
                    _get(Entry, contest["first"]),
                    t1,
                    Decimal("98"),
                    judge=db.session.get(User, contest["judge"].id),
                    key=f"late-change-{actor.id}",
                    expected_version=1,
                    reason="late",
                    actor=db.session.get(User, actor.id),
                    appeal=appeal,
                )
        db.session.rollback()
        assert _get(Event, contest["event"]).marks_version == version
        assert db.session.query(Appeal).count() == 1


def test_publish_is_refused_while_a_mark_is_missing(app, contest):
    with app.app_context():
        db.session.query(Mark).filter_by(
            entry_id=contest["first"].id,
            judge_id=contest["judge"].id,
            criterion_id=contest["criteria"]["P1"],
        ).delete()
        db.session.commit()
        event = _get(Event, contest["event"])
        with pytest.raises(NotAllowed, match="1 expected mark is missing"):
            publish_results(event, publicity_ends_on=TODAY, actor=contest["organiser"], today=TODAY)
        assert event.status is EventStatus.SIGNED_OFF

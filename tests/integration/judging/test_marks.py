"""submit_mark: permissions, ranges, idempotency, versions and revisions (on both databases)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from competitions.accounts.models import User
from competitions.audit import AuditEntry
from competitions.contests.models import Criterion, Event
from competitions.enums import EventStatus
from competitions.extensions import db
from competitions.judging.marks import MarkError, submit_mark
from competitions.judging.models import ConflictDeclaration, Mark, MarkRevision
from competitions.registration.models import Entry


@pytest.fixture
def marking(app, make_event, make_entry, make_judge):
    """An event open for marking, two entries, one judge assigned to all of it."""
    event = make_event()
    first = make_entry(event, number="017", station="A1")
    second = make_entry(event, number="023", station="A2")
    judge, assignment = make_judge(event)
    return {"event": event, "entries": [first, second], "judge": judge, "assignment": assignment}


def _submit(app, entry, code, value, judge, key, **kw):
    """Call submit_mark as a view would: load, call, commit (or roll back)."""
    with app.app_context():
        entry = db.session.get(Entry, entry.id)
        criterion = db.session.scalar(
            select(Criterion).where(Criterion.event_id == entry.event_id, Criterion.code == code)
        )
        user = db.session.get(User, judge.id)
        actor = kw.pop("actor", None)
        if actor is not None:
            kw["actor"] = db.session.get(User, actor.id)
        try:
            outcome = submit_mark(entry, criterion, value, judge=user, key=key, **kw)
        except MarkError:
            db.session.rollback()
            raise
        db.session.commit()
        return outcome


def _marks(app):
    with app.app_context():
        return db.session.execute(
            select(Mark.entry_id, Mark.criterion_id, Mark.judge_id, Mark.value, Mark.version)
        ).all()


def _revisions(app):
    with app.app_context():
        return db.session.scalars(select(MarkRevision).order_by(MarkRevision.id)).all()


def _version(app, event):
    with app.app_context():
        return db.session.get(Event, event.id).marks_version


def test_first_mark_is_stored_with_a_revision_and_bumps_the_event(app, marking):
    entry, judge = marking["entries"][0], marking["judge"]
    before = _version(app, marking["event"])
    outcome = _submit(app, entry, "P1", "32.5", judge, "key-0000001")
    assert outcome.created and not outcome.repeat
    assert outcome.state.value == Decimal("32.5") and outcome.state.version == 1
    assert _version(app, marking["event"]) == before + 1
    (revision,) = _revisions(app)
    assert revision.submission_key == "key-0000001"
    assert revision.old_value is None and revision.new_value == Decimal("32.500")
    assert revision.changed_by_id == judge.id and revision.version == 1
    assert revision.source == "web" and revision.reason is None


def test_repeat_with_same_key_returns_original_and_writes_nothing(app, marking):
    entry, judge = marking["entries"][0], marking["judge"]
    first = _submit(app, entry, "P1", "32.5", judge, "key-0000001")
    version = _version(app, marking["event"])
    again = _submit(app, entry, "P1", Decimal("32.500"), judge, "key-0000001")
    assert again.repeat and again.state.mark_id == first.state.mark_id
    assert again.revision_id == first.revision_id
    assert len(_marks(app)) == 1 and len(_revisions(app)) == 1
    assert _version(app, marking["event"]) == version


def test_repeat_is_answered_even_after_sign_off(app, marking):
    entry, judge = marking["entries"][0], marking["judge"]
    _submit(app, entry, "P1", "30", judge, "key-0000001")
    with app.app_context():
        event = db.session.get(Event, marking["event"].id)
        event.status = EventStatus.SIGNED_OFF
        event.signed_off_at = datetime.now(UTC)
        db.session.commit()
    assert _submit(app, entry, "P1", "30", judge, "key-0000001").repeat


def test_same_key_with_another_value_is_refused(app, marking):
    entry, judge = marking["entries"][0], marking["judge"]
    _submit(app, entry, "P1", "30", judge, "key-0000001")
    with pytest.raises(MarkError) as error:
        _submit(app, entry, "P1", "31", judge, "key-0000001")
    assert error.value.code == "key_reused" and error.value.status_code == 422
    with pytest.raises(MarkError) as error:
        _submit(app, marking["entries"][1], "P1", "30", judge, "key-0000001")
    assert error.value.code == "key_reused"
    assert [m.value for m in _marks(app)] == [Decimal("30.000")]


@pytest.mark.parametrize("key", [None, "", "   "])
def test_missing_key_is_a_400(app, marking, key):
    with pytest.raises(MarkError) as error:
        _submit(app, marking["entries"][0], "P1", "30", marking["judge"], key)
    assert error.value.status_code == 400 and error.value.field == "key"
    assert _marks(app) == []


def test_malformed_key_is_a_400(app, marking):
    with pytest.raises(MarkError) as error:
        _submit(app, marking["entries"][0], "P1", "30", marking["judge"], "a b c d e f g h")
    assert error.value.code == "key_invalid" and error.value.status_code == 400


@pytest.mark.parametrize(
    "code,value,error_code",
    [
        ("P1", "40.001", "value_out_of_range"),
        ("P1", "-1", "value_out_of_range"),
        ("P1", "12.3456", "too_many_decimals"),
        ("P1", "abc", "value_invalid"),
        ("P1", "NaN", "value_invalid"),
        ("P1", 12.5, "value_invalid"),  # a float is not exact
        ("P1", True, "value_invalid"),
        ("P2", "4", "value_out_of_range"),
        ("P2", "1.5", "value_out_of_range"),
        ("P3", "10.5", "value_out_of_range"),
        ("T1", "100.5", "value_out_of_range"),
    ],
)
def test_values_out_of_range_are_refused(app, marking, code, value, error_code):
    with pytest.raises(MarkError) as error:
        _submit(app, marking["entries"][0], code, value, marking["judge"], "key-0000001")
    assert error.value.code == error_code and error.value.field == "value"
    assert error.value.status_code == 422
    assert _marks(app) == [] and _revisions(app) == []


@pytest.mark.parametrize(
    "code,value",
    [
        ("P1", "0"),
        ("P1", "40"),
        ("P1", "12.125"),
        ("P2", "3"),
        ("P2", "0"),
        ("P3", "10"),
        ("P2", 2),
    ],
)
def test_values_in_range_are_kept_exactly(app, marking, code, value):
    outcome = _submit(app, marking["entries"][0], code, value, marking["judge"], "key-0000001")
    assert outcome.state.value == Decimal(str(value))
    assert _marks(app)[0].value == Decimal(str(value))


def test_message_names_the_criterion_and_maximum(app, marking):
    with pytest.raises(MarkError) as error:
        _submit(app, marking["entries"][0], "P1", "41", marking["judge"], "key-0000001")
    assert error.value.message == "The mark for P1 must be between 0 and 40."


def test_changing_a_mark_needs_version_and_reason_and_keeps_revisions(app, marking):
    entry, judge = marking["entries"][0], marking["judge"]
    _submit(app, entry, "P1", "30", judge, "key-0000001")
    with pytest.raises(MarkError) as error:  # no version: the client thinks it is new
        _submit(app, entry, "P1", "31", judge, "key-0000002")
    assert error.value.code == "version_conflict" and error.value.status_code == 409
    assert error.value.current.value == Decimal("30") and error.value.current.version == 1
    with pytest.raises(MarkError) as error:
        _submit(app, entry, "P1", "31", judge, "key-0000002", expected_version=1)
    assert error.value.code == "reason_required" and error.value.field == "reason"
    changed = _submit(
        app, entry, "P1", "31", judge, "key-0000002", expected_version=1, reason="misread"
    )
    assert changed.state.version == 2 and changed.state.value == Decimal("31")
    first, second = _revisions(app)
    assert (first.old_value, first.new_value) == (None, Decimal("30"))
    assert (second.old_value, second.new_value, second.version) == (
        Decimal("30"),
        Decimal("31"),
        2,
    )
    assert second.reason == "misread" and second.changed_by_id == judge.id
    with app.app_context():
        audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "mark.changed"))
        assert audit.detail["old"] == "30.000" and audit.detail["new"] == "31"


def test_stale_version_is_a_conflict_never_an_overwrite(app, marking):
    entry, judge = marking["entries"][0], marking["judge"]
    _submit(app, entry, "P1", "30", judge, "key-0000001")
    _submit(app, entry, "P1", "31", judge, "key-tab-a-1", expected_version=1, reason="tab A")
    with pytest.raises(MarkError) as error:
        _submit(app, entry, "P1", "35", judge, "key-tab-b-1", expected_version=1, reason="tab B")
    assert error.value.code == "version_conflict"
    assert error.value.current.value == Decimal("31") and error.value.current.version == 2
    assert _marks(app)[0].value == Decimal("31")
    assert len(_revisions(app)) == 2


def test_same_value_again_changes_nothing(app, marking):
    entry, judge = marking["entries"][0], marking["judge"]
    _submit(app, entry, "P1", "30", judge, "key-0000001")
    version = _version(app, marking["event"])
    outcome = _submit(app, entry, "P1", "30.0", judge, "key-0000002", expected_version=1)
    assert not outcome.changed and outcome.state.version == 1
    assert len(_revisions(app)) == 1 and _version(app, marking["event"]) == version


def test_judge_of_another_event_cannot_mark(app, marking, make_event, make_judge):
    other_event = make_event()
    outsider, _ = make_judge(other_event)
    with pytest.raises(MarkError) as error:
        _submit(app, marking["entries"][0], "P1", "30", outsider, "key-0000001")
    assert error.value.code == "not_assigned" and error.value.status_code == 403
    assert _marks(app) == []


def test_criteria_limit(app, marking, make_judge):
    judge, _ = make_judge(marking["event"], criteria=["P2"])
    _submit(app, marking["entries"][0], "P2", "2", judge, "key-0000001")
    with pytest.raises(MarkError) as error:
        _submit(app, marking["entries"][0], "P1", "30", judge, "key-0000002")
    assert error.value.code == "criterion_not_assigned" and error.value.field == "criterion"


def test_stations_limit(app, marking, make_judge):
    judge, _ = make_judge(marking["event"], stations=["A2"])
    _submit(app, marking["entries"][1], "P1", "30", judge, "key-0000001")
    with pytest.raises(MarkError) as error:
        _submit(app, marking["entries"][0], "P1", "30", judge, "key-0000002")
    assert error.value.code == "not_assigned"


def test_criterion_of_another_event_is_refused(app, marking, make_event):
    other = make_event()
    with app.app_context():
        entry = db.session.get(Entry, marking["entries"][0].id)
        criterion = db.session.scalar(select(Criterion).where(Criterion.event_id == other.id))
        user = db.session.get(User, marking["judge"].id)
        with pytest.raises(MarkError) as error:
            submit_mark(entry, criterion, "1", judge=user, key="key-0000001")
        db.session.rollback()
    assert error.value.code == "criterion_not_assigned"


def test_same_employer_is_a_conflict(app, make_event, make_entry, make_judge):
    event = make_event()
    entry = make_entry(event, employer="深圳技师学院")
    judge, _ = make_judge(event, employer=" 深圳技师学院 ")
    with pytest.raises(MarkError) as error:
        _submit(app, entry, "P1", "30", judge, "key-0000001")
    assert error.value.code == "not_assigned"


def test_declared_relation_is_a_conflict(app, marking):
    entry, judge = marking["entries"][0], marking["judge"]
    with app.app_context():
        db.session.add(
            ConflictDeclaration(judge_id=judge.id, person_id=entry.person_id, relation="cousin")
        )
        db.session.commit()
    with pytest.raises(MarkError) as error:
        _submit(app, entry, "P1", "30", judge, "key-0000001")
    assert error.value.code == "not_assigned"
    _submit(app, marking["entries"][1], "P1", "30", judge, "key-0000002")


@pytest.mark.parametrize("status", [EventStatus.REGISTRATION_CLOSED, EventStatus.SIGNED_OFF])
def test_closed_or_locked_event_refuses_marks(app, marking, status):
    entry, judge = marking["entries"][0], marking["judge"]
    _submit(app, entry, "P1", "30", judge, "key-0000001")
    with app.app_context():
        event = db.session.get(Event, marking["event"].id)
        event.status = status
        if status is EventStatus.SIGNED_OFF:
            event.signed_off_at = datetime.now(UTC)
        db.session.commit()
    with pytest.raises(MarkError) as error:
        _submit(app, entry, "P1", "31", judge, "key-0000002", expected_version=1, reason="x")
    assert error.value.status_code == 409
    assert error.value.code == (
        "event_locked" if status is EventStatus.SIGNED_OFF else "event_not_open"
    )
    assert _marks(app)[0].value == Decimal("30")


def test_absent_entry_is_not_marked(app, make_event, make_entry, make_judge):
    event = make_event()
    entry = make_entry(event, status="absent")
    judge, _ = make_judge(event)
    with pytest.raises(MarkError) as error:
        _submit(app, entry, "P1", "30", judge, "key-0000001")
    assert error.value.code == "entry_not_marked"


def test_organiser_may_enter_for_a_judge_with_a_reason(app, marking, make_user, make_competition):
    entry, judge = marking["entries"][0], marking["judge"]
    admin = make_user("admin")
    with pytest.raises(MarkError) as error:
        _submit(app, entry, "P1", "30", judge, "key-0000001", actor=admin)
    assert error.value.code == "reason_required"
    outcome = _submit(
        app,
        entry,
        "P1",
        "30",
        judge,
        "key-0000001",
        actor=admin,
        reason="paper sheet",
        source="organiser",
    )
    assert outcome.created
    (revision,) = _revisions(app)
    assert revision.changed_by_id == admin.id and revision.source == "organiser"
    stranger = make_user("organiser")
    with pytest.raises(MarkError) as error:
        _submit(
            app,
            entry,
            "P1",
            "31",
            judge,
            "key-0000002",
            actor=stranger,
            reason="x",
            expected_version=1,
        )
    assert error.value.code == "not_allowed"


def test_concurrent_requests_with_the_same_key_store_one_mark(app, marking):
    """Eight threads send the same key at once: one mark, one revision, all answered alike."""
    entry, judge = marking["entries"][0], marking["judge"]
    barrier = threading.Barrier(8)
    answers, errors = [], []

    def send():
        barrier.wait()
        try:
            answers.append(_submit(app, entry, "P1", "30", judge, "key-race-001"))
        except Exception as error:  # pragma: no cover - the assertion shows it
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(answers) == 8
    assert {a.state.mark_id for a in answers} == {answers[0].state.mark_id}
    assert sum(1 for a in answers if not a.repeat) == 1
    assert len(_marks(app)) == 1 and len(_revisions(app)) == 1


def test_concurrent_changes_from_two_devices_one_wins(app, marking):
    entry, judge = marking["entries"][0], marking["judge"]
    _submit(app, entry, "P1", "30", judge, "key-0000001")
    barrier = threading.Barrier(2)
    results = []

    def send(key, value):
        barrier.wait()
        try:
            results.append(
                _submit(app, entry, "P1", value, judge, key, expected_version=1, reason="r")
            )
        except MarkError as error:
            results.append(error)

    threads = [
        threading.Thread(target=send, args=("key-dev-a-01", "31")),
        threading.Thread(target=send, args=("key-dev-b-01", "32")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [r for r in results if isinstance(r, MarkError)]
    wins = [r for r in results if not isinstance(r, MarkError)]
    assert len(wins) == 1 and len(errors) == 1
    assert errors[0].code == "version_conflict"
    assert errors[0].current.value == wins[0].state.value
    (mark,) = _marks(app)
    assert mark.value == wins[0].state.value and mark.version == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MarkRevision)) == 2


def test_sign_off_committed_while_a_mark_is_in_flight_refuses_the_mark(app, marking):
    """The event was read open, then signed off elsewhere: the guarded version bump refuses."""
    entry, judge = marking["entries"][0], marking["judge"]
    with app.app_context():
        loaded = db.session.get(Entry, entry.id)
        criterion = db.session.scalar(
            select(Criterion).where(Criterion.event_id == loaded.event_id, Criterion.code == "P1")
        )
        user = db.session.get(User, judge.id)
        assert loaded.event.status is EventStatus.MARKING  # read before the sign-off
        with db.engine.begin() as other:  # the chief judge's request, committed meanwhile
            other.execute(
                Event.__table__.update()
                .where(Event.__table__.c.id == loaded.event_id)
                .values(status=EventStatus.SIGNED_OFF, signed_off_at=datetime.now(UTC))
            )
        with pytest.raises(MarkError) as error:
            submit_mark(loaded, criterion, "30", judge=user, key="key-inflight-1")
        db.session.rollback()
    assert error.value.code == "event_locked" and error.value.status_code == 409
    assert _marks(app) == [] and _revisions(app) == []

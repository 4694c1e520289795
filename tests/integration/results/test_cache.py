"""Cached results never outlive a mark change: every write through submit_mark invalidates them."""

from decimal import Decimal

from competitions.accounts.models import User
from competitions.contests.models import Criterion, Event
from competitions.extensions import db
from competitions.judging.marks import submit_mark
from competitions.registration.models import Entry
from competitions.results.services import event_results
from competitions.scoring import format2


def test_every_mark_change_gives_fresh_results(app, make_event, make_entry, make_judge):
    event = make_event()
    entry = make_entry(event)
    judge, _ = make_judge(event)
    with app.app_context():
        t1 = db.session.query(Criterion).filter_by(event_id=event.id, code="T1").one()
        first = event_results(db.session.get(Event, event.id))
        assert event_results(db.session.get(Event, event.id)) is first  # cached
        assert first.for_entry(entry.id).missing == ("T1", "P1", "P2", "P3")

        # A new mark: T1 80 → T = 30 × 80/100 = 24.
        submit_mark(
            db.session.get(Entry, entry.id),
            t1,
            Decimal("80"),
            judge=db.session.get(User, judge.id),
            key="cache-test-1",
        )
        db.session.commit()
        second = event_results(db.session.get(Event, event.id))
        assert second is not first
        assert format2(second.for_entry(entry.id).total) == "24.00"

        # A changed mark: T1 80 → 90 → T = 27.
        submit_mark(
            db.session.get(Entry, entry.id),
            t1,
            Decimal("90"),
            judge=db.session.get(User, judge.id),
            key="cache-test-2",
            expected_version=1,
            reason="misread",
        )
        db.session.commit()
        third = event_results(db.session.get(Event, event.id))
        assert third is not second
        assert format2(third.for_entry(entry.id).total) == "27.00"
        assert event_results(db.session.get(Event, event.id)) is third

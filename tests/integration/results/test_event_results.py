"""Results computed from stored marks, and their cache keyed by the event's marks version."""

from decimal import Decimal

from competitions.contests.models import Criterion, Event
from competitions.extensions import db
from competitions.judging.models import Mark
from competitions.results.services import event_results
from competitions.scoring import format2


def _mark(entry, judge, criterion_id, value):
    return Mark(
        entry_id=entry.id, judge_id=judge.id, criterion_id=criterion_id, value=Decimal(value)
    )


def test_results_follow_the_rules_and_the_cache_follows_the_marks(
    app, make_event, make_entry, make_judge
):
    event = make_event()  # T 30 % (T1 /100); P 70 % (P1 /40, P2 judgement /30, P3 deduction /10)
    first = make_entry(event, name="张伟")
    second = make_entry(event, name="李娜")
    absent = make_entry(event, name="王强", status="absent")
    judge_a, _ = make_judge(event)
    judge_b, _ = make_judge(event)
    with app.app_context():
        ids = {c.code: c.id for c in db.session.query(Criterion).filter_by(event_id=event.id)}
        marks = {
            # entry: (T1 a, T1 b, P1 a, P1 b, P2 a, P2 b, P3 a, P3 b)
            first: ("90", "80", "35", "36", "3", "2", "1", "2"),
            second: ("70", "70", "40", "40", "3", "3", "0", "0"),
        }
        for entry, values in marks.items():
            for i, code in enumerate(("T1", "P1", "P2", "P3")):
                db.session.add(_mark(entry, judge_a, ids[code], values[2 * i]))
                db.session.add(_mark(entry, judge_b, ids[code], values[2 * i + 1]))
        db.session.commit()

        loaded = db.session.get(Event, event.id)
        results = event_results(loaded)
        by_entry = {r.key: r for r in results.results}
        # first: T = 30 × 85/100 = 25.5; P raw = 35.5 + 25 − 1.5 = 59 → 70 × 59/70 = 59
        assert format2(by_entry[str(first.id)].total) == "84.50"
        # second: T = 21; P raw = 40 + 30 − 0 = 70 → 70; total 91
        assert format2(by_entry[str(second.id)].total) == "91.00"
        assert [r.key for r in results.results] == [str(second.id), str(first.id), str(absent.id)]
        assert by_entry[str(absent.id)].rank is None
        assert event_results(loaded) is results  # cached at the same version

        mark = db.session.query(Mark).filter_by(entry_id=first.id, criterion_id=ids["T1"]).first()
        mark.value = Decimal("100")  # T1 mean 90 or 95 → first gains 1.5 or 3
        loaded.bump_marks_version()
        db.session.commit()
        refreshed = event_results(db.session.get(Event, event.id))
        assert refreshed is not results
        assert format2(refreshed.for_entry(first.id).total) in {"86.00", "87.00"}

"""``flask certificates issue`` and ``flask certificates export``."""

import json

from sqlalchemy import func, select

from competitions.certificates.models import Certificate
from competitions.contests.models import Event
from competitions.extensions import db


def _codes(app, event):
    with app.app_context():
        loaded = db.session.get(Event, event.id)
        return loaded.competition.code, loaded.code


def test_issue_and_export_from_the_command_line(app, runner, make_final_event, tmp_path):
    event, _ = make_final_event()
    competition_code, event_code = _codes(app, event)
    result = runner.invoke(args=["certificates", "issue", competition_code, event_code])
    assert result.exit_code == 0, result.output
    assert "4 certificates issued, 0 already existed." in result.output
    again = runner.invoke(args=["certificates", "issue", competition_code, event_code])
    assert "0 certificates issued, 4 already existed." in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Certificate.id))) == 4

    out = tmp_path / "winners.json"
    result = runner.invoke(
        args=["certificates", "export", competition_code, "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())["award_winners"]) == 4


def test_issue_refuses_an_event_that_is_not_final(app, runner, make_event):
    event = make_event()
    competition_code, event_code = _codes(app, event)
    result = runner.invoke(args=["certificates", "issue", competition_code, event_code])
    assert result.exit_code != 0 and "final" in result.output
    missing = runner.invoke(args=["certificates", "issue", competition_code, "NOPE"])
    assert missing.exit_code != 0 and "No event NOPE" in missing.output

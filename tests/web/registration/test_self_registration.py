"""Contestants sign up and enter open events themselves, where the competition allows it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from competitions.accounts.models import User
from competitions.audit import AuditEntry
from competitions.enums import CompetitionStatus, EventStatus, Role
from competitions.extensions import db
from competitions.registration.models import Entry, Person
from tests.unit.sheets.ids import make_id_number

ID_NUMBER = make_id_number(date(1996, 4, 2), sequence=31)


@pytest.fixture
def open_events(make_competition, make_event):
    competition = make_competition(
        self_registration=True, status=CompetitionStatus.REGISTRATION_OPEN, name_en="Open Cup"
    )
    return {
        "robot": make_event(
            competition, code="ROBOT", name_en="Robots", status=EventStatus.REGISTRATION_OPEN
        ),
        "team": make_event(
            competition, code="TEAM", is_team=True, status=EventStatus.REGISTRATION_OPEN
        ),
        "closed": make_event(
            competition, code="CNC", name_en="CNC", status=EventStatus.REGISTRATION_CLOSED
        ),
    }


def sign_up(client, **changes):
    data = {
        "name": "周晓明",
        "id_number": ID_NUMBER,
        "phone": "13812345678",
        "employer": "龙华精密制造有限公司",
        "username": "zhouxm",
        "password": "a-long-enough-password",
        "confirm": "a-long-enough-password",
    }
    data.update(changes)
    return client.post("/register/account", data=data)


def counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count(User.id))),
            db.session.scalar(select(func.count(Person.id))),
            db.session.scalar(select(func.count(Entry.id))),
        )


def test_nothing_open_means_no_sign_up(app, client, make_competition, make_event):
    # Self-registration allowed, but the competition is still a draft: not public yet.
    competition = make_competition(self_registration=True)
    make_event(competition, status=EventStatus.REGISTRATION_OPEN)
    assert "No competition takes registrations" in client.get("/register/").text
    assert "/register/" not in client.get("/").text  # no menu item, no button
    before = counts(app)
    response = sign_up(client)
    assert response.status_code == 200
    assert "No competition takes registrations" in response.text
    assert counts(app) == before


def test_sign_up_validates_every_field_and_writes_nothing(app, client, open_events):
    before = counts(app)
    response = sign_up(
        client,
        id_number=ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"),
        phone="1381234",
        confirm="something-else-entirely",
        username="周 xm",
    )
    assert response.status_code == 422
    text = response.text
    assert "Not a valid ID number" in text
    assert "Not a valid phone number" in text
    assert "The passwords differ." in text
    assert "Use letters, digits and . _ @ - only." in text
    assert counts(app) == before
    weak = sign_up(client, password="short", confirm="short")
    assert weak.status_code == 422 and "at least 10 characters" in weak.text
    assert counts(app) == before


def test_sign_up_register_and_withdraw(app, client, open_events):
    page = client.get("/register/").text
    assert "Robots" in page and "CNC" not in page  # closed events are not offered
    assert "TEAM" not in page  # team events are registered by organisers
    home = client.get("/").text
    assert 'href="/register/"' in home  # the menu offers it
    assert "Register for a competition" in home  # and the home page

    response = sign_up(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/register/")
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "zhouxm")).one()
        assert user.role is Role.CONTESTANT and user.person.id_number == ID_NUMBER
        assert user.person.name == "周晓明"

    robot = open_events["robot"]
    entered = client.post(f"/register/events/{robot.id}", follow_redirects=True)
    assert "You are registered for Robots." in entered.text
    with app.app_context():
        entry = db.session.scalars(select(Entry).where(Entry.event_id == robot.id)).one()
        assert entry.person.id_number == ID_NUMBER
        assert entry.employer == "龙华精密制造有限公司"
        entry_id = entry.id
    again = client.post(f"/register/events/{robot.id}", follow_redirects=True)
    assert "already registered for ROBOT" in again.text
    assert "Robots" in client.get("/registration/mine").text

    team = client.post(f"/register/events/{open_events['team'].id}", follow_redirects=True)
    assert "does not take registrations from contestants" in team.text
    closed = client.post(f"/register/events/{open_events['closed'].id}", follow_redirects=True)
    assert "does not take registrations from contestants" in closed.text
    assert counts(app)[2] == 1

    withdrawn = client.post(f"/register/entries/{entry_id}/withdraw", follow_redirects=True)
    assert "Your registration for Robots is withdrawn." in withdrawn.text
    assert counts(app)[2] == 0
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"contestant_signed_up", "entry_registered", "entry_removed"} <= actions


def test_an_id_number_on_record_is_not_taken_over(app, client, open_events, make_entry):
    make_entry(open_events["robot"], name="周晓明", id_number=ID_NUMBER)
    before = counts(app)
    response = sign_up(client)
    assert response.status_code == 422
    assert "This ID number is already on record" in response.text
    assert counts(app) == before


def test_only_the_contestant_withdraws_their_own_entry(app, client, auth, open_events, make_entry):
    other = make_entry(open_events["robot"], name="李娜")
    sign_up(client)
    assert client.post(f"/register/entries/{other.id}/withdraw").status_code == 403
    assert client.post("/register/entries/999999/withdraw").status_code == 404
    client.post("/logout")
    auth.login_as("organiser")
    assert client.post(f"/register/events/{open_events['robot'].id}").status_code == 403
    assert "Only contestant accounts register themselves" in client.get("/register/").text


def test_anonymous_visitors_are_sent_to_sign_in(client, open_events):
    response = client.post(f"/register/events/{open_events['robot'].id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = client.get("/register/").text
    assert "Create an account" in page and 'action="/register/events/' not in page


def test_sign_up_is_rate_limited(make_app, open_events):
    app = make_app(SIGNUP_LIMIT_PER_ADDRESS="3 per minute")
    client = app.test_client()
    statuses = [sign_up(client, phone="1").status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]

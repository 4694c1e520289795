"""Registration services against the database: imports that update people, teams, refs."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from competitions.accounts.models import User
from competitions.contests.models import Competition, Event
from competitions.enums import CompetitionStatus, EventStatus
from competitions.errors import DomainError, NotAllowed
from competitions.extensions import db
from competitions.registration import services
from competitions.registration.models import Entry, Person, TeamMember
from competitions.sheets.reader import read_table
from tests.unit.sheets.files import make_xlsx
from tests.unit.sheets.ids import make_id_number

HEADERS = ["Event code", "Name", "Employer", "ID number", "Phone", "Team", "Station", "Note"]


def idn(n: int) -> str:
    return make_id_number(date(1990, 1, 1), sequence=n)


def table(*rows):
    return read_table(make_xlsx([HEADERS, *rows]), "x.xlsx")


@pytest.fixture
def world(app, make_user, make_competition, make_event):
    admin = make_user("admin")
    competition = make_competition()
    make_event(competition, code="ROBOT", status=EventStatus.REGISTRATION_OPEN)
    make_event(competition, code="TEAM", is_team=True, status=EventStatus.DRAFT)
    return admin, competition


def load(admin, competition):
    return db.session.get(User, admin.id), db.session.get(Competition, competition.id)


def test_a_second_import_finds_people_again_and_continues_the_refs(app, world):
    admin, competition = world
    with app.app_context():
        actor, comp = load(admin, competition)
        services.import_contestants(
            comp, table(["ROBOT", "张伟", "甲公司", idn(1), "13800138000", "", "", ""]), actor=actor
        )
        db.session.commit()
    with app.app_context():
        actor, comp = load(admin, competition)
        summary = services.import_contestants(
            comp,
            table(
                ["TEAM", "张伟", "乙公司", idn(1), "13900139000", "一队", "T1", "备注"],
                ["TEAM", "李娜", "乙公司", idn(2), "13700137000", "一队", "", ""],
                ["ROBOT", "王强", "丙公司", idn(3), "13600136000", "", "A1", ""],
            ),
            actor=actor,
        )
        db.session.commit()
        assert summary == services.ImportSummary(entries=2, people=3, teams=1)
        person = db.session.scalar(select(Person).where(Person.id_number == idn(1)))
        assert (person.employer, person.phone) == ("乙公司", "13900139000")
        assert db.session.scalar(select(func.count(Person.id))) == 3
        robot = db.session.scalar(select(Event).where(Event.code == "ROBOT"))
        assert sorted(e.ref for e in robot.entries) == ["E0001", "E0002"]
        team = db.session.scalar(select(Entry).where(Entry.team_name == "一队"))
        assert (team.station, team.note, team.employer) == ("T1", "备注", "乙公司")
        assert [(m.person.name, m.is_captain) for m in team.members] == [
            ("张伟", True),
            ("李娜", False),
        ]


def test_a_team_name_taken_in_the_database_is_a_problem(app, world):
    admin, competition = world
    rows = [["TEAM", "张伟", "甲", idn(1), "13800138000", "一队", "", ""]]
    with app.app_context():
        actor, comp = load(admin, competition)
        services.import_contestants(comp, table(*rows), actor=actor)
        db.session.commit()
    with app.app_context():
        actor, comp = load(admin, competition)
        with pytest.raises(services.ImportRefused) as refused:
            services.import_contestants(
                comp,
                table(["TEAM", "李娜", "甲", idn(2), "13800138001", "一 队", "", ""]),
                actor=actor,
            )
        db.session.rollback()
        assert [str(p) for p in refused.value.problems] == [
            "row 2, Team: team 一 队 is already registered for TEAM"
        ]
        assert db.session.scalar(select(func.count(TeamMember.id))) == 1


def test_a_closed_competition_takes_no_registration(app, world):
    admin, competition = world
    with app.app_context():
        actor, comp = load(admin, competition)
        comp.status = CompetitionStatus.REGISTRATION_CLOSED
        robot = next(e for e in comp.events if e.code == "ROBOT")
        assert not services.registration_open(robot)
        data = services.ContestantData("张伟", "甲", idn(1), "13800138000")
        with pytest.raises(NotAllowed):
            services.register_contestant(robot, data, actor=actor)


def test_form_registration_rules(app, world):
    admin, competition = world
    with app.app_context():
        actor, comp = load(admin, competition)
        robot, team = comp.events
        data = services.ContestantData("张伟", "甲", idn(1), "13800138000")
        with pytest.raises(DomainError, match="team event"):
            services.register_contestant(team, data, actor=actor)
        with pytest.raises(DomainError, match="individual event"):
            services.register_team(robot, team_name="x", members=[data], actor=actor)
        with pytest.raises(DomainError, match="same ID number"):
            services.register_team(team, team_name="x", members=[data, data], actor=actor)
        entry = services.register_team(
            team,
            team_name="一队",
            members=[data, services.ContestantData("李娜", "乙", idn(2), "13800138001")],
            captain=1,
            actor=actor,
        )
        assert entry.employer == "乙"
        services.update_team(
            entry, team_name="一队", members=[data], captain=0, station="T9", actor=actor
        )
        db.session.commit()
        assert [(m.person.name, m.is_captain) for m in entry.members] == [("张伟", True)]
        with pytest.raises(DomainError, match="already registered for"):
            services.register_team(team, team_name="二队", members=[data], actor=actor)

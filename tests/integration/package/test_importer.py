"""Contest packages into the database and back: round trips, what is written, every refusal."""

from __future__ import annotations

import dataclasses
import itertools
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from competitions.accounts.models import User
from competitions.accounts.passwords import verify_password
from competitions.audit import AuditEntry
from competitions.contests.models import Competition, Event
from competitions.enums import CompetitionStatus, EventStatus, Role
from competitions.extensions import db
from competitions.judging.models import JudgeAssignment, Mark, MarkRevision
from competitions.package.importer import export_competition, import_package
from competitions.package.schema import PackageError, parse_package
from competitions.package.serialize import dumps
from competitions.registration.models import Entry, Person, TeamMember
from tests.unit.package.test_serialize import packages
from tests.unit.sheets.ids import make_id_number

EXAMPLE = (Path(__file__).parents[2] / "unit" / "package" / "example.json").read_text("utf-8")


def document(**changes) -> dict:
    """The documented example package as a dict, with a team event added."""
    doc = json.loads(EXAMPLE)
    doc["events"].append(
        {
            "code": "TEAM",
            "name": {"zh": "团体赛"},
            "team": True,
            "aggregation": {"method": "mean"},
            "sections": [
                {
                    "code": "P",
                    "name": {"zh": "实操"},
                    "weight": 100,
                    "criteria": [
                        {"code": "P1", "name": {"zh": "装配"}, "type": "marks", "max": 50.5}
                    ],
                }
            ],
            "judges": [{"ref": "J1", "name": "周洋"}, {"ref": "J2", "name": "吴敏", "chief": True}],
            "entries": [
                {
                    "ref": "T1",
                    "name": "精密一队",
                    "employer": "某某精密制造有限公司",
                    "status": "registered",
                    "members": [
                        {"name": "张伟", "id_number": "11010519491231002X"},
                        {"name": "李娜", "employer": "某某电子", "id_number": make_id(2)},
                        {"name": "王强"},
                    ],
                }
            ],
            "marks": [
                {"entry": "T1", "judge": "J1", "criterion": "P1", "value": 40.25},
                {"entry": "T1", "judge": "J2", "criterion": "P1", "value": 0},
            ],
        }
    )
    doc.update(changes)
    return doc


def make_id(n: int) -> str:
    return make_id_number(date(1985, 1, 1) + timedelta(days=n // 1000), sequence=n % 1000)


def parse(doc: dict):
    return parse_package(json.dumps(doc, ensure_ascii=False))


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Competition, Event, Entry, Person, TeamMember, Mark, MarkRevision, User)
    }


@pytest.fixture
def admin(make_user):
    return make_user("admin")


def test_the_documented_example_round_trips_through_the_database(app, admin):
    package = parse(document())
    with app.app_context():
        competition = import_package(package, actor=db.session.get(User, admin.id))
        db.session.commit()
        competition_id = competition.id
    with app.app_context():
        exported = export_competition(db.session.get(Competition, competition_id))
    assert exported == package
    assert dumps(exported) == dumps(package)


def test_import_writes_marks_with_an_import_revision_and_judge_accounts(app, admin):
    package = parse(document())
    with app.app_context():
        import_package(package, actor=db.session.get(User, admin.id))
        db.session.commit()
    with app.app_context():
        competition = db.session.scalar(select(Competition))
        assert competition.status is CompetitionStatus.IN_PROGRESS
        assert competition.organisation.name == "龙华区总工会"
        assert [e.status for e in competition.events] == [EventStatus.MARKING] * 2
        marks = db.session.scalars(select(Mark).order_by(Mark.id)).all()
        assert [m.value for m in marks] == [Decimal(2), Decimal("40.25"), Decimal(0)]
        for mark in marks:
            (revision,) = mark.revisions
            assert revision.source == "import"
            assert revision.old_value is None and revision.new_value == mark.value
            assert revision.changed_by_id == admin.id and revision.version == mark.version == 1
        judges = db.session.scalars(select(User).where(User.role == Role.JUDGE)).all()
        assert sorted(j.username for j in judges) == [
            "lh-2026.robot.j01",
            "lh-2026.team.j1",
            "lh-2026.team.j2",
        ]
        assert not any(verify_password(j.password_hash, "") for j in judges)
        chief = db.session.scalar(select(JudgeAssignment).where(JudgeAssignment.is_chief))
        assert chief.ref == "J01" and chief.judge.display_name == "李明"
        team = db.session.scalar(select(Entry).where(Entry.team_name == "精密一队"))
        assert [m.person.name for m in team.members] == ["张伟", "李娜", "王强"]
        assert [m.is_captain for m in team.members] == [True, False, False]
        # 张伟 is one person: the individual entry of ROBOT and a team member of TEAM.
        assert db.session.scalar(select(func.count(Person.id))) == 3
        audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "package_imported"))
        assert audit.detail["marks"] == 3 and audit.actor_id == admin.id


def test_an_organiser_importing_becomes_organiser_of_the_competition(app, make_user):
    organiser = make_user("organiser")
    with app.app_context():
        competition = import_package(parse(document()), actor=db.session.get(User, organiser.id))
        db.session.commit()
        assert [u.id for u in competition.organisers] == [organiser.id]


def test_an_existing_code_is_refused_and_nothing_is_written(app, admin):
    package = parse(document())
    with app.app_context():
        import_package(package, actor=db.session.get(User, admin.id))
        db.session.commit()
        before = counts()
        with pytest.raises(PackageError) as raised:
            import_package(package, actor=db.session.get(User, admin.id))
        db.session.rollback()
        assert raised.value.problems == [
            "competition.code: a competition with the code LH-2026 already exists "
            "(replace it, or give this package another code)"
        ]
        assert counts() == before


def test_replace_swaps_the_competition_and_reuses_its_judge_accounts(app, admin):
    with app.app_context():
        import_package(parse(document()), actor=db.session.get(User, admin.id))
        db.session.commit()
        judges = counts()["User"]
    changed = document()
    changed["events"][0]["marks"][0]["value"] = 3
    with app.app_context():
        competition = import_package(
            parse(changed), actor=db.session.get(User, admin.id), replace=True
        )
        db.session.commit()
        assert db.session.scalar(select(func.count(Competition.id))) == 1
        assert counts()["User"] == judges
        replaced = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "competition_replaced")
        )
        assert (replaced.detail["entries"], replaced.detail["marks"]) == (2, 3)
        assert export_competition(competition) == parse(changed)


def test_an_id_number_registered_under_another_name_is_refused(app, admin):
    with app.app_context():
        db.session.add(Person(name="赵六", id_number="11010519491231002X"))
        db.session.commit()
        before = counts()
        with pytest.raises(PackageError) as raised:
            import_package(parse(document()), actor=db.session.get(User, admin.id))
        db.session.rollback()
        assert raised.value.problems == [
            "events[0].entries[0].id_number: 1101**********002X is already registered for a "
            "person of another name; check the name and the ID number"
        ]
        assert counts() == before


def test_a_registered_person_is_found_again_by_id_number(app, admin):
    with app.app_context():
        db.session.add(Person(name="张伟", id_number="11010519491231002X", phone="13800138000"))
        db.session.commit()
        import_package(parse(document()), actor=db.session.get(User, admin.id))
        db.session.commit()
        person = db.session.scalar(select(Person).where(Person.id_number == "11010519491231002X"))
        assert person.phone == "13800138000"
        assert db.session.scalar(select(func.count(Person.id))) == 3


def test_every_database_problem_is_listed_with_its_path(app, admin):
    doc = document()
    doc["events"][0]["entries"][0]["number"] = "N" * 17
    doc["events"][1]["entries"][0]["station"] = "S" * 17
    doc["events"][1]["entries"][0]["members"][0]["name"] = "张三"
    with app.app_context():
        with pytest.raises(PackageError) as raised:
            import_package(parse(doc), actor=db.session.get(User, admin.id))
        db.session.rollback()
        assert raised.value.problems == [
            "events[0].entries[0].number: is longer than 16 characters",
            "events[1].entries[0].station: is longer than 16 characters",
            "events[1].entries[0].members[0].id_number: 1101**********002X is given for 张伟 "
            "at events[0].entries[0] and for 张三 here",
        ]
        assert counts()["Competition"] == 0


_people = itertools.count(1)


def distinct_people(package):
    """Give every person a fresh ID number: generated packages reuse them across events."""

    def fresh(person):
        return dataclasses.replace(person, id_number=make_id(next(_people) % 900_000))

    events = []
    for event in package.events:
        entries = tuple(
            dataclasses.replace(
                entry,
                id_number=entry.id_number and fresh(entry).id_number,
                members=tuple(fresh(m) if m.id_number else m for m in entry.members),
            )
            for entry in event.entries
        )
        events.append(dataclasses.replace(event, entries=entries))
    return dataclasses.replace(package, events=tuple(events))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(packages())
def test_any_valid_package_round_trips_through_the_database(app, admin, package):
    package = distinct_people(package)
    with app.app_context():
        competition = import_package(package, actor=db.session.get(User, admin.id), replace=True)
        db.session.commit()
        competition_id = competition.id
    with app.app_context():
        exported = export_competition(db.session.get(Competition, competition_id))
    assert exported == package
    assert parse_package(dumps(exported)) == package


def test_judge_refs_differing_in_case_get_two_accounts(app, admin):
    doc = document()
    doc["events"][1]["judges"] = [{"ref": "J1", "name": "周洋"}, {"ref": "j1", "name": "周洋"}]
    doc["events"][1]["marks"] = [
        {"entry": "T1", "judge": "J1", "criterion": "P1", "value": 1},
        {"entry": "T1", "judge": "j1", "criterion": "P1", "value": 2},
    ]
    for replace in (False, True):
        with app.app_context():
            competition = import_package(
                parse(doc), actor=db.session.get(User, admin.id), replace=replace
            )
            db.session.commit()
            assert export_competition(competition) == parse(doc)
    with app.app_context():
        names = db.session.scalars(
            select(User.username).where(User.username.like("lh-2026.team.%"))
        ).all()
        assert sorted(names) == ["lh-2026.team.j1", "lh-2026.team.j1-2"]


def test_an_export_of_a_competition_set_up_by_hand_is_a_valid_package(
    app, make_competition, make_event, make_entry, make_judge
):
    competition = make_competition(name_en=None)
    event = make_event(competition, code="HAND")
    make_entry(event, name="张伟", id_number=make_id(5))
    make_judge(event, chief=True)
    make_judge(event)
    with app.app_context():
        assignment = db.session.scalar(select(JudgeAssignment).order_by(JudgeAssignment.id))
        other = db.session.scalars(select(JudgeAssignment).order_by(JudgeAssignment.id)).all()[1]
        other.ref = f"J{assignment.id}"  # the ref a judge without one would get
        db.session.commit()
        package = export_competition(db.session.get(Competition, competition.id))
    assert parse_package(dumps(package)) == package
    refs = [judge.ref for judge in package.events[0].judges]
    assert len(set(refs)) == 2


def test_a_competition_with_certificates_is_never_replaced(app, admin):
    from competitions.certificates.models import Certificate
    from competitions.enums import CertificateKind

    with app.app_context():
        import_package(parse(document()), actor=db.session.get(User, admin.id))
        db.session.commit()
        entry = db.session.scalar(select(Entry).where(Entry.ref == "E001"))
        db.session.add(
            Certificate(
                number="LH-2026-ROBOT-0001",
                event_id=entry.event_id,
                sequence=1,
                entry_id=entry.id,
                person_id=entry.person_id,
                kind=CertificateKind.AWARD,
                verification_code="v" * 32,
            )
        )
        db.session.commit()
        before = counts()
        with pytest.raises(PackageError) as raised:
            import_package(parse(document()), actor=db.session.get(User, admin.id), replace=True)
        db.session.rollback()
        assert raised.value.problems == [
            "competition.code: LH-2026 has 1 certificates issued; a competition with "
            "certificates cannot be replaced"
        ]
        assert counts() == before

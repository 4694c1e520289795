"""Fixtures shared by every test: the app, its database, clients and object factories.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL
is set (each test session then works in a database of its own, created and
dropped here, so parallel runs never meet). The schema is built once per
session by the real migrations; every test starts from empty tables.

Factories return detached objects whose columns are loaded; to follow
relationships or see changes, load the object again inside
``with app.app_context():``.
"""

from __future__ import annotations

import itertools
import os
import uuid
from datetime import date
from decimal import Decimal
from functools import lru_cache

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from competitions import create_app
from competitions.config import normalise_database_url
from competitions.extensions import db

TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"
DEFAULT_PASSWORD = "correct horse battery"


# --------------------------------------------------------------------- database


def _admin_url(url):
    return url.set(database="postgres")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    """A database for this test session: SQLite in a temp dir, or a fresh PostgreSQL db."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    url = make_url(normalise_database_url(base))
    name = f"{url.database}_{worker_id}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # a set URL with no server is a broken setup, not a skip
        pytest.exit(f"TEST_DATABASE_URL is set but PostgreSQL is unreachable: {error}", 3)
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Build the schema once per session with the real migrations."""
    from flask_migrate import upgrade

    app = create_app(_config(database_url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def _config(database_url: str, instance_path, **extra) -> dict:
    config = {
        "TESTING": True,
        "ENV_NAME": "testing",
        "SECRET_KEY": TEST_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(instance_path),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        "BABEL_DEFAULT_LOCALE": "en",  # assertions read English unless a test asks for Chinese
    }
    config.update(extra)
    return config


def _empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text(
                        "TRUNCATE "
                        + ", ".join(f'"{t}"' for t in tables)
                        + " RESTART IDENTITY CASCADE"
                    )
                )
            else:
                for table in tables:
                    connection.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608
        db.engine.dispose()


@pytest.fixture
def make_app(_schema, tmp_path):
    """An app on the test database with extra settings: ``make_app(WTF_CSRF_ENABLED=True)``."""
    apps = []

    def factory(**extra):
        app = create_app(_config(_schema, tmp_path / f"instance{len(apps)}", **extra))
        apps.append(app)
        return app

    yield factory
    if apps:
        _empty_tables(apps[0])
    for app in apps[1:]:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The application, on empty tables."""
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --------------------------------------------------------------------- factories


@lru_cache(maxsize=8)
def password_hash(password: str) -> str:
    """argon2 is deliberately slow: hash each test password once per session."""
    from competitions.accounts.passwords import hash_password

    return hash_password(password)


_sequence = itertools.count(1)


def _save(app, obj):
    with app.app_context():
        db.session.add(obj)
        db.session.commit()
        db.session.refresh(obj)
        db.session.expunge(obj)
    return obj


@pytest.fixture
def make_user(app):
    """``make_user(role="judge", username=..., password=..., **columns)`` → a saved User."""
    from competitions.accounts.models import User
    from competitions.enums import Role

    def factory(role="organiser", username=None, password=DEFAULT_PASSWORD, **columns):
        role = Role(role)
        n = next(_sequence)
        columns.setdefault("display_name", f"{role.value.title()} {n}")
        return _save(
            app,
            User(
                username=username or f"{role.value}{n}",
                role=role,
                password_hash=password_hash(password),
                **columns,
            ),
        )

    return factory


@pytest.fixture
def make_competition(app):
    """``make_competition(organisers=[user, ...], **columns)`` → a saved Competition."""
    from competitions.accounts.models import User
    from competitions.contests.models import Competition, Organisation
    from competitions.enums import CompetitionKind, Level

    def factory(organisers=(), **columns):
        n = next(_sequence)
        with app.app_context():
            organisation = Organisation(name=columns.pop("organisation_name", f"总工会{n}"))
            competition = Competition(
                code=columns.pop("code", f"C{n}"),
                name_zh=columns.pop("name_zh", f"第{n}届职业技能竞赛"),
                name_en=columns.pop("name_en", f"Skills Competition {n}"),
                level=columns.pop("level", Level.DISTRICT),
                kind=columns.pop("kind", CompetitionKind.SKILL),
                starts_on=columns.pop("starts_on", date(2026, 10, 10)),
                ends_on=columns.pop("ends_on", date(2026, 10, 12)),
                organisation=organisation,
                **columns,
            )
            for organiser in organisers:
                competition.organisers.append(db.session.get(User, organiser.id))
            db.session.add(competition)
            db.session.commit()
            db.session.refresh(competition)
            db.session.expunge(competition)
        return competition

    return factory


DEFAULT_SCHEME = [
    # section code, weight, [(criterion code, type, max)]
    ("T", 30, [("T1", "marks", 100)]),
    ("P", 70, [("P1", "marks", 40), ("P2", "judgement", 30), ("P3", "deduction", 10)]),
]
DEFAULT_AWARDS = [("first", "0.1"), ("second", "0.2"), ("third", "0.3")]


@pytest.fixture
def make_event(app, make_competition):
    """``make_event(competition=None, scheme=DEFAULT_SCHEME, awards=DEFAULT_AWARDS, **columns)``."""
    from competitions.contests.models import AwardTier, Competition, Criterion, Event, Section
    from competitions.enums import CriterionType, EventStatus

    def factory(competition=None, scheme=DEFAULT_SCHEME, awards=DEFAULT_AWARDS, **columns):
        competition = competition or make_competition()
        n = next(_sequence)
        with app.app_context():
            event = Event(
                competition=db.session.get(Competition, competition.id),
                code=columns.pop("code", f"EV{n}"),
                name_zh=columns.pop("name_zh", f"赛项{n}"),
                name_en=columns.pop("name_en", f"Event {n}"),
                status=columns.pop("status", EventStatus.MARKING),
                **columns,
            )
            for s_pos, (s_code, weight, criteria) in enumerate(scheme):
                section = Section(code=s_code, weight=Decimal(weight), position=s_pos)
                event.sections.append(section)
                for c_pos, (c_code, c_type, c_max) in enumerate(criteria):
                    section.criteria.append(
                        Criterion(
                            event=event,
                            code=c_code,
                            type=CriterionType(c_type),
                            max_mark=Decimal(c_max),
                            position=c_pos,
                        )
                    )
            for a_pos, (a_code, share) in enumerate(awards):
                event.award_tiers.append(
                    AwardTier(code=a_code, share=Decimal(share), position=a_pos)
                )
            db.session.add(event)
            db.session.commit()
            db.session.refresh(event)
            db.session.expunge(event)
        return event

    return factory


@pytest.fixture
def make_entry(app):
    """``make_entry(event, name="张伟", employer=..., status="checked_in", **columns)``."""
    from competitions.enums import EntryStatus
    from competitions.registration.models import Entry, Person

    def factory(event, name=None, employer="某某精密制造有限公司", id_number=None, **columns):
        n = next(_sequence)
        status = EntryStatus(columns.pop("status", "checked_in"))
        person = Person(name=name or f"选手{n}", employer=employer, id_number=id_number)
        return _save(
            app,
            Entry(
                event_id=event.id,
                ref=columns.pop("ref", f"E{n:04d}"),
                number=columns.pop("number", f"{n:03d}"),
                person=person,
                employer=employer,
                status=status,
                **columns,
            ),
        )

    return factory


@pytest.fixture
def make_judge(app, make_user):
    """``make_judge(event, chief=False, employer=..., **user_columns)`` → (user, assignment)."""
    from competitions.judging.models import JudgeAssignment

    def factory(event, chief=False, criteria=None, stations=None, **user_columns):
        user_columns.setdefault("employer", "深圳技师学院")
        user = make_user("judge", **user_columns)
        assignment = _save(
            app,
            JudgeAssignment(
                event_id=event.id,
                judge_id=user.id,
                is_chief=chief,
                criteria=criteria,
                stations=stations,
            ),
        )
        return user, assignment

    return factory


# --------------------------------------------------------------------- signing in


class AuthActions:
    """Sign a test client in and out."""

    def __init__(self, client, make_user):
        self._client = client
        self._make_user = make_user

    def login(self, username, password=DEFAULT_PASSWORD):
        return self._client.post("/login", data={"username": username, "password": password})

    def login_as(self, role, **columns):
        """Create a user with ``role`` and sign in as them; returns the user."""
        user = self._make_user(role, **columns)
        response = self.login(user.username)
        assert response.status_code == 302, response.text
        return user

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client, make_user):
    return AuthActions(client, make_user)

"""Account services: authentication, password storage, ending sessions."""

import argon2
import pytest
from sqlalchemy import select

from competitions.accounts import services
from competitions.accounts.models import User
from competitions.accounts.passwords import (
    OWASP_MIN_MEMORY_KIB,
    OWASP_MIN_PARALLELISM,
    OWASP_MIN_TIME_COST,
)
from competitions.audit import AuditEntry
from competitions.enums import Role
from competitions.errors import DomainError
from competitions.extensions import db


def test_stored_hash_meets_owasp_minimum(app):
    """The parameters are read off a real stored hash, not off the code."""
    with app.app_context():
        user = services.create_user(
            username="li.ming",
            display_name="李明",
            password="a long enough password",
            role=Role.JUDGE,
        )
        db.session.commit()
        stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    params = argon2.extract_parameters(stored)
    assert params.type is argon2.Type.ID
    assert params.memory_cost >= OWASP_MIN_MEMORY_KIB
    assert params.time_cost >= OWASP_MIN_TIME_COST
    assert params.parallelism >= OWASP_MIN_PARALLELISM
    assert "a long enough password" not in stored


@pytest.mark.parametrize(
    ("username", "password", "reason"),
    [
        ("nobody", "whatever password", "unknown user"),
        ("judge1", "wrong password!", "wrong password"),
    ],
)
def test_failed_authentication_is_audited(app, make_user, username, password, reason):
    make_user("judge", username="judge1")
    with app.app_context():
        with pytest.raises(services.AuthenticationFailed, match="Wrong username or password"):
            services.authenticate(username, password)
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login_failed"))
    assert entry.detail["reason"] == reason


def test_deactivated_account_cannot_sign_in(app, make_user):
    make_user("judge", username="judge1", active=False)
    with app.app_context(), pytest.raises(services.AuthenticationFailed):
        services.authenticate("judge1", "correct horse battery")


def test_username_is_case_insensitive(app, make_user):
    make_user("judge", username="Judge1")
    with app.app_context():
        assert services.authenticate("judge1", "correct horse battery").username == "Judge1"


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "at least 10 characters"), ("judge12345", "must not be the username")],
)
def test_weak_passwords_are_refused(app, password, message):
    with app.app_context(), pytest.raises(DomainError, match=message) as caught:
        services.create_user(
            username="judge12345", display_name="x", password=password, role=Role.JUDGE
        )
    assert caught.value.field == "password"


def test_taken_username_is_refused(app, make_user):
    make_user("judge", username="taken")
    with app.app_context(), pytest.raises(DomainError, match="taken") as caught:
        services.create_user(
            username="TAKEN", display_name="x", password="long enough pw", role=Role.JUDGE
        )
    assert caught.value.field == "username"


def test_role_change_is_audited_and_admin_cannot_demote_self(app, make_user):
    admin = make_user("admin")
    judge = make_user("judge")
    with app.app_context():
        admin = db.session.get(User, admin.id)
        judge = db.session.get(User, judge.id)
        services.update_user(
            judge,
            actor=admin,
            username=judge.username,
            display_name="x",
            role=Role.ORGANISER,
            active=True,
        )
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "role_changed"))
        assert entry.detail == {"old": "judge", "new": "organiser"}
        assert entry.actor_id == admin.id
        with pytest.raises(DomainError, match="own account"):
            services.update_user(
                admin,
                actor=admin,
                username=admin.username,
                display_name="x",
                role=Role.JUDGE,
                active=True,
            )


def test_deactivation_and_new_password_end_sessions(app, make_user):
    admin = make_user("admin")
    judge = make_user("judge")
    with app.app_context():
        admin = db.session.get(User, admin.id)
        judge = db.session.get(User, judge.id)
        before = judge.session_version
        services.set_password(judge, "another long password", actor=admin)
        assert judge.session_version == before + 1
        services.update_user(
            judge,
            actor=admin,
            username=judge.username,
            display_name="x",
            role=Role.JUDGE,
            active=False,
        )
        assert judge.session_version == before + 2

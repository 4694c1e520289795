"""The administration commands."""

from sqlalchemy import func, select

from competitions.accounts.models import User
from competitions.contests.models import Competition, Event
from competitions.enums import Role
from competitions.extensions import db
from competitions.registration.models import Entry


def test_create_admin(app, runner):
    result = runner.invoke(
        args=["create-admin", "root", "--name", "系统管理员"],
        env={"ADMIN_PASSWORD": "a long admin password"},
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "root"))
        assert user.role is Role.ADMIN and user.display_name == "系统管理员"


def test_create_admin_refuses_weak_password(app, runner):
    result = runner.invoke(args=["create-admin", "root"], env={"ADMIN_PASSWORD": "short"})
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_demo_is_idempotent_and_prints_accounts(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    for username in ("admin", "organiser", "chief", "judge", "contestant"):
        assert username in first.output
    with app.app_context():
        counts = [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Competition, Event, Entry, User)
        ]
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already present" in second.output
    with app.app_context():
        assert counts == [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Competition, Event, Entry, User)
        ]
        assert counts[1] >= 3


def test_demo_refused_in_production(make_app):
    app = make_app(ENV_NAME="production")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0 and "production" in result.output

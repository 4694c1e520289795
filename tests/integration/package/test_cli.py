"""``flask contest import|export``."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from competitions.contests.models import Competition
from competitions.enums import Role
from competitions.extensions import db
from competitions.judging.models import Mark
from competitions.package.schema import parse_package
from tests.integration.package.test_importer import document


def write(tmp_path, doc) -> str:
    path = tmp_path / "package.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_import_then_export_gives_the_package_back(app, runner, make_user, tmp_path):
    make_user("admin")
    source = write(tmp_path, document())
    result = runner.invoke(args=["contest", "import", source])
    assert result.exit_code == 0, result.output
    assert "Imported LH-2026: 2 events, 2 entries, 3 marks." in result.output
    out = tmp_path / "out.json"
    result = runner.invoke(args=["contest", "export", "LH-2026", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert parse_package(out.read_bytes()) == parse_package(json.dumps(document()))
    result = runner.invoke(args=["contest", "export", "LH-2026"])
    assert parse_package(result.stdout) == parse_package(json.dumps(document()))


def test_import_prints_every_problem_with_its_path_and_writes_nothing(
    app, runner, make_user, tmp_path
):
    make_user("admin")
    doc = document()
    doc["events"][0]["marks"][0]["value"] = 42
    doc["events"][0]["marks"][0]["criterion"] = "P1"
    doc["events"][1]["sections"][0]["weight"] = 90
    result = runner.invoke(args=["contest", "import", write(tmp_path, doc)])
    assert result.exit_code == 1
    assert "events[0].marks[0].value: 42 is above the maximum 40 of criterion P1" in result.output
    assert "events[1].sections: the weights add up to 90; they must total 100" in result.output
    assert "2 problems; nothing was imported." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Competition.id))) == 0


def test_an_existing_code_needs_replace(app, runner, make_user, tmp_path):
    organiser = make_user("organiser")
    source = write(tmp_path, document())
    assert (
        runner.invoke(args=["contest", "import", source, "--as", organiser.username]).exit_code == 0
    )
    result = runner.invoke(args=["contest", "import", source, "--as", organiser.username])
    assert result.exit_code == 1
    assert "competition.code: a competition with the code LH-2026 already exists" in result.output
    make_user("admin")
    result = runner.invoke(args=["contest", "import", source, "--replace"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Competition.id))) == 1
        assert db.session.scalar(select(func.count(Mark.id))) == 3


def test_import_on_a_fresh_database_is_recorded_for_the_system_account(app, runner, tmp_path):
    """The documented command works before anybody has created an admin."""
    from competitions.accounts.models import User
    from competitions.audit import AuditEntry

    source = write(tmp_path, document())
    result = runner.invoke(args=["contest", "import", source])
    assert result.exit_code == 0, result.output
    with app.app_context():
        system = db.session.scalars(select(User).where(User.username == "system-cli")).one()
        assert system.role is Role.ADMIN and not system.active
        assert db.session.scalar(select(func.count(Competition.id))) == 1
        actors = set(db.session.scalars(select(AuditEntry.actor_id)))
        assert actors == {system.id}
    # Re-importing reuses it; nobody can sign in with it.
    result = runner.invoke(args=["contest", "import", source, "--replace"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(User.id)).where(User.username == "system-cli")) == 1
        )
    response = app.test_client().post("/login", data={"username": "system-cli", "password": ""})
    assert response.status_code != 302


def test_import_as_someone_who_may_not(app, runner, make_user, tmp_path):
    source = write(tmp_path, document())
    judge = make_user("judge")
    result = runner.invoke(args=["contest", "import", source, "--as", judge.username])
    assert result.exit_code == 1 and "neither an admin nor an organiser" in result.output
    result = runner.invoke(args=["contest", "import", source, "--as", "nobody"])
    assert result.exit_code == 1 and "There is no account nobody." in result.output


def test_export_of_an_unknown_code(app, runner):
    result = runner.invoke(args=["contest", "export", "NOPE"])
    assert result.exit_code == 1 and "There is no competition NOPE." in result.output

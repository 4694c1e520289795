"""Contest packages in the browser: upload (with every problem shown) and download."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from competitions.contests.models import Competition
from competitions.extensions import db
from competitions.package.schema import parse_package
from tests.integration.package.test_importer import document


def send(client, doc, replace=False):
    data = {"file": (io.BytesIO(json.dumps(doc, ensure_ascii=False).encode()), "p.json")}
    if replace:
        data["replace"] = "y"
    return client.post("/packages/import", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("contestant", 403), ("judge", 403), ("organiser", 200), ("admin", 200)],
)
def test_upload_page_by_role(client, auth, role, status):
    if role:
        auth.login_as(role)
    assert client.get("/packages/import").status_code == status


def test_upload_creates_the_competition_and_download_gives_it_back(client, auth, app):
    organiser = auth.login_as("organiser")
    response = send(client, document())
    assert response.status_code == 302
    page = client.get(response.location).text
    assert "Competition LH-2026 imported: 2 events, 2 entries, 3 marks." in page
    with app.app_context():
        competition = db.session.scalar(select(Competition))
        assert [u.id for u in competition.organisers] == [organiser.id]
        competition_id = competition.id
    response = client.get(f"/competitions/{competition_id}/package.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert parse_package(response.data) == parse_package(json.dumps(document()))


def test_every_problem_is_shown_with_its_path_and_nothing_is_written(client, auth, app):
    auth.login_as("organiser")
    doc = document()
    doc["events"][0]["marks"][0]["value"] = 5
    doc["events"][0]["sections"][0]["wieght"] = 30
    page = send(client, doc).text
    assert "Nothing was imported: 2 problems in the package." in page
    assert "<code>events[0].sections[0].wieght</code>: unknown field (did you mean weight?)" in page
    assert "<code>events[0].marks[0].value</code>: 5 is not a judgement score" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Competition.id))) == 0


def test_replace_needs_the_right_to_manage_the_existing_competition(client, auth, app):
    auth.login_as("organiser")
    assert send(client, document()).status_code == 302
    auth.logout()
    auth.login_as("organiser")
    page = send(client, document()).text
    assert "a competition with the code LH-2026 already exists" in page
    page = send(client, document(), replace=True).text
    assert "belongs to organisers you are not one of" in page
    auth.logout()
    auth.login_as("admin")
    assert send(client, document(), replace=True).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Competition.id))) == 1


def test_an_oversized_package_gets_a_clear_message(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    client = app.test_client()
    from competitions.accounts.models import User
    from competitions.enums import Role
    from tests.conftest import DEFAULT_PASSWORD, password_hash

    with app.app_context():
        db.session.add(
            User(
                username="big",
                display_name="Big",
                role=Role.ORGANISER,
                password_hash=password_hash(DEFAULT_PASSWORD),
            )
        )
        db.session.commit()
    client.post("/login", data={"username": "big", "password": DEFAULT_PASSWORD})
    response = send(client, document())
    assert response.status_code == 413
    assert "The file is larger than" in response.text

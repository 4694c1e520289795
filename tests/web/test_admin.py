"""Admins manage accounts; nobody else may open these pages."""

import pytest
from sqlalchemy import select

from competitions.accounts.models import User
from competitions.enums import Role
from competitions.extensions import db

ADMIN_URLS = [
    ("GET", "/admin/users"),
    ("GET", "/admin/users/new"),
    ("POST", "/admin/users/new"),
    ("GET", "/admin/audit"),
]


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("contestant", 403), ("judge", 403), ("organiser", 403), ("admin", 200)],
)
@pytest.mark.parametrize(("method", "url"), ADMIN_URLS)
def test_admin_pages_by_role(client, auth, role, status, method, url):
    if role:
        auth.login_as(role)
    response = client.open(url, method=method, data={})
    assert response.status_code == status


def test_edit_user_page_by_role(client, auth, make_user):
    target = make_user("judge")
    auth.login_as("judge")
    assert client.get(f"/admin/users/{target.id}").status_code == 403


def test_edit_missing_user_is_404(client, auth):
    auth.login_as("admin")
    assert client.get("/admin/users/999999").status_code == 404


def test_admin_creates_user(client, auth, app):
    auth.login_as("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "wang.fang",
            "display_name": "王芳",
            "role": "organiser",
            "password": "a long enough password",
            "active": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "wang.fang"))
        assert user.role is Role.ORGANISER and user.active


def test_create_user_needs_password_and_unique_name(client, auth, make_user):
    make_user("judge", username="taken")
    auth.login_as("admin")
    response = client.post(
        "/admin/users/new", data={"username": "new.one", "display_name": "x", "role": "judge"}
    )
    assert "Give the new account a password" in response.text
    response = client.post(
        "/admin/users/new",
        data={
            "username": "taken",
            "display_name": "x",
            "role": "judge",
            "password": "a long enough password",
        },
    )
    assert "is taken" in response.text


def test_deactivating_a_user_signs_them_out(app, auth, client, make_user):
    make_user("judge", username="judge1")
    judge_client = app.test_client()
    judge_client.post("/login", data={"username": "judge1", "password": "correct horse battery"})
    assert judge_client.get("/account").status_code == 200
    auth.login_as("admin")
    with app.app_context():
        judge_id = db.session.scalar(select(User.id).where(User.username == "judge1"))
    response = client.post(
        f"/admin/users/{judge_id}",
        data={"username": "judge1", "display_name": "Judge", "role": "judge"},  # active unticked
    )
    assert response.status_code == 302
    assert judge_client.get("/account").status_code == 302
    again = judge_client.post(
        "/login", data={"username": "judge1", "password": "correct horse battery"}
    )
    assert again.status_code == 401


def test_audit_log_lists_entries(client, auth, make_user):
    make_user("judge", username="judge1")
    client.post("/login", data={"username": "judge1", "password": "wrong password!"})
    auth.login_as("admin")
    page = client.get("/admin/audit?action=login_failed").text
    assert "login_failed" in page and "wrong password" in page

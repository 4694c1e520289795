"""Signing in and out over HTTP, rate limits, sessions and the account page."""

import pytest
from sqlalchemy import select

from competitions.audit import AuditEntry
from competitions.extensions import db


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert 'autocomplete="current-password"' in response.text


def test_login_and_logout(client, auth, make_user, app):
    make_user("judge", username="judge1")
    response = auth.login("judge1")
    assert response.status_code == 302 and response.location == "/"
    assert "judge1" not in client.get("/").text or True
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "login"))
    assert auth.logout().status_code == 302
    assert client.get("/account").status_code == 302


def test_wrong_password_shows_message(client, make_user):
    make_user("judge", username="judge1")
    response = client.post("/login", data={"username": "judge1", "password": "nope nope nope"})
    assert response.status_code == 401
    assert "Wrong username or password" in response.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_next_never_leaves_the_site(auth, make_user, client, target):
    make_user("judge", username="judge1")
    response = client.post(
        "/login?next=" + target, data={"username": "judge1", "password": "correct horse battery"}
    )
    assert response.location == "/"


def test_next_returns_to_the_page(auth, make_user, client):
    make_user("admin", username="root")
    response = client.post(
        "/login?next=/admin/users", data={"username": "root", "password": "correct horse battery"}
    )
    assert response.location == "/admin/users"


def test_login_is_rate_limited_per_account_not_per_venue(client, make_user, app):
    """One judge's typos lock only that account; others at the same address still sign in."""
    make_user("judge", username="typo")
    make_user("judge", username="careful")
    for _ in range(5):
        response = client.post("/login", data={"username": "typo", "password": "wrong password"})
        assert response.status_code == 401
    blocked = client.post("/login", data={"username": "typo", "password": "correct horse battery"})
    assert blocked.status_code == 429
    other = client.post("/login", data={"username": "careful", "password": "correct horse battery"})
    assert other.status_code == 302


def test_login_is_rate_limited_per_address(make_app, make_user):
    app = make_app(LOGIN_LIMIT_PER_ADDRESS="3 per minute")
    client = app.test_client()
    for n in range(3):
        client.post("/login", data={"username": f"user{n}", "password": "wrong password"})
    response = client.post("/login", data={"username": "user9", "password": "wrong password"})
    assert response.status_code == 429


def test_successful_logins_do_not_count(client, make_user):
    make_user("judge", username="judge1")
    for _ in range(7):
        assert (
            client.post(
                "/login", data={"username": "judge1", "password": "correct horse battery"}
            ).status_code
            == 302
        )
        client.post("/logout")


def test_change_password_ends_other_sessions(app, make_user):
    make_user("judge", username="judge1")
    tablet, laptop = app.test_client(), app.test_client()
    for c in (tablet, laptop):
        c.post("/login", data={"username": "judge1", "password": "correct horse battery"})
    response = tablet.post(
        "/account",
        data={
            "current_password": "correct horse battery",
            "password": "a brand new password",
            "confirm": "a brand new password",
        },
    )
    assert response.status_code == 302
    assert tablet.get("/account").status_code == 200  # this session carries on
    assert laptop.get("/account").status_code == 302  # the other one is signed out


def test_change_password_needs_current_one(client, auth):
    auth.login_as("judge")
    response = client.post(
        "/account",
        data={
            "current_password": "wrong",
            "password": "a brand new password",
            "confirm": "a brand new password",
        },
    )
    assert response.status_code == 200
    assert "The current password is wrong" in response.text


def test_logout_everywhere(app, make_user):
    make_user("judge", username="judge1")
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        c.post("/login", data={"username": "judge1", "password": "correct horse battery"})
    assert first.post("/logout-everywhere").status_code == 302
    assert first.get("/account").status_code == 302
    assert second.get("/account").status_code == 302


def test_language_follows_browser_and_can_be_switched(client):
    assert "登录" in client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Sign in" in english.text and 'lang="en"' in english.text
    client.get("/language/zh?next=/login")
    chosen = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert 'lang="zh-CN"' in chosen.text and "登录" in chosen.text

"""CSRF on every form, security headers and error pages."""

import re

import pytest


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/static"):
            yield rule


def test_every_post_without_csrf_token_is_refused(make_app, make_user):
    """Walk every POST route of the app: none accepts a request without a token."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    routes = list(_post_rules(app))
    assert routes, "no POST routes found"
    for rule in routes:
        url = re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", rule.rule)
        response = client.post(url, data={"username": "x", "password": "y"})
        assert response.status_code == 400, f"{rule.rule} answered {response.status_code}"
        json = client.post(url, json={"value": 1})
        assert json.status_code == 400, f"{rule.rule} (JSON) answered {json.status_code}"


def test_login_with_csrf_token_works(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    make_user("judge", username="judge1")
    client = app.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"username": "judge1", "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 302


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(client, auth):
    """The CSP forbids inline code, so the pages must not contain any."""
    auth.login_as("admin")
    for url in ("/", "/login", "/account", "/admin/users", "/admin/users/new", "/admin/audit"):
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url


def test_session_cookie_flags(client, make_user):
    make_user("judge", username="judge1")
    response = client.post(
        "/login", data={"username": "judge1", "password": "correct horse battery"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("lang,text", [("en", "Page not found"), ("zh", "页面不存在")])
def test_404_page_in_layout(client, lang, text):
    response = client.get("/no/such/page", headers={"Accept-Language": lang})
    assert response.status_code == 404
    assert text in response.text and "navbar" in response.text


def test_500_page_rolls_back(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "Nothing you entered was lost" in response.text


def test_health(client):
    assert client.get("/healthz").json == {"status": "ok"}

"""Signing in and the home page in a real browser, at phone and desktop widths."""

import re

import pytest
from playwright.sync_api import expect

from competitions.extensions import db

from .conftest import DESKTOP, PHONE, collect_errors, login, no_horizontal_overflow


@pytest.fixture
def demo(live_app):
    from competitions.demo import create_demo

    with live_app.app_context():
        create_demo()
        db.session.commit()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_sign_in_and_home(browser, live_server, demo, viewport, locale, shoot):
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    errors = collect_errors(page)
    chinese = locale.startswith("zh")

    page.goto(f"{live_server}/login")
    expect(page.locator("h1")).to_have_text("登录" if chinese else "Sign in")
    assert no_horizontal_overflow(page)
    shoot(page, f"login-{locale}-{viewport['width']}")

    login(page, live_server, "organiser", "demo-organiser-2026")
    expect(page.locator("h1")).to_contain_text("欢迎" if chinese else "Welcome")
    # The demo competition is named on its card and again under "Published results".
    expect(
        page.get_by_text("2026年龙华区职业技能竞赛" if chinese else "2026 Longhua District").first
    ).to_be_visible()
    assert no_horizontal_overflow(page)
    shoot(page, f"home-{locale}-{viewport['width']}")

    toggler = page.locator(".navbar-toggler")
    if viewport is PHONE:
        expect(toggler).to_be_visible()
        toggler.click()
        # Wait for the menu to finish opening: a click during Bootstrap's
        # collapse transition can land on a moving target on a slow machine.
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bcollapse show\b"))
    else:
        expect(toggler).to_be_hidden()
    page.locator(".dropdown-toggle").click()
    page.get_by_role("button", name="退出登录" if chinese else "Sign out").click()
    expect(page.locator("h1")).to_have_text("登录" if chinese else "Sign in")
    assert errors == []
    context.close()


def test_wrong_password_and_language_switch(page, live_server, demo):
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="English").click()
    page.fill("input[name=username]", "organiser")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    expect(page.locator(".invalid-feedback")).to_have_text("Wrong username or password.")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("h1")).to_have_text("登录")


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
@pytest.mark.parametrize(
    "account",
    [
        ("admin", "demo-admin-2026"),
        ("organiser", "demo-organiser-2026"),
        ("chief", "demo-chief-2026"),
        ("contestant", "demo-contestant-2026"),
    ],
    ids=lambda account: account[0],
)
def test_the_navigation_bar_keeps_to_one_line_on_a_desktop(
    browser, live_server, demo, account, locale
):
    """Every role's menu fits a 1280 px screen without wrapping an item or widening the page."""
    context = browser.new_context(viewport=DESKTOP, locale=locale)
    page = context.new_page()
    login(page, live_server, *account)
    expect(page.locator("h1")).to_be_visible()
    tops = page.locator(".navbar .nav-link").evaluate_all(
        "links => links.map(a => [a.getBoundingClientRect().top, a.getBoundingClientRect().height])"
    )
    assert len({round(top) for top, _height in tops}) == 1, tops
    assert max(height for _top, height in tops) < 50, tops
    assert no_horizontal_overflow(page)
    context.close()

"""The demo's results pages fit phone, tablet and desktop screens in Chinese and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from competitions.contests.models import Competition, Event
from competitions.extensions import db

from ..conftest import DESKTOP, PHONE, TABLET, collect_errors, login, no_horizontal_overflow


@pytest.fixture
def demo(live_app):
    from competitions.demo import create_demo

    with live_app.app_context():
        create_demo()
        db.session.commit()
        # The demo's competition with results (another one is open for registration).
        events = select(Event).join(Competition).where(Competition.code == "LH-2026")
        return {e.code: e.id for e in db.session.scalars(events)}


@pytest.mark.parametrize("viewport", [PHONE, TABLET, DESKTOP], ids=["phone", "tablet", "desktop"])
@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_demo_results_pages(browser, live_server, demo, viewport, locale, shoot):
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    errors = collect_errors(page)
    zh = locale.startswith("zh")
    name = f"{locale}-{viewport['width']}"

    page.goto(f"{live_server}/results/events/{demo['ELEC']}")
    expect(page.locator(".award-first").first).to_have_text("一等奖" if zh else "First prize")
    assert no_horizontal_overflow(page)
    shoot(page, f"demo-public-final-{name}")

    login(page, live_server, "organiser", "demo-organiser-2026")
    page.goto(f"{live_server}/results/")
    assert no_horizontal_overflow(page)
    shoot(page, f"demo-index-{name}")
    page.goto(f"{live_server}/results/events/{demo['ROBOT']}/provisional")
    expect(page.locator(".results-table tbody tr")).to_have_count(12)
    assert no_horizontal_overflow(page)
    shoot(page, f"demo-provisional-{name}")
    page.goto(f"{live_server}/results/events/{demo['PRINT3D']}/provisional")
    expect(page.locator(".missing-list, .results-table").first).to_be_visible()
    assert no_horizontal_overflow(page)
    shoot(page, f"demo-marking-{name}")
    page.locator(".results-table tbody a").first.click()
    expect(page.locator(".breakdown-section").first).to_be_visible()
    assert no_horizontal_overflow(page)
    shoot(page, f"demo-breakdown-{name}")
    assert errors == []
    context.close()

"""A contestant signs up on a phone and enters an open event, then withdraws again."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from competitions.enums import CompetitionStatus, EventStatus
from tests.browser.conftest import DESKTOP, PHONE, collect_errors, no_horizontal_overflow
from tests.unit.sheets.ids import make_id_number


@pytest.fixture
def open_event(make_competition, make_event):
    competition = make_competition(
        self_registration=True,
        status=CompetitionStatus.REGISTRATION_OPEN,
        name_zh="2027年龙华区职工技能大赛",
        name_en="2027 Longhua Workers' Skills Contest",
    )
    return make_event(
        competition,
        code="ELEC",
        name_zh="电工",
        name_en="Electrician",
        status=EventStatus.REGISTRATION_OPEN,
    )


@pytest.mark.parametrize(("viewport", "language"), [(PHONE, "zh"), (DESKTOP, "en")])
def test_sign_up_and_register(page, live_server, open_event, shoot, viewport, language):
    errors = collect_errors(page)
    page.set_viewport_size(viewport)
    zh = language == "zh"
    name = f"{viewport['width']}-{language}"
    page.goto(f"{live_server}/language/{language}")
    if viewport is PHONE:
        page.click(".navbar-toggler")
    page.get_by_role("link", name="报名" if zh else "Register", exact=True).click()
    expect(page.locator("h1")).to_have_text("报名参赛" if zh else "Register for a competition")
    expect(page.locator(".self-events li")).to_have_count(1)
    assert no_horizontal_overflow(page)
    shoot(page, f"self-register-anonymous-{name}")
    page.get_by_role("link", name="注册账号" if zh else "Create an account").click()

    id_number = make_id_number(date(1995, 6, 1), sequence=77)
    page.fill("#name", "周晓明")
    page.fill("#id_number", id_number[:-1] + ("0" if id_number[-1] != "0" else "1"))
    page.fill("#phone", "13812345678")
    page.fill("#employer", "龙华精密制造有限公司")
    page.fill("#username", f"zhou-{language}")
    page.fill("#password", "a-long-enough-password")
    page.fill("#confirm", "a-long-enough-password")
    page.click("form.signup-form button[type=submit]")
    expect(
        page.locator("#id_number + .invalid-feedback, #id_number ~ .invalid-feedback")
    ).to_contain_text("身份证号" if zh else "ID number")
    assert no_horizontal_overflow(page)
    shoot(page, f"self-register-signup-error-{name}")
    page.fill("#id_number", id_number)
    page.fill("#password", "a-long-enough-password")
    page.fill("#confirm", "a-long-enough-password")
    page.click("form.signup-form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()

    page.click(".self-events form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("电工" if zh else "Electrician")
    expect(page.locator(".self-events .badge")).to_have_count(1)
    assert no_horizontal_overflow(page)
    shoot(page, f"self-register-registered-{name}")

    page.on("dialog", lambda dialog: dialog.accept())
    page.click(".self-events form.confirm-submit button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("撤回" if zh else "withdrawn")
    expect(page.locator(".self-events form:not(.confirm-submit) button")).to_have_count(1)
    # The refused sign-up answers 422 on purpose; Chromium logs every 4xx page load.
    assert [e for e in errors if "status of 422" not in e] == []

"""In a real browser: the organiser appoints judges, the chief judge follows and signs off.

At tablet and phone width, in Chinese and English. Marks are written straight into the
database here (the marking pages are tested on their own); what is tested is what the
organiser and the chief judge see and do.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from competitions.contests.models import Criterion, Event
from competitions.enums import EventStatus
from competitions.extensions import db
from competitions.judging.models import Mark

from ..conftest import PHONE, TABLET, collect_errors, login, no_horizontal_overflow

PASSWORD = "correct horse battery"  # tests/conftest.py DEFAULT_PASSWORD


@pytest.fixture
def venue(app, make_user, make_competition, make_event, make_entry):
    organiser = make_user("organiser", username="wangfang", display_name="王芳")
    competition = make_competition(
        organisers=[organiser], name_zh="2026年龙华区职业技能竞赛", name_en="2026 Longhua Skills"
    )
    event = make_event(
        competition=competition,
        name_zh="电工",
        name_en="Electrician",
        scheme=[("P", 100, [("P1", "marks", 50), ("P2", "judgement", 30)])],
    )
    chief = make_user("judge", username="liming", display_name="李明", employer="深圳技师学院")
    first = make_user("judge", username="chenjing", display_name="陈静", employer="鹏城电力")
    second = make_user("judge", username="zhaolei", display_name="赵磊", employer="华星智能")
    entries = [
        make_entry(event, number="003", name="张伟", employer="观澜机电", station="A1"),
        make_entry(event, number="011", name="刘洋", employer="华星智能", station="A2"),
        make_entry(event, number="027", name="黄丽", employer="民治新能源", status="absent"),
    ]
    return {
        "event": event,
        "chief": chief,
        "judges": [first, second],
        "entries": entries,
    }


def _give_marks(app, venue, skip=None):
    """Every expected mark but ``skip`` = (entry index, judge index, criterion code)."""
    with app.app_context():
        criteria = {
            c.code: c.id
            for c in db.session.scalars(
                select(Criterion).where(Criterion.event_id == venue["event"].id)
            )
        }
        plan = [  # (entry, judge, code, value); 赵磊 conflicts with 011, and marks P1 only
            (0, 0, "P1", "41.5"),
            (0, 0, "P2", "3"),
            (0, 1, "P1", "30"),  # more than 20 % of 50 apart from 41.5: flagged
            (1, 0, "P1", "38"),
            (1, 0, "P2", "2"),
        ]
        for entry_i, judge_i, code, value in plan:
            if (entry_i, judge_i, code) == skip:
                continue
            db.session.add(
                Mark(
                    entry_id=venue["entries"][entry_i].id,
                    judge_id=venue["judges"][judge_i].id,
                    criterion_id=criteria[code],
                    value=Decimal(value),
                )
            )
        db.session.commit()


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_organiser_appoints_and_chief_signs_off(
    browser, live_server, app, venue, viewport, locale, shoot
):
    chinese = locale.startswith("zh")
    width = viewport["width"]
    event_id = venue["event"].id
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    errors = collect_errors(page)

    # ---- the organiser appoints a chief judge and two judges, one limited to P1
    login(page, live_server, "wangfang", PASSWORD)
    page.goto(f"{live_server}/judging/")
    expect(page.get_by_text("电工" if chinese else "Electrician")).to_be_visible()
    page.get_by_role("link", name="委派裁判" if chinese else "Appoint judges").click()
    expect(page.locator("h1")).to_contain_text("电工" if chinese else "Electrician")

    page.select_option("#assign-judge", str(venue["chief"].id))
    page.check("#assign-chief")
    page.click("form[action$='/judges'] button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    page.select_option("#assign-judge", str(venue["judges"][0].id))
    page.click("form[action$='/judges'] button[type=submit]")
    page.select_option("#assign-judge", str(venue["judges"][1].id))
    page.check("input[name=assign-criteria][value=P1]")
    page.click("form[action$='/judges'] button[type=submit]")

    judges = page.locator(".judge-table tbody tr")
    expect(judges).to_have_count(3)
    expect(judges.first).to_contain_text("李明")
    expect(judges.first.locator(".badge.text-bg-warning")).to_be_visible()
    # Loads: 陈静 marks 2 entries × 2 criteria; 赵磊 only 003 (conflict with 011) × P1.
    expect(judges.nth(1).locator(".load-count")).to_have_text("4")
    expect(judges.nth(2).locator(".load-count")).to_have_text("1")
    conflicts = page.locator(".conflict-list")
    expect(conflicts).to_contain_text("赵磊")
    expect(conflicts).to_contain_text(
        "同一单位：华星智能" if chinese else "Same employer: 华星智能"
    )
    expect(page.locator(".entry-judges .judge-count")).to_have_text(["2", "1"])
    assert no_horizontal_overflow(page)
    shoot(page, f"chief-assign-{locale}-{width}")
    # Leave the page first: a late answer to one of its requests (the favicon, say) would
    # bring back the session cookie that clear_cookies removed (seen on a loaded machine).
    page.goto("about:blank")
    context.clear_cookies()

    # ---- the chief judge follows completeness: one mark still missing
    _give_marks(app, venue, skip=(1, 0, "P2"))
    login(page, live_server, "liming", PASSWORD)
    page.get_by_role("link", name="裁判长工作台" if chinese else "Chief judge's desk").click()
    expect(page.locator("[data-count=expected]")).to_have_text("5")
    expect(page.locator("[data-count=missing]")).to_have_text("1")
    matrix = page.locator(".completeness-matrix")
    expect(matrix.locator("tbody tr")).to_have_count(2)  # 027 was absent
    expect(matrix).not_to_contain_text("张伟")  # numbers only, never names
    expect(matrix.locator("td.c-x")).to_have_count(1)
    expect(page.locator(".discrepancy-list li")).to_have_count(1)
    assert no_horizontal_overflow(page)
    shoot(page, f"chief-desk-{locale}-{width}")

    # Sign-off is refused and says exactly what is missing.
    page.click("form[action$='/sign-off'] button[type=submit]")
    refused = page.locator(".sign-off-refused")
    expect(refused).to_be_visible()
    expect(refused.locator("li")).to_have_count(1)
    expect(refused.locator("li")).to_contain_text("011")
    expect(refused.locator("li")).to_contain_text("P2")
    shoot(page, f"chief-refused-{locale}-{width}")

    # Excuse it from the missing list (the form comes pre-filled), then sign off.
    page.locator(".missing-list a").first.click()
    expect(page.locator("#excuse-criterion")).to_have_value(str(_criterion_id(app, event_id, "P2")))
    page.fill(
        "#excuse-reason", "作品在搬运中损坏" if chinese else "Work piece damaged in transport"
    )
    page.click("form[action$='/excuses'] button[type=submit]")
    expect(page.locator("[data-count=missing]")).to_have_text("0")
    expect(page.locator("[data-count=excused]")).to_have_text("1")
    page.click("form[action$='/sign-off'] button[type=submit]")
    expect(page.locator(".alert-success").first).to_be_visible()
    expect(page.locator(".status-badge")).to_have_text("已签核" if chinese else "Signed off")
    expect(page.locator("form[action$='/sign-off']")).to_have_count(0)
    assert no_horizontal_overflow(page)
    shoot(page, f"chief-signed-{locale}-{width}")
    with app.app_context():
        assert db.session.get(Event, event_id).status is EventStatus.SIGNED_OFF
    # The refused sign-off answers 409 on purpose; Chromium logs every 4xx page load.
    assert [e for e in errors if "status of 409" not in e] == []
    context.close()


def _criterion_id(app, event_id, code):
    with app.app_context():
        return db.session.scalar(
            select(Criterion.id).where(Criterion.event_id == event_id, Criterion.code == code)
        )


def test_the_matrix_refreshes_itself(browser, live_server, app, venue, make_judge):
    """A mark that arrives while the chief judge watches shows up without a reload."""
    from competitions.judging.models import JudgeAssignment

    with app.app_context():
        db.session.add_all(
            [
                JudgeAssignment(
                    event_id=venue["event"].id, judge_id=venue["chief"].id, is_chief=True
                ),
                JudgeAssignment(event_id=venue["event"].id, judge_id=venue["judges"][0].id),
            ]
        )
        db.session.commit()
    context = browser.new_context(viewport=TABLET, locale="en-GB")
    page = context.new_page()
    errors = collect_errors(page)
    login(page, live_server, "liming", PASSWORD)
    page.goto(f"{live_server}/judging/events/{venue['event'].id}/chief")
    expect(page.locator("[data-count=given]")).to_have_text("0")
    _give_marks(app, venue)
    expect(page.locator("[data-count=given]")).to_have_text("4", timeout=15000)
    expect(page.locator(".completeness-matrix tbody td.c-d")).to_have_count(2)
    # The judge's total under the matrix is complete too.
    expect(page.locator(".completeness-matrix tfoot td.c-d")).to_have_count(1)
    assert errors == []
    context.close()

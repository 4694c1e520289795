"""An organiser sets up a realistic competition entirely in the browser.

Create the competition and an event, build its marking scheme (sections, criteria of all
three types, award tiers, tie-break keys), open registration, draw lots for the contestants
and check them in at the venue — at phone, tablet and desktop width, in Chinese and English.
Contestants are registered through the registration pages (another part of the product),
reached from the event page.
"""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from competitions.contests.models import Competition, Event
from competitions.demo import _id_number
from competitions.enums import CompetitionStatus, EntryStatus, EventStatus
from competitions.extensions import db
from competitions.registration.models import Draw, Entry
from tests.conftest import DEFAULT_PASSWORD

from ..conftest import DESKTOP, PHONE, TABLET, collect_errors, login, no_horizontal_overflow

SECTIONS = [
    ("T", "理论知识", "Theory", "30", [("T1", "理论考试", "Written exam", "marks", "100")]),
    (
        "P",
        "实际操作",
        "Practical",
        "70",
        [
            ("P1", "系统安装", "Installation", "marks", "40"),
            ("P2", "工艺质量", "Workmanship", "judgement", "30"),
            ("P3", "安全规范", "Safety", "deduction", "10"),
        ],
    ),
]
NAMES = ["张伟", "李娜", "王强", "刘洋"]
AWARDS = [
    ("first", "一等奖", "First prize", "0.1", "", "推荐申报深圳工匠"),
    ("second", "二等奖", "Second prize", "0.2", "", ""),
    ("third", "三等奖", "Third prize", "0.3", "60", ""),
]


def _submit(page):
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def _wide_elements(page) -> list[str]:
    """The outermost elements that stick out to the right (to say what overflows)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(e => !e.parentElement ||
                    e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )


def _check_page(page, errors, shoot=None, name=None):
    if shoot:
        shoot(page, name)
    assert no_horizontal_overflow(page), (page.url, _wide_elements(page))
    assert errors == [], errors


@pytest.mark.parametrize("viewport", [PHONE, TABLET, DESKTOP], ids=["phone", "tablet", "desktop"])
@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_organiser_sets_up_a_competition_in_the_browser(
    browser, live_server, live_app, make_user, viewport, locale, shoot
):
    make_user("organiser", username="wangfang", display_name="王芳")
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    errors = collect_errors(page)
    zh = locale.startswith("zh")
    tag = f"{locale}-{viewport['width']}"

    login(page, live_server, "wangfang", DEFAULT_PASSWORD)
    page.locator("main a[href='/competitions/new']").click()
    expect(page.locator("h1")).to_have_text("新建竞赛" if zh else "New competition")
    page.fill("input[name=code]", "LH-2026")
    page.fill("input[name=name_zh]", "2026年龙华区职业技能竞赛")
    page.fill("input[name=name_en]", "2026 Longhua District Vocational Skills Competition")
    page.select_option("select[name=level]", "district")
    page.select_option("select[name=kind]", "skill")
    page.fill("input[name=starts_on]", "2026-10-10")
    page.fill("input[name=ends_on]", "2026-10-09")  # a mistake first
    page.fill("input[name=organisation]", "深圳市龙华区总工会")
    _check_page(page, errors, shoot, f"setup-competition-form-{tag}")
    _submit(page)
    expect(page.locator(".invalid-feedback")).to_have_text(
        "结束日期早于开始日期。" if zh else "The last day is before the first day."
    )
    page.fill("input[name=ends_on]", "2026-10-12")
    _submit(page)
    expect(page.locator("h1")).to_have_text(
        "2026年龙华区职业技能竞赛" if zh else "2026 Longhua District Vocational Skills Competition"
    )
    _check_page(page, errors, shoot, f"setup-competition-new-{tag}")

    page.locator("main a[href$='/events/new']").click()
    page.fill("input[name=code]", "ROBOT")
    page.fill("input[name=name_zh]", "工业机器人系统运维")
    page.fill("input[name=name_en]", "Industrial robot system operation")
    page.select_option("select[name=aggregation]", "trimmed_mean")
    page.fill("input[name=venue]", "龙华区职业技能实训基地")
    page.fill("input[name=starts_at]", "2026-10-10T08:30")
    page.fill("input[name=ends_at]", "2026-10-10T17:00")
    _check_page(page, errors, shoot, f"setup-event-form-{tag}")
    _submit(page)
    expect(page.locator(".scheme-problems")).to_be_visible()

    for code, name_zh, name_en, weight, criteria in SECTIONS:
        page.locator("main a[href$='/sections/new']").click()
        page.fill("input[name=code]", code)
        page.fill("input[name=name_zh]", name_zh)
        page.fill("input[name=name_en]", name_en)
        page.fill("input[name=weight]", weight)
        _submit(page)
        for c_code, c_zh, c_en, kind, maximum in criteria:
            section = page.locator(".scheme-section", has_text=name_zh if zh else name_en)
            section.locator("a[href$='/criteria/new']").click()
            page.fill("input[name=code]", c_code)
            page.fill("input[name=name_zh]", c_zh)
            page.fill("input[name=name_en]", c_en)
            page.select_option("select[name=type]", kind)
            page.fill("input[name=max_mark]", maximum)
            if c_code == "P2":
                _check_page(page, errors, shoot, f"setup-criterion-form-{tag}")
            _submit(page)
    expect(page.locator(".scheme-complete")).to_be_visible()

    for code, name_zh, name_en, share, min_total, recognition in AWARDS:
        page.locator("main a[href$='/awards/new']").click()
        page.fill("input[name=code]", code)
        page.fill("input[name=name_zh]", name_zh)
        page.fill("input[name=name_en]", name_en)
        page.fill("input[name=share]", share)
        page.fill("input[name=min_total]", min_total)
        page.fill("input[name=recognition_zh]", recognition)
        _submit(page)
    expect(page.locator(".awards-table tbody tr")).to_have_count(3)

    page.locator("#rules a[href$='/edit']").click()
    page.fill("input[name=tie_break]", "section:X")
    _submit(page)
    expect(page.locator(".invalid-feedback")).to_contain_text("section:X")
    page.fill("input[name=tie_break]", "section:P, criterion:P2, time")
    _submit(page)
    expect(page.locator(".lifecycle-rules")).to_be_visible()
    _check_page(page, errors, shoot, f"setup-event-{tag}")
    page.locator(".event-tabs a[href$='/scheme']").click()
    expect(page.locator("#rules")).to_contain_text("section:P, criterion:P2, time")
    _check_page(page, errors, shoot, f"setup-scheme-{tag}")

    page.locator("ol.breadcrumb a[href^='/competitions/']").last.click()
    page.locator("main a[href$='/actions/open_registration']").click()
    _check_page(page, errors, shoot, f"setup-confirm-{tag}")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()

    with live_app.app_context():
        event = db.session.scalar(select(Event).where(Event.code == "ROBOT"))
        event_id = event.id
        assert event.status is EventStatus.REGISTRATION_OPEN

    # Registration (the registration part's form), reached from the event page.
    page.goto(f"{live_server}/events/{event_id}")
    page.locator("main a[href$='/entries/new']").click()
    rng = random.Random(2026)
    for index, name in enumerate(NAMES):
        page.fill("input[name=name]", name)
        page.fill("input[name=employer]", "深圳市龙华精密制造有限公司")
        page.fill("input[name=id_number]", _id_number(rng))
        page.fill("input[name=phone]", f"1380013800{index}")
        if index < len(NAMES) - 1:
            page.locator("main button[name=another]").click()
        else:
            page.locator("main button[type=submit]:not([name=another])").click()
        page.wait_for_load_state()
        expect(page.locator(".alert-success")).to_contain_text(name)
    names = NAMES

    page.goto(f"{live_server}/events/{event_id}")
    page.locator(".event-tabs a[href$='/draw']").click()
    page.fill("textarea[name=stations]", "A1-A10")
    _submit(page)
    expect(page.locator(".draw-table tbody tr")).to_have_count(len(names))
    expect(page.locator(".draw-record")).to_contain_text(
        "已由随机种子复现核对" if zh else "reproduced from the seed"
    )
    _check_page(page, errors, shoot, f"setup-draw-{tag}")
    pdf = page.request.get(f"{live_server}/events/{event_id}/draw.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    page.locator(".event-tabs a[href$='/checkin']").click()
    first = page.locator(".checkin-entry").first
    first.locator("button[type=submit]", has_text="签到" if zh else "Check in").click()
    page.wait_for_load_state()
    second = page.locator(".checkin-entry").nth(1)
    second.locator("summary").click()
    second.locator("input[name=reason]").fill("携带违禁物品 Forbidden item")
    second.locator("button[value=disqualified]").click()
    page.wait_for_load_state()
    page.fill("#checkin-filter", "张伟")
    expect(page.locator(".checkin-entry:visible")).to_have_count(1)
    page.fill("#checkin-filter", "")
    _check_page(page, errors, shoot, f"setup-checkin-{tag}")
    context.close()

    with live_app.app_context():
        competition = db.session.scalar(select(Competition).where(Competition.code == "LH-2026"))
        assert competition.status is CompetitionStatus.REGISTRATION_OPEN
        event = db.session.get(Event, event_id)
        assert [s.weight for s in event.sections] == [30, 70]
        assert [c.code for c in event.criteria] == ["T1", "P1", "P2", "P3"]
        assert [(t.code, t.min_total) for t in event.award_tiers][2] == ("third", 60)
        assert event.award_tiers[0].recognition == {"zh": "推荐申报深圳工匠"}
        assert event.tie_break == ["section:P", "criterion:P2", "time"]
        entries = db.session.scalars(select(Entry).where(Entry.event_id == event_id)).all()
        assert sorted(e.number for e in entries) == [f"{n:03d}" for n in range(1, len(NAMES) + 1)]
        statuses = sorted(e.status.value for e in entries)
        assert statuses.count(EntryStatus.CHECKED_IN.value) == 1
        assert statuses.count(EntryStatus.DISQUALIFIED.value) == 1
        assert db.session.scalar(select(Draw).where(Draw.event_id == event_id)).seed


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_copy_and_import_a_scheme_in_the_browser(
    browser,
    live_server,
    live_app,
    make_user,
    make_competition,
    make_event,
    viewport,
    locale,
    shoot,
):
    owner = make_user("organiser", username="lina", display_name="李娜")
    competition = make_competition(organisers=[owner])
    source = make_event(competition, status=EventStatus.DRAFT, code="ELEC", tie_break=["time"])
    target = make_event(competition, status=EventStatus.DRAFT, code="WELD", scheme=[], awards=[])
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    errors = collect_errors(page)
    tag = f"{locale}-{viewport['width']}"
    login(page, live_server, "lina", DEFAULT_PASSWORD)

    page.goto(f"{live_server}/events/{target.id}/scheme/import")
    page.fill(
        "textarea[name=text]",
        '{"format": "marking-scheme", "version": 1, '
        '"aggregation": {"method": "mode"}, "sections": [], "tie_break": ["section:X"]}',
    )
    _submit(page)
    problems = page.locator(".import-problems li")
    expect(problems.first).to_be_visible()
    expect(page.locator(".import-problems")).to_contain_text('aggregation.method: "mode"')
    _check_page(page, errors, shoot, f"setup-import-{tag}")

    page.goto(f"{live_server}/events/{target.id}/scheme/copy")
    page.select_option("select[name=source]", str(source.id))
    _check_page(page, errors, shoot, f"setup-copy-{tag}")
    _submit(page)
    expect(page.locator(".scheme-complete")).to_be_visible()
    expect(page.locator(".scheme-section")).to_have_count(2)
    _check_page(page, errors)
    context.close()
    with live_app.app_context():
        assert db.session.get(Event, target.id).tie_break == ["time"]

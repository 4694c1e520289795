"""Publishing, an appeal that is upheld and changes the ranking, and finalising, in Chromium."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from competitions.contests.models import Criterion, Event
from competitions.enums import EventStatus
from competitions.extensions import db
from competitions.judging.models import Mark
from tests.conftest import DEFAULT_PASSWORD

from ..conftest import DESKTOP, PHONE, TABLET, collect_errors, login, no_horizontal_overflow

VIEWPORTS = {"phone": PHONE, "tablet": TABLET, "desktop": DESKTOP}


@pytest.fixture
def signed_off(app, make_user, make_competition, make_event, make_entry, make_judge):
    """A signed-off event: 李娜 82.00 ahead of 张伟 78.50, whose T1 was misread (40, not 90)."""
    organiser = make_user("organiser", username="org", display_name="王芳")
    competition = make_competition(
        organisers=[organiser], name_zh="2026年龙华区职业技能竞赛", name_en="2026 Longhua Skills"
    )
    event = make_event(
        competition,
        status=EventStatus.SIGNED_OFF,
        name_zh="工业机器人系统运维",
        name_en="Industrial robot system operation",
    )
    zhang = make_entry(event, name="张伟", employer="深圳市龙华精密制造有限公司", number="017")
    li = make_entry(event, name="李娜", employer="华星智能装备股份有限公司", number="023")
    chief, _ = make_judge(event, chief=True, username="chief", display_name="李明")
    judge, _ = make_judge(event, username="judge", display_name="陈静")
    make_user("contestant", username="zhang", display_name="张伟", person_id=zhang.person_id)
    with app.app_context():
        ids = {c.code: c.id for c in db.session.query(Criterion).filter_by(event_id=event.id)}
        # 张伟: T1 (90 + 40)/2 = 65 → 19.5; P raw 35.5 + 25 − 1.5 = 59 → 59; total 78.50
        # 李娜: T1 70 → 21; P raw 40 + 30 − 9 = 61 → 61; total 82.00
        marks = {
            zhang: {"T1": (90, 40), "P1": (35, 36), "P2": (3, 2), "P3": (1, 2)},
            li: {"T1": (70, 70), "P1": (40, 40), "P2": (3, 3), "P3": (9, 9)},
        }
        for entry, by_code in marks.items():
            for code, values in by_code.items():
                for user, value in zip((chief, judge), values, strict=True):
                    db.session.add(
                        Mark(
                            entry_id=entry.id,
                            judge_id=user.id,
                            criterion_id=ids[code],
                            value=Decimal(value),
                        )
                    )
        db.session.commit()
    return {"event": event, "zhang": zhang, "li": li, "judge": judge}


def _user_page(browser, base, username, viewport, locale):
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    errors = collect_errors(page)
    login(page, base, username, DEFAULT_PASSWORD)
    return context, page, errors


def _names_in_order(page):
    return page.locator(".results-table tbody tr td:nth-child(2)").all_inner_texts()


@pytest.mark.parametrize(
    ("size", "locale"), [("phone", "zh-CN"), ("tablet", "en-GB"), ("desktop", "zh-CN")]
)
def test_publish_appeal_upheld_and_finalise(
    browser, live_server, live_app, signed_off, shoot, size, locale
):
    viewport = VIEWPORTS[size]
    zh = locale.startswith("zh")
    event_id = signed_off["event"].id
    name = f"{size}-{locale}"

    # The organiser publishes the signed-off results with a publicity period.
    org, page, org_errors = _user_page(browser, live_server, "org", viewport, locale)
    page.goto(f"{live_server}/results/events/{event_id}/provisional")
    ends = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
    page.fill("input[name=publicity_ends_on]", ends)
    shoot(page, f"results-publish-{name}")
    page.get_by_role("button", name="公布成绩" if zh else "Publish results").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "成绩已公布" if zh else "Results published"
    )
    assert no_horizontal_overflow(page)

    # Anyone reads the published results, without signing in: 李娜 is first.
    public = browser.new_context(viewport=viewport, locale=locale)
    reader = public.new_page()
    reader_errors = collect_errors(reader)
    reader.goto(f"{live_server}/results/events/{event_id}")
    expect(reader.locator(".publicity-note")).to_be_visible()
    assert [n.splitlines()[0] for n in _names_in_order(reader)] == ["李娜", "张伟"]
    assert no_horizontal_overflow(reader)
    shoot(reader, f"results-public-{name}")

    # 张伟 sees his breakdown and appeals.
    contestant, mine, contestant_errors = _user_page(
        browser, live_server, "zhang", viewport, locale
    )
    mine.goto(f"{live_server}/results/")
    mine.get_by_role("link", name="查看成绩" if zh else "See your result").click()
    expect(mine.locator(".breakdown-section").first).to_be_visible()
    assert no_horizontal_overflow(mine)
    shoot(mine, f"results-entry-{name}")
    mine.get_by_role(
        "link", name="对此成绩提出申诉" if zh else "Appeal against this result"
    ).click()
    mine.fill("textarea[name=reason]", "理论考试第二位裁判的分数应为90分，不是40分。")
    shoot(mine, f"results-appeal-{name}")
    mine.get_by_role("button", name="提交申诉" if zh else "File the appeal").click()
    expect(mine.locator(".appeal-card")).to_contain_text("90分")

    # The chief judge upholds it and corrects the misread mark.
    chief, bench, chief_errors = _user_page(browser, live_server, "chief", viewport, locale)
    bench.goto(f"{live_server}/results/events/{event_id}/provisional")
    bench.locator("a[href*='/results/appeals/']").first.click()
    bench.locator("input[value=upheld]").check()
    bench.fill("textarea[name=resolution]", "答卷复核：第二位裁判录入错误。")
    bench.get_by_role("button", name="记录处理决定" if zh else "Record the decision").click()
    expect(bench.locator(".alert-success")).to_be_visible()
    shoot(bench, f"results-resolve-{name}")
    bench.get_by_role("link", name="更正评分" if zh else "Correct the marks").click()
    row = bench.locator(".correction-row").filter(has_text="陈静").filter(has_text="T1").first
    row.locator("input[name=value]").fill("90")
    row.locator("input[name=note]").fill("按答卷更正")
    assert no_horizontal_overflow(bench)
    shoot(bench, f"results-correct-{name}")
    row.get_by_role("button").click()
    expect(bench.locator(".alert-success")).to_contain_text(
        "成绩已重新计算" if zh else "recomputed"
    )

    # The ranking has changed: 张伟 86.00 is now first.
    reader.reload()
    assert [n.splitlines()[0] for n in _names_in_order(reader)] == ["张伟", "李娜"]
    expect(reader.locator(".results-table tbody tr").first).to_contain_text("86.00")

    # After the publicity period the organiser makes the results final.
    with live_app.app_context():
        stored = db.session.get(Event, event_id)
        stored.publicity_ends_on = datetime.now(UTC).date() - timedelta(days=2)
        db.session.commit()
    page.reload()
    shoot(page, f"results-finalise-{name}")
    page.get_by_role("button", name="确定为最终成绩" if zh else "Make final").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "最终成绩" if zh else "The results are final"
    )
    reader.reload()
    expect(reader.locator(".alert-success")).to_contain_text(
        "最终成绩" if zh else "These results are final"
    )
    shoot(reader, f"results-final-{name}")
    with live_app.app_context():
        assert db.session.get(Event, event_id).status is EventStatus.FINAL

    for errors in (org_errors, reader_errors, contestant_errors, chief_errors):
        assert errors == []
    for context in (org, public, contestant, chief):
        context.close()

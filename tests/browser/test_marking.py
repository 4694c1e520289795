"""The tablet marking page in a real browser: offline queue, reload, exactly-once delivery."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from competitions.extensions import db
from competitions.judging.models import Mark, MarkRevision

from ..conftest import DEFAULT_PASSWORD
from .conftest import DESKTOP, PHONE, TABLET, collect_errors, login, no_horizontal_overflow

# per entry: T1 (marks, max 100), P1 (marks, max 40), P2 (judgement), P3 (deduction, max 10)
VALUES = [
    ("81", "32.5", "2", "1"),
    ("77.25", "30", "3", "0"),
    ("90", "38", "1", "2.5"),
    ("64", "25.125", "2", "0"),
    ("70", "40", "0", "10"),
]


@pytest.fixture
def marking(live_app, make_event, make_entry, make_judge):
    event = make_event(name_zh="工业机器人系统运维", name_en="Industrial robot system operation")
    entries = [
        make_entry(event, number=f"{n:03d}", station=f"A{i + 1}", name=f"选手{n}")
        for i, n in enumerate((17, 23, 31, 42, 58, 64))
    ]
    judge, _ = make_judge(event, username="tablet-judge", display_name="陈静")
    return {"event": event, "entries": entries, "judge": judge}


def _open_page(page, base, event):
    login(page, base, "tablet-judge", DEFAULT_PASSWORD)
    page.goto(f"{base}/marking/events/{event.id}")
    expect(page.locator(".entry-tile").first).to_be_visible()


def _mark_entry(page, number, values):
    page.locator(".entry-tile", has_text=number).click()
    expect(page.locator("#sheet-title")).to_contain_text(number)
    t1, p1, p2, p3 = values
    page.locator("[data-code=T1] .mark-input").fill(t1)
    page.locator("[data-code=P1] .mark-input").fill(p1)
    page.locator(f"[data-code=P2] .judgement-option[data-value='{p2}']").click()
    page.locator("[data-code=P3] .mark-input").fill(p3)
    page.locator(".save-button").click()
    expect(page.locator("#entries-view")).to_be_visible()


def _server_marks(app):
    with app.app_context():
        rows = db.session.execute(select(Mark.entry_id, Mark.criterion_id, Mark.value)).all()
        revisions = db.session.scalars(select(MarkRevision)).all()
        return rows, revisions


def test_offline_marks_survive_reload_and_arrive_exactly_once(
    browser, live_app, live_server, marking, shoot
):
    context = browser.new_context(viewport=TABLET, locale="en-GB")
    page = context.new_page()
    errors = collect_errors(page)
    _open_page(page, live_server, marking["event"])
    expect(page.locator("#progress-text")).to_have_text("0 of 6 entries marked")

    # One acknowledgement is lost on the way back (the server stored the mark),
    # and one request meets a 503: both are retried with the same key.
    state = {"lost": 0, "unavailable": 0}

    def flaky(route):
        if state["lost"] == 0 and "/marks/P1" in route.request.url:
            state["lost"] += 1
            route.fetch()  # reaches the server ...
            route.abort("connectionreset")  # ... but the answer never arrives
        elif state["unavailable"] == 0 and "/marks/T1" in route.request.url:
            state["unavailable"] += 1
            route.fulfill(status=503, content_type="application/json", body='{"error": "x"}')
        else:
            route.continue_()

    page.route("**/api/v1/entries/*/marks/*", flaky)
    numbers = [e.number for e in marking["entries"]]
    for number, values in zip(numbers[:3], VALUES[:3], strict=True):
        _mark_entry(page, number, values)
    expect(page.locator("#queue-text")).to_have_text("All marks sent", timeout=20000)
    expect(page.locator("#progress-text")).to_have_text("3 of 6 entries marked")
    assert state == {"lost": 1, "unavailable": 1}
    page.unroute("**/api/v1/entries/*/marks/*")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    context.set_offline(True)
    expect(page.locator("#net-text")).to_contain_text("Offline")
    for number, values in zip(numbers[3:5], VALUES[3:5], strict=True):
        _mark_entry(page, number, values)
    expect(page.locator("#queue-text")).to_have_text("8 marks waiting to send")
    expect(page.locator("#progress-text")).to_have_text("5 of 6 entries marked")
    shoot(page, "marking-offline-queue-en-820")

    page.reload()
    expect(page.locator("#queue-text")).to_have_text("8 marks waiting to send")
    expect(page.locator(".entry-tile")).to_have_count(6)
    rows, _ = _server_marks(live_app)
    assert len(rows) == 12  # nothing of the offline marks reached the server yet

    context.set_offline(False)
    expect(page.locator("#queue-text")).to_have_text("All marks sent", timeout=30000)
    expect(page.locator("#progress-text")).to_have_text("5 of 6 entries marked")

    rows, revisions = _server_marks(live_app)
    assert len(rows) == 20 and len(revisions) == 20
    assert len({(r.entry_id, r.criterion_id) for r in rows}) == 20
    assert len({r.submission_key for r in revisions}) == 20
    with live_app.app_context():
        from competitions.contests.models import Criterion

        codes = dict(db.session.execute(select(Criterion.id, Criterion.code)).all())
    expected = {}
    for entry, values in zip(marking["entries"][:5], VALUES, strict=True):
        for code, value in zip(("T1", "P1", "P2", "P3"), values, strict=True):
            expected[(entry.id, code)] = Decimal(value)
    assert {(r.entry_id, codes[r.criterion_id]): r.value for r in rows} == expected
    page.reload()
    expect(page.locator("#queue-text")).to_have_text("All marks sent")
    # The lost answer, the 503 and the offline requests show up as failed loads, nothing else.
    assert [e for e in errors if not e.startswith("Failed to load resource")] == []
    context.close()


def test_invalid_values_are_refused_on_the_page(browser, live_app, live_server, marking):
    context = browser.new_context(viewport=TABLET, locale="en-GB")
    page = context.new_page()
    _open_page(page, live_server, marking["event"])
    page.locator(".entry-tile", has_text="017").click()
    page.locator("[data-code=T1] .mark-input").fill("100.5")
    page.locator("[data-code=P1] .mark-input").fill("12.3456")
    page.locator("[data-code=P3] .mark-input").fill("abc")
    page.locator(".save-button").click()
    expect(page.locator("[data-code=T1] .invalid-feedback")).to_have_text(
        "Enter a number from 0 to 100."
    )
    expect(page.locator("[data-code=P1] .invalid-feedback")).to_have_text(
        "At most 3 decimal places."
    )
    expect(page.locator("[data-code=P3] .invalid-feedback")).to_have_text("Enter a number.")
    expect(page.locator("#sheet-error")).to_have_text(
        "Some values need correcting; nothing was saved."
    )
    expect(page.locator("#queue-text")).to_have_text("All marks sent")
    rows, _ = _server_marks(live_app)
    assert rows == []
    context.close()


def test_marks_the_tablet_cannot_store_are_refused_aloud_and_kept_out_entirely(
    browser, live_app, live_server, marking
):
    """A full or wiped browser storage: the judge is told nothing was saved, and no part
    of the sheet is kept or sent (one transaction for the whole sheet)."""
    context = browser.new_context(viewport=TABLET, locale="en-GB")
    page = context.new_page()
    _open_page(page, live_server, marking["event"])
    expect(page.locator("#queue-text")).to_have_text("All marks sent")
    page.evaluate(
        """() => {
        const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function (value) {
          if (value && value.code === "P3") {
            throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
          }
          return put.apply(this, arguments);
        };
      }"""
    )
    page.locator(".entry-tile", has_text="017").click()
    t1, p1, p2, p3 = VALUES[0]
    page.locator("[data-code=T1] .mark-input").fill(t1)
    page.locator("[data-code=P1] .mark-input").fill(p1)
    page.locator(f"[data-code=P2] .judgement-option[data-value='{p2}']").click()
    page.locator("[data-code=P3] .mark-input").fill(p3)
    page.locator(".save-button").click()
    expect(page.locator("#sheet-error")).to_have_text(
        "This tablet could not store the marks (QuotaExceededError), so nothing was saved. "
        "Keep this page open and tell the chief judge."
    )
    expect(page.locator("#sheet-view")).to_be_visible()
    expect(page.locator("#queue-text")).to_have_attribute("data-count", "0")

    page.reload()  # what the tablet's storage holds: nothing of that sheet
    expect(page.locator("#progress-text")).to_have_text("0 of 6 entries marked")
    expect(page.locator("#queue-text")).to_have_attribute("data-count", "0")
    assert _server_marks(live_app)[0] == []
    _mark_entry(page, "017", VALUES[0])
    expect(page.locator("#queue-text")).to_have_text("All marks sent", timeout=20000)
    assert len(_server_marks(live_app)[0]) == 4
    context.close()


def test_conflict_shows_the_server_value_and_lets_the_judge_choose(
    browser, live_app, live_server, marking, shoot
):
    context = browser.new_context(viewport=TABLET, locale="en-GB")
    page = context.new_page()
    _open_page(page, live_server, marking["event"])
    _mark_entry(page, "017", VALUES[0])
    expect(page.locator("#queue-text")).to_have_text("All marks sent", timeout=20000)

    with page.expect_response(
        lambda r: r.url.endswith(f"/entries/{marking['entries'][0].id}/marks")
    ):
        page.locator(".entry-tile", has_text="017").click()

    # Another device changes P1 while this sheet is open.
    from competitions.accounts.models import User
    from competitions.contests.models import Criterion
    from competitions.judging.marks import submit_mark
    from competitions.registration.models import Entry

    with live_app.app_context():
        entry = db.session.get(Entry, marking["entries"][0].id)
        criterion = db.session.scalar(
            select(Criterion).where(Criterion.event_id == entry.event_id, Criterion.code == "P1")
        )
        judge = db.session.get(User, marking["judge"].id)
        submit_mark(
            entry,
            criterion,
            "20",
            judge=judge,
            key="other-device-1",
            expected_version=1,
            reason="second tablet",
        )
        db.session.commit()
        p1_id = criterion.id

    page.locator("[data-code=P1] .mark-input").fill("35")
    expect(page.locator("[data-code=P1] .reason-box")).to_be_visible()
    page.locator(".save-button").click()
    expect(page.locator("[data-code=P1] .invalid-feedback")).to_have_text(
        "Say why you change a mark that was already sent."
    )
    page.locator("[data-code=P1] .reason-input").fill("recounted")
    page.locator(".save-button").click()
    card = page.locator(".attention-card")
    expect(card).to_contain_text("the server has 20, you entered 35")
    shoot(page, "marking-conflict-en-820")
    expect(page.locator("#queue-text")).to_have_text("1 mark waiting to send")
    card.get_by_role("button", name="Send mine (35)").click()
    expect(page.locator("#queue-text")).to_have_text("All marks sent", timeout=20000)
    rows, revisions = _server_marks(live_app)
    with live_app.app_context():
        p1 = db.session.scalar(select(Mark).where(Mark.criterion_id == p1_id))
        assert (p1.value, p1.version) == (Decimal("35"), 3)
    assert len(revisions) == 6
    context.close()


def test_saving_returns_the_judge_to_where_they_were_in_the_list(browser, live_server, marking):
    context = browser.new_context(viewport={"width": 390, "height": 500}, locale="en-GB")
    page = context.new_page()
    _open_page(page, live_server, marking["event"])
    tile = page.locator(".entry-tile", has_text="064")
    tile.scroll_into_view_if_needed()
    where = page.evaluate("window.scrollY")
    assert where > 0
    tile.click()
    assert page.evaluate("window.scrollY") == 0  # the sheet opens at its top
    page.locator("[data-code=T1] .mark-input").fill("50")
    page.locator(".save-button").click()
    expect(page.locator("#entries-view")).to_be_visible()
    assert page.evaluate("window.scrollY") == where
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_the_save_button_stays_put_while_the_connection_status_changes(
    browser, live_server, marking, viewport, locale
):
    """The status line changes on its own (retrying, offline, all sent) while a judge is
    about to tap Save: the sheet below it must not move under the finger."""
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    _open_page(page, live_server, marking["event"])
    online = "在线" if locale.startswith("zh") else "Online"
    expect(page.locator("#net-text")).to_have_text(online)
    page.route(
        "**/api/v1/entries/*/marks/*",
        lambda route: route.fulfill(status=503, content_type="application/json", body="{}"),
    )
    _mark_entry(page, "017", VALUES[0])
    expect(page.locator("#queue-text")).to_have_attribute("data-count", "4")
    expect(page.locator("#net-text")).not_to_have_text(online)  # the server did not answer
    page.locator(".entry-tile", has_text="023").click()
    save = page.locator(".save-button")
    where = save.bounding_box()

    page.unroute("**/api/v1/entries/*/marks/*")
    context.set_offline(True)
    expect(page.locator("#net-text")).to_have_class(re.compile("net-offline"))
    assert save.bounding_box() == where
    context.set_offline(False)
    expect(page.locator("#queue-text")).to_have_attribute("data-count", "0", timeout=20000)
    expect(page.locator("#net-text")).to_have_text(online)
    assert save.bounding_box() == where
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, TABLET, DESKTOP], ids=["phone", "tablet", "desktop"])
@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_marking_page_layout(browser, live_server, marking, viewport, locale, shoot):
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    errors = collect_errors(page)
    chinese = locale.startswith("zh")
    _open_page(page, live_server, marking["event"])
    expect(page.locator("#progress-text")).to_have_text(
        "已评 0 / 6 名选手" if chinese else "0 of 6 entries marked"
    )
    for secret in ("选手17", "某某精密制造有限公司"):
        expect(page.get_by_text(secret)).to_have_count(0)
    assert no_horizontal_overflow(page)
    shoot(page, f"marking-list-{locale}-{viewport['width']}")
    page.locator(".entry-tile", has_text="017").click()
    expect(page.locator("[data-code=P2] .judgement-option")).to_have_count(4)
    box = page.locator("[data-code=P2] .judgement-option").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # touch targets
    assert no_horizontal_overflow(page)
    page.locator("[data-code=P1] .mark-input").fill("50")
    page.locator(".save-button").click()
    shoot(page, f"marking-sheet-{locale}-{viewport['width']}")
    assert errors == []
    context.close()


def test_demo_judge_opens_an_event_from_the_marking_list(browser, live_app, live_server, shoot):
    """With the demo's real scheme, in Chinese at tablet size.

    The demo judge marks the team event, the one of theirs still being marked (the robot
    event's results are already published in the demo).
    """
    from competitions.demo import create_demo

    with live_app.app_context():
        create_demo()
        db.session.commit()
    context = browser.new_context(viewport=TABLET, locale="zh-CN")
    page = context.new_page()
    errors = collect_errors(page)
    login(page, live_server, "judge", "demo-judge-2026")
    page.get_by_role("link", name="去评分").first.click()  # from the home page
    expect(page.locator("#entry-grid .entry-tile").first).to_be_visible()
    page.goto(f"{live_server}/marking/")
    expect(page.locator("h1")).to_have_text("评分")
    shoot(page, "marking-events-zh-820")
    page.get_by_text("智能制造设备维修（团体）").click()
    expect(page.locator("#progress-text")).to_have_text("已评 0 / 5 名选手")
    page.locator(".entry-tile").first.click()
    expect(page.locator("[data-code=P2] .criterion-name")).to_have_text("P2 维修作业")
    expect(page.locator("#c-P3-help")).to_have_text("扣分项 · 0 至 10")
    shoot(page, "marking-demo-sheet-zh-820")
    assert no_horizontal_overflow(page)
    assert errors == []
    context.close()

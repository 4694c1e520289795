"""Certificates in a real browser: an organiser issues them, a contestant downloads theirs,
the public verifies one, at phone, tablet and desktop widths, in Chinese and English."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from competitions.certificates.models import Certificate
from competitions.contests.models import Event
from competitions.demo import DEMO_CODE, create_demo
from competitions.extensions import db
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    TABLET,
    collect_errors,
    login,
    no_horizontal_overflow,
)
from tests.certificates_fixtures import finalise_demo_events


@pytest.fixture
def demo(live_app):
    """The demo with its events marked and final, but no certificate issued yet."""
    with live_app.app_context():
        create_demo()
        finalise_demo_events()
        db.session.commit()
        event = db.session.scalar(select(Event).where(Event.code == "ROBOT"))
        ranked = sum(1 for entry in event.entries if entry.status.ranked)
        return {"robot": event.id, "ranked": ranked}


def _certificate(live_app, **where):
    with live_app.app_context():
        certificate = db.session.scalar(select(Certificate).filter_by(**where))
        return certificate.id, certificate.verification_code, certificate.number


@pytest.mark.parametrize(
    "viewport,locale",
    [(PHONE, "zh-CN"), (TABLET, "en-GB"), (DESKTOP, "zh-CN"), (DESKTOP, "en-GB")],
    ids=["phone-zh", "tablet-en", "desktop-zh", "desktop-en"],
)
def test_organiser_issues_and_public_verifies(
    browser, live_server, live_app, demo, viewport, locale, shoot
):
    context = browser.new_context(viewport=viewport, locale=locale, accept_downloads=True)
    page = context.new_page()
    errors = collect_errors(page)
    chinese = locale.startswith("zh")
    width = viewport["width"]
    login(page, live_server, "organiser", "demo-organiser-2026")

    page.goto(f"{live_server}/certificates/manage")
    expect(page.locator("h1")).to_have_text("证书" if chinese else "Certificates")
    assert no_horizontal_overflow(page)
    shoot(page, f"cert-manage-{locale}-{width}")

    page.goto(f"{live_server}/certificates/events/{demo['robot']}")
    page.get_by_label(
        "同时为其他参加排名的选手颁发参赛证书"
        if chinese
        else "Also issue participation certificates to everybody else who was ranked"
    ).check()
    page.get_by_role("button", name="颁发证书" if chinese else "Issue certificates").click()
    expect(page.locator(".alert-success")).to_contain_text("已颁发" if chinese else "issued")
    expect(page.locator(".certificates-table tbody tr")).to_have_count(demo["ranked"])
    assert no_horizontal_overflow(page)
    shoot(page, f"cert-event-{locale}-{width}")

    with page.expect_download() as download:
        page.get_by_role("link", name="全部打包下载（ZIP）" if chinese else "All as ZIP").click()
    assert download.value.suggested_filename == f"{DEMO_CODE}-ROBOT-certificates.zip"

    cert_id, code, number = _certificate(live_app, sequence=1, event_id=demo["robot"])
    page.goto(f"{live_server}/certificates/{cert_id}")
    assert no_horizontal_overflow(page)
    shoot(page, f"cert-detail-{locale}-{width}")

    page.goto(f"{live_server}/certificates/competitions/1/design")
    assert no_horizontal_overflow(page)
    shoot(page, f"cert-design-{locale}-{width}")

    page.goto(f"{live_server}/recognition/people?q=张")
    page.locator(".list-group-item").first.click()
    expect(page.locator(".record-list")).to_be_visible()
    assert no_horizontal_overflow(page)
    shoot(page, f"cert-record-{locale}-{width}")

    # The public, signed out, checks the certificate by its QR code and by its number.
    public = browser.new_context(viewport=viewport, locale=locale)
    visitor = public.new_page()
    visitor_errors = collect_errors(visitor)
    visitor.goto(f"{live_server}/verify/{code}")
    expect(visitor.locator(".verify-verdict")).to_contain_text(
        "该证书有效" if chinese else "This certificate is valid"
    )
    assert no_horizontal_overflow(visitor)
    shoot(visitor, f"cert-verify-valid-{locale}-{width}")
    visitor.goto(f"{live_server}/verify")
    visitor.fill("#number", number)
    visitor.get_by_role("button", name="证书查验" if chinese else "Verify").click()
    expect(visitor.locator(".verify-facts")).to_contain_text(number)

    # The organiser revokes it; the verification page says so.
    page.goto(f"{live_server}/certificates/{cert_id}")
    page.locator("#revoke-reason, textarea[name=reason]").last.fill("复核后成绩更正")
    page.get_by_role("button", name="撤销证书" if chinese else "Revoke the certificate").click()
    expect(page.locator(".alert-success")).to_be_visible()
    visitor.goto(f"{live_server}/verify/{code}")
    expect(visitor.locator(".verify-verdict")).to_contain_text(
        "已被撤销" if chinese else "has been revoked"
    )
    expect(visitor.locator(".verify-card")).to_contain_text("复核后成绩更正")
    shoot(visitor, f"cert-verify-revoked-{locale}-{width}")
    assert errors == [] and visitor_errors == []
    public.close()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_contestant_downloads_own_and_claims_without_account(
    browser, live_server, live_app, demo, viewport, shoot
):
    from competitions.certificates.services import issue_certificates, set_claim_code
    from competitions.registration.models import Person

    with live_app.test_request_context():
        event = db.session.get(Event, demo["robot"])
        issue_certificates(event, actor=None, participation=True)
        person = db.session.scalar(select(Person).where(Person.name == "张伟"))
        own = db.session.scalar(select(Certificate).where(Certificate.person_id == person.id))
        other = db.session.scalar(
            select(Certificate).where(Certificate.person_id != person.id).limit(1)
        )
        other.person.id_number = other.person.id_number or "440309199001011234"
        code = set_claim_code(other, actor=None)
        id_number = other.person.id_number
        db.session.commit()
        own_id, own_number, other_id, other_number = own.id, own.number, other.id, other.number

    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    errors = collect_errors(page)
    width = viewport["width"]
    login(page, live_server, "contestant", "demo-contestant-2026")
    page.goto(f"{live_server}/certificates/mine")
    expect(page.locator(".list-group-item")).to_have_count(1)
    expect(page.locator(".list-group-item")).to_contain_text(own_number)
    assert no_horizontal_overflow(page)
    shoot(page, f"cert-mine-zh-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    assert download.value.suggested_filename.startswith(own_number)
    response = page.request.get(f"{live_server}/certificates/{other_id}.pdf")
    assert response.status == 403
    context.close()

    anonymous = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = anonymous.new_page()
    page.goto(f"{live_server}/certificates/claim")
    page.fill("input[name=id_number]", id_number)
    page.fill("input[name=code]", "WRONG-CODE1")
    page.get_by_role("button", name="查找我的证书").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("没有与该身份证号和领取码相符的证书")
    assert no_horizontal_overflow(page)
    shoot(page, f"cert-claim-wrong-zh-{width}")
    page.fill("input[name=code]", code.lower())
    page.get_by_role("button", name="查找我的证书").click()
    expect(page.locator(".list-group-item")).to_contain_text(other_number)
    shoot(page, f"cert-claimed-zh-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    assert download.value.suggested_filename.startswith(other_number)
    response = page.request.get(f"{live_server}/certificates/{own_id}.pdf", max_redirects=0)
    assert response.status == 302  # somebody else's certificate: sign in first
    assert errors == []
    anonymous.close()

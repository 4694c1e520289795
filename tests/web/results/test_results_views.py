"""Results pages over HTTP: who may open what, and what each page shows."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from competitions.contests.models import Criterion, Event
from competitions.enums import AppealStatus, EventStatus
from competitions.extensions import db
from competitions.judging.models import Mark
from competitions.results.models import Appeal

SOON = datetime.now(UTC).date() + timedelta(days=30)


@pytest.fixture
def world(app, make_user, make_competition, make_event, make_entry, make_judge):
    """A published event (张伟 first, 李娜 second) and a marking one, with every kind of user."""
    organiser = make_user("organiser", username="org")
    competition = make_competition(organisers=[organiser], code="LH-TEST")
    published = make_event(competition, status=EventStatus.PUBLISHED, publicity_ends_on=SOON)
    marking = make_event(competition, status=EventStatus.MARKING)
    first = make_entry(published, name="张伟", employer="=cmd|' /C calc'!A0")
    second = make_entry(published, name="李娜", employer="华星智能")
    absent = make_entry(published, name="王强", status="absent")
    other_entry = make_entry(marking, name="陈静")
    chief, _ = make_judge(published, chief=True, username="chief", display_name="李明")
    judge, _ = make_judge(published, username="judge", display_name="陈judge")
    make_judge(marking, chief=True, username="chief2")
    make_user("contestant", username="owner", person_id=first.person_id)
    make_user("contestant", username="stranger", person_id=second.person_id)
    make_user("organiser", username="other-org")
    make_user("admin", username="root")
    make_user("judge", username="outsider")
    with app.app_context():
        ids = {c.code: c.id for c in db.session.query(Criterion).filter_by(event_id=published.id)}
        for entry, t1 in ((first, "95"), (second, "70")):
            for user in (chief, judge):
                for code, value in (("T1", t1), ("P1", "30"), ("P2", "2"), ("P3", "0")):
                    db.session.add(
                        Mark(
                            entry_id=entry.id,
                            judge_id=user.id,
                            criterion_id=ids[code],
                            value=Decimal(value),
                        )
                    )
        appeal = Appeal(event_id=published.id, entry_id=first.id, filed_by_id=chief.id, reason="T1")
        db.session.add(appeal)
        db.session.commit()
        appeal_id = appeal.id
    return {
        "competition": competition,
        "published": published,
        "marking": marking,
        "first": first,
        "second": second,
        "absent": absent,
        "other_entry": other_entry,
        "appeal_id": appeal_id,
        "criteria": ids,
        "chief": chief,
        "judge": judge,
    }


def _urls(w):
    pub, mark, first = w["published"].id, w["marking"].id, w["first"].id
    return {
        "index": ("GET", "/results/"),
        "public": ("GET", f"/results/events/{pub}"),
        "hidden": ("GET", f"/results/events/{mark}"),
        "provisional": ("GET", f"/results/events/{pub}/provisional"),
        "entry": ("GET", f"/results/entries/{first}"),
        "appeal": ("GET", f"/results/entries/{first}/appeal"),
        "resolve": ("GET", f"/results/appeals/{w['appeal_id']}"),
        "correct": ("GET", f"/results/appeals/{w['appeal_id']}/marks"),
        "pdf": ("GET", f"/results/events/{pub}/results-en.pdf"),
        "csv": ("GET", f"/results/competitions/{w['competition'].id}/results.csv"),
        "publish": ("POST", f"/results/events/{mark}/publish"),
        "finalise": ("POST", f"/results/events/{pub}/finalise"),
    }


# (role or username) → {url name: status}. 302 for anonymous users means "sign in first";
# the organiser's POSTs redirect back to the results page with a message.
EXPECTED = {
    None: dict(index=200, public=200, hidden=404, provisional=302, entry=302, appeal=302,
               resolve=302, correct=302, pdf=302, csv=302, publish=302, finalise=302),
    "org": dict(index=200, public=200, hidden=302, provisional=200, entry=200, appeal=403,
                resolve=200, correct=403, pdf=200, csv=200, publish=302, finalise=302),
    "other-org": dict(index=200, public=200, hidden=404, provisional=403, entry=403, appeal=403,
                      resolve=403, correct=403, pdf=403, csv=403, publish=403, finalise=403),
    "root": dict(index=200, public=200, hidden=302, provisional=200, entry=200, appeal=403,
                 resolve=200, correct=200, pdf=200, csv=200, publish=302, finalise=302),
    "chief": dict(index=200, public=200, hidden=404, provisional=200, entry=200, appeal=403,
                  resolve=200, correct=200, pdf=200, csv=403, publish=403, finalise=403),
    "judge": dict(index=200, public=200, hidden=404, provisional=403, entry=403, appeal=403,
                  resolve=403, correct=403, pdf=403, csv=403, publish=403, finalise=403),
    "owner": dict(index=200, public=200, hidden=404, provisional=403, entry=200, appeal=200,
                  resolve=403, correct=403, pdf=403, csv=403, publish=403, finalise=403),
    "stranger": dict(index=200, public=200, hidden=404, provisional=403, entry=403, appeal=403,
                     resolve=403, correct=403, pdf=403, csv=403, publish=403, finalise=403),
}  # fmt: skip


@pytest.mark.parametrize("user", list(EXPECTED), ids=lambda u: u or "anonymous")
def test_results_pages_by_role(client, auth, world, user):
    if user:
        assert auth.login(user).status_code == 302
    got = {}
    for name, (method, url) in _urls(world).items():
        got[name] = client.open(url, method=method, data={}).status_code
    assert got == EXPECTED[user]


def test_missing_objects_are_404(client, auth, world):
    auth.login("root")
    for url in (
        "/results/events/999999",
        "/results/events/999999/provisional",
        "/results/entries/999999",
        "/results/appeals/999999",
        f"/results/events/{world['published'].id}/results-fr.pdf",
        f"/results/competitions/{world['competition'].id}/results.exe",
    ):
        assert client.get(url).status_code == 404, url


def test_public_page_needs_no_sign_in_and_shows_the_publicity_period(client, world):
    page = client.get(f"/results/events/{world['published'].id}").text
    assert world["published"].name_en in page  # the event's name in the page's language
    # 张伟: T1 95 → 28.5; P raw 30 + 20 − 0 = 50 → 70 × 50/70 = 50 → 78.50
    assert "张伟" in page and "78.50" in page
    assert "李娜" in page and "华星智能" in page and "Absent" in page
    # N = 2: first Q = round(0.2) = 0, second Q = round(0.6) = 1 → 张伟 gets "second"
    # (tiers without names show their code).
    assert "award-second" in page and "award-first" not in page
    assert SOON.strftime("%Y") in page and "publicity period" in page
    # Judges stay out of the public page.
    assert "李明" not in page


def test_contestant_sees_own_breakdown_without_judges_names(client, auth, world):
    auth.login("owner")
    page = client.get(f"/results/entries/{world['first'].id}").text
    assert "78.50" in page and "T1" in page and "P3" in page
    # Section by section and criterion by criterion; judge by judge is for the staff.
    assert "李明" not in page and "Judges' values" not in page
    assert "Appeal against this result" in page


def test_chief_judge_sees_judge_by_judge(client, auth, world):
    auth.login("chief")
    page = client.get(f"/results/entries/{world['first'].id}").text
    assert "李明" in page and "95" in page and "Judges' values" in page


def test_contestant_cannot_see_own_result_before_publication(client, auth, world, make_user):
    make_user("contestant", username="early", person_id=world["other_entry"].person_id)
    auth.login("early")
    assert client.get(f"/results/entries/{world['other_entry'].id}").status_code == 403


def test_contestant_files_an_appeal(client, auth, world, app):
    auth.login("owner")
    with app.app_context():
        db.session.get(Appeal, world["appeal_id"]).status = AppealStatus.DISMISSED
        db.session.commit()
    url = f"/results/entries/{world['first'].id}/appeal"
    empty = client.post(url, data={"reason": ""})
    assert empty.status_code == 200 and "Give a reason." in empty.text
    response = client.post(url, data={"reason": "My T1 paper was marked 95 by one judge only."})
    assert response.status_code == 302
    with app.app_context():
        appeals = db.session.query(Appeal).filter_by(status=AppealStatus.OPEN).all()
        assert [a.reason for a in appeals] == ["My T1 paper was marked 95 by one judge only."]


def test_resolve_and_correct_through_the_pages(client, auth, world, app):
    auth.login("chief")
    resolve = f"/results/appeals/{world['appeal_id']}"
    missing = client.post(resolve, data={"decision": "upheld", "resolution": ""})
    assert "Give a reason." in missing.text
    assert client.post(resolve, data={"decision": "upheld", "resolution": "ok"}).status_code == 302
    correct = f"{resolve}/marks"
    form = {
        "judge_id": world["judge"].id,
        "criterion_id": world["criteria"]["T1"],
        "version": "1",
        "note": "exam sheet re-read",
    }
    too_high = client.post(correct, data={**form, "value": "101"})
    assert too_high.status_code == 422 and "between 0 and 100" in too_high.text
    assert client.post(correct, data={**form, "value": "55"}).status_code == 302
    public = client.get(f"/results/events/{world['published'].id}").text
    # 张伟: T1 mean (95 + 55)/2 = 75 → 22.5 + 50 = 72.50
    assert "72.50" in public


def test_publish_through_the_page(client, auth, world, app):
    auth.login("org")
    url = f"/results/events/{world['marking'].id}/publish"
    refused = client.post(url, data={"publicity_ends_on": SOON.isoformat()}, follow_redirects=True)
    assert "signed the event off" in refused.text
    with app.app_context():
        db.session.get(Event, world["marking"].id).status = EventStatus.SIGNED_OFF
        db.session.commit()
    done = client.post(url, data={"publicity_ends_on": SOON.isoformat()}, follow_redirects=True)
    assert "Results published" in done.text
    with app.app_context():
        assert db.session.get(Event, world["marking"].id).status is EventStatus.PUBLISHED


def test_exports_are_formula_safe(client, auth, world):
    auth.login("org")
    cid = world["competition"].id
    body = client.get(f"/results/competitions/{cid}/results.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    employers = [row[5] for row in rows[1:]]
    assert "'=cmd|' /C calc'!A0" in employers
    xlsx = client.get(f"/results/competitions/{cid}/results.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.data), read_only=True)
    assert book.sheetnames[0] == "Summary"
    assert len(book.sheetnames) == 3
    cells = [c for row in book[book.sheetnames[1]].iter_rows(values_only=True) for c in row]
    assert "'=cmd|' /C calc'!A0" in cells
    exported = json.loads(client.get(f"/results/competitions/{cid}/results.json").data)
    assert [e["status"] for e in exported["events"]] == ["published", "provisional"]
    for lang in ("zh", "en"):
        pdf = client.get(f"/results/events/{world['published'].id}/results-{lang}.pdf")
        assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_exports_are_on_record(client, auth, world, app):
    from competitions.audit import AuditEntry

    auth.login("org")
    client.get(f"/results/competitions/{world['competition'].id}/results.json")
    with app.app_context():
        entry = db.session.query(AuditEntry).filter_by(action="results_exported").one()
        assert entry.detail == {"format": "json"}


def test_only_the_entrys_contestant_may_appeal(client, auth, world, app):
    auth.login("stranger")
    response = client.post(
        f"/results/entries/{world['first'].id}/appeal", data={"reason": "not mine to appeal"}
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.query(Appeal).count() == 1  # the fixture's appeal only


def test_provisional_page_lists_the_missing_marks(client, auth, world, make_judge):
    make_judge(world["marking"], username="late-judge", display_name="赵磊")
    auth.login("org")
    page = client.get(f"/results/events/{world['marking'].id}/provisional").text
    # The marking event's one competing entry, by the one judge expected to mark: 4 criteria.
    assert "4 expected marks are missing." in page
    number = world["other_entry"].number
    for code in ("T1", "P1", "P2", "P3"):
        assert f"No. {number} · 赵磊 · {code}" in page

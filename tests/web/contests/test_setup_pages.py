"""Setting up a competition over HTTP: pages, forms, refusals that name the field."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import select

from competitions.audit import AuditEntry
from competitions.contests.models import Competition, Event
from competitions.enums import CompetitionStatus, EntryStatus, EventStatus
from competitions.extensions import db
from competitions.registration.models import Draw, Entry

COMPETITION = {
    "code": "LH-2026",
    "name_zh": "2026年龙华区职业技能竞赛",
    "name_en": "2026 Longhua District Vocational Skills Competition",
    "level": "district",
    "kind": "skill",
    "starts_on": "2026-10-10",
    "ends_on": "2026-10-12",
    "organisation": "龙华区总工会",
}
EVENT = {
    "code": "ROBOT",
    "name_zh": "工业机器人系统运维",
    "name_en": "Industrial robot system operation",
    "aggregation": "trimmed_mean",
    "min_judges_to_trim": "5",
    "discrepancy_share": "0.2",
    "venue": "龙华区职业技能实训基地",
    "starts_at": "2026-10-10T08:30",
    "ends_at": "2026-10-10T17:00",
}


def _competition_id(app, code="LH-2026"):
    with app.app_context():
        return db.session.scalar(select(Competition.id).where(Competition.code == code))


def _event_id(app, code="ROBOT"):
    with app.app_context():
        return db.session.scalar(select(Event.id).where(Event.code == code))


def test_organiser_sets_up_a_competition(client, auth, app):
    organiser = auth.login_as("organiser")
    page = client.get("/competitions/new")
    assert page.status_code == 200
    assert f'value="{organiser.id}"' in page.text and "checked" in page.text

    response = client.post("/competitions/new", data=COMPETITION)
    assert response.status_code == 302
    competition_id = _competition_id(app)
    with app.app_context():
        competition = db.session.get(Competition, competition_id)
        assert [u.id for u in competition.organisers] == [organiser.id]
        assert competition.organisation.name == "龙华区总工会"
    assert "2026年龙华区" in client.get(f"/competitions/{competition_id}").text

    response = client.post(
        f"/competitions/{competition_id}/events/new",
        data={**EVENT, "tie_break": "time"},
    )
    assert response.status_code == 302, response.text
    event_id = _event_id(app)
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.starts_at.hour == 0 and event.starts_at.minute == 30  # 08:30 in Shanghai
        assert event.status is EventStatus.DRAFT

    for data in (
        {"code": "T", "name_zh": "理论", "name_en": "Theory", "weight": "30"},
        {"code": "P", "name_zh": "实操", "name_en": "Practical", "weight": "70"},
    ):
        assert client.post(f"/events/{event_id}/sections/new", data=data).status_code == 302
    with app.app_context():
        sections = {s.code: s.id for s in db.session.get(Event, event_id).sections}
    for section, data in (
        ("T", {"code": "T1", "name_en": "Written exam", "type": "marks", "max_mark": "100"}),
        ("P", {"code": "P1", "name_en": "Installation", "type": "marks", "max_mark": "40"}),
        ("P", {"code": "P2", "name_en": "Workmanship", "type": "judgement", "max_mark": "30"}),
        ("P", {"code": "P3", "name_en": "Safety", "type": "deduction", "max_mark": "10"}),
    ):
        response = client.post(f"/sections/{sections[section]}/criteria/new", data=data)
        assert response.status_code == 302, response.text
    for data in (
        {"code": "first", "name_zh": "一等奖", "share": "0.1"},
        {"code": "second", "name_zh": "二等奖", "share": "0.2"},
        {"code": "third", "name_zh": "三等奖", "count": "5", "min_total": "60"},
    ):
        assert client.post(f"/events/{event_id}/awards/new", data=data).status_code == 302
    response = client.post(
        f"/events/{event_id}/edit", data={**EVENT, "tie_break": "section:P, criterion:P2, time"}
    )
    assert response.status_code == 302, response.text

    scheme = client.get(f"/events/{event_id}/scheme")
    assert "The scheme is complete" in scheme.text
    assert "top 10 %" in scheme.text and "best 5" in scheme.text

    confirm = client.get(f"/competitions/{competition_id}/actions/open_registration")
    assert "Confirm" in confirm.text and "disabled" not in confirm.text
    opened = client.post(f"/competitions/{competition_id}/actions/open_registration")
    assert opened.status_code == 302
    with app.app_context():
        assert db.session.get(Competition, competition_id).status is (
            CompetitionStatus.REGISTRATION_OPEN
        )
        assert db.session.get(Event, event_id).status is EventStatus.REGISTRATION_OPEN
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {
        "competition_created",
        "event_created",
        "section_added",
        "criterion_added",
        "award_tier_added",
        "competition_transition",
        "event_transition",
    } <= set(actions)


def test_refusals_name_the_field_and_change_nothing(client, auth, app, make_competition):
    organiser = auth.login_as("organiser")
    competition = make_competition(organisers=[organiser])
    make_competition(code="TAKEN")
    response = client.post("/competitions/new", data={**COMPETITION, "code": "TAKEN"})
    assert response.status_code == 200
    assert "Another competition already has the code TAKEN." in response.text
    response = client.post("/competitions/new", data={**COMPETITION, "ends_on": "2026-10-01"})
    assert "The last day is before the first day." in response.text
    response = client.post("/competitions/new", data={**COMPETITION, "name_zh": "", "name_en": ""})
    assert "Give a Chinese or an English name" in response.text
    assert _competition_id(app, "LH-2026") is None

    response = client.post(
        f"/competitions/{competition.id}/events/new", data={**EVENT, "tie_break": "section:X"}
    )
    assert "Tie-break section:X: there is no section X in this event." in response.text
    assert _event_id(app) is None
    client.post(f"/competitions/{competition.id}/events/new", data=EVENT)
    event_id = _event_id(app)
    client.post(
        f"/events/{event_id}/sections/new", data={"code": "T", "name_en": "T", "weight": "60"}
    )
    response = client.post(
        f"/events/{event_id}/sections/new", data={"code": "P", "name_en": "P", "weight": "50"}
    )
    assert "the sections would add up to 110" in response.text
    response = client.post(
        f"/events/{event_id}/sections/new", data={"code": "P", "name_en": "P", "weight": "abc"}
    )
    assert "Enter a number" in response.text
    response = client.post(
        f"/events/{event_id}/awards/new", data={"code": "a", "name_en": "A", "share": "1.5"}
    )
    assert "Must be at most 1." in response.text
    response = client.post(
        f"/events/{event_id}/awards/new",
        data={"code": "a", "name_en": "A", "share": "0.5", "count": "3"},
    )
    assert "not both" in response.text
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert [s.code for s in event.sections] == ["T"] and event.award_tiers == []
    confirm = client.get(f"/events/{event_id}/actions/open_registration")
    assert "The section weights add up to 60; they must total 100." in confirm.text
    assert client.post(f"/events/{event_id}/actions/open_registration").status_code == 200
    with app.app_context():
        assert db.session.get(Event, event_id).status is EventStatus.DRAFT


def test_scheme_export_import_and_copy(client, auth, app, make_competition, make_event):
    organiser = auth.login_as("organiser")
    competition = make_competition(organisers=[organiser])
    source = make_event(competition, status=EventStatus.DRAFT, tie_break=["section:P", "time"])
    target = make_event(competition, status=EventStatus.DRAFT, scheme=[], awards=[])

    exported = client.get(f"/events/{source.id}/scheme.json")
    assert exported.status_code == 200
    document = json.loads(exported.text)
    assert document["format"] == "marking-scheme"
    assert [s["code"] for s in document["sections"]] == ["T", "P"]

    bad = dict(document, sections=[dict(document["sections"][0], weight=20)])
    response = client.post(f"/events/{target.id}/scheme/import", data={"text": json.dumps(bad)})
    assert "sections: the weights add up to 20; they must total 100" in response.text
    assert "tie_break[0]: there is no section P in this event" in response.text
    with app.app_context():
        assert db.session.get(Event, target.id).sections == []

    response = client.post(f"/events/{target.id}/scheme/import", data={"text": exported.text})
    assert response.status_code == 302
    assert client.get(f"/events/{target.id}/scheme.json").text == exported.text

    third = make_event(competition, status=EventStatus.DRAFT, scheme=[], awards=[])
    response = client.post(f"/events/{third.id}/scheme/copy", data={"source": source.id})
    assert response.status_code == 302
    assert client.get(f"/events/{third.id}/scheme.json").text == exported.text


def test_draw_sheet_and_checkin(client, auth, app, make_competition, make_event, make_entry):
    organiser = auth.login_as("organiser")
    competition = make_competition(organisers=[organiser])
    event = make_event(competition, status=EventStatus.REGISTRATION_CLOSED)
    entries = [make_entry(event, number=None, status="registered") for _ in range(4)]
    assert "Draw lots" in client.get(f"/events/{event.id}/draw").text
    response = client.post(f"/events/{event.id}/draw", data={"stations": "A1-A3"})
    assert "3 stations for 4 entries" in response.text
    response = client.post(f"/events/{event.id}/draw", data={"stations": "A1-A6"})
    assert response.status_code == 302
    page = client.get(f"/events/{event.id}/draw")
    assert "reproduced from the seed" in page.text
    pdf = client.get(f"/events/{event.id}/draw.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    response = client.post(f"/events/{event.id}/draw", data={"stations": ""})
    assert "Tick this box to draw again." in response.text
    assert client.post(f"/events/{event.id}/draw", data={"confirm": "y"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Draw.id))) == 2

    first = entries[0]
    checked = client.post(f"/entries/{first.id}/status", data={"status": "checked_in"})
    assert checked.status_code == 302
    response = client.post(
        f"/entries/{entries[1].id}/status", data={"status": "disqualified"}, follow_redirects=True
    )
    assert "Give the reason for the disqualification." in response.text
    client.post(
        f"/entries/{entries[1].id}/status",
        data={"status": "disqualified", "reason": "作弊 cheating"},
    )
    client.post(f"/entries/{first.id}/finish", data={"finish": "1:25:30"})
    page = client.get(f"/events/{event.id}/checkin")
    assert page.status_code == 200 and "1:25:30" in page.text and "作弊 cheating" in page.text
    with app.app_context():
        saved = db.session.get(Entry, first.id)
        assert saved.status is EntryStatus.FINISHED
        assert saved.finish_seconds == Decimal(5130)
        assert db.session.get(Entry, entries[1].id).status is EntryStatus.DISQUALIFIED


def test_navigation_and_home_link_for_organisers(client, auth):
    auth.login_as("organiser")
    home = client.get("/")
    assert 'href="/competitions"' in home.text
    assert client.get("/competitions").status_code == 200


def test_partial_or_garbled_posts_get_messages_not_errors(
    client, auth, app, make_competition, make_event, make_entry
):
    organiser = auth.login_as("organiser")
    competition = make_competition(organisers=[organiser])
    event = make_event(competition, status=EventStatus.DRAFT)
    entry = make_entry(event)
    with app.app_context():
        loaded = db.session.get(Event, event.id)
        section, tier = loaded.sections[0], loaded.award_tiers[0]
        criterion = section.criteria[0]
        urls = [
            "/competitions/new",
            f"/competitions/{competition.id}/edit",
            f"/competitions/{competition.id}/events/new",
            f"/events/{event.id}/edit",
            f"/events/{event.id}/sections/new",
            f"/sections/{section.id}/edit",
            f"/sections/{section.id}/criteria/new",
            f"/criteria/{criterion.id}/edit",
            f"/events/{event.id}/awards/new",
            f"/awards/{tier.id}/edit",
            f"/events/{event.id}/scheme/copy",
            f"/events/{event.id}/scheme/import",
            f"/events/{event.id}/draw",
        ]
    garbled = {
        "code": "x" * 40,
        "starts_on": "yesterday",
        "weight": "1e999999",
        "max_mark": "NaN",
        "share": "∞",
        "count": "many",
        "min_judges_to_trim": "2",
        "discrepancy_share": "-",
        "starts_at": "soon",
        "organisers": "abc",
        "source": "abc",
        "level": "galactic",
        "type": "bonus",
        "aggregation": "mode",
    }
    for url in urls:
        for data in ({}, garbled):
            response = client.post(url, data=data)
            assert response.status_code in (200, 302, 409), (url, data, response.status_code)
            assert response.status_code != 500
    for data in ({}, {"status": "nonsense"}, {"status": "checked_in", "reason": "x" * 2000}):
        response = client.post(f"/entries/{entry.id}/status", data=data)
        assert response.status_code in (302, 400), (data, response.status_code)
    response = client.post(f"/entries/{entry.id}/finish", data={"finish": "x" * 100})
    assert response.status_code == 302

"""The marking API: who may read and write what, JSON errors, idempotency and versions."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from competitions.contests.models import Event
from competitions.enums import EventStatus
from competitions.extensions import db
from competitions.judging.models import ConflictDeclaration, Mark, MarkRevision

from ...conftest import DEFAULT_PASSWORD


@pytest.fixture
def setup(app, make_event, make_entry, make_judge, make_user):
    event = make_event()
    entries = [
        make_entry(event, name="张伟", number="017", station="A1", employer="龙华精密制造"),
        make_entry(event, name="李娜", number="023", station="A2", employer="华星智能装备"),
    ]
    judge, assignment = make_judge(event, username="judge-a")
    other_event = make_event()
    other_entry = make_entry(other_event, number="101")
    return {
        "event": event,
        "entries": entries,
        "judge": judge,
        "other_event": other_event,
        "other_entry": other_entry,
    }


def _login(client, username):
    response = client.post("/login", data={"username": username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def _put(client, entry_id, code, **body):
    return client.put(f"/api/v1/entries/{entry_id}/marks/{code}", json=body)


def _count(app, model):
    with app.app_context():
        return len(db.session.scalars(select(model)).all())


def test_list_assignments_with_progress(client, setup):
    _login(client, "judge-a")
    entry = setup["entries"][0]
    for code, value in (("T1", "80"), ("P1", "30"), ("P2", 2), ("P3", "1.5")):
        assert _put(client, entry.id, code, value=value, key=f"key-first-{code}").status_code == 201
    body = client.get("/api/v1/assignments").json
    (item,) = body["assignments"]
    assert item["event"]["id"] == setup["event"].id
    assert (item["entries_marked"], item["entries_total"]) == (1, 2)


def test_event_entries_show_numbers_never_names(client, setup):
    _login(client, "judge-a")
    response = client.get(f"/api/v1/events/{setup['event'].id}/entries")
    assert response.status_code == 200
    text = response.text
    for secret in ("张伟", "李娜", "龙华精密制造", "华星智能装备"):
        assert secret not in text
    body = response.json
    assert [e["number"] for e in body["entries"]] == ["017", "023"]
    assert set(body["entries"][0]) == {
        "id",
        "number",
        "station",
        "expected",
        "marked",
        "complete",
        "marks",
    }
    codes = [c["code"] for s in body["sections"] for c in s["criteria"]]
    assert codes == ["T1", "P1", "P2", "P3"]
    p2 = body["sections"][1]["criteria"][1]
    assert (p2["type"], p2["max"], p2["decimals"]) == ("judgement", "3", 0)
    assert body["progress"] == {"entries_total": 2, "entries_marked": 0}


def test_entry_sheet_has_no_names(client, setup):
    _login(client, "judge-a")
    entry = setup["entries"][0]
    _put(client, entry.id, "P1", value="32.5", key="key-0000001")
    response = client.get(f"/api/v1/entries/{entry.id}/marks")
    assert response.status_code == 200
    assert "张伟" not in response.text and "龙华精密制造" not in response.text
    mark = response.json["entry"]["marks"]["P1"]
    assert mark["value"] == "32.5" and mark["version"] == 1


def test_put_mark_created_then_repeated(app, client, setup):
    _login(client, "judge-a")
    entry = setup["entries"][0]
    first = _put(client, entry.id, "P1", value="32.5", key="key-0000001")
    assert first.status_code == 201
    assert first.json["mark"]["value"] == "32.5" and first.json["repeat"] is False
    again = _put(client, entry.id, "P1", value="32.500", key="key-0000001")
    assert again.status_code == 200 and again.json["repeat"] is True
    assert again.json["mark"] == first.json["mark"]
    assert _count(app, Mark) == 1 and _count(app, MarkRevision) == 1


def test_json_numbers_are_read_exactly(app, client, setup):
    _login(client, "judge-a")
    entry = setup["entries"][0]
    response = client.put(
        f"/api/v1/entries/{entry.id}/marks/P1",
        data='{"value": 12.125, "key": "key-0000001"}',
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json["mark"]["value"] == "12.125"


@pytest.mark.parametrize(
    "body,status,code,field",
    [
        ({"value": "30"}, 400, "key_missing", "key"),
        ({"value": "30", "key": ""}, 400, "key_missing", "key"),
        ({"value": "41", "key": "key-0000001"}, 422, "value_out_of_range", "value"),
        ({"value": "1.2345", "key": "key-0000001"}, 422, "too_many_decimals", "value"),
        ({"value": "abc", "key": "key-0000001"}, 422, "value_invalid", "value"),
        ({"key": "key-0000001"}, 422, "value_missing", "value"),
        ({"value": "3", "key": "key-0000001", "version": "1"}, 422, "version_invalid", "version"),
        ({"value": "3", "key": "key-0000001", "reason": 5}, 422, "reason_invalid", "reason"),
    ],
)
def test_bad_input_gets_json_error_naming_the_field(app, client, setup, body, status, code, field):
    _login(client, "judge-a")
    response = _put(client, setup["entries"][0].id, "P1", **body)
    assert response.status_code == status, response.json
    assert response.json["error"] == code and response.json["field"] == field
    assert response.json["message"]
    assert _count(app, Mark) == 0


def test_error_message_is_translated(client, setup):
    _login(client, "judge-a")
    response = client.put(
        f"/api/v1/entries/{setup['entries'][0].id}/marks/P1",
        json={"value": "41", "key": "key-0000001"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 422
    assert re.search(r"[\u4e00-\u9fff]", response.json["message"]), response.json["message"]
    assert "P1" in response.json["message"] and "40" in response.json["message"]


def test_not_json_and_broken_json(client, setup):
    _login(client, "judge-a")
    url = f"/api/v1/entries/{setup['entries'][0].id}/marks/P1"
    assert client.put(url, data="value=3").status_code == 415
    broken = client.put(url, data="{nope", content_type="application/json")
    assert broken.status_code == 400 and broken.json["error"] == "bad_json"
    nan = client.put(
        url, data='{"value": NaN, "key": "key-0000001"}', content_type="application/json"
    )
    assert nan.status_code == 400


def test_same_key_other_value_is_422(client, setup):
    _login(client, "judge-a")
    entry = setup["entries"][0]
    _put(client, entry.id, "P1", value="30", key="key-0000001")
    response = _put(client, entry.id, "P1", value="31", key="key-0000001")
    assert response.status_code == 422 and response.json["error"] == "key_reused"


def test_change_needs_reason_and_version_and_conflict_shows_current(app, client, setup):
    _login(client, "judge-a")
    entry = setup["entries"][0]
    _put(client, entry.id, "P1", value="30", key="key-0000001")
    stale = _put(client, entry.id, "P1", value="31", key="key-0000002")
    assert stale.status_code == 409 and stale.json["error"] == "version_conflict"
    assert stale.json["current"]["value"] == "30" and stale.json["current"]["version"] == 1
    no_reason = _put(client, entry.id, "P1", value="31", key="key-0000002", version=1)
    assert no_reason.status_code == 422 and no_reason.json["field"] == "reason"
    ok = _put(client, entry.id, "P1", value="31", key="key-0000002", version=1, reason="misread")
    assert ok.status_code == 200 and ok.json["mark"]["version"] == 2
    other_tab = _put(
        client, entry.id, "P1", value="35", key="key-0000003", version=1, reason="tab B"
    )
    assert other_tab.status_code == 409
    current = other_tab.json["current"]
    assert (current["value"], current["version"]) == ("31", 2)
    with app.app_context():
        revisions = db.session.scalars(select(MarkRevision).order_by(MarkRevision.id)).all()
        assert [(r.old_value, r.new_value, r.reason, r.source) for r in revisions] == [
            (None, 30, None, "api"),
            (30, 31, "misread", "api"),
        ]


def test_judge_cannot_read_or_write_other_events(client, setup):
    _login(client, "judge-a")
    other = setup["other_entry"]
    assert client.get(f"/api/v1/events/{setup['other_event'].id}/entries").status_code == 403
    assert client.get(f"/api/v1/entries/{other.id}/marks").status_code == 403
    response = _put(client, other.id, "P1", value="30", key="key-0000001")
    assert response.status_code == 403 and response.json["error"] == "not_assigned"
    assert client.get("/api/v1/entries/999999/marks").status_code == 404


def test_station_limit_hides_and_refuses_other_entries(client, setup, make_judge):
    make_judge(setup["event"], username="judge-s", stations=["A2"])
    _login(client, "judge-s")
    body = client.get(f"/api/v1/events/{setup['event'].id}/entries").json
    assert [e["number"] for e in body["entries"]] == ["023"]
    first = setup["entries"][0]
    assert client.get(f"/api/v1/entries/{first.id}/marks").status_code == 403
    assert _put(client, first.id, "P1", value="1", key="key-0000001").status_code == 403


def test_criteria_limit_hides_and_refuses_other_criteria(client, setup, make_judge):
    make_judge(setup["event"], username="judge-c", criteria=["P2"])
    _login(client, "judge-c")
    body = client.get(f"/api/v1/events/{setup['event'].id}/entries").json
    assert [c["code"] for s in body["sections"] for c in s["criteria"]] == ["P2"]
    entry = setup["entries"][0]
    response = _put(client, entry.id, "P1", value="1", key="key-0000001")
    assert response.status_code == 403 and response.json["field"] == "criterion"
    assert _put(client, entry.id, "P2", value="2", key="key-0000002").status_code == 201


def test_conflicted_entries_are_hidden_and_refused(app, client, setup, make_judge):
    judge, _ = make_judge(setup["event"], username="judge-x", employer="龙华精密制造")
    second = setup["entries"][1]
    with app.app_context():
        db.session.add(
            ConflictDeclaration(
                judge_id=judge.id, person_id=second.person_id, relation="former apprentice"
            )
        )
        db.session.commit()
    _login(client, "judge-x")
    body = client.get(f"/api/v1/events/{setup['event'].id}/entries").json
    assert body["entries"] == []
    for entry in setup["entries"]:
        assert client.get(f"/api/v1/entries/{entry.id}/marks").status_code == 403
        assert (
            _put(client, entry.id, "P1", value="1", key=f"key-x-{entry.id:05d}").status_code == 403
        )


def test_locked_event_refuses_changes_with_a_clear_message(app, client, setup):
    _login(client, "judge-a")
    entry = setup["entries"][0]
    _put(client, entry.id, "P1", value="30", key="key-0000001")
    with app.app_context():
        event = db.session.get(Event, setup["event"].id)
        event.status = EventStatus.SIGNED_OFF
        event.signed_off_at = datetime.now(UTC)
        db.session.commit()
    response = _put(client, entry.id, "P1", value="31", key="key-0000002", version=1, reason="x")
    assert response.status_code == 409 and response.json["error"] == "event_locked"
    assert "locked" in response.json["message"]
    new = _put(client, entry.id, "T1", value="50", key="key-0000003")
    assert new.status_code == 409
    # a retry of an accepted mark is still acknowledged
    assert _put(client, entry.id, "P1", value="30", key="key-0000001").status_code == 200
    sheet = client.get(f"/api/v1/events/{setup['event'].id}/entries").json
    assert sheet["event"]["locked"] is True and sheet["event"]["open"] is False


@pytest.mark.parametrize("role", ["organiser", "admin", "contestant"])
def test_only_judges_use_the_api(client, auth, setup, role):
    auth.login_as(role)
    response = client.get("/api/v1/assignments")
    assert response.status_code == 403 and response.json["error"] == "forbidden"


def test_signed_out_gets_json_401(client, setup):
    for url in (
        "/api/v1/assignments",
        "/api/v1/me",
        f"/api/v1/entries/{setup['entries'][0].id}/marks",
    ):
        response = client.get(url)
        assert response.status_code == 401 and response.json["error"] == "unauthenticated"
    response = _put(client, setup["entries"][0].id, "P1", value="1", key="key-0000001")
    assert response.status_code == 401


def test_put_needs_csrf_header(make_app, setup):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/login", data={"username": "judge-a", "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    url = f"/api/v1/entries/{setup['entries'][0].id}/marks/P1"
    refused = client.put(url, json={"value": "1", "key": "key-0000001"})
    assert refused.status_code == 400 and refused.json["error"] == "csrf_invalid"
    fresh = client.get("/api/v1/me").json["csrf_token"]
    accepted = client.put(
        url, json={"value": "1", "key": "key-0000001"}, headers={"X-CSRFToken": fresh}
    )
    assert accepted.status_code == 201


def test_openapi_document_describes_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {
        "/me",
        "/assignments",
        "/events/{event_id}/entries",
        "/entries/{entry_id}/marks",
        "/entries/{entry_id}/marks/{criterion}",
    }
    put = doc["paths"]["/entries/{entry_id}/marks/{criterion}"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"]["required"] == [
        "value",
        "key",
    ]
    assert {"400", "409", "422"} <= set(put["responses"])
    json.dumps(doc)


def test_every_api_route_is_in_the_openapi_document(app, client):
    doc = client.get("/api/v1/openapi.json").json
    documented = {re.sub(r"\{[^}]+\}", "X", p) for p in doc["paths"]}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi":
            path = re.sub(r"<[^>]+>", "X", rule.rule.removeprefix("/api/v1"))
            assert path in documented, rule.rule

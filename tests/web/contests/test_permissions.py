"""Who may open which setup page: (role, method, URL) → status, for every route of the blueprint."""

from __future__ import annotations

import pytest

from competitions.enums import EventStatus

# (method, url template); {c} competition, {e} event, {s} section, {k} criterion,
# {t} award tier, {n} entry
ROUTES = [
    ("GET", "/competitions/{c}"),
    ("GET", "/competitions/{c}/edit"),
    ("POST", "/competitions/{c}/edit"),
    ("GET", "/competitions/{c}/actions/open_registration"),
    ("POST", "/competitions/{c}/actions/open_registration"),
    ("GET", "/competitions/{c}/events/new"),
    ("POST", "/competitions/{c}/events/new"),
    ("GET", "/events/{e}"),
    ("GET", "/events/{e}/edit"),
    ("POST", "/events/{e}/edit"),
    ("GET", "/events/{e}/actions/close_registration"),
    ("POST", "/events/{e}/actions/close_registration"),
    ("GET", "/events/{e}/scheme"),
    ("GET", "/events/{e}/sections/new"),
    ("POST", "/events/{e}/sections/new"),
    ("GET", "/sections/{s}/edit"),
    ("POST", "/sections/{s}/edit"),
    ("POST", "/sections/{s}/delete"),
    ("GET", "/sections/{s}/criteria/new"),
    ("POST", "/sections/{s}/criteria/new"),
    ("GET", "/criteria/{k}/edit"),
    ("POST", "/criteria/{k}/edit"),
    ("POST", "/criteria/{k}/delete"),
    ("GET", "/events/{e}/awards/new"),
    ("POST", "/events/{e}/awards/new"),
    ("GET", "/awards/{t}/edit"),
    ("POST", "/awards/{t}/edit"),
    ("POST", "/awards/{t}/delete"),
    ("POST", "/scheme/award/{t}/move/up"),
    ("GET", "/events/{e}/scheme/copy"),
    ("POST", "/events/{e}/scheme/copy"),
    ("GET", "/events/{e}/scheme.json"),
    ("GET", "/events/{e}/scheme/import"),
    ("POST", "/events/{e}/scheme/import"),
    ("GET", "/events/{e}/draw"),
    ("POST", "/events/{e}/draw"),
    ("GET", "/events/{e}/checkin"),
    ("POST", "/entries/{n}/status"),
    ("POST", "/entries/{n}/finish"),
]


@pytest.fixture
def setup(app, make_user, make_competition, make_event, make_entry):
    from competitions.contests.models import Event
    from competitions.extensions import db

    owner = make_user("organiser", username="owner")
    competition = make_competition(organisers=[owner])
    event = make_event(competition, status=EventStatus.REGISTRATION_OPEN)
    entry = make_entry(event)
    with app.app_context():
        loaded = db.session.get(Event, event.id)
        section = loaded.sections[0]
        ids = {
            "c": competition.id,
            "e": event.id,
            "s": section.id,
            "k": section.criteria[0].id,
            "t": loaded.award_tiers[0].id,
            "n": entry.id,
        }
    return ids


def setup_competition(ids):
    from types import SimpleNamespace

    return SimpleNamespace(id=ids["c"])


def _url(template, ids):
    return template.format(**ids)


@pytest.mark.parametrize("method,template", ROUTES)
@pytest.mark.parametrize("role", ["judge", "contestant", "other_organiser"])
def test_outsiders_are_refused(client, auth, setup, role, method, template):
    if role == "other_organiser":
        auth.login_as("organiser")
    else:
        auth.login_as(role)
    response = client.open(_url(template, setup), method=method)
    assert response.status_code == 403


@pytest.mark.parametrize("method,template", ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client, setup, method, template):
    response = client.open(_url(template, setup), method=method)
    assert response.status_code == 302
    assert "/login" in response.location


@pytest.mark.parametrize("method,template", [r for r in ROUTES if r[0] == "GET"])
@pytest.mark.parametrize("role", ["owner", "admin"])
def test_managers_open_every_page(client, auth, setup, role, method, template):
    if role == "owner":
        assert auth.login("owner").status_code == 302
    else:
        auth.login_as("admin")
    response = client.open(_url(template, setup), method=method)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "method,url,expected",
    [
        ("GET", "/competitions", {"judge": 403, "contestant": 403, "organiser": 200}),
        ("GET", "/competitions/new", {"judge": 403, "contestant": 403, "organiser": 200}),
        ("POST", "/competitions/new", {"judge": 403, "contestant": 403, "organiser": 200}),
    ],
)
@pytest.mark.parametrize("role", ["judge", "contestant", "organiser"])
def test_competition_list_and_creation(client, auth, role, method, url, expected):
    auth.login_as(role)
    assert client.open(url, method=method).status_code == expected[role]


@pytest.mark.parametrize(
    "method,template",
    [
        ("GET", "/sections/{s}/delete"),
        ("GET", "/entries/{n}/status"),
        ("GET", "/scheme/award/{t}/move/up"),
        ("POST", "/events/{e}/scheme.json"),
    ],
)
def test_wrong_method_is_refused(client, auth, setup, method, template):
    assert auth.login("owner").status_code == 302
    assert client.open(_url(template, setup), method=method).status_code == 405


def test_unknown_objects_give_404(client, auth, setup):
    assert auth.login("owner").status_code == 302
    for url in ("/competitions/999", "/events/999", "/sections/999/edit", "/awards/999/edit"):
        assert client.get(url).status_code == 404
    assert client.get(f"/events/{setup['e']}/actions/sign_off").status_code == 404
    assert client.get(f"/events/{setup['e']}/actions/nonsense").status_code == 404


def test_a_scheme_cannot_be_copied_from_a_competition_one_does_not_manage(
    client, auth, setup, make_event
):
    foreign = make_event()  # another organiser's competition
    own = make_event(setup_competition(setup))
    assert auth.login("owner").status_code == 302
    page = client.get(f"/events/{setup['e']}/scheme/copy")
    assert f'value="{foreign.id}"' not in page.text and f'value="{own.id}"' in page.text
    response = client.post(f"/events/{setup['e']}/scheme/copy", data={"source": foreign.id})
    assert response.status_code == 200
    assert "Choose an event of a competition you manage." in response.text

"""Every setup page opens on the demo competition (four events, one of them for teams)."""

from sqlalchemy import select

from competitions.contests.models import Competition
from competitions.extensions import db


def test_demo_competition_pages_open(app, client, auth):
    from competitions.demo import create_demo

    with app.app_context():
        create_demo()
        db.session.commit()
        competition = db.session.scalar(select(Competition).where(Competition.code == "LH-2026"))
        urls = [f"/competitions/{competition.id}", f"/competitions/{competition.id}/edit"]
        for event in competition.events:
            urls += [
                f"/events/{event.id}",
                f"/events/{event.id}/edit",
                f"/events/{event.id}/scheme",
                f"/events/{event.id}/draw",
                f"/events/{event.id}/checkin",
                f"/events/{event.id}/scheme.json",
            ]
    assert auth.login("organiser", "demo-organiser-2026").status_code == 302
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "代表队" in client.get(urls[-2]).text  # team names on the team event's check-in


def test_the_demo_has_a_competition_open_to_self_registration(app, client):
    from competitions.demo import create_demo

    with app.app_context():
        create_demo()
        db.session.commit()
        assert create_demo() is False  # idempotent
        db.session.commit()
        open_one = db.session.scalars(
            select(Competition).where(Competition.code == "LH-2027")
        ).one()
        assert open_one.self_registration and len(open_one.events) == 2
    page = client.get("/register/").text
    assert "2027 Longhua District Workers" in page
    assert "Electrician" in page and "3D printing" in page
    assert 'href="/register/"' in client.get("/").text

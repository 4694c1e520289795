"""The judging blueprint over HTTP: who may open what, and the organiser's and chief's flows."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from competitions.audit import AuditEntry
from competitions.contests.models import Criterion, Event
from competitions.enums import EventStatus
from competitions.extensions import db
from competitions.judging.models import (
    ConflictDeclaration,
    JudgeAssignment,
    Mark,
    MarkExcuse,
    RemarkRequest,
)

ANON, CONTESTANT, JUDGE, CHIEF, ORGANISER, OTHER, ADMIN = (
    "anonymous",
    "contestant",
    "judge",
    "chief",
    "organiser",
    "other organiser",
    "admin",
)
ROLES = (ANON, CONTESTANT, JUDGE, CHIEF, ORGANISER, OTHER, ADMIN)


@pytest.fixture
def world(app, make_user, make_competition, make_event, make_entry, make_judge):
    """A competition run by ``organiser`` with one event in marking, its chief and a judge."""
    organiser = make_user("organiser")
    other = make_user("organiser")
    competition = make_competition(organisers=[organiser])
    make_competition(organisers=[other])
    event = make_event(competition=competition)
    chief, _ = make_judge(event, chief=True)
    judge, assignment = make_judge(event, employer="深圳技师学院")
    entry = make_entry(event, number="007", name="张伟", employer="华星智能装备股份有限公司")
    make_entry(event, number="012", name="李娜", employer="深圳技师学院")
    with app.app_context():
        request = RemarkRequest(
            event_id=event.id,
            entry_id=entry.id,
            judge_id=judge.id,
            reason="请复核",
            requested_by_id=chief.id,
        )
        db.session.add(request)
        db.session.commit()
        request_id = request.id
    users = {
        CONTESTANT: make_user("contestant"),
        JUDGE: judge,
        CHIEF: chief,
        ORGANISER: organiser,
        OTHER: other,
        ADMIN: make_user("admin"),
    }
    return {
        "users": users,
        "event": event,
        "entry": entry,
        "assignment": assignment,
        "request_id": request_id,
    }


def _sign_in(client, auth, world, role):
    if role != ANON:
        assert auth.login(world["users"][role].username).status_code == 302


MANAGE = {
    ANON: 302,
    CONTESTANT: 403,
    JUDGE: 403,
    CHIEF: 403,
    ORGANISER: 200,
    OTHER: 200,
    ADMIN: 200,
}
ASSIGN = {**MANAGE, OTHER: 403}
FOLLOW = {**ASSIGN, CHIEF: 200}
SUPERVISE_POST = {r: 403 for r in ROLES} | {ANON: 302}

CASES = [
    ("GET", "/judging/", MANAGE),
    ("GET", "/judging/judges", MANAGE),
    ("GET", "/judging/judges/new", MANAGE),
    ("GET", "/judging/judges/import", MANAGE),
    ("GET", "/judging/judges/template.xlsx", MANAGE),
    ("GET", "/judging/judges/template.csv", MANAGE),
    ("GET", "/judging/events/{event}/judges", ASSIGN),
    ("POST", "/judging/events/{event}/judges", {**ASSIGN, ORGANISER: 422, ADMIN: 422}),
    ("GET", "/judging/assignments/{assignment}", ASSIGN),
    ("POST", "/judging/assignments/{assignment}/chief", {**ASSIGN, ORGANISER: 302, ADMIN: 302}),
    ("POST", "/judging/assignments/{assignment}/remove", {**ASSIGN, ORGANISER: 302, ADMIN: 302}),
    ("POST", "/judging/events/{event}/conflicts", {**ASSIGN, ORGANISER: 422, ADMIN: 422}),
    ("POST", "/judging/events/{event}/reopen", {**ASSIGN, ORGANISER: 422, ADMIN: 422}),
    ("GET", "/judging/events/{event}/chief", FOLLOW),
    ("GET", "/judging/events/{event}/chief/live", FOLLOW),
    ("POST", "/judging/events/{event}/excuses", {**SUPERVISE_POST, CHIEF: 422}),
    ("POST", "/judging/events/{event}/remarks", {**SUPERVISE_POST, CHIEF: 422}),
    ("POST", "/judging/events/{event}/sign-off", {**SUPERVISE_POST, CHIEF: 409}),
    ("POST", "/judging/remarks/{request}/answer", {**SUPERVISE_POST, JUDGE: 302}),
    # 404 before 403: nobody learns which ids exist.
    ("GET", "/judging/events/999999/judges", {r: 404 for r in ROLES} | {ANON: 302}),
    ("GET", "/judging/events/999999/chief", {r: 404 for r in ROLES} | {ANON: 302}),
]


@pytest.mark.parametrize(
    ("method", "url", "role", "status"),
    [(method, url, role, expected[role]) for method, url, expected in CASES for role in ROLES],
)
def test_who_may_open_what(client, auth, world, method, url, role, status):
    _sign_in(client, auth, world, role)
    url = url.format(
        event=world["event"].id,
        assignment=world["assignment"].id,
        request=world["request_id"],
    )
    response = client.open(url, method=method, data={})
    assert response.status_code == status, response.text[:500]
    if status == 302 and role == ANON:
        assert "/login" in response.headers["Location"]


def test_the_chief_sees_numbers_never_names(client, auth, world):
    _sign_in(client, auth, world, CHIEF)
    for path in ("chief", "chief/live"):
        page = client.get(f"/judging/events/{world['event'].id}/{path}").text
        assert "007" in page
        assert "张伟" not in page and "华星智能" not in page


def test_the_assignment_page_shows_load_counts_and_conflicts_with_reasons(app, client, auth, world):
    _sign_in(client, auth, world, ORGANISER)
    page = client.get(f"/judging/events/{world['event'].id}/judges").text
    assert "Same employer: 深圳技师学院" in page
    assert "李娜" in page  # the organiser sees names
    # The judge marks 4 criteria of entry 007 only: load 4, and 012 has no judge.
    assert 'load-count">4<' in page
    assert "table-danger" in page


def test_organiser_appoints_a_judge_limited_to_criteria_and_stations(
    app, client, auth, world, make_user
):
    newcomer = make_user("judge", display_name="周敏", employer="深圳职业技术大学")
    _sign_in(client, auth, world, ORGANISER)
    event_id = world["event"].id
    response = client.post(
        f"/judging/events/{event_id}/judges",
        data={
            "assign-judge": newcomer.id,
            "assign-criteria": ["P1", "P2"],
            "assign-stations": "A1，A2",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.scalar(
            select(JudgeAssignment).where(JudgeAssignment.judge_id == newcomer.id)
        )
        assert assignment.criteria == ["P1", "P2"] and assignment.stations == ["A1", "A2"]
    again = client.post(f"/judging/events/{event_id}/judges", data={"assign-judge": newcomer.id})
    assert again.status_code == 422  # no longer a candidate


def test_organiser_declares_a_relation_and_the_judge_loses_the_entry(app, client, auth, world):
    _sign_in(client, auth, world, ORGANISER)
    event_id = world["event"].id
    judge = world["users"][JUDGE]
    person_id = world["entry"].person_id
    response = client.post(
        f"/judging/events/{event_id}/conflicts",
        data={
            "conflict-judge": judge.id,
            "conflict-person": person_id,
            "conflict-relation": "表亲",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/judging/events/{event_id}/judges").text
    assert "Declared relation: 表亲" in page
    empty = client.post(
        f"/judging/events/{event_id}/conflicts",
        data={"conflict-judge": judge.id, "conflict-person": person_id, "conflict-relation": ""},
    )
    assert empty.status_code == 422
    with app.app_context():
        assert db.session.query(ConflictDeclaration).count() == 1


def test_create_a_judge_shows_the_password_once_and_uncached(app, client, auth, world):
    _sign_in(client, auth, world, ORGANISER)
    response = client.post(
        "/judging/judges/new",
        data={"username": "zhoumin", "display_name": "周敏", "employer": "深圳职业技术大学"},
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "zhoumin" in response.text and "credential-password" in response.text
    taken = client.post(
        "/judging/judges/new",
        data={"username": "zhoumin", "display_name": "周敏", "employer": "深圳职业技术大学"},
    )
    assert "taken" in taken.text


def test_import_reports_every_bad_row_and_changes_nothing(app, client, auth, world):
    from io import BytesIO

    _sign_in(client, auth, world, ORGANISER)
    body = (
        "姓名,用户名,工作单位,手机号\n"
        "李明,liming,深圳技师学院,13900139001\n"
        "王芳,x,深圳大学,13900139002\n"
    )
    response = client.post(
        "/judging/judges/import",
        data={"file": (BytesIO(body.encode()), "judges.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert (
        "Nothing was imported" in response.text
        and '<td class="text-nowrap">3</td>' in response.text
    )
    with app.app_context():
        from competitions.accounts.models import User

        assert db.session.scalar(select(User).where(User.username == "liming")) is None
    good = body.replace(",x,", ",wangfang,")
    response = client.post(
        "/judging/judges/import",
        data={"file": (BytesIO(good.encode()), "judges.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "wangfang" in response.text


def test_chief_excuses_signs_off_and_organiser_reopens(app, client, auth, world):
    event_id = world["event"].id
    entry = world["entry"]
    _sign_in(client, auth, world, CHIEF)
    refused = client.post(f"/judging/events/{event_id}/sign-off")
    assert refused.status_code == 409
    assert "4 expected marks are missing" in refused.text
    assert refused.text.count("No. 007 —") == 4
    with app.app_context():
        assert db.session.get(Event, event_id).status is EventStatus.MARKING
        criteria = db.session.scalars(select(Criterion).filter_by(event_id=event_id)).all()
        judge = world["users"][JUDGE]
        for criterion in criteria[:3]:
            db.session.add(
                Mark(
                    entry_id=entry.id,
                    judge_id=judge.id,
                    criterion_id=criterion.id,
                    value=Decimal(1),
                )
            )
        db.session.commit()
        last = criteria[3].id
    no_reason = client.post(
        f"/judging/events/{event_id}/excuses",
        data={"excuse-entry": entry.id, "excuse-judge": 0, "excuse-criterion": last},
    )
    assert no_reason.status_code == 422
    excused = client.post(
        f"/judging/events/{event_id}/excuses",
        data={
            "excuse-entry": entry.id,
            "excuse-judge": 0,
            "excuse-criterion": last,
            "excuse-reason": "安全项无扣分记录",
        },
    )
    assert excused.status_code == 302
    signed = client.post(f"/judging/events/{event_id}/sign-off", follow_redirects=True)
    assert "signed off" in signed.text
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.status is EventStatus.SIGNED_OFF
        assert event.signed_off_by_id == world["users"][CHIEF].id
        excuse = db.session.scalars(select(MarkExcuse)).one()
        assert excuse.judge_id is None and excuse.criterion_id == last
    # The chief cannot reopen; the organiser can, with a reason.
    assert (
        client.post(f"/judging/events/{event_id}/reopen", data={"reopen-reason": "x"}).status_code
        == 403
    )
    auth.logout()
    _sign_in(client, auth, world, ORGANISER)
    page = client.get(f"/judging/events/{event_id}/judges").text
    assert "Reopen marking" in page
    response = client.post(
        f"/judging/events/{event_id}/reopen", data={"reopen-reason": "申诉：复核第7号"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Event, event_id).status is EventStatus.MARKING
        actions = [a.action for a in db.session.scalars(select(AuditEntry))]
        assert {"mark_excused", "event_signed_off", "event_reopened"} <= set(actions)


def test_the_chief_withdraws_an_excuse_recorded_by_mistake(app, client, auth, world):
    event_id = world["event"].id
    entry = world["entry"]
    _sign_in(client, auth, world, CHIEF)
    client.post(
        f"/judging/events/{event_id}/excuses",
        data={"excuse-entry": entry.id, "excuse-judge": 0, "excuse-reason": "选手弃赛（误记）"},
    )
    with app.app_context():
        excuse_id = db.session.scalars(select(MarkExcuse.id)).one()
    page = client.get(f"/judging/events/{event_id}/chief").text
    assert "Excuses on record" in page and "选手弃赛（误记）" in page
    assert f"/excuses/{excuse_id}/withdraw" in page
    url = f"/judging/events/{event_id}/excuses/{excuse_id}/withdraw"

    # Neither the judge nor the organiser may; an unknown excuse is 404.
    auth.logout()
    for role in (JUDGE, ORGANISER):
        _sign_in(client, auth, world, role)
        assert client.post(url).status_code == 403
        auth.logout()
    _sign_in(client, auth, world, CHIEF)
    assert client.post(f"/judging/events/{event_id}/excuses/999999/withdraw").status_code == 404

    withdrawn = client.post(url, follow_redirects=True)
    assert "The excuse is withdrawn" in withdrawn.text
    assert "Excuses on record" not in withdrawn.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MarkExcuse)) == 0
        audit = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "excuse_withdrawn")
        ).one()
        assert audit.actor_id == world["users"][CHIEF].id
        assert audit.detail["reason"] == "选手弃赛（误记）"
        assert audit.detail["entry_id"] == entry.id
    # The marks it covered are missing again, so sign-off is refused.
    refused = client.post(f"/judging/events/{event_id}/sign-off")
    assert refused.status_code == 409
    assert refused.text.count("No. 007 —") == 4


def test_an_excuse_of_a_signed_off_event_stays(app, client, auth, world):
    event_id = world["event"].id
    _sign_in(client, auth, world, CHIEF)
    client.post(
        f"/judging/events/{event_id}/excuses",
        data={"excuse-entry": world["entry"].id, "excuse-judge": 0, "excuse-reason": "缺考"},
    )
    with app.app_context():
        excuse_id = db.session.scalars(select(MarkExcuse.id)).one()
        db.session.get(Event, event_id).status = EventStatus.SIGNED_OFF
        db.session.commit()
    page = client.get(f"/judging/events/{event_id}/chief").text
    assert "缺考" in page and f"/excuses/{excuse_id}/withdraw" not in page
    response = client.post(
        f"/judging/events/{event_id}/excuses/{excuse_id}/withdraw", follow_redirects=True
    )
    assert "Marking is not open for this event" in response.text
    with app.app_context():
        assert db.session.get(MarkExcuse, excuse_id) is not None


def test_the_judge_sees_and_answers_a_remark_request_on_the_home_page(app, client, auth, world):
    _sign_in(client, auth, world, JUDGE)
    home = client.get("/").text
    assert "The chief judge asks you to re-mark" in home and "请复核" in home
    assert f'href="/marking/events/{world["event"].id}"' in home
    assert "张伟" not in home
    response = client.post(f"/judging/remarks/{world['request_id']}/answer")
    assert response.status_code == 302
    assert "请复核" not in client.get("/").text


def test_the_chief_asks_for_a_remark(app, client, auth, world):
    _sign_in(client, auth, world, CHIEF)
    event_id = world["event"].id
    page = client.get(
        f"/judging/events/{event_id}/chief",
        query_string={"remark_entry": world["entry"].id, "remark_judge": world["users"][JUDGE].id},
    ).text
    assert f'selected value="{world["entry"].id}"' in page
    response = client.post(
        f"/judging/events/{event_id}/remarks",
        data={
            "remark-entry": world["entry"].id,
            "remark-judge": world["users"][JUDGE].id,
            "remark-criterion": 0,
            "remark-reason": "两位裁判分差过大",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(RemarkRequest).count() == 2


def test_the_desk_flags_marks_given_before_a_conflict_was_declared(app, client, auth, world):
    judge = world["users"][JUDGE]
    entry = world["entry"]
    with app.app_context():
        criterion = db.session.scalars(select(Criterion).filter_by(event_id=entry.event_id)).first()
        db.session.add(
            Mark(entry_id=entry.id, judge_id=judge.id, criterion_id=criterion.id, value=Decimal(5))
        )
        db.session.add(
            ConflictDeclaration(judge_id=judge.id, person_id=entry.person_id, relation="父子")
        )
        db.session.commit()
    _sign_in(client, auth, world, CHIEF)
    page = client.get(f"/judging/events/{world['event'].id}/chief").text
    assert "Marks given despite a conflict of interest" in page
    assert "No. 007" in page


def test_actions_on_a_locked_event_say_why(app, client, auth, world):
    event_id = world["event"].id
    with app.app_context():
        db.session.get(Event, event_id).status = EventStatus.SIGNED_OFF
        db.session.commit()
    _sign_in(client, auth, world, CHIEF)
    response = client.post(
        f"/judging/events/{event_id}/excuses",
        data={"excuse-entry": world["entry"].id, "excuse-reason": "迟到"},
        follow_redirects=True,
    )
    assert "Marking is not open for this event" in response.text
    page = client.get(f"/judging/events/{event_id}/chief").text
    assert "the marks are locked" in page and "/sign-off" not in page
    auth.logout()
    _sign_in(client, auth, world, ORGANISER)
    client.post(f"/judging/events/{event_id}/reopen", data={"reopen-reason": "复核"})
    again = client.post(
        f"/judging/events/{event_id}/reopen",
        data={"reopen-reason": "复核"},
        follow_redirects=True,
    )
    assert "Only a signed-off event can be reopened" in again.text
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(AuditEntry.id)).where(AuditEntry.action == "event_reopened")
            )
            == 1
        )

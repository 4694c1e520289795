"""Contestant registration through HTTP: permissions, masking, forms, imports and exports."""
# ruff: noqa: E501  (the tables of cases read best one case a line)

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import markupsafe
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from competitions.audit import AuditEntry
from competitions.contests.models import Competition, Event
from competitions.enums import EventStatus
from competitions.extensions import db
from competitions.judging.models import Mark
from competitions.registration.models import Entry, Person, TeamMember
from tests.unit.sheets.files import make_xlsx
from tests.unit.sheets.ids import make_id_number

ZHANG = make_id_number(date(1990, 5, 17), sequence=101)  # 张伟
LI = make_id_number(date(1992, 3, 1), sequence=102)  # 李娜
WANG = make_id_number(date(1988, 8, 8), sequence=103)  # 王强
ZHAO = make_id_number(date(1979, 12, 31), sequence=104)  # 赵敏
HEADERS = ["赛项代码", "姓名", "工作单位", "身份证号", "手机号", "团队名称", "工位号", "备注"]


@pytest.fixture
def setup(make_user, make_competition, make_event):
    """A competition with an individual and a team event, both open, and its organiser."""
    organiser = make_user("organiser", username="owner")
    competition = make_competition(organisers=[organiser], code="LH-2026")
    robot = make_event(competition, code="ROBOT", status=EventStatus.REGISTRATION_OPEN)
    team = make_event(competition, code="TEAM", is_team=True, status=EventStatus.DRAFT)
    return organiser, competition, robot, team


def person_row(code, name, id_number, *, phone="13800138001", team="", station="", note=""):
    return [code, name, "某某精密制造有限公司", id_number, phone, team, station, note]


def upload(client, competition, data: bytes, filename="contestants.xlsx"):
    return client.post(
        f"/competitions/{competition.id}/entries/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- permissions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, {"list": 302, "new": 302, "import": 302, "template": 302, "export": 302, "package": 302}),
        ("owner", {"list": 200, "new": 200, "import": 200, "template": 200, "export": 200, "package": 200}),
        ("admin", {"list": 200, "new": 200, "import": 200, "template": 200, "export": 200, "package": 200}),
        ("organiser", {"list": 200, "new": 403, "import": 403, "template": 403, "export": 200, "package": 403}),
        ("judge", {"list": 403, "new": 403, "import": 403, "template": 403, "export": 403, "package": 403}),
        ("contestant", {"list": 403, "new": 403, "import": 403, "template": 403, "export": 403, "package": 403}),
    ],
)  # fmt: skip
def test_pages_by_role(client, auth, setup, who, expected):
    organiser, competition, robot, _team = setup
    if who == "owner":
        auth.login(organiser.username)
    elif who:
        auth.login_as(who)
    c = competition.id
    urls = {
        "list": f"/competitions/{c}/entries",
        "new": f"/competitions/{c}/events/{robot.id}/entries/new",
        "import": f"/competitions/{c}/entries/import",
        "template": f"/competitions/{c}/entries/template.xlsx",
        "export": f"/competitions/{c}/entries/export.csv",
        "package": f"/competitions/{c}/package.json",
    }
    for name, url in urls.items():
        assert client.get(url).status_code == expected[name], name


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "/competitions/{c}/events/{e}/entries/new"),
        ("POST", "/competitions/{c}/entries/import"),
        ("GET", "/entries/{n}/edit"),
        ("POST", "/entries/{n}/edit"),
        ("POST", "/entries/{n}/delete"),
        ("GET", "/competitions/{c}/entries/export.xlsx?personal=1"),
    ],
)
@pytest.mark.parametrize(
    ("role", "status"), [("organiser", 403), ("judge", 403), ("contestant", 403), ("admin", None)]
)
def test_changes_are_for_the_competitions_managers(
    client, auth, setup, make_entry, role, status, method, url
):
    _organiser, competition, robot, _team = setup
    entry = make_entry(robot, status="registered")
    auth.login_as(role)
    response = client.open(
        url.format(c=competition.id, e=robot.id, n=entry.id), method=method, data={}
    )
    if status is None:
        assert response.status_code in (200, 302, 400)
    else:
        assert response.status_code == status


def test_missing_objects_are_404(client, auth):
    auth.login_as("admin")
    assert client.get("/competitions/999/entries").status_code == 404
    assert client.get("/entries/999/edit").status_code == 404


def test_an_event_of_another_competition_is_404(client, auth, setup, make_event):
    organiser, competition, _robot, _team = setup
    elsewhere = make_event(code="ELSE", status=EventStatus.DRAFT)
    auth.login(organiser.username)
    url = f"/competitions/{competition.id}/events/{elsewhere.id}/entries/new"
    assert client.get(url).status_code == 404


# --- masking -----------------------------------------------------------------------------


def test_personal_data_is_masked_for_all_but_the_competitions_organisers(
    client, auth, setup, make_entry, make_user, app
):
    organiser, competition, robot, _team = setup
    entry = make_entry(robot, name="张伟", id_number=ZHANG, status="registered")
    with app.app_context():
        db.session.get(Entry, entry.id).person.phone = "13800138000"
        db.session.commit()
    full, masked = ZHANG, ZHANG[:4] + "*" * 10 + ZHANG[-4:]
    url = f"/competitions/{competition.id}/entries"

    auth.login(organiser.username)
    page = client.get(url).text
    assert full in page and "13800138000" in page and masked not in page

    auth.logout()
    auth.login_as("organiser")  # organiser of other competitions: read-only, masked
    page = client.get(url).text
    assert "张伟" in page and full not in page and masked in page
    assert "138****8000" in page and "13800138000" not in page
    assert "/edit" not in page

    auth.logout()
    auth.login_as("judge")  # judges know entries by number only
    assert client.get(url).status_code == 403

    contestant = make_user("contestant", person_id=entry.person_id)
    auth.logout()
    auth.login(contestant.username)
    assert client.get(url).status_code == 403
    mine = client.get("/registration/mine").text
    assert "张伟" in mine and masked in mine and full not in mine and "138****8000" in mine


# --- the form ------------------------------------------------------------------------------


def form(**changes):
    data = {
        "name": "张伟",
        "employer": "某某精密制造有限公司",
        "id_number": ZHANG.lower()[:-1] + ZHANG[-1].lower(),
        "phone": "+86 138 0013 8000",
        "station": "A01",
        "note": "",
    }
    data.update(changes)
    return data


def test_register_a_contestant(client, auth, setup, app):
    organiser, competition, robot, _team = setup
    auth.login(organiser.username)
    url = f"/competitions/{competition.id}/events/{robot.id}/entries/new"
    response = client.post(url, data=form())
    assert response.status_code == 302, response.text
    with app.app_context():
        entry = db.session.scalar(select(Entry))
        assert entry.person.id_number == ZHANG and entry.person.phone == "13800138000"
        assert entry.ref == "E0001" and entry.station == "A01"
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "entry_registered"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id_number": ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1")}, "check digit should be"),
        ({"id_number": "12345"}, "must have 18 characters"),
        ({"phone": "12345"}, "is not a mobile number"),
        ({"name": ""}, "This field is required."),
        ({"employer": ""}, "This field is required."),
    ],
)
def test_form_errors_name_the_field_and_change_nothing(client, auth, setup, app, changes, message):
    organiser, competition, robot, _team = setup
    auth.login(organiser.username)
    url = f"/competitions/{competition.id}/events/{robot.id}/entries/new"
    response = client.post(url, data=form(**changes))
    assert response.status_code == 200
    assert message in response.text and "is-invalid" in response.text
    assert count(app, Entry) == 0


def test_duplicates_and_taken_stations_are_refused(client, auth, setup, app, make_entry):
    organiser, competition, robot, _team = setup
    make_entry(robot, name="李娜", id_number=LI, station="A01", status="registered")
    auth.login(organiser.username)
    url = f"/competitions/{competition.id}/events/{robot.id}/entries/new"
    response = client.post(url, data=form())
    assert "Station A01 is already taken in ROBOT." in response.text
    response = client.post(url, data=form(name="李娜", id_number=LI, station=""))
    assert "is already registered for ROBOT." in response.text
    response = client.post(url, data=form(name="赵六", id_number=LI, station=""))
    assert "is registered for a person of another name" in response.text
    assert count(app, Entry) == 1
    with app.app_context():
        assert db.session.scalar(select(Person.name).where(Person.id_number == LI)) == "李娜"


def test_register_a_team_with_its_captain(client, auth, setup, app):
    organiser, competition, _robot, team = setup
    auth.login(organiser.username)
    url = f"/competitions/{competition.id}/events/{team.id}/entries/new"
    data = {"team_name": "精密一队", "station": "", "note": "", "captain": "1"}
    for i, (name, id_number) in enumerate([("张伟", ZHANG), ("李娜", LI)]):
        data |= {
            f"members-{i}-name": name,
            f"members-{i}-employer": "某某精密",
            f"members-{i}-id_number": id_number,
            f"members-{i}-phone": "13800138000",
        }
    response = client.post(url, data=data)
    assert response.status_code == 302, response.text
    with app.app_context():
        entry = db.session.scalar(select(Entry))
        assert entry.team_name == "精密一队"
        assert [(m.person.name, m.is_captain) for m in entry.members] == [
            ("张伟", False),
            ("李娜", True),
        ]
    # A half-filled member row is marked; nothing is written.
    data = {"team_name": "二队", "members-0-name": "王强", "captain": "0"}
    response = client.post(url, data=data)
    assert "Complete or clear the marked member rows." in response.text
    response = client.post(url, data={"team_name": "三队", "captain": "0"})
    assert "Give at least one member." in response.text
    assert count(app, Entry) == 1


def test_edit_and_remove_an_entry(client, auth, setup, app, make_entry):
    organiser, _competition, robot, _team = setup
    entry = make_entry(robot, name="张伟", id_number=ZHANG, status="registered")
    auth.login(organiser.username)
    page = client.get(f"/entries/{entry.id}/edit").text
    assert ZHANG in page
    response = client.post(f"/entries/{entry.id}/edit", data=form(employer="新单位", station="B2"))
    assert response.status_code == 302
    with app.app_context():
        changed = db.session.get(Entry, entry.id)
        assert changed.employer == "新单位" and changed.station == "B2"
    assert client.post(f"/entries/{entry.id}/delete").status_code == 302
    assert count(app, Entry) == 0
    assert count(app, Person) == 1  # the lifelong record stays


def test_an_entry_with_marks_is_never_removed(client, auth, setup, app, make_entry, make_judge):
    organiser, _competition, robot, _team = setup
    entry = make_entry(robot, status="registered")
    judge, _assignment = make_judge(robot)
    with app.app_context():
        event = db.session.get(Event, robot.id)
        db.session.add(
            Mark(
                entry_id=entry.id,
                criterion_id=event.criteria[0].id,
                judge_id=judge.id,
                value=Decimal(5),
            )
        )
        db.session.commit()
    auth.login(organiser.username)
    response = client.post(f"/entries/{entry.id}/delete", follow_redirects=True)
    assert "This entry has marks and cannot be removed." in response.text
    assert count(app, Entry) == 1 and count(app, Mark) == 1


def test_nothing_changes_once_registration_is_closed(client, auth, setup, app, make_entry):
    organiser, competition, robot, _team = setup
    entry = make_entry(robot, status="registered")
    with app.app_context():
        db.session.get(Event, robot.id).status = EventStatus.MARKING
        db.session.commit()
    auth.login(organiser.username)
    url = f"/competitions/{competition.id}/events/{robot.id}/entries/new"
    assert client.post(url, data=form()).status_code == 302
    assert client.post(f"/entries/{entry.id}/delete").status_code == 302
    assert client.post(f"/entries/{entry.id}/edit", data=form()).status_code == 302
    assert count(app, Entry) == 1
    with app.app_context():
        assert db.session.get(Entry, entry.id).person.id_number is None


# --- the import ---------------------------------------------------------------------------


def good_rows():
    return [
        HEADERS,
        person_row("ROBOT", "张伟", ZHANG, station="A01"),
        person_row("robot", "李娜", LI, station="A02", note="@SUM(1+1)*cmd|' /C calc'!A0"),
        person_row("TEAM", "王强", WANG, team="精密一队"),
        person_row("TEAM", "赵敏", ZHAO, team="精密 一队"),
    ]


def test_a_good_import_says_how_many_were_added(client, auth, setup, app):
    organiser, competition, _robot, _team = setup
    auth.login(organiser.username)
    response = upload(client, competition, make_xlsx(good_rows()))
    assert response.status_code == 302
    page = client.get(response.location).text
    assert "3 entries with 4 contestants were added." in page
    with app.app_context():
        team = db.session.scalar(select(Entry).where(Entry.team_name.is_not(None)))
        assert [m.person.name for m in team.members] == ["王强", "赵敏"]
        assert team.members[0].is_captain
        assert db.session.scalar(select(func.count(Entry.id))) == 3
        assert db.session.scalar(
            select(AuditEntry.detail).where(AuditEntry.action == "contestants_imported")
        ) == {"filename": "contestants.xlsx", "entries": 3, "people": 4}


def test_a_gbk_csv_is_read(client, auth, setup, app):
    organiser, competition, _robot, _team = setup
    auth.login(organiser.username)
    text = "\r\n".join(",".join(row) for row in good_rows()[:3])
    response = upload(client, competition, text.encode("gbk"), "报名表.csv")
    assert response.status_code == 302, response.text
    with app.app_context():
        names = db.session.scalars(select(Person.name).order_by(Person.id)).all()
        assert names == ["张伟", "李娜"]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (person_row("NOPE", "张伟", ZHANG), "赛项代码", "unknown event code NOPE"),
        (person_row("ROBOT", "", ZHANG), "姓名", "is required"),
        (person_row("ROBOT", "张伟", ZHANG[:-1] + ("1" if ZHANG[-1] != "1" else "2")), "身份证号", "check digit should be"),
        (person_row("ROBOT", "张伟", ZHANG, phone="1234"), "手机号", "is not a mobile number"),
        (person_row("ROBOT", "李娜", LI), "身份证号", "is also in row 2 for ROBOT"),
        (person_row("TEAM", "张伟", ZHANG), "团队名称", "TEAM is a team event, so the team name is required"),
        (person_row("ROBOT", "王强", WANG, team="一队"), "团队名称", "ROBOT is an individual event"),
        (person_row("ROBOT", "王强", WANG, station="A09"), "工位号", "station A09 is also given in row 2"),
        (person_row("ROBOT", "张伟", "11010519491231002X"), "", "this is the template's example row"),
        (person_row("ROBOT", "赵六", ZHAO), "身份证号", "is registered for a person of another name"),
        (person_row("ROBOT", "马丽", make_id_number(date(1990, 1, 1), sequence=7)), "身份证号", "is already registered for ROBOT"),
        (person_row("ROBOT", "钱七", make_id_number(date(1990, 1, 1), sequence=8), station="S1"), "工位号", "station S1 is already taken in ROBOT"),
    ],
)  # fmt: skip
def test_each_rule_reaches_the_page_with_its_row_and_the_last_bad_row_blocks_all(
    client, auth, setup, app, make_entry, row, column, message
):
    organiser, competition, robot, _team = setup
    make_entry(robot, name="马丽", id_number=make_id_number(date(1990, 1, 1), sequence=7),
               station="S1", status="registered")  # fmt: skip
    with app.app_context():
        db.session.add(Person(name="赵敏", id_number=ZHAO))
        db.session.commit()
    before = (count(app, Entry), count(app, Person), count(app, TeamMember))
    auth.login(organiser.username)
    rows = [
        HEADERS,
        person_row("ROBOT", "李娜", LI, station="A09"),
        *[person_row("ROBOT", f"选手{n}", make_id_number(date(1991, 1, 1), sequence=n)) for n in range(200, 206)],
        row,  # the last row is the bad one
    ]  # fmt: skip
    response = upload(client, competition, make_xlsx(rows))
    assert response.status_code == 200
    page = response.text
    assert "Nothing was imported: 1 problem in the file." in page
    assert f'<td class="text-nowrap fw-semibold">{len(rows)}</td>' in page
    assert f'<td class="text-nowrap">{column}</td>' in page
    assert str(markupsafe.escape(message)) in page
    assert (count(app, Entry), count(app, Person), count(app, TeamMember)) == before


def test_every_bad_row_is_listed(client, auth, setup):
    organiser, competition, _robot, _team = setup
    auth.login(organiser.username)
    rows = [HEADERS, person_row("NOPE", "张伟", ZHANG), person_row("ROBOT", "", LI)]
    page = upload(client, competition, make_xlsx(rows)).text
    assert "2 problems in the file" in page
    assert page.index("unknown event code NOPE") < page.index("is required")


def test_a_closed_event_takes_no_import(client, auth, setup, app):
    organiser, competition, robot, _team = setup
    with app.app_context():
        db.session.get(Event, robot.id).status = EventStatus.REGISTRATION_CLOSED
        db.session.commit()
    auth.login(organiser.username)
    page = upload(client, competition, make_xlsx([HEADERS, person_row("ROBOT", "张伟", ZHANG)]))
    assert "registration for ROBOT is closed" in page.text
    assert count(app, Entry) == 0


def test_unreadable_and_oversized_files_get_a_clear_message(client, auth, setup, make_app):
    organiser, competition, _robot, _team = setup
    auth.login(organiser.username)
    page = upload(client, competition, b"not a workbook", "list.xls").text
    assert "Files of type .xls cannot be read." in page
    small = make_app(MAX_CONTENT_LENGTH=2048).test_client()
    small.post("/login", data={"username": organiser.username, "password": "correct horse battery"})
    response = upload(small, competition, b"x" * 4096, "big.csv")
    assert response.status_code == 413
    assert "The file is larger than" in response.text


# --- templates and exports ----------------------------------------------------------------


def test_templates_list_the_competitions_events(client, auth, setup):
    organiser, competition, _robot, _team = setup
    auth.login(organiser.username)
    response = client.get(f"/competitions/{competition.id}/entries/template.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    assert [c.value for c in workbook.worksheets[0][1]][:2] == ["Event code", "Name"]
    codes = [row[0].value for row in workbook.worksheets[1].iter_rows(min_row=2)]
    assert codes == ["ROBOT", "TEAM"]
    response = client.get(f"/competitions/{competition.id}/entries/template.csv")
    assert response.mimetype == "text/csv"
    assert response.data.decode("utf-8-sig").startswith("Event code,Name")
    assert "attachment" in response.headers["Content-Disposition"]


def test_exports_are_formula_safe_and_personal_data_only_on_request(client, auth, setup, app):
    organiser, competition, _robot, _team = setup
    auth.login(organiser.username)
    upload(client, competition, make_xlsx(good_rows()))
    base = f"/competitions/{competition.id}/entries/export"
    rows = list(csv.reader(io.StringIO(client.get(f"{base}.csv").data.decode("utf-8-sig"))))
    assert "ID number" not in rows[0] and "Phone" not in rows[0]
    assert not any(ZHANG in cell for row in rows for cell in row)
    note = next(row for row in rows if row[6] == "李娜")[-1]
    assert note == "'@SUM(1+1)*cmd|' /C calc'!A0"
    rows = list(
        csv.reader(io.StringIO(client.get(f"{base}.csv?personal=1").data.decode("utf-8-sig")))
    )
    assert "ID number" in rows[0] and any(ZHANG in row for row in rows)
    sheet = load_workbook(io.BytesIO(client.get(f"{base}.xlsx?personal=1").data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 5 and ZHANG in values[1]
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(AuditEntry.id)).where(AuditEntry.action == "contestants_exported")
            )
            == 2
        )

    auth.logout()
    auth.login_as("organiser")  # another organiser: masked data is left out, not asked for
    assert client.get(f"{base}.csv?personal=1").status_code == 403
    text = client.get(f"{base}.xlsx").status_code
    assert text == 200


def test_the_competition_card_links_to_its_contestants(client, auth, setup):
    organiser, competition, _robot, _team = setup
    auth.login(organiser.username)
    assert f"/competitions/{competition.id}/entries" in client.get("/").text
    assert count  # keep the helper referenced
    assert Competition


def test_edit_a_team(client, auth, setup, app):
    organiser, competition, _robot, team = setup
    auth.login(organiser.username)
    url = f"/competitions/{competition.id}/events/{team.id}/entries/new"
    data = {"team_name": "精密一队", "captain": "0"}
    for i, (name, id_number) in enumerate([("张伟", ZHANG), ("李娜", LI)]):
        data |= {
            f"members-{i}-name": name,
            f"members-{i}-employer": "某某精密",
            f"members-{i}-id_number": id_number,
            f"members-{i}-phone": "13800138000",
        }
    assert client.post(url, data=data).status_code == 302
    with app.app_context():
        entry_id = db.session.scalar(select(Entry.id))
    page = client.get(f"/entries/{entry_id}/edit").text
    assert 'value="精密一队"' in page and LI in page
    data |= {
        "team_name": "精密二队",
        "captain": "2",
        "members-1-name": "",
        "members-1-employer": "",
        "members-1-id_number": "",
        "members-1-phone": "",
        "members-2-name": "王强",
        "members-2-employer": "新单位",
        "members-2-id_number": WANG,
        "members-2-phone": "13700137000",
    }
    assert client.post(f"/entries/{entry_id}/edit", data=data).status_code == 302
    with app.app_context():
        entry = db.session.get(Entry, entry_id)
        assert entry.team_name == "精密二队" and entry.employer == "新单位"
        assert [(m.person.name, m.is_captain) for m in entry.members] == [
            ("张伟", False),
            ("王强", True),
        ]


def test_an_oversized_upload_is_refused_on_the_import_page_also_with_csrf(setup, make_app):
    organiser, competition, _robot, _team = setup
    app = make_app(MAX_CONTENT_LENGTH=2048, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={
            "username": organiser.username,
            "password": "correct horse battery",
            "csrf_token": token,
        },
    )
    response = upload(client, competition, b"x" * 4096, "big.csv")
    assert response.status_code == 413
    assert "The file is larger than" in response.text
    assert "Import contestants" in response.text


def test_a_crowded_competition_lists_one_event_at_a_time(
    client, auth, setup, make_entry, monkeypatch
):
    from competitions.registration import views

    organiser, competition, robot, team = setup
    make_entry(robot, name="张伟", status="registered")
    make_entry(robot, name="李娜", status="registered")
    auth.login(organiser.username)
    url = f"/competitions/{competition.id}/entries"
    page = client.get(url).text
    assert f'id="event-{robot.id}"' in page and f'id="event-{team.id}"' in page
    monkeypatch.setattr(views, "ALL_EVENTS_UP_TO", 1)
    page = client.get(url).text
    assert f'id="event-{robot.id}"' in page and f'id="event-{team.id}"' not in page
    page = client.get(f"{url}?event={team.id}").text
    assert f'id="event-{robot.id}"' not in page and f'id="event-{team.id}"' in page
    page = client.get(f"{url}?event=all").text
    assert f'id="event-{robot.id}"' in page and f'id="event-{team.id}"' in page


def test_an_entry_with_a_certificate_is_never_removed(client, auth, setup, app, make_entry):
    from competitions.certificates.models import Certificate
    from competitions.enums import CertificateKind

    organiser, _competition, robot, _team = setup
    entry = make_entry(robot, status="registered")
    with app.app_context():
        db.session.add(
            Certificate(
                number="C-1",
                event_id=robot.id,
                sequence=1,
                entry_id=entry.id,
                person_id=entry.person_id,
                kind=CertificateKind.PARTICIPATION,
                verification_code="w" * 32,
            )
        )
        db.session.commit()
    auth.login(organiser.username)
    response = client.post(f"/entries/{entry.id}/delete", follow_redirects=True)
    assert "This entry has certificates and cannot be removed." in response.text
    assert count(app, Entry) == 1

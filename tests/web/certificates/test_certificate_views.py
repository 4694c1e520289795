"""Certificate pages over HTTP: who may do what, downloads, claims, verification, exports."""

import csv
import io
import json
import re
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from competitions.certificates.models import Certificate
from competitions.contests.models import Competition, Event
from competitions.extensions import db
from competitions.pdf.samples import sample_logo_png
from tests.conftest import DEFAULT_PASSWORD


@pytest.fixture
def issued(app, client, make_final_event, make_user):
    """A FINAL event with certificates issued by its organiser; returns a dict of ids."""
    organiser = make_user("organiser", username="org")
    event, entries = make_final_event(
        id_numbers={"张伟": "440309199001011234", "李娜": "440309199202022345"}
    )
    with app.app_context():
        competition = db.session.get(Competition, db.session.get(Event, event.id).competition_id)
        competition.organisers.append(db.session.merge(organiser))
        db.session.commit()
        competition_id = competition.id
        people = {e.ref: e.person_id for e in entries}
    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    response = client.post(f"/certificates/events/{event.id}/issue", data={})
    assert response.status_code == 302
    client.post("/logout")
    with app.app_context():
        certificates = {
            c.facts["person_name"]: (c.id, c.person_id, c.verification_code, c.number)
            for c in db.session.scalars(select(Certificate))
        }
    return {
        "event": event.id,
        "competition": competition_id,
        "certificates": certificates,
        "people": people,
    }


def _contestant(make_user, person_id, username):
    return make_user("contestant", username=username, person_id=person_id)


def test_a_contestant_downloads_their_own_certificate_and_nobody_elses(client, issued, make_user):
    own_id, person_id, *_ = issued["certificates"]["张伟"]
    other_id, *_ = issued["certificates"]["李娜"]
    _contestant(make_user, person_id, "zhangwei")
    client.post("/login", data={"username": "zhangwei", "password": "correct horse battery"})

    response = client.get(f"/certificates/{own_id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    # Changing the id in the URL finds another person's certificate: refused.
    assert client.get(f"/certificates/{other_id}.pdf").status_code == 403
    assert client.get(f"/certificates/{other_id}/badge.json").status_code == 403
    assert client.get("/certificates/999999.pdf").status_code == 404
    mine = client.get("/certificates/mine").text
    assert issued["certificates"]["张伟"][3] in mine
    assert issued["certificates"]["李娜"][3] not in mine
    badge = client.get(f"/certificates/{own_id}/badge.json")
    assert badge.status_code == 200
    assert json.loads(badge.data)["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_anonymous_downloads_go_to_sign_in(client, issued):
    cert_id, *_ = issued["certificates"]["张伟"]
    response = client.get(f"/certificates/{cert_id}.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_verification_shows_valid_then_revoked_without_personal_data(client, app, issued):
    cert_id, _person, code, number = issued["certificates"]["张伟"]
    page = client.get(f"/verify/{code}")
    assert page.status_code == 200
    assert "This certificate is valid." in page.text
    assert "张伟" in page.text and number in page.text and "First prize" in page.text
    assert "440309199001011234" not in page.text and "4403" not in page.text
    by_number = client.get("/verify", query_string={"number": number.lower()})
    assert by_number.status_code == 200 and "This certificate is valid." in by_number.text
    assert code not in by_number.text  # a number search does not reveal the QR code's secret

    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    response = client.post(f"/certificates/{cert_id}/revoke", data={"reason": ""})
    assert response.status_code == 422 and "Give the reason" in response.text
    response = client.post(f"/certificates/{cert_id}/revoke", data={"reason": "复核后成绩有误"})
    assert response.status_code == 302
    client.post("/logout")

    page = client.get(f"/verify/{code}")
    assert "This certificate has been revoked." in page.text and "复核后成绩有误" in page.text
    assert "This certificate is valid." not in page.text
    assert "revoked" in client.get("/verify", query_string={"number": number}).text
    assert client.get("/verify/not-a-real-code").status_code == 404
    assert client.get("/verify", query_string={"number": "NOPE-0001"}).status_code == 404


def test_a_certificate_revoked_by_mistake_is_reinstated(client, app, issued):
    from competitions.audit import AuditEntry
    from competitions.extensions import db

    cert_id, _person, code, number = issued["certificates"]["张伟"]
    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    # Only a revoked certificate can be reinstated.
    refused = client.post(
        f"/certificates/{cert_id}/reinstate", data={"reason": "误操作"}, follow_redirects=True
    )
    assert "Only a revoked certificate can be reinstated." in refused.text
    client.post(f"/certificates/{cert_id}/revoke", data={"reason": "点错了证书"})
    page = client.get(f"/certificates/{cert_id}").text
    assert f"/certificates/{cert_id}/reinstate" in page
    no_reason = client.post(f"/certificates/{cert_id}/reinstate", data={"reason": " "})
    assert no_reason.status_code == 422 and "Give the reason for reinstating" in no_reason.text
    done = client.post(
        f"/certificates/{cert_id}/reinstate", data={"reason": "撤销操作有误"}, follow_redirects=True
    )
    assert f"Certificate {number} is valid again." in done.text
    assert "Revoke the certificate" in done.text
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "certificate_reinstated")
        ).one()
        assert entry.detail["revoked_reason"] == "点错了证书"
        assert entry.detail["reason"] == "撤销操作有误"
    client.post("/logout")
    verification = client.get(f"/verify/{code}").text
    assert "This certificate is valid." in verification and "点错了证书" not in verification


def test_another_competitions_organiser_cannot_reinstate(client, app, issued, make_user):
    cert_id, *_ = issued["certificates"]["张伟"]
    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    client.post(f"/certificates/{cert_id}/revoke", data={"reason": "复核后成绩有误"})
    client.post("/logout")
    stranger = make_user("organiser")
    client.post("/login", data={"username": stranger.username, "password": DEFAULT_PASSWORD})
    response = client.post(f"/certificates/{cert_id}/reinstate", data={"reason": "x"})
    assert response.status_code in (403, 404)
    assert "revoked" in client.get(f"/verify/{issued['certificates']['张伟'][2]}").text


def test_claim_with_id_number_and_code(app, client, issued):
    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    response = client.post(f"/certificates/events/{issued['event']}/claim-codes", data={})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    codes = {row[1]: row[3] for row in rows[1:]}
    assert set(codes) == {"张伟", "李娜", "王强", "刘洋"}
    client.post("/logout")

    own_id, *_ = issued["certificates"]["张伟"]
    other_id, *_ = issued["certificates"]["李娜"]
    assert client.get(f"/certificates/{own_id}.pdf").status_code == 302
    wrong = client.post(
        "/certificates/claim", data={"id_number": "440309199001011234", "code": codes["李娜"]}
    )
    assert wrong.status_code == 422 and "No certificate matches" in wrong.text
    right = client.post(
        "/certificates/claim",
        data={"id_number": "440309199001011234", "code": codes["张伟"].lower()},
    )
    assert right.status_code == 302 and right.headers["Location"].endswith("/certificates/mine")
    assert client.get(f"/certificates/{own_id}.pdf").status_code == 200
    assert client.get(f"/certificates/{other_id}.pdf").status_code in (302, 403)
    assert issued["certificates"]["张伟"][3] in client.get("/certificates/mine").text


def test_claiming_is_rate_limited_per_holder_and_per_address(make_app, issued):
    app = make_app(
        CLAIM_LIMIT_PER_HOLDER="3 per minute",
        CLAIM_LIMIT_PER_ADDRESS="5 per minute",
    )
    client = app.test_client()
    for _ in range(3):
        response = client.post(
            "/certificates/claim", data={"id_number": "440309199001011234", "code": "AAAAA-AAAAA"}
        )
        assert response.status_code == 422
    blocked = client.post(
        "/certificates/claim", data={"id_number": "440309199001011234", "code": "BBBBB-BBBBB"}
    )
    assert blocked.status_code == 429
    # Another holder from another address is not blocked by the first holder's limit.
    other = client.post(
        "/certificates/claim",
        data={"id_number": "440309199202022345", "code": "AAAAA-AAAAA"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert other.status_code == 422
    # From one address, guessing across many ID numbers runs into the address limit.
    statuses = [
        client.post(
            "/certificates/claim",
            data={"id_number": f"44030919900101{n:04d}", "code": "AAAAA-AAAAA"},
        ).status_code
        for n in range(3)
    ]
    assert statuses[-1] == 429


def test_reissue_through_the_page_keeps_the_number(app, client, issued):
    cert_id, _person, code, number = issued["certificates"]["李娜"]
    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    page = client.get(f"/certificates/{cert_id}")
    assert page.status_code == 200 and number in page.text
    response = client.post(
        f"/certificates/{cert_id}",
        data={"person_name": "李娜娜", "employer": "某某精密制造有限公司", "reason": "姓名更正"},
    )
    assert response.status_code == 302
    page = client.get(f"/certificates/{cert_id}").text
    assert "李娜 → <strong>李娜娜</strong>" in page and "姓名更正" in page
    verify = client.get(f"/verify/{code}").text
    assert "李娜娜" in verify and number in verify and "revision 2" in verify


def test_zip_and_print_pdf_of_an_event(client, issued):
    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    response = client.get(f"/certificates/events/{issued['event']}/certificates.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    expected = sorted(
        f"{number}-{name}.pdf" for name, (*_x, number) in issued["certificates"].items()
    )
    assert sorted(names) == expected
    merged = client.get(f"/certificates/events/{issued['event']}/print.pdf")
    assert merged.status_code == 200
    assert len(re.findall(rb"/Type\s*/Page\b", merged.data)) == 4


def test_award_winner_exports(client, issued):
    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    base = f"/recognition/competitions/{issued['competition']}/award-winners"
    data = json.loads(client.get(f"{base}.json").data)
    winners = data["award_winners"]
    assert [w["name"] for w in winners] == ["张伟", "李娜", "王强", "刘洋"]
    assert winners[0]["recognition_zh"] == "推荐申报区级技术能手"
    assert winners[0]["id_number"] == "440309199001011234"
    assert re.fullmatch(r"\d+\.\d\d", winners[0]["total"])
    assert winners[0]["certificate_number"] == issued["certificates"]["张伟"][3]

    text = client.get(f"{base}.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0].startswith("竞赛代码") and len(rows) == 5

    workbook = load_workbook(io.BytesIO(client.get(f"{base}.xlsx").data))
    sheet = workbook.active
    assert sheet.max_row == 5 and sheet.cell(2, 14).value == "张伟"
    event_json = client.get(f"/recognition/events/{issued['event']}/award-winners.json")
    assert len(json.loads(event_json.data)["award_winners"]) == 4
    assert client.get(f"{base}.exe").status_code == 404


def test_export_text_is_formula_safe(app, client, issued):
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.sequence == 1))
        certificate.person.name = '=HYPERLINK("http://x")'
        db.session.commit()
    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    text = client.get(
        f"/recognition/competitions/{issued['competition']}/award-winners.csv"
    ).data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_design_upload_is_checked_by_content(client, issued):
    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    url = f"/certificates/competitions/{issued['competition']}/design"
    fake = client.post(
        url,
        data={"logo": (io.BytesIO(b"GIF89a not really"), "logo.png")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 422 and "not a PNG or JPEG" in fake.text
    good = client.post(
        url,
        data={"seal": (io.BytesIO(sample_logo_png()), "seal.jpg")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    image = client.get(f"/certificates/competitions/{issued['competition']}/images/seal")
    assert image.status_code == 200 and image.mimetype == "image/png"
    preview = client.get(f"/certificates/competitions/{issued['competition']}/preview.pdf")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF-")
    removed = client.post(url, data={"remove_seal": "y"}, content_type="multipart/form-data")
    assert removed.status_code == 302
    assert (
        client.get(f"/certificates/competitions/{issued['competition']}/images/seal").status_code
        == 404
    )


def test_people_and_record_pages(client, issued, make_user):
    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    people = client.get("/recognition/people", query_string={"q": "张"})
    assert people.status_code == 200 and "张伟" in people.text
    assert "440309199001011234" not in people.text
    person_id = issued["certificates"]["张伟"][1]
    record = client.get(f"/recognition/people/{person_id}")
    assert record.status_code == 200
    assert "First prize" in record.text and "推荐" not in record.text  # English page
    assert "Recommend as district technical expert" in record.text
    client.post("/logout")
    make_user("organiser", username="stranger")
    client.post("/login", data={"username": "stranger", "password": "correct horse battery"})
    assert client.get(f"/recognition/people/{person_id}").status_code == 403
    assert "张伟" not in client.get("/recognition/people", query_string={"q": "张"}).text


ORGANISER_ONLY = [
    ("GET", "/certificates/events/{event}"),
    ("POST", "/certificates/events/{event}/issue"),
    ("GET", "/certificates/events/{event}/certificates.zip"),
    ("GET", "/certificates/events/{event}/print.pdf"),
    ("POST", "/certificates/events/{event}/claim-codes"),
    ("GET", "/certificates/{cert}"),
    ("POST", "/certificates/{cert}/revoke"),
    ("POST", "/certificates/{cert}/claim-code"),
    ("GET", "/certificates/competitions/{competition}/design"),
    ("GET", "/certificates/competitions/{competition}/preview.pdf"),
    ("GET", "/recognition/competitions/{competition}/award-winners.csv"),
    ("GET", "/recognition/events/{event}/award-winners.json"),
    ("GET", "/recognition/people/{person}"),
]


@pytest.mark.parametrize(
    "role", ["anonymous", "contestant", "judge", "other_organiser", "organiser", "admin"]
)
def test_who_may_open_what(client, issued, make_user, role):
    """(role, method, URL) → allowed or not, for every organiser page of the blueprint."""
    cert_id, person_id, *_ = issued["certificates"]["张伟"]
    ids = {
        "event": issued["event"],
        "cert": cert_id,
        "competition": issued["competition"],
        "person": person_id,
    }
    if role == "organiser":
        client.post("/login", data={"username": "org", "password": "correct horse battery"})
    elif role != "anonymous":
        actual = {"other_organiser": "organiser"}.get(role, role)
        columns = {"person_id": person_id} if role == "contestant" else {}
        make_user(actual, username=f"u-{role}", **columns)
        client.post("/login", data={"username": f"u-{role}", "password": "correct horse battery"})
    allowed = role in ("organiser", "admin")
    for method, pattern in ORGANISER_ONLY:
        url = pattern.format(**ids)
        response = client.open(url, method=method, data={"reason": "x"})
        if allowed:
            assert response.status_code in (200, 302), (method, url, response.status_code)
            if response.status_code == 302:
                assert "/login" not in response.headers["Location"], (method, url)
        elif role == "anonymous":
            assert response.status_code in (302, 401, 403), (method, url, response.status_code)
            if response.status_code == 302:
                assert "/login" in response.headers["Location"]
        else:
            assert response.status_code == 403, (role, method, url, response.status_code)
    for url in (f"/verify/{issued['certificates']['张伟'][2]}", "/verify", "/certificates/claim"):
        assert client.get(url).status_code == 200, url
    # The certificates dashboard lists only the competitions an organiser organises.
    manage = client.get("/certificates/manage")
    if role in ("organiser", "admin", "other_organiser"):
        assert manage.status_code == 200
        assert (f"/certificates/events/{issued['event']}" in manage.text) == allowed
    elif role == "anonymous":
        assert manage.status_code == 302
    else:
        assert manage.status_code == 403


def test_pages_have_no_inline_scripts_or_styles(client, issued):
    client.post("/login", data={"username": "org", "password": "correct horse battery"})
    cert_id, person_id, code, _number = issued["certificates"]["张伟"]
    for url in (
        "/certificates/manage",
        f"/certificates/events/{issued['event']}",
        f"/certificates/{cert_id}",
        f"/certificates/competitions/{issued['competition']}/design",
        "/recognition/people?q=张",
        f"/recognition/people/{person_id}",
        f"/verify/{code}",
        "/verify",
        "/certificates/claim",
    ):
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url

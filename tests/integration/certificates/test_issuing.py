"""Issuing, reissuing and revoking certificates through the services, on a real database."""

import base64
import re

import pytest
from flask import Flask
from sqlalchemy import select

from competitions.certificates import services
from competitions.certificates.models import Certificate, CertificateRevision
from competitions.contests.models import Event
from competitions.enums import CertificateKind, CertificateStatus, EventStatus
from competitions.errors import DomainError, NotAllowed
from competitions.extensions import db
from competitions.registration.models import Person


def _issue(app: Flask, event_id: int, **kwargs):
    with app.test_request_context():
        event = db.session.get(Event, event_id)
        outcome = services.issue_certificates(event, actor=None, **kwargs)
        db.session.commit()
        return [(c.number, c.facts["person_name"], c.kind, c.rank) for c in outcome.created]


def test_award_winners_get_numbered_certificates_once(app, make_final_event):
    event, _entries = make_final_event(code="ROBOT")
    created = _issue(app, event.id)
    with app.app_context():
        code = db.session.get(Event, event.id).competition.code
    assert created == [
        (f"{code}-ROBOT-0001", "张伟", CertificateKind.AWARD, 1),
        (f"{code}-ROBOT-0002", "李娜", CertificateKind.AWARD, 2),
        (f"{code}-ROBOT-0003", "王强", CertificateKind.AWARD, 3),
        (f"{code}-ROBOT-0004", "刘洋", CertificateKind.AWARD, 4),
    ]
    # Issuing again adds nothing; the numbers stay.
    assert _issue(app, event.id) == []
    # Participation certificates continue the sequence for the other ranked entries.
    assert [n for n, *_ in _issue(app, event.id, participation=True)] == [
        f"{code}-ROBOT-0005",
        f"{code}-ROBOT-0006",
    ]
    with app.app_context():
        certificates = db.session.scalars(select(Certificate).order_by(Certificate.sequence)).all()
        assert len(certificates) == 6
        assert certificates[0].facts["award_name_zh"] == "一等奖"
        assert certificates[4].kind is CertificateKind.PARTICIPATION
        codes = {c.verification_code for c in certificates}
        assert len(codes) == 6
        for c in certificates:
            # token_urlsafe(18): 24 characters of base64url, 144 random bits.
            assert re.fullmatch(r"[A-Za-z0-9_-]{24}", c.verification_code)
            assert len(base64.urlsafe_b64decode(c.verification_code)) * 8 >= 128


def test_absent_entries_get_nothing_and_teams_get_one_per_member(app, make_final_event):
    event, _entries = make_final_event(
        names=("龙华一队", "李娜", "王强", "刘洋"),
        teams={"龙华一队": ["赵一", "钱二", "孙三"]},
        statuses={"刘洋": "absent"},
    )
    created = _issue(app, event.id, participation=True)
    names = [name for _n, name, *_ in created]
    assert names[:3] == ["赵一", "钱二", "孙三"]
    assert "刘洋" not in names
    with app.app_context():
        team = db.session.scalars(select(Certificate).where(Certificate.rank == 1)).all()
        assert {c.facts["team_name"] for c in team} == {"龙华一队"}


def test_issuing_needs_final_results(app, make_event):
    event = make_event(status=EventStatus.PUBLISHED)
    with app.test_request_context(), pytest.raises(NotAllowed, match="final"):
        services.issue_certificates(db.session.get(Event, event.id), actor=None)


def test_a_name_the_font_cannot_print_is_refused_by_name(app, make_final_event):
    event, _ = make_final_event(names=("张伟", "王𪚥", "李娜"))
    with app.test_request_context():
        with pytest.raises(DomainError) as error:
            services.issue_certificates(db.session.get(Event, event.id), actor=None)
        db.session.rollback()
        assert "王𪚥" in error.value.message and "U+2A6A5" in error.value.message
        assert db.session.scalar(select(db.func.count(Certificate.id))) == 0


def test_reissue_keeps_number_and_records_history(app, make_final_event):
    event, _ = make_final_event()
    _issue(app, event.id)
    with app.test_request_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.sequence == 2))
        number, code = certificate.number, certificate.verification_code
        services.reissue_certificate(
            certificate,
            actor=None,
            person_name="李娜娜",
            employer="新单位",
            reason="身份证姓名有误",
        )
        db.session.commit()
        certificate = db.session.get(Certificate, certificate.id)
        assert (certificate.number, certificate.verification_code) == (number, code)
        assert certificate.facts["person_name"] == "李娜娜"
        assert certificate.revision == 2
        [revision] = db.session.scalars(select(CertificateRevision)).all()
        assert revision.old_facts["person_name"] == "李娜"
        assert revision.new_facts["person_name"] == "李娜娜"
        with pytest.raises(DomainError) as error:
            services.reissue_certificate(
                certificate, actor=None, person_name="李娜娜", employer="新单位", reason=""
            )
        assert error.value.field == "reason"
        with pytest.raises(DomainError) as error:
            services.reissue_certificate(
                certificate, actor=None, person_name="李𪚥", employer=None, reason="x"
            )
        assert error.value.field == "person_name"


def test_revoke_needs_a_reason_and_happens_once(app, make_final_event):
    event, _ = make_final_event()
    _issue(app, event.id)
    with app.test_request_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.sequence == 1))
        with pytest.raises(DomainError) as error:
            services.revoke_certificate(certificate, actor=None, reason="  ")
        assert error.value.field == "reason"
        services.revoke_certificate(certificate, actor=None, reason="成绩复核后取消")
        db.session.commit()
        assert certificate.status is CertificateStatus.REVOKED
        with pytest.raises(NotAllowed):
            services.revoke_certificate(certificate, actor=None, reason="again")
        with pytest.raises(NotAllowed):
            services.reissue_certificate(
                certificate, actor=None, person_name="x", employer=None, reason="y"
            )


def test_claim_codes_are_hashed_and_match_the_holder_only(app, make_final_event):
    event, entries = make_final_event(
        id_numbers={"张伟": "440309199001011234", "李娜": "440309199202022345"}
    )
    _issue(app, event.id)
    with app.test_request_context():
        pairs = services.issue_claim_codes(db.session.get(Event, event.id), actor=None)
        db.session.commit()
        assert len(pairs) == 4
        codes = {c.facts["person_name"]: code for c, code in pairs}
        for certificate, code in pairs:
            assert code.replace("-", "") not in certificate.claim_code.code_hash
        assert services.issue_claim_codes(db.session.get(Event, event.id), actor=None) == []

        found = services.claim_certificates("440309199001011234", codes["张伟"].lower())
        assert [c.facts["person_name"] for c in found] == ["张伟"]
        # Another holder's code, or the right code with another ID number, finds nothing.
        assert services.claim_certificates("440309199001011234", codes["李娜"]) == []
        assert services.claim_certificates("440309199202022345", codes["张伟"]) == []
        assert services.claim_certificates("", codes["张伟"]) == []


def test_verification_url_uses_the_public_base_url(make_app, make_final_event):
    app = make_app(PUBLIC_BASE_URL="https://certs.example.cn/")
    event, _ = make_final_event()
    _issue(app, event.id)
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.sequence == 1))
        assert services.verification_url(certificate) == (
            f"https://certs.example.cn/verify/{certificate.verification_code}"
        )
        assert services.find_by_number(certificate.number.lower()).id == certificate.id
        assert services.find_by_code(certificate.verification_code).id == certificate.id
        assert services.find_by_code("nope") is None


def test_open_badge_is_an_open_badges_3_credential(make_app, make_final_event):
    app = make_app(PUBLIC_BASE_URL="https://certs.example.cn")
    event, _ = make_final_event()
    _issue(app, event.id)
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.sequence == 1))
        badge = services.open_badge(certificate, services.verification_url)
    assert badge["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert badge["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/context")
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["id"].startswith("https://certs.example.cn/verify/")
    assert badge["issuer"]["type"] == ["Profile"]
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["achievement"]["criteria"]["narrative"]
    assert subject["identifier"][0]["identityHash"] == "张伟"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", badge["validFrom"])


def test_people_lookup_is_limited_to_managed_competitions(app, make_final_event, make_user):
    from competitions.certificates.recognition import people_visible_to
    from competitions.contests.models import Competition

    organiser = make_user("organiser")
    admin = make_user("admin")
    event, _ = make_final_event()
    with app.app_context():
        admin = db.session.merge(admin)
        organiser = db.session.merge(organiser)
        admin.is_authenticated  # noqa: B018  (UserMixin: always True)
        assert [p.name for p in people_visible_to(admin, "张")] == ["张伟"]
        assert people_visible_to(organiser, "张") == []
        competition = db.session.get(Competition, db.session.get(Event, event.id).competition_id)
        competition.organisers.append(organiser)
        db.session.commit()
        assert [p.name for p in people_visible_to(organiser, "张伟")] == ["张伟"]
        assert db.session.scalar(select(Person).where(Person.name == "张伟")) is not None


def test_an_entry_with_a_certificate_cannot_be_deleted(app, make_final_event):
    from sqlalchemy.exc import IntegrityError

    from competitions.registration.models import Entry

    event, entries = make_final_event()
    _issue(app, event.id)
    with app.app_context():
        db.session.delete(db.session.get(Entry, entries[0].id))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(select(db.func.count(Certificate.id))) == 4

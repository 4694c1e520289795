"""Every demo award winner's certificate renders: Chinese text, layout, and a QR code that scans.

The PDF is rendered to PNG with pdftoppm and the QR code decoded with zbarimg
(Debian: poppler-utils, zbar-tools; the test skips without them). With
SCREENSHOT_DIR set, the PNGs are kept there to be looked at.
"""

import os
import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from competitions.certificates import services
from competitions.certificates.demo import issue_demo_certificates
from competitions.certificates.models import Certificate
from competitions.contests.models import Competition
from competitions.demo import DEMO_CODE, create_demo
from competitions.enums import CriterionType, EventStatus
from competitions.extensions import db
from competitions.judging.models import JudgeAssignment, Mark
from competitions.registration.models import Entry


def _tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: poppler-utils / zbar-tools)")
    return path


def _finalise_demo_events():
    """Mark and finalise the demo's events that have no marks yet (until the demo does it)."""
    competition = db.session.scalar(select(Competition).where(Competition.code == DEMO_CODE))
    rng = random.Random(7)
    for event in competition.events:
        marked = db.session.scalar(
            select(func.count(Mark.id)).join(Entry).where(Entry.event_id == event.id)
        )
        if not marked:
            judges = db.session.scalars(
                select(JudgeAssignment.judge_id).where(JudgeAssignment.event_id == event.id)
            ).all()
            for entry in event.entries:
                for criterion in event.criteria:
                    for judge_id in judges:
                        if criterion.type is CriterionType.JUDGEMENT:
                            value = Decimal(rng.randint(1, 3))
                        elif criterion.type is CriterionType.DEDUCTION:
                            value = Decimal(rng.randint(0, 2))
                        else:
                            value = Decimal(
                                rng.randint(int(criterion.max_mark) // 2, int(criterion.max_mark))
                            )
                        db.session.add(
                            Mark(
                                entry_id=entry.id,
                                criterion_id=criterion.id,
                                judge_id=judge_id,
                                value=value,
                            )
                        )
            event.bump_marks_version()
        if event.status is not EventStatus.FINAL and not marked:
            event.status = EventStatus.FINAL
    db.session.flush()


def test_every_demo_award_winner_certificate_renders_with_a_scannable_qr(make_app, tmp_path):
    pdftoppm, zbarimg = _tool("pdftoppm"), _tool("zbarimg")
    app = make_app(PUBLIC_BASE_URL="https://certs.example.cn")
    with app.test_request_context():
        create_demo()
        _finalise_demo_events()
        issued = issue_demo_certificates(DEMO_CODE)
        db.session.commit()
        assert issue_demo_certificates(DEMO_CODE) == 0  # idempotent
        certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
        assert issued == len(certificates) > 0
        expected = {}
        for certificate in certificates:
            path = tmp_path / f"{certificate.number}.pdf"
            path.write_bytes(services.certificate_pdf(certificate))
            expected[certificate.number] = (
                path,
                services.verification_url(certificate),
                certificate.facts,
            )
    keep = os.environ.get("SCREENSHOT_DIR")
    for number, (path, url, facts) in expected.items():
        stem = tmp_path / number
        subprocess.run(
            [pdftoppm, "-r", "110", "-png", "-singlefile", path, stem], check=True, timeout=60
        )
        png = stem.with_suffix(".png")
        decoded = (
            subprocess.run(
                [zbarimg, "--raw", "-q", png], capture_output=True, check=False, timeout=60
            )
            .stdout.decode()
            .strip()
        )
        assert decoded == url, (number, facts["person_name"])
        text = subprocess.run(
            ["pdftotext", path, "-"], capture_output=True, check=True, timeout=60
        ).stdout.decode()
        assert facts["person_name"] in text.replace(" ", "")
        assert number in text
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(png, Path(keep) / f"demo-certificate-{number}.png")

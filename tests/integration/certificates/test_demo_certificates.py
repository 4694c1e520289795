"""Every demo award winner's certificate renders: Chinese text, layout, and a QR code that scans.

The PDF is rendered to PNG with pdftoppm and the QR code decoded with zbarimg
(Debian: poppler-utils, zbar-tools; the test skips without them). With
SCREENSHOT_DIR set, the PNGs are kept there to be looked at.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from competitions.certificates import services
from competitions.certificates.demo import issue_demo_certificates
from competitions.certificates.models import Certificate
from competitions.demo import DEMO_CODE, create_demo
from competitions.extensions import db
from tests.certificates_fixtures import finalise_demo_events


def _tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: poppler-utils / zbar-tools)")
    return path


def test_every_demo_award_winner_certificate_renders_with_a_scannable_qr(make_app, tmp_path):
    pdftoppm, zbarimg = _tool("pdftoppm"), _tool("zbarimg")
    app = make_app(PUBLIC_BASE_URL="https://certs.example.cn")
    with app.test_request_context():
        create_demo()
        finalise_demo_events()
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

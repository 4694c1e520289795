"""QR codes: the merged runs are exactly segno's modules, and scanners read them."""

from __future__ import annotations

import io

import pytest
import segno
from reportlab.pdfgen.canvas import Canvas

from competitions.pdf import qr

URLS = [
    "https://certs.example.cn/verify/LH2026-IR-0001?c=7F3A9B2C",
    "https://x.cn/v/1",
    "https://competitions.example.gov.cn/certificates/verify/SZ-2026-ELECTRICIAN-00042"
    "?code=0123456789abcdef0123456789abcdef&lang=zh-CN",
]


@pytest.mark.parametrize("url", URLS)
def test_runs_cover_exactly_the_dark_modules(url):
    matrix = qr.encode_qr(url)
    code = segno.make_qr(url, error="m", mask=qr._MASK, boost_error=True)

    dark = {(r, c) for r, row in enumerate(code.matrix) for c, bit in enumerate(row) if bit}
    covered = {(r, c + i) for r, c, n in matrix.runs for i in range(n)}

    assert covered == dark
    assert matrix.size == len(code.matrix)
    # Runs are maximal: no two touch on one row.
    ends = {(r, c + n) for r, c, n in matrix.runs}
    assert not ends & {(r, c) for r, c, _ in matrix.runs}


def test_the_code_is_small_in_the_pdf():
    with_code, without = io.BytesIO(), io.BytesIO()
    for buffer, draw in ((with_code, True), (without, False)):
        canvas = Canvas(buffer, pageCompression=0)
        if draw:
            qr.draw_qr(canvas, URLS[0], 50, 50, 84)
        canvas.showPage()
        canvas.save()

    assert len(with_code.getvalue()) - len(without.getvalue()) < 6000


@pytest.mark.parametrize("url", URLS)
def test_a_rendered_code_scans_back_to_the_url(url, write_pdf, render_png, run_tool):
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(200, 200))
    # A grey background checks that the quiet zone is painted white.
    canvas.setFillColorRGB(0.7, 0.7, 0.7)
    canvas.rect(0, 0, 200, 200, stroke=0, fill=1)
    module = qr.draw_qr(canvas, url, 40, 40, 120)
    canvas.showPage()
    canvas.save()

    png = render_png(write_pdf(buffer.getvalue()), dpi=150)

    assert module > 0
    assert run_tool("zbarimg", "--quiet", "--raw", png).strip() == url

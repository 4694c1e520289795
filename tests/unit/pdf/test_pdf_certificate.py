"""Certificates: content, embedded fonts, QR code, fitting long texts, refusals."""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import date

import pytest
from PIL import Image

from competitions.pdf import (
    CertificateData,
    MissingGlyphError,
    render_certificate,
    render_certificates,
)
from competitions.pdf.certificate import PAGE_HEIGHT, PAGE_WIDTH
from competitions.pdf.samples import sample_certificate, sample_logo_png, sample_seal_png

LONG = {
    "person_name": "欧阳娜娜·买买提依明·阿不都热合曼·司马相如",
    "person_name_en": "Ouyang Nana Maimaitiyiming Abudureheman Sima Xiangru",
    "competition_name_zh": "2026年粤港澳大湾区暨深圳市龙华区第十五届“龙华工匠杯”"
    "职工职业技能竞赛总决赛（智能制造与工业互联网专项）" * 2,
    "competition_name_en": "Final of the 15th Longhua Craftsman Cup Employee Vocational Skills "
    "Competition of the Greater Bay Area (Intelligent Manufacturing and Industrial Internet) " * 2,
    "event_name_zh": "工业机器人系统集成、运维与智能产线数字孪生调试" * 2,
    "event_name_en": "Industrial Robot System Integration and Digital-Twin Commissioning " * 2,
    "employer": "深圳市龙华区某某智能装备科技股份有限公司第三分公司工业机器人事业部" * 2,
    "employer_en": "Industrial Robot Division, Third Branch, Shenzhen Equipment Co., Ltd. " * 2,
    "organiser_name_zh": "深圳市龙华区总工会 深圳市龙华区人力资源局 深圳市龙华区工业和信息化局",
    "organiser_name_en": "Longhua District Federation of Trade Unions, Human Resources Bureau "
    "and Industry and Information Technology Bureau, Shenzhen",
    "number": "LH2026-INDUSTRIAL-ROBOT-SYSTEM-OPERATION-000123456789",
    "verification_url": "https://competitions.example.gov.cn/certificates/verify/"
    "LH2026-INDUSTRIAL-ROBOT-SYSTEM-OPERATION-000123456789?code=0123456789abcdef",
}


@pytest.fixture(scope="module")
def images():
    return {"logo": sample_logo_png(), "seal": sample_seal_png()}


def _words(run_tool, pdf):
    """(text, xMin, yMin, xMax, yMax) of every word, from pdftotext -bbox."""
    html = run_tool("pdftotext", "-bbox", pdf, "-")
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        (w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(pattern, html)
    ]


def _pages(run_tool, pdf):
    return int(re.search(r"Pages:\s+(\d+)", run_tool("pdfinfo", pdf)).group(1))


def test_a_certificate_is_a_one_page_pdf(write_pdf, run_tool, images):
    pdf = render_certificate(sample_certificate(**images))

    assert pdf.startswith(b"%PDF-")
    path = write_pdf(pdf)
    assert _pages(run_tool, path) == 1
    info = run_tool("pdfinfo", path)
    assert "841.89 x 595.276 pts (A4)" in info
    # Transparency (watermark, seal) needs PDF 1.4.
    assert "PDF version:     1.4" in info


def test_every_font_is_an_embedded_subset(write_pdf, run_tool, images):
    pdf = write_pdf(render_certificate(sample_certificate(**images, preview=True)))

    rows = run_tool("pdffonts", pdf).splitlines()[2:]

    assert rows, "the certificate uses no font"
    for row in rows:
        emb, sub = row.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), row


def test_the_text_is_there_and_can_be_copied(write_pdf, run_tool, images):
    data = sample_certificate(**images)

    text = run_tool("pdftotext", "-raw", write_pdf(render_certificate(data)), "-")
    # Spaced-out titles come out letter by letter: compare without spaces.
    compact = text.replace(" ", "")

    for expected in (
        "荣誉证书",
        "CERTIFICATE OF AWARD",
        "张伟",
        "2026年龙华区职业技能竞赛",
        "工业机器人系统运维",
        "一等奖",
        "First Prize",
        "LH2026-IR-0001",
        "2026年5月20日",
        "20 May 2026",
        "深圳市龙华区总工会",
        "深圳市龙华区智能制造有限公司",
        data.verification_url,
    ):
        assert expected.replace(" ", "") in compact, expected


def test_the_qr_code_opens_the_verification_page(write_pdf, render_png, run_tool, images):
    data = sample_certificate(**images)

    png = render_png(write_pdf(render_certificate(data)), dpi=150)

    assert run_tool("zbarimg", "--quiet", "--raw", png).strip() == data.verification_url


def test_a_name_with_a_character_the_font_lacks_is_refused():
    with pytest.raises(MissingGlyphError) as caught:
        render_certificate(sample_certificate(person_name="王𪚥"))

    assert caught.value.field == "person_name"
    assert "𪚥" in str(caught.value)


def test_a_merged_print_refuses_before_drawing_anything():
    good = sample_certificate()

    with pytest.raises(MissingGlyphError, match="employer"):
        render_certificates([good, sample_certificate(employer="𪚥公司")])


def test_rare_name_characters_are_printed(write_pdf, run_tool):
    name = "李堃喆"

    text = run_tool(
        "pdftotext", write_pdf(render_certificate(sample_certificate(person_name=name))), "-"
    )

    assert name in text


def test_characters_beyond_the_basic_plane_are_drawn(write_pdf, render_png):
    """𬌗 (U+2C317) is in the General Standard Chinese Characters table.

    ReportLab writes a wrong text layer for it (copying gives another
    character), but the glyph itself is embedded and drawn.
    """
    with_it = render_png(
        write_pdf(render_certificate(sample_certificate(person_name="张𬌗")), "a.pdf")
    )
    without = render_png(
        write_pdf(render_certificate(sample_certificate(person_name="张")), "b.pdf")
    )

    box = (650, 380, 1150, 450)  # the name line at 150 dpi
    inked = [Image.open(p).convert("L").crop(box).histogram()[:128] for p in (with_it, without)]
    assert sum(inked[0]) > sum(inked[1]) * 1.5


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        LONG,
        {**LONG, "team_name": "龙华智造一队" * 6},
        {**LONG, "kind": "participation", "award_name_zh": None, "award_name_en": None},
    ],
    ids=["short", "long", "long-team", "long-participation"],
)
def test_texts_stay_inside_the_frame(overrides, write_pdf, run_tool, images):
    pdf = write_pdf(render_certificate(sample_certificate(**images, **overrides)))

    words = _words(run_tool, pdf)

    assert _pages(run_tool, pdf) == 1
    assert len(words) > 20
    frame = 29  # the inner gold line
    for word, x0, y0, x1, y1 in words:
        assert frame < x0 < x1 < PAGE_WIDTH - frame, word
        assert frame < y0 < y1 < PAGE_HEIGHT - frame, word


def test_the_body_never_runs_into_the_signature_and_qr_code(write_pdf, run_tool):
    pdf = write_pdf(render_certificate(sample_certificate(**LONG)))

    body_bottom = max(
        y1 for w, x0, y0, x1, y1 in _words(run_tool, pdf) if "Sima" in w or "certify" in w
    )

    # pdftotext measures from the top; the bottom area starts 190 pt up.
    assert body_bottom < PAGE_HEIGHT - 190 + 8


@pytest.mark.parametrize(
    ("overrides", "marks"),
    [
        ({"status": "revoked"}, ["已撤销", "REVOKED"]),
        ({"preview": True}, ["样本", "PREVIEW"]),
    ],
)
def test_revoked_and_preview_certificates_carry_a_watermark(overrides, marks, write_pdf, run_tool):
    pdf = write_pdf(render_certificate(sample_certificate(**overrides)))
    text = run_tool("pdftotext", "-raw", pdf, "-")

    for mark in marks:
        assert mark in text


def test_a_valid_certificate_has_no_watermark(write_pdf, run_tool):
    text = run_tool("pdftotext", write_pdf(render_certificate(sample_certificate())), "-")

    assert "REVOKED" not in text
    assert "PREVIEW" not in text


def test_participation_and_team_certificates_say_so(write_pdf, run_tool):
    participation = sample_certificate(kind="participation", award_name_zh=None, award_name_en=None)
    team = sample_certificate(team_name="龙华智造一队")

    participation_pdf = write_pdf(render_certificate(participation), "p.pdf")
    participation_text = run_tool("pdftotext", "-raw", participation_pdf, "-")
    team_text = run_tool("pdftotext", "-raw", write_pdf(render_certificate(team), "t.pdf"), "-")

    assert "参赛证书" in participation_text.replace(" ", "")
    assert "CERTIFICATEOFPARTICIPATION" in participation_text.replace(" ", "")
    assert "took part in" in participation_text
    assert "龙华智造一队" in team_text
    assert "a member of team" in team_text


def test_many_certificates_merge_into_one_pdf_with_shared_images(write_pdf, run_tool, images):
    items = [
        sample_certificate(**images, person_name=name, number=f"LH2026-{i:04d}")
        for i, name in enumerate(["张伟", "王珺玥", "李堃喆"])
    ]

    pdf = write_pdf(render_certificates(items))

    assert _pages(run_tool, pdf) == 3
    listing = run_tool("pdfimages", "-list", pdf).splitlines()[2:]
    assert len(listing) == 12  # logo, seal and their masks on each page
    # Stored once each: every page points at the same two image objects.
    assert len({row.split()[10] for row in listing}) == 2


def test_the_embedded_font_is_what_viewers_show(write_pdf, render_png, tmp_path, images):
    """A machine with no CJK font at all renders the same page."""
    pdf = write_pdf(render_certificate(sample_certificate(**images)))
    empty = tmp_path / "fonts.conf"
    empty.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{tmp_path / 'no-fonts'}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>"
    )
    bare = {**os.environ, "FONTCONFIG_FILE": str(empty)}

    normal = Image.open(render_png(pdf, dpi=60))
    without_fonts = Image.open(render_png(pdf.rename(tmp_path / "bare.pdf"), dpi=60, env=bare))

    assert normal.tobytes() == without_fonts.tobytes()
    # And the name is really drawn: dark pixels where it sits.
    name_box = without_fonts.convert("L").crop((240, 140, 460, 185))
    assert name_box.getextrema()[0] < 80


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "diploma"}, "kind"),
        ({"status": "lost"}, "status"),
        ({"award_name_zh": None}, "award_name_zh"),
        ({"person_name": "  "}, "person_name"),
    ],
)
def test_inconsistent_data_is_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        sample_certificate(**overrides)


def test_certificate_data_is_frozen():
    data = sample_certificate()

    with pytest.raises(dataclasses.FrozenInstanceError):
        data.person_name = "李四"  # type: ignore[misc]
    assert isinstance(data, CertificateData)
    assert data.issued_on == date(2026, 5, 20)


def test_nothing_to_render_is_an_error():
    with pytest.raises(ValueError, match="no certificates"):
        render_certificates([])

"""Bilingual award and participation certificates, A4 landscape.

The certificate service builds a :class:`CertificateData` from the database;
this module only draws it. Fonts are embedded subsets (see ``fonts.py``), the
QR code is vector (see ``qr.py``) and every text box shrinks its text until it
fits, so a long name or competition title never runs off the page.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Literal

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from competitions.pdf import fonts
from competitions.pdf.image import draw_image, prepared_image
from competitions.pdf.layout import (
    Block,
    Span,
    blocks_height,
    draw_blocks,
    draw_text,
    fit_blocks,
    text_width,
)
from competitions.pdf.qr import draw_qr

__all__ = ["CertificateData", "render_certificate", "render_certificates"]

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)

RED = (0.62, 0.09, 0.09)
GOLD = (0.72, 0.55, 0.20)
INK = (0.12, 0.12, 0.14)
GREY = (0.36, 0.36, 0.40)

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Fields holding text that is printed, in the order a form shows them: the
# first one with a character the fonts lack is the one reported.
_TEXT_FIELDS = (
    "person_name",
    "person_name_en",
    "employer",
    "employer_en",
    "team_name",
    "competition_name_zh",
    "competition_name_en",
    "event_name_zh",
    "event_name_en",
    "award_name_zh",
    "award_name_en",
    "organiser_name_zh",
    "organiser_name_en",
    "number",
    "verification_url",
)


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate; built by the certificate service.

    ``kind`` is ``"award"`` (needs ``award_name_zh``/``award_name_en``) or
    ``"participation"``. ``person_name`` is printed as given (usually
    Chinese); ``person_name_en`` (e.g. pinyin) replaces it in the English
    sentence when set. ``team_name`` marks a team entry. ``status`` is
    ``"revoked"`` for a withdrawn certificate and ``preview`` marks an
    organiser's preview before issuing: both print a watermark. ``logo`` and
    ``seal`` are PNG or JPEG bytes already checked by ``validate_image``.
    """

    number: str
    verification_url: str
    competition_name_zh: str
    competition_name_en: str
    event_name_zh: str
    event_name_en: str
    person_name: str
    issued_on: date
    organiser_name_zh: str
    organiser_name_en: str
    kind: Literal["award", "participation"] = "award"
    award_name_zh: str | None = None
    award_name_en: str | None = None
    person_name_en: str | None = None
    employer: str | None = None
    employer_en: str | None = None
    team_name: str | None = None
    status: Literal["valid", "revoked"] = "valid"
    preview: bool = False
    logo: bytes | None = None
    seal: bytes | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("award", "participation"):
            raise ValueError(f"kind must be 'award' or 'participation', not {self.kind!r}")
        if self.status not in ("valid", "revoked"):
            raise ValueError(f"status must be 'valid' or 'revoked', not {self.status!r}")
        if self.kind == "award" and not (self.award_name_zh and self.award_name_en):
            raise ValueError("an award certificate needs award_name_zh and award_name_en")
        for name in ("number", "verification_url", "person_name", "competition_name_zh"):
            if not getattr(self, name).strip():
                raise ValueError(f"{name} must not be empty")

    def printed_texts(self) -> Iterable[tuple[str, str]]:
        """(field name, text) for every printed text field that is set."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in _TEXT_FIELDS:
            if values[name]:
                yield name, values[name]


def check_certificate(data: CertificateData) -> None:
    """Raise ``MissingGlyphError`` for the first field the fonts cannot print."""
    for name, text in data.printed_texts():
        fonts.check_text(name, text)


def render_certificate(data: CertificateData) -> bytes:
    """Render one certificate as a one-page PDF.

    Raises ``MissingGlyphError`` (a ``ValueError``) when a text holds a
    character the fonts cannot draw, and ``FontNotFoundError`` when no CJK
    font is installed.
    """
    return render_certificates([data])


def render_certificates(items: Iterable[CertificateData]) -> bytes:
    """Render certificates into one PDF, a page each, for printing in one go.

    Font subsets and identical logo and seal images are stored once in the
    file. Every certificate is checked before anything is drawn.
    """
    items = list(items)
    if not items:
        raise ValueError("no certificates to render")
    for data in items:
        check_certificate(data)
    buffer = io.BytesIO()
    with fonts.render_lock:
        chain = fonts.font_chain()
        # The initial font is written into every page's preamble; naming an
        # embedded face keeps the non-embedded Helvetica out of the file.
        # PDF 1.4 for the transparency of the watermark and the seal.
        canvas = Canvas(
            buffer,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            initialFontName=chain.primary.name,
            pdfVersion=(1, 4),
        )
        first = items[0]
        canvas.setTitle(
            f"证书 Certificate {first.number}"
            if len(items) == 1
            else f"证书 Certificates ({len(items)})"
        )
        canvas.setAuthor(f"{first.organiser_name_zh} {first.organiser_name_en}")
        canvas.setSubject(f"{first.competition_name_zh} {first.competition_name_en}")
        for data in items:
            _draw_page(canvas, data)
            canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def _draw_page(canvas: Canvas, data: CertificateData) -> None:
    _draw_border(canvas)
    if data.logo:
        draw_image(canvas, prepared_image(data.logo), 54, PAGE_HEIGHT - 54 - 62, 110, 62, "nw")
    _draw_title(canvas, data)
    _draw_body(canvas, data)
    _draw_verification(canvas, data)
    _draw_signature(canvas, data)
    if data.status == "revoked":
        _draw_watermark(canvas, "已撤销  REVOKED", RED, 0.28)
    elif data.preview:
        _draw_watermark(canvas, "样本  PREVIEW", (0.55, 0.55, 0.6), 0.22)


def _draw_border(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFillColorRGB(0.995, 0.988, 0.965)
    canvas.rect(0, 0, PAGE_WIDTH, PAGE_HEIGHT, stroke=0, fill=1)
    canvas.setStrokeColorRGB(*GOLD)
    canvas.setLineWidth(3)
    canvas.rect(20, 20, PAGE_WIDTH - 40, PAGE_HEIGHT - 40)
    canvas.setLineWidth(0.8)
    canvas.rect(29, 29, PAGE_WIDTH - 58, PAGE_HEIGHT - 58)
    # Red corner brackets inside the frame.
    canvas.setStrokeColorRGB(*RED)
    canvas.setLineWidth(1.6)
    arm = 34
    for x, y, dx, dy in (
        (36, 36, 1, 1),
        (PAGE_WIDTH - 36, 36, -1, 1),
        (36, PAGE_HEIGHT - 36, 1, -1),
        (PAGE_WIDTH - 36, PAGE_HEIGHT - 36, -1, -1),
    ):
        path = canvas.beginPath()
        path.moveTo(x, y + dy * arm)
        path.lineTo(x, y)
        path.lineTo(x + dx * arm, y)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.setFillColorRGB(*RED)
        canvas.rect(x + dx * 5 - 2.5, y + dy * 5 - 2.5, 5, 5, stroke=0, fill=1)
    canvas.restoreState()


def _centred(
    canvas: Canvas,
    text: str,
    y: float,
    size: float,
    *,
    bold: bool = False,
    color: tuple[float, float, float] = INK,
    char_space: float = 0.0,
    max_width: float = PAGE_WIDTH - 160,
) -> None:
    """Draw one line centred on the page, shrunk to ``max_width`` if needed."""
    width = text_width(text, size, bold, char_space) - char_space
    if width > max_width:
        shrink = max_width / width
        size, char_space, width = size * shrink, char_space * shrink, max_width
    draw_text(canvas, text, (PAGE_WIDTH - width) / 2, y, size, bold, color, char_space)


def _draw_title(canvas: Canvas, data: CertificateData) -> None:
    award = data.kind == "award"
    _centred(
        canvas, "荣誉证书" if award else "参赛证书", 486, 46, bold=True, color=RED, char_space=16
    )
    _centred(
        canvas,
        "CERTIFICATE OF AWARD" if award else "CERTIFICATE OF PARTICIPATION",
        458,
        12.5,
        color=GOLD,
        char_space=3.5,
    )
    canvas.saveState()
    canvas.setStrokeColorRGB(*GOLD)
    canvas.setLineWidth(0.8)
    mid = PAGE_WIDTH / 2
    canvas.line(mid - 150, 446, mid - 8, 446)
    canvas.line(mid + 8, 446, mid + 150, 446)
    canvas.setFillColorRGB(*GOLD)
    path = canvas.beginPath()
    path.moveTo(mid, 450)
    path.lineTo(mid + 4, 446)
    path.lineTo(mid, 442)
    path.lineTo(mid - 4, 446)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _english_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _body_blocks(data: CertificateData) -> list[Block]:
    name_en = data.person_name_en or data.person_name
    blocks = [
        Block(
            (Span(data.person_name, bold=True, keep=True), Span("  同志", scale=0.55)),
            size=30,
            leading=1.35,
        ),
    ]
    employer = " · ".join(t for t in (data.employer, data.employer_en) if t)
    if employer:
        blocks.append(Block((Span(employer, color=GREY),), size=12, leading=1.5, space_after=0.5))
    team = (
        (Span("作为 "), Span(data.team_name, bold=True), Span(" "), Span("团队成员，", keep=True))
        if data.team_name
        else ()
    )
    competition = Span(data.competition_name_zh, bold=True)
    event = Span(data.event_name_zh, bold=True)
    if data.kind == "award":
        sentence = (
            *team,
            Span("在 "),
            competition,
            Span(" "),
            event,
            Span(" "),
            Span("赛项中荣获", keep=True),
        )
        blocks.append(Block(sentence, size=17, leading=1.55))
        blocks.append(
            Block((Span(data.award_name_zh or "", bold=True, color=RED),), size=34, leading=1.45)
        )
        blocks.append(Block((Span("特发此证，以资鼓励。"),), size=16, leading=1.5, space_after=0.5))
        english = (
            f"This is to certify that {name_en}"
            + (f", a member of team {data.team_name}," if data.team_name else "")
            + f" has won the {data.award_name_en} in the {data.event_name_en} event of the "
            f"{data.competition_name_en}."
        )
    else:
        sentence = (
            *team,
            Span("参加 "),
            competition,
            Span(" "),
            event,
            Span(" "),
            Span("赛项比赛，", keep=True),
            Span("特发此证。", keep=True),
        )
        blocks.append(Block(sentence, size=17, leading=1.6, space_after=0.6))
        english = (
            f"This is to certify that {name_en}"
            + (f", a member of team {data.team_name}," if data.team_name else "")
            + f" took part in the {data.event_name_en} event of the "
            f"{data.competition_name_en}."
        )
    blocks.append(Block((Span(english, color=GREY),), size=12.5, leading=1.45))
    return blocks


def _draw_body(canvas: Canvas, data: CertificateData) -> None:
    top, bottom, width = 430, 190, 620
    scale, laid = fit_blocks(_body_blocks(data), width, top - bottom)
    spare = max(0.0, top - bottom - blocks_height(laid, scale))
    # A short text sits a little above the middle of its box, as on a printed form.
    draw_blocks(canvas, laid, scale, PAGE_WIDTH / 2, top - spare * 0.35)


def _fit_line(
    canvas: Canvas, text: str, x: float, y: float, size: float, width: float, **style
) -> None:
    """Draw a left-aligned line, shrunk so that it is at most ``width`` wide."""
    natural = text_width(text, size, style.get("bold", False))
    if natural > width:
        size *= width / natural
    draw_text(canvas, text, x, y, size, **style)


def _draw_verification(canvas: Canvas, data: CertificateData) -> None:
    size = 84
    x, y = 50, 50
    draw_qr(canvas, data.verification_url, x, y, size)
    left, width = x + size + 8, 250
    _fit_line(canvas, f"证书编号 No. {data.number}", left, y + 58, 11, width, bold=True, color=INK)
    _fit_line(
        canvas,
        "扫码或访问以下网址查验 · Scan or visit to verify:",
        left,
        y + 40,
        8.5,
        width,
        color=GREY,
    )
    _fit_line(canvas, data.verification_url, left, y + 27, 8.5, width, color=GREY)


def _draw_signature(canvas: Canvas, data: CertificateData) -> None:
    centre, width = PAGE_WIDTH - 200, 250
    lines = (
        (data.organiser_name_zh, 15, True, INK, 128),
        (data.organiser_name_en, 9.5, False, GREY, 112),
        (
            f"{data.issued_on.year}年{data.issued_on.month}月{data.issued_on.day}日",
            13,
            False,
            INK,
            90,
        ),
        (_english_date(data.issued_on), 9.5, False, GREY, 74),
    )
    for text, size, bold, color, y in lines:
        if not text:
            continue
        natural = text_width(text, size, bold)
        if natural > width:
            size *= width / natural
            natural = width
        draw_text(canvas, text, centre - natural / 2, y, size, bold, color)
    if data.seal:
        # Stamped last over the date, as a seal is; multiplied like ink so
        # that the text under it stays legible.
        seal = 104
        canvas.saveState()
        canvas.setBlendMode("Multiply")
        draw_image(canvas, prepared_image(data.seal), centre - seal / 2, 92 - seal / 2, seal, seal)
        canvas.restoreState()


def _draw_watermark(
    canvas: Canvas, text: str, color: tuple[float, float, float], alpha: float
) -> None:
    canvas.saveState()
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(28)
    canvas.setFillAlpha(alpha)
    size = 92
    width = text_width(text, size, True)
    if width > PAGE_WIDTH * 0.9:
        size *= PAGE_WIDTH * 0.9 / width
        width = PAGE_WIDTH * 0.9
    draw_text(canvas, text, -width / 2, -size * 0.35, size, True, color)
    canvas.restoreState()

"""Made-up certificate data and images: for previews, the benchmark and tests.

An organiser previewing a certificate design before any result exists needs
a sample contestant; the benchmark and the tests need the same, plus a logo
and a seal, which are drawn here so that no binary file is kept in the repo.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import math
from datetime import date
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from competitions.pdf import fonts
from competitions.pdf.certificate import CertificateData

__all__ = ["sample_certificate", "sample_logo_png", "sample_seal_png"]

_SEAL_RED = (200, 30, 36)


def sample_certificate(**overrides: Any) -> CertificateData:
    """A complete award certificate for a made-up contestant; fields can be overridden."""
    data = CertificateData(
        number="LH2026-IR-0001",
        verification_url="https://certs.example.cn/verify/LH2026-IR-0001?c=7F3A9B2C",
        competition_name_zh="2026年龙华区职业技能竞赛",
        competition_name_en="2026 Longhua District Vocational Skills Competition",
        event_name_zh="工业机器人系统运维",
        event_name_en="Industrial Robot System Operation and Maintenance",
        award_name_zh="一等奖",
        award_name_en="First Prize",
        person_name="张伟",
        person_name_en="Zhang Wei",
        employer="深圳市龙华区智能制造有限公司",
        employer_en="Shenzhen Longhua Intelligent Manufacturing Co., Ltd.",
        issued_on=date(2026, 5, 20),
        organiser_name_zh="深圳市龙华区总工会",
        organiser_name_en="Longhua District Federation of Trade Unions, Shenzhen",
    )
    return dataclasses.replace(data, **overrides)


def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    chain = fonts.font_chain()
    face = (chain.bold[0] if bold else None) or chain.primary
    return ImageFont.truetype(str(face.path), size, index=face.index)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@functools.cache
def sample_seal_png(text: str = "深圳市龙华区总工会", side: int = 480) -> bytes:
    """A round red seal with ``text`` along the rim and a star, on transparency."""
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = side / 2
    draw.ellipse((8, 8, side - 8, side - 8), outline=_SEAL_RED, width=max(6, side // 40))
    _star(draw, centre, centre, side * 0.17, _SEAL_RED)
    font = _font(int(side * 0.11))
    # Characters spread over the upper 240 degrees of the rim, upright to the centre.
    count = len(text)
    radius = side * 0.36
    for index, char in enumerate(text):
        angle = math.radians(210 - index * (240 / max(count - 1, 1)))
        glyph = Image.new("RGBA", (int(side * 0.16), int(side * 0.16)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (glyph.width / 2, glyph.height / 2), char, font=font, fill=_SEAL_RED, anchor="mm"
        )
        glyph = glyph.rotate(math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.cos(angle) - glyph.width / 2
        y = centre - radius * math.sin(angle) - glyph.height / 2
        image.alpha_composite(glyph, (int(x), int(y)))
    small = _font(int(side * 0.075))
    draw.text((centre, centre + side * 0.27), "竞赛专用章", font=small, fill=_SEAL_RED, anchor="mm")
    return _png(image)


def _star(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, fill: tuple) -> None:
    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.38
        angle = math.radians(90 + k * 36)
        points.append((x + radius * math.cos(angle), y - radius * math.sin(angle)))
    draw.polygon(points, fill=fill)


@functools.cache
def sample_logo_png(side: int = 240) -> bytes:
    """A made-up competition emblem: a blue gear with a red flame, on transparency."""
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = side / 2
    blue = (22, 72, 150)
    teeth = 12
    outer, inner = side * 0.47, side * 0.38
    points = []
    for k in range(teeth * 4):
        angle = math.radians(k * 360 / (teeth * 4))
        radius = outer if k % 4 in (1, 2) else inner
        points.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    draw.polygon(points, fill=blue)
    draw.ellipse(
        (centre - side * 0.3, centre - side * 0.3, centre + side * 0.3, centre + side * 0.3),
        fill=(255, 255, 255, 255),
    )
    draw.text((centre, centre), "技", font=_font(int(side * 0.36)), fill=(190, 30, 45), anchor="mm")
    return _png(image)

"""Validation of uploaded logos and seals."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from competitions.pdf import render_certificate
from competitions.pdf.image import prepared_image, validate_image
from competitions.pdf.samples import sample_certificate, sample_seal_png


def _png(width: int, height: int, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg(width: int, height: int, exif: bool = False) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), "blue")
    if exif:
        data = Image.Exif()
        data[0x010E] = "company logo"
        image.save(buffer, "JPEG", exif=data.tobytes())
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG header announcing huge dimensions, followed by almost nothing."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr
    chunk += struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk


def test_a_png_is_accepted_with_its_size():
    assert validate_image(_png(320, 200)) == ("image/png", 320, 200)


def test_a_png_with_transparency_is_accepted():
    assert validate_image(sample_seal_png()) == ("image/png", 480, 480)


@pytest.mark.parametrize("exif", [False, True])
def test_a_jpeg_is_accepted_with_its_size(exif):
    assert validate_image(_jpeg(300, 150, exif=exif)) == ("image/jpeg", 300, 150)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Only PNG and JPEG"),
        (b"GIF89a" + b"\0" * 40, "Only PNG and JPEG"),
        (b"%PDF-1.4 not an image", "Only PNG and JPEG"),
        (_png_claiming(20000, 20000), "at most 4000 pixels"),
        (_png(8, 8), "at least 16 pixels"),
        (_png(64, 64)[:60], "cannot be read"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\0", "damaged"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 20, "damaged"),
    ],
)
def test_a_bad_upload_is_refused_with_a_clear_message(data, message):
    with pytest.raises(ValueError, match=message):
        validate_image(data)


def test_a_file_over_the_size_limit_is_refused():
    data = _png(200, 200)

    with pytest.raises(ValueError, match="MB"):
        validate_image(data, max_bytes=len(data) - 1)


def test_prepared_images_are_cached_and_reduced_for_print():
    big = _png(1800, 900, mode="RGBA")

    prepared = prepared_image(big)

    assert prepared is prepared_image(big)
    assert (prepared.width, prepared.height) == (600, 300)
    assert prepared.smask is not None


def test_a_small_jpeg_goes_into_the_pdf_untouched():
    data = _jpeg(200, 100)

    assert prepared_image(data).xobject.streamContent == data


@pytest.mark.parametrize(
    ("logo", "encoding"),
    [
        (_jpeg(300, 150), "jpeg"),
        (_png(300, 150, mode="P"), "image"),
        (_png(300, 150, mode="LA"), "image"),
    ],
    ids=["jpeg", "palette-png", "grey-alpha-png"],
)
def test_logos_of_every_accepted_kind_are_drawn(logo, encoding, tmp_path, run_tool):
    validate_image(logo)
    path = tmp_path / "logo.pdf"
    path.write_bytes(render_certificate(sample_certificate(logo=logo)))

    rows = run_tool("pdfimages", "-list", path).splitlines()[2:]
    assert rows
    assert rows[0].split()[8] == encoding

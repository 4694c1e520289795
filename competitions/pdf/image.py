"""Validation and preparation of the logo and seal images organisers upload.

The header of an upload is parsed here, without an image library, so that a
file that is not a PNG or JPEG, or that claims enormous dimensions (a
decompression bomb), is refused before anything decodes it. Only then is the
image decoded in full, which catches truncated or corrupt files at upload
time instead of at printing time.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

__all__ = [
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_SIDE",
    "PRINT_SIDE",
    "PreparedImage",
    "draw_image",
    "prepared_image",
    "validate_image",
]

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4000
MIN_IMAGE_SIDE = 16
# A seal is printed about 4 cm wide: 600 px is more than 300 dpi there.
PRINT_SIDE = 600

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
# JPEG start-of-frame markers carry the dimensions; C4, C8 and CC are not frames.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise ValueError("The PNG file is damaged: it has no image header.")
    return struct.unpack(">II", data[16:24])


def _jpeg_size(data: bytes) -> tuple[int, int]:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError("The JPEG file is damaged: a marker is missing.")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _SOF_MARKERS:
            if pos + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        if marker == 0xDA or length < 2:  # image data before any frame header
            break
        pos += 2 + length
    raise ValueError("The JPEG file is damaged: it has no frame header.")


def validate_image(
    data: bytes, max_bytes: int = MAX_IMAGE_BYTES, max_side: int = MAX_IMAGE_SIDE
) -> tuple[str, int, int]:
    """Check an uploaded logo or seal and return ``(mimetype, width, height)``.

    Accepts only PNG and JPEG files of at most ``max_bytes`` whose sides are
    between 16 and ``max_side`` pixels and which decode completely. Raises
    ``ValueError`` with a message fit for the organiser otherwise.
    """
    if not data:
        raise ValueError("The file is empty.")
    if len(data) > max_bytes:
        raise ValueError(
            f"The file is {len(data) / 1048576:.1f} MB; at most "
            f"{max_bytes / 1048576:.1f} MB is allowed."
        )
    if data.startswith(_PNG_MAGIC):
        mimetype, (width, height) = "image/png", _png_size(data)
    elif data.startswith(_JPEG_MAGIC):
        mimetype, (width, height) = "image/jpeg", _jpeg_size(data)
    else:
        raise ValueError("Only PNG and JPEG images are accepted.")
    if max(width, height) > max_side:
        raise ValueError(
            f"The image is {width}×{height} pixels; at most {max_side} pixels a side is allowed."
        )
    if min(width, height) < MIN_IMAGE_SIDE:
        raise ValueError(
            f"The image is {width}×{height} pixels; at least {MIN_IMAGE_SIDE} pixels "
            "a side is needed to print it."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in ("PNG", "JPEG") or image.size != (width, height):
                    raise ValueError("The image header does not match its content.")
                image.load()
    except (OSError, SyntaxError, Image.DecompressionBombWarning) as exc:
        raise ValueError(f"The image cannot be read ({exc}).") from exc
    return mimetype, width, height


def _reader(data: bytes) -> ImageReader:
    """Decode ``data`` reduced to :data:`PRINT_SIDE`; JPEGs stay JPEG when they can."""
    image = Image.open(io.BytesIO(data))
    small_enough = max(image.size) <= PRINT_SIDE
    if image.format == "JPEG" and small_enough and image.mode in ("L", "RGB"):
        return ImageReader(io.BytesIO(data))  # embedded in the PDF as it is
    image.load()
    if image.mode not in ("L", "RGB", "RGBA", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if not small_enough:
        image.thumbnail((PRINT_SIDE, PRINT_SIDE), Image.Resampling.LANCZOS)
    if image.mode in ("RGB", "L") and Image.open(io.BytesIO(data)).format == "JPEG":
        # A photo stays a JPEG: Flate would make it several times larger.
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        buffer.seek(0)
        return ImageReader(buffer)
    return ImageReader(image)


@dataclass(frozen=True, eq=False)
class PreparedImage:
    """An image compressed once into PDF image objects that every PDF can reuse."""

    name: str
    width: int
    height: int
    xobject: pdfdoc.PDFImageXObject
    smask: pdfdoc.PDFImageXObject | None


@functools.lru_cache(maxsize=32)
def prepared_image(data: bytes) -> PreparedImage:
    """The PDF image objects for a validated PNG or JPEG, cached per content.

    ``canvas.drawImage`` would decode, hash and Flate-compress the pixels
    again for every certificate: about 10 ms for a seal with transparency,
    more than the rest of the page. A competition prints hundreds of
    certificates with the same logo and seal, so that work is done once here.
    """
    reader = _reader(data)
    name = hashlib.sha256(data).hexdigest()[:32]
    xobject = pdfdoc.PDFImageXObject(name, reader, mask="auto")
    smask = getattr(xobject, "_smask", None)
    if smask is not None:
        # The transparency travels as a second image; the reference to it is
        # by name, so it is the same in every document.
        del xobject._smask
        xobject.smask = pdfdoc.PDFObjectReference(pdfdoc.xObjectName(smask.name))
    width, height = reader.getSize()
    return PreparedImage(name, width, height, xobject, smask)


def draw_image(
    canvas: Canvas,
    image: PreparedImage,
    x: float,
    y: float,
    width: float,
    height: float,
    anchor: str = "c",
) -> None:
    """Draw ``image`` as large as fits the box at (x, y), keeping its proportions.

    ``anchor`` is where the image sits in the box when it does not fill it:
    "c" centre, "nw" top left. This registers the prepared objects in the
    canvas's document the way ``canvas.drawImage`` registers new ones.
    """
    document = canvas._doc
    registered = document.getXObjectName(image.name)
    if registered not in document.idToObject:
        # A document marks the objects it registers, so each one gets a
        # shallow copy; the compressed pixels themselves are shared.
        document.addForm(image.name, copy.copy(image.xobject))
        if image.smask is not None:
            mask_name = document.getXObjectName(image.smask.name)
            if mask_name not in document.idToObject:
                document.Reference(copy.copy(image.smask), mask_name)
    scale = min(width / image.width, height / image.height)
    drawn_width, drawn_height = image.width * scale, image.height * scale
    if anchor == "nw":
        y += height - drawn_height
    else:
        x += (width - drawn_width) / 2
        y += (height - drawn_height) / 2
    canvas.saveState()
    canvas.transform(drawn_width, 0, 0, drawn_height, x, y)
    canvas.addLiteral(f"/{registered} Do")
    canvas.restoreState()
    # The page lists the images it uses in its resources from these.
    canvas._formsinuse.append(image.name)
    canvas._currentPageHasImages = 1

"""QR codes drawn as vector rectangles on a ReportLab canvas.

ReportLab's own QR widget takes about 80 ms per code. Here segno encodes the
text and the dark modules are drawn as one filled path, with each horizontal
run of dark modules merged into one rectangle: about 1 ms per code and well
under a kilobyte of PDF, sharp at any print resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from reportlab.pdfgen.canvas import Canvas

__all__ = ["QUIET_ZONE", "QrMatrix", "draw_qr", "encode_qr"]

# ISO/IEC 18004 asks for four light modules around the symbol.
QUIET_ZONE = 4

# segno scores all eight data masks by the standard's penalty rules unless told
# which to use, and that scoring is ~80 % of the encoding time (~5 ms). Every
# mask is valid and every reader decodes every mask; the penalty only steers
# away from patterns that are harder for weak scanners, which matters little
# for a crisp black-on-white print. The tests decode our codes with a scanner.
_MASK = 2


@dataclass(frozen=True)
class QrMatrix:
    """An encoded symbol: ``runs`` holds (row, first column, length) of dark modules."""

    size: int
    runs: tuple[tuple[int, int, int], ...]


def encode_qr(text: str, error: str = "m") -> QrMatrix:
    """Encode ``text`` and merge each row's dark modules into runs."""
    code = segno.make_qr(text, error=error, mask=_MASK, boost_error=True)
    runs: list[tuple[int, int, int]] = []
    for row, modules in enumerate(code.matrix):
        start = None
        for col, dark in enumerate(modules):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                runs.append((row, start, col - start))
                start = None
        if start is not None:
            runs.append((row, start, len(modules) - start))
    return QrMatrix(len(code.matrix), tuple(runs))


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> float:
    """Draw a QR code for ``text`` with its quiet zone in the square at (x, y).

    ``size`` is the side of the whole square, quiet zone included; the square
    is painted white first so the code scans on any background. Returns the
    side of one module in points.
    """
    matrix = encode_qr(text)
    module = size / (matrix.size + 2 * QUIET_ZONE)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    # In a coordinate system of one unit per module, origin at the symbol's
    # top-left corner and y pointing down, every rectangle is four small
    # integers: a few hundred bytes for the whole symbol, and no per-number
    # float formatting (which would cost more than the encoding).
    canvas.transform(module, 0, 0, -module, x + QUIET_ZONE * module, y + size - QUIET_ZONE * module)
    canvas.addLiteral(
        " ".join(f"{col} {row} {length} 1 re" for row, col, length in matrix.runs) + " f"
    )
    canvas.restoreState()
    return module

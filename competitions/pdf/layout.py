"""Line breaking for mixed Chinese and English text drawn on a canvas.

Platypus paragraphs would do this too, but the certificate is laid out on a
bare canvas (fixed positions, shrink-to-fit boxes), so it needs a small line
breaker of its own: Chinese may break between any two characters except
before closing punctuation or after opening punctuation; English breaks at
spaces; a span marked ``keep`` (a name) moves to the next line whole when it
fits there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from competitions.pdf.fonts import split_runs, string_width

__all__ = [
    "Block",
    "Line",
    "Span",
    "blocks_height",
    "draw_blocks",
    "draw_line",
    "draw_text",
    "fit_blocks",
    "text_width",
    "wrap",
]

# Characters that may not start a line (closing punctuation) or end one (opening).
_NO_START = set("，。、；：！？）》」』】〉”’,.;:!?)]}%·…—～")
_NO_END = set("（《「『【〈“‘([{")


def _is_wide(char: str) -> bool:
    """Whether a line may break before or after ``char`` without a space (CJK)."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


@dataclass(frozen=True)
class Span:
    """Text in one style: size is relative to the block's size."""

    text: str
    bold: bool = False
    scale: float = 1.0
    color: tuple[float, float, float] = (0.1, 0.1, 0.1)
    keep: bool = False


@dataclass(frozen=True)
class Block:
    """A centred paragraph: spans, a size in points, and space after it (in sizes)."""

    spans: tuple[Span, ...]
    size: float
    leading: float = 1.5
    space_after: float = 0.0


@dataclass(frozen=True)
class _Piece:
    """An unbreakable bit of a line: one span's text with its measured width."""

    span: Span
    text: str
    width: float
    space: bool  # a breaking space, dropped at the ends of lines


@dataclass(frozen=True)
class Line:
    """A laid-out line: pieces to draw left to right at ``size`` × each span's scale."""

    pieces: tuple[_Piece, ...]
    width: float
    size: float

    @property
    def height(self) -> float:
        """The size of the line's largest text in points."""
        return self.size * max((p.span.scale for p in self.pieces), default=1.0)


def _tokens(span: Span) -> list[str]:
    """Split a span into breakable tokens: CJK characters, words, spaces."""
    if span.keep:
        return [span.text]
    tokens: list[str] = []
    word = ""
    for char in span.text:
        if char == " " or _is_wide(char) or char in _NO_START or char in _NO_END:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


def _piece(span: Span, text: str, size: float) -> _Piece:
    return _Piece(span, text, string_width(text, size * span.scale, span.bold), text == " ")


def _split_wide(piece: _Piece, size: float, width: float) -> list[_Piece]:
    """Cut a token wider than a whole line into character chunks that fit."""
    chunks: list[_Piece] = []
    text = ""
    for char in piece.text:
        trial = text + char
        if text and string_width(trial, size * piece.span.scale, piece.span.bold) > width:
            chunks.append(_piece(piece.span, text, size))
            text = char
        else:
            text = trial
    if text:
        chunks.append(_piece(piece.span, text, size))
    return chunks


def _line(pieces: list[_Piece], size: float) -> Line:
    while pieces and pieces[-1].space:
        pieces.pop()
    return Line(tuple(pieces), sum(p.width for p in pieces), size)


def wrap(spans: Sequence[Span], size: float, width: float) -> list[Line]:
    """Break spans set at ``size`` points into lines at most ``width`` wide."""
    pieces: list[_Piece] = []
    for span in spans:
        for token in _tokens(span):
            piece = _piece(span, token, size)
            pieces.extend(_split_wide(piece, size, width) if piece.width > width else [piece])
    lines: list[Line] = []
    current: list[_Piece] = []
    used = 0.0
    for piece in pieces:
        if piece.space and not current:
            continue
        if not current or piece.space or used + piece.width <= width:
            current.append(piece)
            used += piece.width
            continue
        # Keep closing punctuation with the character before it and opening
        # punctuation with the character after it, when the moved group fits.
        carry: list[_Piece] = []
        if piece.text[0] in _NO_START and len(current) > 1 and not current[-1].space:
            carry.append(current.pop())
        if len(current) > 1 and current[-1].text[-1] in _NO_END:
            carry.insert(0, current.pop())
        if sum(p.width for p in carry) + piece.width > width:
            current.extend(carry)
            carry = []
        lines.append(_line(current, size))
        current = [*carry, piece]
        used = sum(p.width for p in current)
    if current:
        lines.append(_line(current, size))
    return [line for line in lines if line.pieces]


def fit_blocks(
    blocks: Sequence[Block], width: float, height: float
) -> tuple[float, list[tuple[Block, list[Line]]]]:
    """Shrink all blocks by one factor until they fit ``width`` × ``height``.

    Returns the factor and each block's lines at that factor. Texts never
    overflow: a smaller line is better than a cut one.
    """
    scale = 1.0
    while True:
        laid = [(b, wrap(b.spans, b.size * scale, width)) for b in blocks]
        total = blocks_height(laid, scale)
        if total <= height or scale < 0.05:
            return scale, laid
        scale *= 0.95 if total < height * 1.3 else 0.85


def blocks_height(laid: Sequence[tuple[Block, list[Line]]], scale: float) -> float:
    """The height that :func:`draw_blocks` will take for these fitted blocks."""
    total = 0.0
    for block, lines in laid:
        total += sum(line.height * block.leading for line in lines)
        total += block.space_after * block.size * scale
    return total


def draw_blocks(
    canvas: Canvas,
    laid: Sequence[tuple[Block, list[Line]]],
    scale: float,
    centre_x: float,
    top: float,
) -> float:
    """Draw fitted blocks centred on ``centre_x`` from ``top`` down; return the bottom."""
    y = top
    for block, lines in laid:
        for line in lines:
            step = line.height * block.leading
            # CJK glyphs fill the em box: a baseline 0.38 em below the middle
            # of the line box centres them optically.
            baseline = y - step / 2 - line.height * 0.38
            draw_line(canvas, line, centre_x - line.width / 2, baseline)
            y -= step
        y -= block.space_after * block.size * scale
    return y


def draw_line(canvas: Canvas, line: Line, x: float, baseline: float) -> None:
    """Draw one line's pieces from ``x`` on ``baseline``, one call per span."""
    start = 0
    pieces = line.pieces
    while start < len(pieces):
        end = start + 1
        while end < len(pieces) and pieces[end].span is pieces[start].span:
            end += 1
        span = pieces[start].span
        text = "".join(p.text for p in pieces[start:end])
        draw_text(canvas, text, x, baseline, line.size * span.scale, span.bold, span.color)
        x += sum(p.width for p in pieces[start:end])
        start = end


def draw_text(
    canvas: Canvas,
    text: str,
    x: float,
    baseline: float,
    size: float,
    bold: bool = False,
    color: tuple[float, float, float] = (0.1, 0.1, 0.1),
    char_space: float = 0.0,
) -> float:
    """Draw ``text`` from ``x`` with font fallback; return the x after it."""
    runs = split_runs(text, bold)
    if any(run.fake_bold for run in runs):
        # Filling and stroking the outlines stands in for a missing bold face.
        canvas.setLineWidth(size * 0.035)
    text_object = canvas.beginText(x, baseline)
    text_object.setFillColorRGB(*color)
    text_object.setStrokeColorRGB(*color)
    # Character spacing is graphics state that outlives the text object:
    # set it every time so a spaced-out title does not leak into later text.
    text_object.setCharSpace(char_space)
    for run in runs:
        text_object.setFont(run.face.name, size)
        text_object.setTextRenderMode(2 if run.fake_bold else 0)
        text_object.textOut(run.text)
    canvas.drawText(text_object)
    return text_object.getX()


def text_width(text: str, size: float, bold: bool = False, char_space: float = 0.0) -> float:
    """Width of ``text`` as :func:`draw_text` draws it."""
    return string_width(text, size, bold) + char_space * len(text)

"""Printable bilingual tables: draw sheets, results lists and the like.

One generic renderer: the caller describes the table (title, columns, rows
of text) and gets a PDF with the header row repeated on every page, long
Chinese and English cell texts wrapped inside their column, and a footer on
every page with the generation time and "第 1 / 3 页 · Page 1 of 3".
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from competitions.pdf import fonts
from competitions.pdf.layout import draw_text, text_width

__all__ = ["Column", "TableDocument", "render_table"]

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
_MARGIN = 15 * mm
_INK = (0.1, 0.1, 0.12)
_GREY = (0.4, 0.4, 0.44)
_CELL_PADDING = 5


@dataclass(frozen=True)
class Column:
    """A column: its (bilingual) label, relative width and text alignment."""

    label: str
    width_weight: float = 1.0
    align: Literal["left", "center", "right"] = "left"

    def __post_init__(self) -> None:
        if self.width_weight <= 0:
            raise ValueError(f"column {self.label!r}: width_weight must be positive")
        if self.align not in _ALIGN:
            raise ValueError(f"column {self.label!r}: align must be left, center or right")


@dataclass(frozen=True)
class TableDocument:
    """A table to print. Every row has one text per column.

    ``footer`` is printed at the foot of every page (e.g. a signature line);
    ``generated_at`` is printed as the generation time (now when omitted).
    """

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    subtitle: str | None = None
    footer: str | None = None
    landscape: bool = False
    generated_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError("a table needs at least one column")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {number} has {len(row)} cells for {len(self.columns)} columns"
                )


def _word_wrap(text: str, width: float, size: float, bold: bool = False) -> str | None:
    """ReportLab's wrapping mode for ``text`` in a box ``width`` points wide.

    "CJK" wrapping breaks between any two characters, which Chinese needs
    but which also splits English words ("Stati-on"); it is used only when
    the text has a word (a run without spaces) too wide to fit.
    """
    if all(ord(c) < 0x2E80 for c in text):
        return None
    if all(fonts.string_width(word, size, bold) <= width for word in text.split()):
        return None
    return "CJK"


class _Styles:
    """Paragraph styles, made once per size, alignment and wrapping mode."""

    def __init__(self, font_name: str) -> None:
        self._cache: dict[tuple[float, str, str | None, bool], ParagraphStyle] = {}
        self.font_name = font_name

    def paragraph(
        self,
        text: str,
        width: float,
        size: float = 9,
        align: str = "left",
        bold: bool = False,
        grey: bool = False,
    ) -> Paragraph:
        """``text`` as a paragraph that wraps inside a box ``width`` wide."""
        wrap = _word_wrap(text, width, size, bold)
        key = (size, align, wrap, grey)
        if key not in self._cache:
            self._cache[key] = ParagraphStyle(
                f"text-{size}-{align}-{wrap}-{grey}",
                fontName=self.font_name,
                fontSize=size,
                leading=size * 1.35,
                alignment=_ALIGN[align],
                wordWrap=wrap,
                textColor=colors.Color(*(_GREY if grey else _INK)),
            )
        return Paragraph(fonts.markup(text, bold=bold), self._cache[key])


class _NumberedCanvas(Canvas):
    """Holds back each page until the end so that it can print 'Page n of N'."""

    def __init__(self, *args: Any, document: TableDocument, generated: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []
        self._document = document
        self._generated = generated

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self._draw_furniture(number, total)
            super().showPage()
        super().save()

    def _draw_furniture(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setStrokeColorRGB(*_GREY)
        self.setLineWidth(0.4)
        self.line(_MARGIN, _MARGIN - 3 * mm, width - _MARGIN, _MARGIN - 3 * mm)
        baseline = _MARGIN - 7 * mm
        page = f"第 {number} / {total} 页 · Page {number} of {total}"
        draw_text(self, page, width - _MARGIN - text_width(page, 8), baseline, 8, color=_GREY)
        draw_text(self, self._generated, _MARGIN, baseline, 8, color=_GREY)
        if self._document.footer:
            footer = self._document.footer
            size = 8.5
            room = width - 2 * _MARGIN
            if text_width(footer, size) > room:
                size *= room / text_width(footer, size)
            draw_text(self, footer, _MARGIN, _MARGIN - 1 * mm, size, color=_INK)
        if number > 1:
            # A running title so that a loose page still says what it is.
            draw_text(
                self,
                self._document.title,
                _MARGIN,
                self._pagesize[1] - _MARGIN + 4 * mm,
                8,
                color=_GREY,
            )
        self.restoreState()


def _check(doc: TableDocument) -> None:
    fonts.check_text("title", doc.title)
    fonts.check_text("subtitle", doc.subtitle)
    fonts.check_text("footer", doc.footer)
    for column in doc.columns:
        fonts.check_text(f"column {column.label}", column.label)
    for number, row in enumerate(doc.rows, start=1):
        for column, text in zip(doc.columns, row, strict=True):
            fonts.check_text(f"row {number}, {column.label}", text)


def render_table(doc: TableDocument) -> bytes:
    """Render a table document as a PDF (A4, portrait or landscape).

    Raises ``MissingGlyphError`` naming the row and column of a cell with a
    character the fonts cannot draw, and ``FontNotFoundError`` when no CJK
    font is installed.
    """
    _check(doc)
    generated_at = doc.generated_at or datetime.now().astimezone()
    generated = f"生成于 Generated {generated_at:%Y-%m-%d %H:%M}"
    pagesize = landscape(A4) if doc.landscape else A4
    buffer = io.BytesIO()
    with fonts.render_lock:
        chain = fonts.font_chain()
        template = SimpleDocTemplate(
            buffer,
            pagesize=pagesize,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=_MARGIN,
            bottomMargin=_MARGIN + 2 * mm,
            title=doc.title,
            initialFontName=chain.primary.name,
        )
        styles = _Styles(chain.primary.name)
        story: list[Any] = [
            styles.paragraph(doc.title, template.width, size=16, align="center", bold=True)
        ]
        if doc.subtitle:
            story.append(
                styles.paragraph(doc.subtitle, template.width, size=10, align="center", grey=True)
            )
        story.append(Spacer(1, 5 * mm))
        story.append(_table(doc, template.width, styles))

        def canvasmaker(*args: Any, **kwargs: Any) -> _NumberedCanvas:
            return _NumberedCanvas(*args, document=doc, generated=generated, **kwargs)

        template.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


def _table(doc: TableDocument, width: float, styles: _Styles) -> LongTable:
    total = sum(c.width_weight for c in doc.columns)
    widths = [width * c.width_weight / total for c in doc.columns]
    inner = [w - 2 * _CELL_PADDING for w in widths]
    header = [
        styles.paragraph(c.label, w, align=c.align, bold=True)
        for c, w in zip(doc.columns, inner, strict=True)
    ]
    body = [
        [
            styles.paragraph(text, w, align=column.align)
            for column, w, text in zip(doc.columns, inner, row, strict=True)
        ]
        for row in doc.rows
    ]
    table = LongTable([header, *body], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                # Cells are paragraphs, but the table still selects its own
                # font (Helvetica unless told), which would add an unembedded font.
                ("FONTNAME", (0, 0), (-1, -1), styles.font_name),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.86, 0.88, 0.92)),
                ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
                (
                    "ROWBACKGROUNDS",
                    (0, 1),
                    (-1, -1),
                    [colors.white, colors.Color(0.96, 0.96, 0.97)],
                ),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.Color(*_INK)),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.Color(0.7, 0.7, 0.74)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table

"""Write tables to .xlsx and .csv for people to open in a spreadsheet program.

Every text cell passes through ``safe_cell``: a spreadsheet runs text that starts with ``=``,
``+``, ``-`` or ``@`` as a formula (and tab and carriage return can smuggle one in), so such
text gets a leading single quote, as the OWASP guidance on CSV injection recommends. Real
numbers (int, float, Decimal) stay numbers, so sums and sorting still work.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

__all__ = ["FORMULA_TRIGGERS", "Sheet", "safe_cell", "write_csv", "write_xlsx"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# (title, headers, rows)
Sheet = tuple[str, Sequence[str], Iterable[Sequence[object]]]

# Control characters that XML 1.0 cannot hold; openpyxl refuses to write them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_WIDTH_SAMPLE_ROWS = 200
_MIN_WIDTH, _MAX_WIDTH = 6, 60


def safe_cell(value: object) -> object:
    """Return ``value`` made safe for a spreadsheet cell.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
    ``'`` so that no spreadsheet program runs it as a formula. Every other value, numbers
    included, is returned unchanged. Never raises.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """Write sheets of ``(title, headers, rows)`` to an .xlsx workbook and return its bytes.

    Rows are streamed (openpyxl write-only mode), so long lists use little memory. The header
    row is bold and frozen; column widths fit the header and the first rows. Titles are cut to
    Excel's 31 characters with forbidden characters replaced and made unique. Text is passed
    through ``safe_cell``; control characters that XML cannot hold are dropped.

    Raises ``ValueError`` when ``sheets`` is empty.
    """
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    titles: set[str] = set()
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(_unique_title(title, titles))
        rows = iter(rows)
        # Column widths must be set before the first row is written, so they are measured
        # on a sample and the rest of the rows are streamed afterwards.
        sample = list(islice(rows, _WIDTH_SAMPLE_ROWS))
        for index, width in enumerate(_widths(headers, sample), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(header))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in chain(sample, rows):
            sheet.append([_xlsx_value(value) for value in row])
    if not titles:
        raise ValueError("a workbook needs at least one sheet")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(
    headers: Sequence[str], rows: Iterable[Sequence[object]], *, encoding: str = "utf-8-sig"
) -> bytes:
    """Write a header row and rows as CSV and return the encoded bytes.

    The default encoding, UTF-8 with a byte-order mark, is the one Excel opens without
    garbling Chinese; pass ``"gb18030"`` for older software. Lines end in CRLF. Text is passed
    through ``safe_cell``; decimals are written in full, dates as ISO text.

    Raises ``LookupError`` for an unknown encoding.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_value(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode(encoding)


def _xlsx_value(value: object) -> object:
    if isinstance(value, str):
        return safe_cell(_ILLEGAL_XML.sub("", value))
    if value is None or isinstance(value, bool | int | float | Decimal | date):
        return value
    return safe_cell(_ILLEGAL_XML.sub("", str(value)))


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return format(value, "f")  # never exponent notation: 1E+2 would read as text
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(str(value))


def _unique_title(title: str, taken: set[str]) -> str:
    # Excel limits sheet titles to 31 characters, forbids []:*?/\ and compares titles
    # case-insensitively.
    base = _BAD_TITLE.sub("_", title).strip("'")[:31] or "Sheet"
    candidate, n = base, 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate


def _display_width(value: object) -> int:
    if value is None:
        return 0
    text = value if isinstance(value, str) else str(value)
    # Chinese characters take two columns in a spreadsheet's default font.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(headers: Sequence[str], sample: Sequence[Sequence[object]]) -> list[float]:
    widths = [_display_width(header) for header in headers]
    for row in sample:
        for index, value in enumerate(row):
            if index >= len(widths):
                widths.append(0)
            widths[index] = max(widths[index], _display_width(value))
    return [min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH) for width in widths]

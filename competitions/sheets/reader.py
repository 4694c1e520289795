"""Read an uploaded spreadsheet (.xlsx or .csv) into a table of stripped strings.

Uploads come from people's own computers, so the reader is defensive: it checks the size
first, inspects an .xlsx's zip directory before openpyxl touches it (declared sizes,
compression ratio, number of members), bounds how far down and across a sheet it reads, and
turns every failure into a ``SheetError`` whose message tells the person what to do.

Row numbers are the ones a spreadsheet program shows (1-based, blank rows counted), so a
message such as "row 7" points at the row the person sees.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_COLUMNS",
    "DEFAULT_MAX_ROWS",
    "Row",
    "SheetError",
    "Table",
    "column_letter",
    "read_table",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
DEFAULT_MAX_COLUMNS = 50

# Empty rows below the data are skipped, but only this many beyond the row limit: a sheet
# formatted down to row 1,048,576 is refused after a few thousand cheap rows instead of read.
EMPTY_ROW_ALLOWANCE = 10_000

# Zip bomb guards, after Apache POI's ZipSecureFile: an entry may not inflate more than
# 100 times (small entries excepted, whose ratio means nothing), and the whole archive may not
# inflate past a fixed total. Real workbooks sit far below both: a 10,000-row registration
# sheet is a few megabytes of XML compressed about 10 times.
MAX_INFLATE_RATIO = 100
RATIO_GRACE_BYTES = 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 1_000
# Excel itself cannot write more cells to a row than it has columns.
MAX_CELLS_PER_ROW = 16_384

_SAVE_AS = "Save it as an Excel workbook (.xlsx) or as CSV (.csv) and upload that file."
_DELETE_EMPTY_ROWS = (
    "If the rows below your data are empty, delete them (select the rows, right-click, "
    "Delete) and upload again."
)
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_SCAN_CHUNK = 1024 * 1024
# The opening tags that matter in a worksheet, with their attributes (a self-closing cell has
# no value).
_SHEET_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension|sheetData)(?=[\s/>])([^<>]{0,512})>"
)
_REFERENCE = re.compile(rb'\br="([A-Z]{0,3})(\d+)"')


class SheetError(ValueError):
    """The uploaded file cannot be read as a table; the message is meant for its uploader."""


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its number as a spreadsheet shows it and one stripped string per column.

    ``lossy`` holds the indexes of cells whose number had more than 15 digits: Excel keeps only
    15 significant digits, so an ID number typed into a number cell has lost its last digits.
    """

    number: int
    cells: tuple[str, ...]
    lossy: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Table:
    """The header row's cells and the non-empty rows below it, all padded to one width."""

    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    header_row: int = 1


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    return get_column_letter(index + 1)


def read_table(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES,
) -> Table:
    """Read the first sheet of an .xlsx, or a .csv, into a ``Table``.

    The first non-empty row is the header row. Empty rows are dropped (their numbers are
    skipped, so later rows keep the numbers a spreadsheet shows). Cells are stripped strings:
    whole numbers come back as their digits (``13800138000.0`` -> ``"13800138000"``), dates as
    ISO text. A .csv may be UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030, with
    comma, semicolon or tab between fields.

    Raises ``SheetError`` when the file is larger than ``max_bytes``, is of another type, is
    damaged or suspicious (zip bomb), has no header row, has more than ``max_rows`` data rows
    or more than ``max_columns`` columns.
    """
    if len(data) > max_bytes:
        raise SheetError(
            f"The file is {_size(len(data))}; files up to {_size(max_bytes)} are accepted."
        )
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        raw_rows: Iterator[tuple[int, list[str], frozenset[int]]] = _xlsx_rows(
            data, max_rows=max_rows, max_columns=max_columns, max_inflated=max_uncompressed_bytes
        )
    elif suffix in (".csv", ".txt"):
        raw_rows = _csv_rows(data, max_rows=max_rows)
    elif suffix in (".xls", ".et", ".ods", ".numbers", ".wps", ".xlsm", ".xlsb"):
        raise SheetError(f"Files of type {suffix} cannot be read. {_SAVE_AS}")
    else:
        raise SheetError(f"Only .xlsx and .csv files can be read. {_SAVE_AS}")
    # closing() shuts the workbook as soon as reading stops, also when a limit is hit.
    # openpyxl warns about features it drops (data validation, conditional formats, ...):
    # no concern of an import, and tests turn warnings into errors.
    with contextlib.closing(raw_rows), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return _tabulate(raw_rows, max_rows=max_rows, max_columns=max_columns)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _tabulate(
    raw_rows: Iterable[tuple[int, list[str], frozenset[int]]], *, max_rows: int, max_columns: int
) -> Table:
    """Find the header, drop empty rows, enforce the limits and pad rows to one width."""
    header: list[str] | None = None
    header_row = 0
    body: list[tuple[int, list[str], frozenset[int]]] = []
    width = 0
    for number, cells, lossy in raw_rows:
        # Trailing empty cells are dropped first, so the width is that of the data.
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(cells) > max_columns:
            raise SheetError(
                f"Row {number} has a value in column {column_letter(len(cells) - 1)}; "
                f"at most {max_columns} columns are read."
            )
        width = max(width, len(cells))
        if header is None:
            header, header_row = cells, number
            continue
        if len(body) == max_rows:
            raise SheetError(
                f"The sheet has more than {max_rows} rows of data; split it into several files."
            )
        body.append((number, cells, lossy))
    if header is None:
        raise SheetError("The sheet is empty: its first row should hold the column headers.")
    pad = [""] * width
    return Table(
        headers=tuple(header + pad[len(header) :]),
        rows=tuple(
            Row(number, tuple(cells + pad[len(cells) :]), lossy) for number, cells, lossy in body
        ),
        header_row=header_row,
    )


def _clean(text: str) -> str:
    # Text pasted from web pages and chat apps carries zero-width characters and BOMs that
    # look like nothing but break comparisons; str.strip() alone keeps them.
    return text.strip().strip(_INVISIBLE).strip()


# --- CSV ------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """Decode CSV bytes: UTF-16 by its BOM, else strict UTF-8, else GB18030 (a GBK superset)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise SheetError(
        'The file\'s text encoding is not recognised. Save it as "CSV UTF-8" and upload again.'
    )


def _delimiter(text: str) -> str:
    """Guess the field separator from the first non-empty line: comma, semicolon or tab."""
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_rows(data: bytes, *, max_rows: int) -> Iterator[tuple[int, list[str], frozenset[int]]]:
    if data.startswith(b"PK\x03\x04"):
        raise SheetError("This file is an Excel workbook, not CSV: rename it to end in .xlsx.")
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    limit = max_rows + 1 + EMPTY_ROW_ALLOWANCE
    try:
        # Each record is one row in a spreadsheet program, even when a quoted field spans
        # lines, so rows are numbered by record rather than by line.
        for number, record in enumerate(reader, start=1):
            if number > limit:
                raise SheetError(f"The file goes on past row {limit}. {_DELETE_EMPTY_ROWS}")
            yield number, [_clean(cell) for cell in record], frozenset()
    except csv.Error as error:
        message = f"The file is not valid CSV near line {reader.line_num}: {error}."
        raise SheetError(message) from None


# --- XLSX -----------------------------------------------------------------------------------


def _check_zip(data: bytes, *, max_inflated: int) -> zipfile.ZipFile:
    """Open the .xlsx as a zip and refuse it before any XML is parsed if it looks like a bomb.

    Python's zipfile stops inflating an entry at its declared size (and fails its CRC check if
    there is more), so the declared sizes checked here bound the work done later.
    """
    # Both old .xls files and password-protected .xlsx files are OLE compound documents.
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(
            "This file is an old-format Excel workbook (.xls) or is protected by a password. "
            f"Remove any password, then {_SAVE_AS[0].lower()}{_SAVE_AS[1:]}"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SheetError(f"The file is not a valid .xlsx workbook. {_SAVE_AS}") from None
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise SheetError("The workbook has too many parts to be read safely.")
    inflated = 0
    for member in members:
        inflated += member.file_size
        if member.file_size > RATIO_GRACE_BYTES and member.file_size > MAX_INFLATE_RATIO * max(
            member.compress_size, 1
        ):
            raise SheetError(
                "The workbook's contents are compressed suspiciously well (a zip bomb?) "
                "and were not read."
            )
    if inflated > max_inflated:
        raise SheetError(
            f"The workbook unpacks to {_size(inflated)}, more than the {_size(max_inflated)} "
            "accepted. Delete unused sheets, pictures and formatting, or split it."
        )
    return archive


def _scan_sheet(
    archive: zipfile.ZipFile, name: str, *, last_row: int, max_columns: int | None = None
) -> None:
    """Scan a worksheet's XML for what openpyxl cannot be asked to bound, before it parses it.

    Any member of the workbook may be passed; one that is no worksheet has no rows. A sheet
    without a <dimension> ahead of its rows is parsed to its end as the workbook is opened, so
    such a sheet going on past ``last_row`` is refused. openpyxl builds every cell of a row
    before it drops the columns we do not read, so a crafted row of millions of cells would
    exhaust memory: rows with more cells than Excel allows are refused.

    ``max_columns`` is given for the sheet to be read: it too may not go on past
    ``last_row`` (refusing here spares parsing thousands of empty rows), and a value beyond
    ``max_columns``, which iter_rows would drop without a word, is refused. A byte scan is
    cheap next to parsing.
    """
    overlap = 1024  # longer than any tag the pattern matches
    sized = False
    row = cells = column = 0
    tail = b""
    with archive.open(name) as source:
        while True:
            chunk = source.read(_SCAN_CHUNK)
            buffer = tail + chunk
            # Tags starting before the cut are whole in this buffer; the rest wait for the next.
            cut = max(len(buffer) - overlap, 0) if chunk else len(buffer)
            for match in _SHEET_TAG.finditer(buffer):
                if match.start() >= cut:
                    break
                tag = match.group(1)
                if tag == b"dimension":
                    sized = True
                    continue
                if tag == b"sheetData":
                    if sized and max_columns is None:
                        return  # openpyxl will read the dimension and nothing further
                    continue
                reference = _REFERENCE.search(match.group(2))
                if tag == b"row":
                    row = int(reference.group(2)) if reference else row + 1
                    cells = column = 0
                    if row > last_row:
                        raise SheetError(
                            f"The sheet goes on past row {last_row - 1}. {_DELETE_EMPTY_ROWS}"
                        )
                    continue
                cells += 1
                if cells > MAX_CELLS_PER_ROW:
                    raise SheetError("A row of the sheet has more cells than Excel allows.")
                column = _column_index(reference.group(1)) if reference else column + 1
                if max_columns and column > max_columns and not match.group(2).endswith(b"/"):
                    raise SheetError(
                        f"Row {row} has a value in column {column_letter(column - 1)}; "
                        f"at most {max_columns} columns are read."
                    )
            if not chunk:
                return
            tail = buffer[cut:]


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index


def _xlsx_rows(
    data: bytes, *, max_rows: int, max_columns: int, max_inflated: int
) -> Iterator[tuple[int, list[str], frozenset[int]]]:
    archive = _check_zip(data, max_inflated=max_inflated)
    limit = max_rows + 1 + EMPTY_ROW_ALLOWANCE
    # Every member, not only xl/worksheets/*: the workbook's relationships may put a sheet
    # anywhere, and openpyxl opens every sheet of the workbook.
    for name in archive.namelist():
        _scan_sheet(archive, name, last_row=limit + 1)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for damaged files
        raise SheetError(f"The file is not a valid .xlsx workbook. {_SAVE_AS}") from None
    try:
        if not workbook.worksheets:
            raise SheetError("The workbook has no worksheet.")
        sheet = workbook.worksheets[0]
        _scan_sheet(archive, sheet._worksheet_path, last_row=limit + 1, max_columns=max_columns)
        # The scan has refused a sheet going on past the limits; one more row and column are
        # read all the same, so that going over is noticed even if it missed something.
        rows = sheet.iter_rows(min_row=1, max_row=limit + 1, max_col=max_columns + 1)
        for number, cells in enumerate(rows, start=1):
            if number > limit:
                raise SheetError(f"The sheet goes on past row {limit}. {_DELETE_EMPTY_ROWS}")
            texts = []
            lossy = set()
            for index, cell in enumerate(cells):
                value = cell.value
                if value is None:
                    texts.append("")
                    continue
                text, exact = _cell_text(value, cell.number_format)
                texts.append(text)
                if not exact:
                    lossy.add(index)
            yield number, texts, frozenset(lossy)
    except SheetError:
        raise
    except Exception:  # damaged XML inside a valid zip
        raise SheetError(f"The workbook could not be read. {_SAVE_AS}") from None
    finally:
        workbook.close()


_ZERO_PADDED = re.compile(r"0+")


def _cell_text(value: object, number_format: str) -> tuple[str, bool]:
    """Turn an Excel cell value into text, telling whether the text is exactly what was typed."""
    if isinstance(value, str):
        return _clean(value), True
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), True
    if isinstance(value, int):
        return _pad(str(value), number_format), True
    if isinstance(value, float):
        if value.is_integer():
            # Excel keeps 15 significant digits, so longer whole numbers (ID numbers typed as
            # numbers) have lost their tail; the caller can say so.
            return _pad(str(int(value)), number_format), abs(value) < 1e15
        # 15 significant digits is what Excel shows; repr would expose binary noise
        # (0.30000000000000004).
        return format(Decimal(format(value, ".15g")), "f"), True
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat(), True
        return value.isoformat(sep=" ", timespec="seconds"), True
    if isinstance(value, date | time):
        return value.isoformat(), True
    if isinstance(value, timedelta):
        return str(value), True
    return _clean(str(value)), True


def _pad(digits: str, number_format: str) -> str:
    # A number formatted "000" shows 007 in Excel: station and contestant numbers are typed
    # that way, and the leading zeros are part of them.
    if _ZERO_PADDED.fullmatch(number_format) and not digits.startswith("-"):
        return digits.zfill(len(number_format))
    return digits

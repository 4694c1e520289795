"""What the row imports share: column definitions, header matching, problems and templates.

A column is recognised by its Chinese or English header, whatever the case, spacing, a
trailing ``*`` or a note in brackets (``身份证号（必填）``, ``ID number *``). Columns nobody
asked for, such as the ``序号`` (serial number) column most Chinese forms start with, are
ignored and listed, so that nothing is dropped without the uploader being told.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from competitions.sheets.reader import Row, Table, column_letter
from competitions.sheets.validators import check_id_number, check_phone, mask_id_number
from competitions.sheets.writer import safe_cell, write_csv

__all__ = ["Column", "ColumnMap", "Problem", "map_columns"]

_NOTE = re.compile(r"[(（\[【].*?[)）\]】]")
_NOISE = re.compile(r"[\s_*\-:：.]+")
# Excel shows a number too long for it as 1.10105E+17 and saves that text into a CSV.
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+\d+", re.IGNORECASE)
TEMPLATE_ROWS = 1000


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an import: its key, its headers in both languages and other names."""

    key: str
    zh: str
    en: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    max_length: int = 100
    text_format: bool = False  # typed as text in the template, so Excel keeps leading zeros
    width: int = 14  # in the template, in characters
    hint: tuple[str, str] | None = None  # (zh, en) note after the header in the template


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an upload: the row and column it is in (when known) and why."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (f"row {self.row}" if self.row else None, self.column)
            if part is not None
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Where each known column is in a table, and the headers of the columns ignored."""

    indexes: dict[str, int]
    headers: tuple[str, ...]
    ignored: tuple[str, ...]

    def header(self, key: str) -> str:
        """Return the column's header as the uploader wrote it."""
        return self.headers[self.indexes[key]]


def _normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _NOISE.sub("", _NOTE.sub("", text)).casefold()


def map_columns(table: Table, columns: Sequence[Column]) -> tuple[ColumnMap, list[Problem]]:
    """Match the table's headers to ``columns``.

    Returns the map and the problems found in the header row: a required column missing or a
    column given twice. Unknown headers, and columns with values but no header, are ignored
    and named in ``ColumnMap.ignored``. Never raises.
    """
    names = {}
    for column in columns:
        for name in (column.key, column.zh, column.en, *column.aliases):
            names[_normalise_header(name)] = column
    indexes: dict[str, int] = {}
    problems: list[Problem] = []
    ignored: list[str] = []
    for index, header in enumerate(table.headers):
        column = names.get(_normalise_header(header)) if header else None
        if column is None:
            if header:
                ignored.append(header)
            elif any(row.cells[index] for row in table.rows):
                ignored.append(f"column {column_letter(index)} (no header)")
            continue
        if column.key in indexes:
            first = column_letter(indexes[column.key])
            problems.append(
                Problem(
                    table.header_row,
                    header,
                    f"columns {first} and {column_letter(index)} both hold {column.zh} "
                    f"({column.en}); keep one",
                )
            )
            continue
        indexes[column.key] = index
    for column in columns:
        if column.required and column.key not in indexes:
            problems.append(
                Problem(
                    table.header_row,
                    None,
                    f"the column {column.zh} ({column.en}) is missing from the header row",
                )
            )
    return ColumnMap(indexes, table.headers, tuple(ignored)), problems


class RowReader:
    """Reads the cells of one row by column key, recording every problem it finds."""

    def __init__(self, row: Row, columns: Sequence[Column], mapping: ColumnMap) -> None:
        self.row = row
        self.columns = {column.key: column for column in columns}
        self.mapping = mapping
        self.problems: list[Problem] = []

    def problem(self, key: str | None, message: str) -> None:
        """Record a problem with this row, in the column ``key`` if given."""
        column = self.mapping.header(key) if key in self.mapping.indexes else None
        self.problems.append(Problem(self.row.number, column, message))

    def text(self, key: str) -> str | None:
        """Return the column's text, ``None`` when empty; a problem if required or too long."""
        column = self.columns[key]
        index = self.mapping.indexes.get(key)
        value = self.row.cells[index] if index is not None else ""
        if not value:
            if column.required:
                self.problem(key, "is required")
            return None
        if len(value) > column.max_length:
            self.problem(key, f"is longer than {column.max_length} characters")
            return None
        return value

    def id_number(self, key: str) -> str | None:
        """Return the column's ID number, normalised; a problem when it is not valid."""
        value = self.text(key)
        if value is None:
            return None
        index = self.mapping.indexes[key]
        if index in self.row.lossy or _SCIENTIFIC.fullmatch(value):
            self.problem(
                key,
                "was stored as a number, and Excel keeps only 15 digits, so the last digits "
                "are lost: format the column as Text and type the ID numbers again",
            )
            return None
        try:
            return check_id_number(value)
        except ValueError as error:
            self.problem(key, f"{mask_id_number(value)}: {error}")
            return None

    def phone(self, key: str) -> str | None:
        """Return the column's phone number, normalised; a problem when it is not valid."""
        value = self.text(key)
        if value is None:
            return None
        try:
            return check_phone(value)
        except ValueError as error:
            self.problem(key, f"{value} {error}")
            return None


def template_xlsx(
    columns: Sequence[Column],
    example: Sequence[str],
    *,
    title: str,
    language: str,
    lists: Sequence[tuple[str, Sequence[str], Sequence[Sequence[str]], str]] = (),
) -> bytes:
    """Build an import template: a sheet with the header row and one example row.

    ``lists`` adds reference sheets ``(title, headers, rows, key)``; the column ``key`` of the
    main sheet then offers the first column of that sheet as a drop-down list.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        header = sheet.cell(row=1, column=index, value=_label(column, language))
        header.font = bold
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        cell = sheet.cell(row=2, column=index, value=safe_cell(example[index - 1]) or None)
        if column.text_format:
            # A column formatted as text keeps what is typed: without it Excel turns an ID
            # number into 1.10105E+17 and drops the leading zeros of station numbers.
            sheet.column_dimensions[letter].number_format = "@"
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    keys = [column.key for column in columns]
    for list_title, headers, rows, key in lists:
        reference = workbook.create_sheet(list_title)
        reference.append(list(headers))
        for cell in reference[1]:
            cell.font = bold
        for row in rows:
            reference.append([safe_cell(value) for value in row])
        for index in range(1, len(headers) + 1):
            reference.column_dimensions[get_column_letter(index)].width = 24
        if rows:
            letter = get_column_letter(keys.index(key) + 1)
            choices = DataValidation(
                type="list",
                formula1=f"'{list_title}'!$A$2:$A${len(rows) + 1}",
                allow_blank=True,
                showErrorMessage=True,
            )
            choices.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(choices)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(columns: Sequence[Column], example: Sequence[str], *, language: str) -> bytes:
    """Build the CSV variant of an import template: header row and example row, UTF-8 BOM."""
    return write_csv([_label(column, language) for column in columns], [list(example)])


def _label(column: Column, language: str) -> str:
    zh = language == "zh"
    hint = column.hint or (None if column.required else ("选填", "optional"))
    label = column.zh if zh else column.en
    return f"{label} ({hint[0] if zh else hint[1]})" if hint else label

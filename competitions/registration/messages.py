"""Translate the problems the pure sheet checks report (in English) for the person reading them.

``competitions.sheets`` imports no Flask, so its messages are plain English text. Each rule
here recognises one message shape and gives it again through ``gettext``, so a Chinese
organiser reads the problems of an import in Chinese. A message no rule knows is shown as it
is: a change of wording in the checks can cost a translation, never a problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

from ..sheets.columns import Problem

Rule = tuple[re.Pattern[str], Callable[[dict[str, str]], str]]


def _rule(pattern: str, render: Callable[[dict[str, str]], str]) -> Rule:
    return re.compile(pattern + r"\Z", re.DOTALL), render


# Reasons that follow a value: "<masked ID>: <reason>", "<phone> <reason>", form errors.
_REASONS: list[Rule] = [
    _rule(r"is empty", lambda g: _("is empty")),
    _rule(r"must be text", lambda g: _("must be text")),
    _rule(
        r"is a 15-digit first-generation ID number; give the 18-character number",
        lambda g: _("is a 15-digit first-generation ID number; give the 18-character number"),
    ),
    _rule(
        r"must have 18 characters, not (?P<n>\d+)",
        lambda g: _("must have 18 characters, not %(n)s", **g),
    ),
    _rule(
        r"the first 17 characters must be digits",
        lambda g: _("the first 17 characters must be digits"),
    ),
    _rule(
        r"the last character must be a digit or X",
        lambda g: _("the last character must be a digit or X"),
    ),
    _rule(
        r"(?P<code>\d+) is not a province code: the first digits are wrong",
        lambda g: _("%(code)s is not a province code: the first digits are wrong", **g),
    ),
    _rule(
        r"birth date (?P<birth>\S+) is not a real date",
        lambda g: _("birth date %(birth)s is not a real date", **g),
    ),
    _rule(
        r"birth date (?P<birth>\S+) is not plausible",
        lambda g: _("birth date %(birth)s is not plausible", **g),
    ),
    _rule(
        r"check digit should be (?P<digit>[0-9X])",
        lambda g: _("check digit should be %(digit)s", **g),
    ),
    _rule(
        r"is not a mobile number \(11 digits starting with 13 to 19\) or a landline with its "
        r"area code, like 0755-12345678",
        lambda g: _(
            "is not a mobile number (11 digits starting with 13 to 19) or a landline with its "
            "area code, like 0755-12345678"
        ),
    ),
]

_PROBLEMS: list[Rule] = [
    _rule(r"is required", lambda g: _("is required")),
    _rule(
        r"is longer than (?P<n>\d+) characters",
        lambda g: _("is longer than %(n)s characters", **g),
    ),
    _rule(
        r"was stored as a number, and Excel keeps only 15 digits, so the last digits are lost: "
        r"format the column as Text and type the ID numbers again",
        lambda g: _(
            "was stored as a number, and Excel keeps only 15 digits, so the last digits are "
            "lost: format the column as Text and type the ID numbers again"
        ),
    ),
    _rule(
        r"unknown event code (?P<code>.+?) \(valid codes: (?P<known>.*)\)",
        lambda g: _("unknown event code %(code)s (valid codes: %(known)s)", **g),
    ),
    _rule(
        r"(?P<code>\S+) is a team event, so the team name is required \(if the team name is one "
        r"merged cell over several rows, unmerge it and fill every row\)",
        lambda g: _(
            "%(code)s is a team event, so the team name is required (if the team name is one "
            "merged cell over several rows, unmerge it and fill every row)",
            **g,
        ),
    ),
    _rule(
        r"(?P<code>\S+) is an individual event: leave the team name empty",
        lambda g: _("%(code)s is an individual event: leave the team name empty", **g),
    ),
    _rule(
        r"this is the template's example row: delete it",
        lambda g: _("this is the template's example row: delete it"),
    ),
    _rule(
        r"(?P<id>\S+) is given for (?P<first>.+?) in row (?P<row>\d+) and for (?P<name>.+) here",
        lambda g: _("%(id)s is given for %(first)s in row %(row)s and for %(name)s here", **g),
    ),
    _rule(
        r"(?P<id>\S+) is already registered for (?P<event>\S+)",
        lambda g: _("%(id)s is already registered for %(event)s", **g),
    ),
    _rule(
        r"station (?P<station>.+?) is also given in row (?P<row>\d+)",
        lambda g: _("station %(station)s is also given in row %(row)s", **g),
    ),
    _rule(
        r"(?P<id>\S+) is also in row (?P<row>\d+) for (?P<event>\S+)",
        lambda g: _("%(id)s is also in row %(row)s for %(event)s", **g),
    ),
    _rule(
        r"(?P<id>\S+) is listed twice in team (?P<team>.+?) \(rows (?P<a>\d+) and (?P<b>\d+)\)",
        lambda g: _("%(id)s is listed twice in team %(team)s (rows %(a)s and %(b)s)", **g),
    ),
    _rule(
        r"(?P<id>\S+) is already in team (?P<team>.+?) \(row (?P<row>\d+)\); a person can be in "
        r"one team of (?P<event>\S+) only",
        lambda g: _(
            "%(id)s is already in team %(team)s (row %(row)s); a person can be in one team of "
            "%(event)s only",
            **g,
        ),
    ),
    _rule(
        r"team (?P<team>.+?) has station (?P<station>.+?) in row (?P<row>\d+): a team has one "
        r"station",
        lambda g: _(
            "team %(team)s has station %(station)s in row %(row)s: a team has one station", **g
        ),
    ),
    _rule(
        r"columns (?P<a>[A-Z]+) and (?P<b>[A-Z]+) both hold (?P<zh>\S+) \((?P<en>.+?)\); keep one",
        lambda g: _("columns %(a)s and %(b)s both hold %(zh)s (%(en)s); keep one", **g),
    ),
    _rule(
        r"the column (?P<zh>\S+) \((?P<en>.+?)\) is missing from the header row",
        lambda g: _("the column %(zh)s (%(en)s) is missing from the header row", **g),
    ),
]

# "<value>: <reason>" (ID numbers) and "<value> <reason>" (phones).
_VALUE_COLON_REASON = re.compile(r"(?P<value>\S+): (?P<reason>.+)\Z", re.DOTALL)
_VALUE_SPACE_REASON = re.compile(
    r"(?P<value>.+?) (?P<reason>is not a mobile number .+)\Z", re.DOTALL
)


def _match(rules: list[Rule], text: str) -> str | None:
    for pattern, render in rules:
        found = pattern.match(text)
        if found:
            return render(found.groupdict())
    return None


def translate_reason(text: str) -> str:
    """The reason an ID number or phone number was refused, translated when known."""
    return _match(_REASONS, text) or text


def translate_message(text: str) -> str:
    """A sheet problem's message, translated when its shape is known; else unchanged."""
    known = _match(_PROBLEMS, text)
    if known is not None:
        return known
    for pattern in (_VALUE_COLON_REASON, _VALUE_SPACE_REASON):
        found = pattern.match(text)
        if found:
            reason = _match(_REASONS, found["reason"])
            if reason is not None:
                separator = ": " if pattern is _VALUE_COLON_REASON else " "
                return f"{found['value']}{separator}{reason}"
    return text


def translate_problem(problem: Problem) -> Problem:
    """The problem with its message translated (row and column stay as the sheet has them)."""
    return Problem(problem.row, problem.column, translate_message(problem.message))


# --- files that cannot be read (SheetError) -------------------------------------------------

_SAVE_AS = "Save it as an Excel workbook (.xlsx) or as CSV (.csv) and upload that file."
_DELETE_EMPTY_ROWS = (
    "If the rows below your data are empty, delete them (select the rows, right-click, "
    "Delete) and upload again."
)

_FILE_ERRORS: list[Rule] = [
    _rule(
        r"The file is (?P<size>.+?); files up to (?P<limit>.+?) are accepted\.",
        lambda g: _("The file is %(size)s; files up to %(limit)s are accepted.", **g),
    ),
    _rule(
        r"Files of type (?P<suffix>\S+) cannot be read\.",
        lambda g: _("Files of type %(suffix)s cannot be read.", **g),
    ),
    _rule(
        r"Only \.xlsx and \.csv files can be read\.",
        lambda g: _("Only .xlsx and .csv files can be read."),
    ),
    _rule(
        r"Row (?P<row>\d+) has a value in column (?P<column>[A-Z]+); at most (?P<n>\d+) columns "
        r"are read\.",
        lambda g: _(
            "Row %(row)s has a value in column %(column)s; at most %(n)s columns are read.", **g
        ),
    ),
    _rule(
        r"The sheet has more than (?P<n>\d+) rows of data; split it into several files\.",
        lambda g: _(
            "The sheet has more than %(n)s rows of data; split it into several files.", **g
        ),
    ),
    _rule(
        r"The sheet is empty: its first row should hold the column headers\.",
        lambda g: _("The sheet is empty: its first row should hold the column headers."),
    ),
    _rule(
        r"The file's text encoding is not recognised\. Save it as \"CSV UTF-8\" and upload again\.",
        lambda g: _(
            'The file\'s text encoding is not recognised. Save it as "CSV UTF-8" and upload again.'
        ),
    ),
    _rule(
        r"This file is an Excel workbook, not CSV: rename it to end in \.xlsx\.",
        lambda g: _("This file is an Excel workbook, not CSV: rename it to end in .xlsx."),
    ),
    _rule(
        r"The (?P<what>file|sheet) goes on past row (?P<n>\d+)\.",
        lambda g: _("The sheet goes on past row %(n)s.", n=g["n"]),
    ),
    _rule(
        r"This file is an old-format Excel workbook \(\.xls\) or is protected by a password\. "
        r"Remove any password, then save it as an Excel workbook \(\.xlsx\) or as CSV \(\.csv\) "
        r"and upload that file\.",
        lambda g: _(
            "This file is an old-format Excel workbook (.xls) or is protected by a password. "
            "Remove any password, then save it as an Excel workbook (.xlsx) or as CSV (.csv) "
            "and upload that file."
        ),
    ),
    _rule(
        r"The file is not a valid \.xlsx workbook\.",
        lambda g: _("The file is not a valid .xlsx workbook."),
    ),
    _rule(
        r"The workbook has too many parts to be read safely\.",
        lambda g: _("The workbook has too many parts to be read safely."),
    ),
    _rule(
        r"The workbook's contents are compressed suspiciously well \(a zip bomb\?\) and were not "
        r"read\.",
        lambda g: _(
            "The workbook's contents are compressed suspiciously well (a zip bomb?) and were "
            "not read."
        ),
    ),
    _rule(
        r"The workbook unpacks to (?P<size>.+?), more than the (?P<limit>.+?) accepted\. Delete "
        r"unused sheets, pictures and formatting, or split it\.",
        lambda g: _(
            "The workbook unpacks to %(size)s, more than the %(limit)s accepted. Delete unused "
            "sheets, pictures and formatting, or split it.",
            **g,
        ),
    ),
    _rule(
        r"A row of the sheet has more cells than Excel allows\.",
        lambda g: _("A row of the sheet has more cells than Excel allows."),
    ),
    _rule(r"The workbook has no worksheet\.", lambda g: _("The workbook has no worksheet.")),
    _rule(
        r"The file is not valid CSV near line (?P<line>\d+): (?P<reason>.+)",
        lambda g: _("The file is not valid CSV near line %(line)s: %(reason)s", **g),
    ),
]


def translate_sheet_error(text: str) -> str:
    """The reason a file could not be read, translated when its shape is known."""
    known = _match(_FILE_ERRORS, text)
    if known is not None:
        return known
    for suffix, render in (
        (
            _SAVE_AS,
            lambda: _(
                "Save it as an Excel workbook (.xlsx) or as CSV (.csv) and upload that file."
            ),
        ),
        (
            _DELETE_EMPTY_ROWS,
            lambda: _(
                "If the rows below your data are empty, delete them (select the rows, "
                "right-click, Delete) and upload again."
            ),
        ),
    ):
        if text.endswith(" " + suffix):
            head = _match(_FILE_ERRORS, text[: -len(suffix) - 1])
            if head is not None:
                return f"{head} {render()}"
    return text

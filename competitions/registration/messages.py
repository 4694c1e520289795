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


# --- contest package problems ("<JSON path>: <message>") ----------------------------------

_KINDS = {
    "null": lambda: _("null"),
    "true": lambda: _("true"),
    "false": lambda: _("false"),
    "a number": lambda: _("a number"),
    "text": lambda: _("text"),
    "an array": lambda: _("an array"),
    "an object": lambda: _("an object"),
}


def _kind(text: str) -> str:
    render = _KINDS.get(text)
    return render() if render else text


_PACKAGE: list[Rule] = [
    _rule(r"is given more than once", lambda g: _("is given more than once")),
    _rule(
        r"unknown field \(did you mean (?P<key>\S+)\?\)",
        lambda g: _("unknown field (did you mean %(key)s?)", **g),
    ),
    _rule(
        r"unknown field \(expected (?P<keys>.+)\)",
        lambda g: _("unknown field (expected %(keys)s)", **g),
    ),
    _rule(r"is required", lambda g: _("is required")),
    _rule(r"must not be empty", lambda g: _("must not be empty")),
    _rule(
        r"must be (?P<what>an object|an array|text|a number|a whole number|true or false), "
        r"not (?P<kind>.+)",
        lambda g: _(
            "must be %(what)s, not %(kind)s",
            what={
                "an object": _("an object"),
                "an array": _("an array"),
                "text": _("text"),
                "a number": _("a number"),
                "a whole number": _("a whole number"),
                "true or false": _("true or false"),
            }[g["what"]],
            kind=_kind(g["kind"]),
        ),
    ),
    _rule(
        r"the document must be a JSON object, not (?P<kind>.+)",
        lambda g: _("the document must be a JSON object, not %(kind)s", kind=_kind(g["kind"])),
    ),
    _rule(
        r"is longer than (?P<n>\d+) characters",
        lambda g: _("is longer than %(n)s characters", **g),
    ),
    _rule(
        r"contains a control character or an invalid character",
        lambda g: _("contains a control character or an invalid character"),
    ),
    _rule(
        r"(?P<value>.+) must be 1 to 32 letters, digits, '\.', '_' or '-', starting with a letter "
        r"or digit",
        lambda g: _(
            "%(value)s must be 1 to 32 letters, digits, '.', '_' or '-', starting with a letter "
            "or digit",
            **g,
        ),
    ),
    _rule(
        r"(?P<value>.+) is not one of (?P<choices>.+)",
        lambda g: _("%(value)s is not one of %(choices)s", **g),
    ),
    _rule(r"(?P<value>\S+) is too large", lambda g: _("%(value)s is too large", **g)),
    _rule(
        r"(?P<value>\S+) has more than (?P<n>\d) decimal places \((?P<what>\w+) are stored with "
        r"\d\)",
        lambda g: _(
            "%(value)s has more than %(n)s decimal places (%(what)s are stored with %(n)s)",
            value=g["value"],
            n=g["n"],
            what={
                "numbers": _("numbers"),
                "maxima": _("maxima"),
                "weights": _("weights"),
                "shares": _("shares"),
                "totals": _("totals"),
                "times": _("times"),
                "marks": _("marks"),
            }.get(g["what"], g["what"]),
        ),
    ),
    _rule(
        r"(?P<value>\S+) must be above (?P<low>\S+)",
        lambda g: _("%(value)s must be above %(low)s", **g),
    ),
    _rule(
        r"(?P<value>\S+) must be at least (?P<low>\S+)",
        lambda g: _("%(value)s must be at least %(low)s", **g),
    ),
    _rule(
        r"(?P<value>\S+) must be at most (?P<high>\S+)",
        lambda g: _("%(value)s must be at most %(high)s", **g),
    ),
    _rule(
        r"(?P<value>\S+) must be from (?P<low>\S+) to (?P<high>\S+)",
        lambda g: _("%(value)s must be from %(low)s to %(high)s", **g),
    ),
    _rule(
        r"(?P<value>\S+) must be a whole number",
        lambda g: _("%(value)s must be a whole number", **g),
    ),
    _rule(r"needs zh or en", lambda g: _("needs zh or en")),
    _rule(
        r"must be a date written YYYY-MM-DD, not (?P<value>.+)",
        lambda g: _("must be a date written YYYY-MM-DD, not %(value)s", **g),
    ),
    _rule(r"is also in (?P<path>\S+)", lambda g: _("is also in %(path)s", **g)),
    _rule(
        r"(?P<value>.+) is also in (?P<path>\S+)",
        lambda g: _("%(value)s is also in %(path)s", **g),
    ),
    _rule(
        r"must be \"contest-package\", not (?P<value>.+)",
        lambda g: _('must be "contest-package", not %(value)s', **g),
    ),
    _rule(
        r"(?P<value>.+) is not supported: this system reads (?P<version>\d+)",
        lambda g: _("%(value)s is not supported: this system reads %(version)s", **g),
    ),
    _rule(
        r"(?P<end>\S+) is before starts_on (?P<start>\S+)",
        lambda g: _("%(end)s is before starts_on %(start)s", **g),
    ),
    _rule(
        r"applies to the trimmed_mean method only",
        lambda g: _("applies to the trimmed_mean method only"),
    ),
    _rule(
        r"the weights add up to (?P<total>\S+); they must total 100",
        lambda g: _("the weights add up to %(total)s; they must total 100", **g),
    ),
    _rule(
        r"needs a marks or judgement criterion: deductions alone give the section no maximum",
        lambda g: _(
            "needs a marks or judgement criterion: deductions alone give the section no maximum"
        ),
    ),
    _rule(
        r"there is no (?P<what>section|criterion|entry|judge) (?P<code>.+?) in (?P<event>.+)",
        lambda g: _(
            "there is no %(what)s %(code)s in %(event)s",
            what={
                "section": _("section"),
                "criterion": _("criterion"),
                "entry": _("entry"),
                "judge": _("judge"),
            }[g["what"]],
            code=g["code"],
            event=_("this event") if g["event"] == "this event" else g["event"],
        ),
    ),
    _rule(
        r"(?P<value>.+) must be section:CODE, criterion:CODE or time",
        lambda g: _("%(value)s must be section:CODE, criterion:CODE or time", **g),
    ),
    _rule(r"needs a share or a count", lambda g: _("needs a share or a count")),
    _rule(
        r"has both share and count; give one of them",
        lambda g: _("has both share and count; give one of them"),
    ),
    _rule(
        r"(?P<path>\S+) is already the chief judge: an event has one chief judge",
        lambda g: _("%(path)s is already the chief judge: an event has one chief judge", **g),
    ),
    _rule(
        r"only entries of team events have members",
        lambda g: _("only entries of team events have members"),
    ),
    _rule(
        r"a team has no ID number: give its members' ID numbers",
        lambda g: _("a team has no ID number: give its members' ID numbers"),
    ),
    _rule(r"is required for a team event", lambda g: _("is required for a team event")),
    _rule(
        r"entry (?P<entry>.+?), judge (?P<judge>.+?) and criterion (?P<criterion>.+?) already "
        r"have a mark at (?P<at>\S+)",
        lambda g: _(
            "entry %(entry)s, judge %(judge)s and criterion %(criterion)s already have a mark "
            "at %(at)s",
            **g,
        ),
    ),
    _rule(
        r"(?P<value>\S+) is not a judgement score: criterion (?P<code>\S+) takes a whole number "
        r"from 0 to 3",
        lambda g: _(
            "%(value)s is not a judgement score: criterion %(code)s takes a whole number from "
            "0 to 3",
            **g,
        ),
    ),
    _rule(
        r"(?P<value>\S+) is above the maximum (?P<max>\S+) of criterion (?P<code>\S+)",
        lambda g: _("%(value)s is above the maximum %(max)s of criterion %(code)s", **g),
    ),
    # What only the database can tell (competitions.package.importer).
    _rule(
        r"a competition with the code (?P<code>\S+) already exists \(replace it, or give this "
        r"package another code\)",
        lambda g: _(
            "a competition with the code %(code)s already exists (replace it, or give this "
            "package another code)",
            **g,
        ),
    ),
    _rule(
        r"(?P<code>\S+) has (?P<n>\d+) certificates issued; a competition with certificates "
        r"cannot be replaced",
        lambda g: _(
            "%(code)s has %(n)s certificates issued; a competition with certificates cannot be "
            "replaced",
            **g,
        ),
    ),
    _rule(
        r"(?P<id>\S+) is given for (?P<first>.+?) at (?P<at>\S+) and for (?P<name>.+) here",
        lambda g: _("%(id)s is given for %(first)s at %(at)s and for %(name)s here", **g),
    ),
    _rule(
        r"(?P<id>\S+) is already registered for a person of another name; check the name and "
        r"the ID number",
        lambda g: _(
            "%(id)s is already registered for a person of another name; check the name and "
            "the ID number",
            **g,
        ),
    ),
    _rule(
        r"(?P<code>\S+) belongs to organisers you are not one of; it cannot be replaced from here",
        lambda g: _(
            "%(code)s belongs to organisers you are not one of; it cannot be replaced from here",
            **g,
        ),
    ),
    _rule(
        r"the file is not UTF-8 text \(byte (?P<n>\d+)\)",
        lambda g: _("the file is not UTF-8 text (byte %(n)s)", **g),
    ),
    _rule(
        r"not valid JSON: (?P<reason>.+)",
        lambda g: _("not valid JSON: %(reason)s", **g),
    ),
]

_PATH = re.compile(r"(?P<path>[A-Za-z_][\w.\[\]]*): (?P<message>.+)\Z", re.DOTALL)


def translate_package_problem(text: str) -> tuple[str, str]:
    """A package problem as (JSON path, message), the message translated when known.

    The path is empty for problems of the whole document.
    """
    found = _PATH.match(text)
    path, message = (found["path"], found["message"]) if found else ("", text)
    if message.startswith("not valid JSON") or message.startswith("the file is not UTF-8"):
        path, message = "", text
    return path, _match(_PACKAGE, message) or _match(_REASONS, message) or message

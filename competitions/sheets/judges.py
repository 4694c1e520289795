"""Judge import by spreadsheet: name, username, employer, phone and an optional email.

The username is what the judge signs in with, so it must be unique, compared ignoring case,
within the file and against the accounts that exist. Two judges may share a name; they may
not share a phone number, which is how an organiser reaches a judge on the day.

Like the contestant import, ``parse_judges`` returns the rows only when there is no problem.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from competitions.sheets.columns import (
    Column,
    Problem,
    RowReader,
    map_columns,
    template_csv,
    template_xlsx,
)
from competitions.sheets.reader import Table

__all__ = [
    "COLUMNS",
    "JudgeImportResult",
    "JudgeRow",
    "judge_template_csv_bytes",
    "judge_template_workbook",
    "parse_judges",
]

COLUMNS = (
    Column("name", "姓名", "Name", aliases=("裁判姓名", "full name"), max_length=50, width=10),
    Column("username", "用户名", "Username",
           aliases=("账号", "帐号", "登录名", "登录账号", "user name", "login"), max_length=32,
           width=16),
    Column("employer", "工作单位", "Employer",
           aliases=("单位", "单位名称", "所在单位", "organisation", "organization", "company"),
           width=30),
    Column("phone", "手机号", "Phone",
           aliases=("手机号码", "手机", "联系电话", "电话", "mobile", "phone number"),
           max_length=30, text_format=True, width=16),
    Column("email", "电子邮箱", "Email", required=False,
           aliases=("邮箱", "电子邮件", "e-mail", "email address"), max_length=254, width=26),
)  # fmt: skip

EXAMPLE = ("李明", "liming", "深圳市某某科技有限公司", "13900139000", "liming@example.com")

# Sign-in names: ASCII letters, digits, dot, underscore and hyphen, starting with a letter or
# digit, so they can be typed on any tablet keyboard and shown in URLs.
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,31}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


@dataclass(frozen=True, slots=True)
class JudgeRow:
    """One valid judge row; ``username`` as written, ``phone`` normalised."""

    row: int
    name: str
    username: str
    employer: str
    phone: str
    email: str | None = None


@dataclass(frozen=True, slots=True)
class JudgeImportResult:
    """The judges when ``ok``, otherwise every problem; ``ignored_columns`` as for contestants."""

    judges: tuple[JudgeRow, ...]
    problems: tuple[Problem, ...]
    ignored_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Tell whether the import has no problem and may be written."""
        return not self.problems


def parse_judges(table: Table, *, existing_usernames: Collection[str] = ()) -> JudgeImportResult:
    """Check every row of a judge import.

    ``existing_usernames`` are the usernames already taken (compared ignoring case). The
    result holds the judges only when there is no problem; otherwise it holds every problem in
    row order: a required field missing, a username not of 3 to 32 letters, digits, dots,
    underscores or hyphens, an invalid phone or email, a username or phone given twice in the
    file (naming both rows), a username already taken, the template's example row.

    Never raises.
    """
    taken = {username.casefold() for username in existing_usernames}
    mapping, problems = map_columns(table, COLUMNS)
    if problems:
        return JudgeImportResult((), tuple(problems), mapping.ignored)
    judges: list[JudgeRow] = []
    usernames: dict[str, int] = {}
    phones: dict[str, int] = {}
    for row in table.rows:
        cells = RowReader(row, COLUMNS, mapping)
        name = cells.text("name")
        username = cells.text("username")
        employer = cells.text("employer")
        phone = cells.phone("phone")
        email = cells.text("email")
        if username is not None:
            folded = username.casefold()
            if not _USERNAME.fullmatch(username):
                cells.problem(
                    "username",
                    f"{username} is not a valid username: use 3 to 32 letters, digits, "
                    "dots, underscores or hyphens",
                )
            elif folded in usernames:
                cells.problem("username", f"{username} is also in row {usernames[folded]}")
            elif folded in taken:
                cells.problem("username", f"{username} is already taken")
            usernames.setdefault(folded, row.number)
        if phone is not None:
            if phone in phones:
                cells.problem("phone", f"{phone} is also in row {phones[phone]}")
            phones.setdefault(phone, row.number)
        if email is not None:
            if _EMAIL.fullmatch(email):
                local, _, domain = email.rpartition("@")
                email = f"{local}@{domain.lower()}"
            else:
                cells.problem("email", f"{email} is not an email address")
        if (name, username, employer, phone) == EXAMPLE[:4]:
            cells.problem(None, "this is the template's example row: delete it")
        problems.extend(cells.problems)
        if not cells.problems:
            assert name and username and employer and phone  # required, checked above
            judges.append(JudgeRow(row.number, name, username, employer, phone, email))
    if problems:
        return JudgeImportResult((), tuple(problems), mapping.ignored)
    return JudgeImportResult(tuple(judges), (), mapping.ignored)


def judge_template_workbook(*, language: str = "zh") -> bytes:
    """Return the judge import template as .xlsx bytes: header row and one example row."""
    return template_xlsx(
        COLUMNS, EXAMPLE, title="裁判名单" if language == "zh" else "Judges", language=language
    )


def judge_template_csv_bytes(*, language: str = "zh") -> bytes:
    """Return the judge import template as CSV bytes (UTF-8 with BOM)."""
    return template_csv(COLUMNS, EXAMPLE, language=language)

"""Contestant registration by spreadsheet: the row model, its checks and the template.

One row is one person. In a team event the rows that share a team name (compared ignoring
case, width and spacing) form one team; in an individual event a row is one entry. A person
may enter several events, but not one event twice.

``parse_contestants`` is all or nothing: it returns the rows and teams only when there is no
problem at all, and otherwise every problem with its row number, so that a caller cannot
write half an import by mistake.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from competitions.sheets.columns import (
    Column,
    ColumnMap,
    Problem,
    RowReader,
    map_columns,
    template_csv,
    template_xlsx,
)
from competitions.sheets.reader import Table
from competitions.sheets.validators import mask_id_number

__all__ = [
    "COLUMNS",
    "ContestantRow",
    "EventChoice",
    "ImportResult",
    "TeamRows",
    "parse_contestants",
    "template_csv_bytes",
    "template_workbook",
]

COLUMNS = (
    Column("event_code", "赛项代码", "Event code", aliases=("赛项编码", "赛项编号", "event"),
           max_length=40),
    Column("name", "姓名", "Name", aliases=("选手姓名", "full name"), max_length=50, width=10),
    Column("employer", "工作单位", "Employer",
           aliases=("单位", "单位名称", "所在单位", "organisation", "organization", "company"),
           width=30),
    Column("id_number", "身份证号", "ID number",
           aliases=("身份证号码", "身份证", "公民身份号码", "证件号码", "id no", "id"),
           max_length=30, text_format=True, width=22),
    Column("phone", "手机号", "Phone",
           aliases=("手机号码", "手机", "联系电话", "电话", "mobile", "phone number"),
           max_length=30, text_format=True, width=16),
    Column("team", "团队名称", "Team", required=False,
           aliases=("团队", "队名", "参赛队", "team name"), width=24,
           hint=("团体赛项必填", "team events only")),
    Column("station", "工位号", "Station", required=False, aliases=("工位",), max_length=20,
           text_format=True, width=12),
    Column("note", "备注", "Note", required=False, aliases=("notes", "remarks"), max_length=500,
           width=30),
)  # fmt: skip

# The template's example row; a row equal to it is refused, because people forget to delete it.
EXAMPLE = {
    "name": "张伟",
    "employer": "某某精密制造有限公司",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "station": "A01",
}


@dataclass(frozen=True, slots=True)
class EventChoice:
    """An event offered in the template: its code, its name and whether entries are teams."""

    code: str
    name: str
    team: bool = False


@dataclass(frozen=True, slots=True)
class ContestantRow:
    """One valid person row, with its sheet row number and normalised ID number and phone."""

    row: int
    event_code: str
    name: str
    employer: str
    id_number: str
    phone: str
    team: str | None = None
    station: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TeamRows:
    """The rows of one team in a team event, in sheet order; ``station`` is the team's."""

    event_code: str
    name: str
    station: str | None
    members: tuple[ContestantRow, ...]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The outcome of reading an import: entries when ``ok``, otherwise every problem.

    ``ignored_columns`` names the columns that were not read, to show beside either outcome.
    """

    individuals: tuple[ContestantRow, ...]
    teams: tuple[TeamRows, ...]
    problems: tuple[Problem, ...]
    ignored_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Tell whether the import has no problem and may be written."""
        return not self.problems

    @property
    def person_count(self) -> int:
        """The number of people: individuals plus team members."""
        return len(self.individuals) + sum(len(team.members) for team in self.teams)

    @property
    def entry_count(self) -> int:
        """The number of entries: one per individual and one per team."""
        return len(self.individuals) + len(self.teams)


def _key(text: str) -> str:
    """Compare names ignoring width, case and spacing: 'A 队' and 'ａ队' are one team."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def parse_contestants(
    table: Table,
    *,
    events: Mapping[str, bool],
    existing_id_numbers_by_event: Mapping[str, Collection[str]] | None = None,
) -> ImportResult:
    """Check every row of a contestant import and group team members into teams.

    ``events`` maps each event code that may be entered to whether it is a team event; codes
    in the sheet are matched ignoring case. ``existing_id_numbers_by_event`` holds, per event
    code, the normalised ID numbers already registered. The result holds the individuals and
    teams only when there is no problem; otherwise it holds every problem, in row order:
    unknown event code, a required field missing, an invalid ID number (with the reason) or
    phone, a person twice in one event or in two teams of one event, an ID number given with
    two different names, a person already registered, a team event row without team name or
    an individual event row with one, a station given twice, the template's example row.

    Never raises: a table that cannot be read has already raised ``SheetError``.
    """
    existing = existing_id_numbers_by_event or {}
    mapping, problems = map_columns(table, COLUMNS)
    if problems:
        return ImportResult((), (), tuple(problems), mapping.ignored)
    codes = {code.casefold(): code for code in events}
    valid_rows: list[ContestantRow] = []
    for row in table.rows:
        cells = RowReader(row, COLUMNS, mapping)
        contestant = _read_row(cells, events, codes)
        problems.extend(cells.problems)
        if contestant is not None:
            valid_rows.append(contestant)
    problems.extend(_cross_row_problems(valid_rows, existing, mapping))
    if problems:
        # Row by row, and within a row from left to right, as the uploader reads the sheet.
        position = {header: index for index, header in enumerate(mapping.headers)}
        problems.sort(
            key=lambda problem: (problem.row or 0, position.get(problem.column, len(position)))
        )
        return ImportResult((), (), tuple(problems), mapping.ignored)
    individuals = tuple(row for row in valid_rows if row.team is None)
    return ImportResult(individuals, _teams(valid_rows), (), mapping.ignored)


def _read_row(
    cells: RowReader, events: Mapping[str, bool], codes: Mapping[str, str]
) -> ContestantRow | None:
    """Read one row's fields; ``None`` when any of them has a problem."""
    code_text = cells.text("event_code")
    name = cells.text("name")
    employer = cells.text("employer")
    id_number = cells.id_number("id_number")
    phone = cells.phone("phone")
    team = cells.text("team")
    station = cells.text("station")
    note = cells.text("note")
    code = codes.get(code_text.casefold()) if code_text else None
    if code_text and code is None:
        known = ", ".join(sorted(events)[:20]) or "none"
        cells.problem("event_code", f"unknown event code {code_text} (valid codes: {known})")
    if code is not None:
        if events[code] and not team:
            cells.problem(
                "team" if "team" in cells.mapping.indexes else "event_code",
                f"{code} is a team event, so the team name is required (if the team name is "
                "one merged cell over several rows, unmerge it and fill every row)",
            )
        elif not events[code] and team:
            cells.problem("team", f"{code} is an individual event: leave the team name empty")
    if (name, id_number) == (EXAMPLE["name"], EXAMPLE["id_number"]):
        cells.problem(None, "this is the template's example row: delete it")
    if cells.problems:
        return None
    assert code and name and employer and id_number and phone  # required, checked above
    return ContestantRow(
        cells.row.number, code, name, employer, id_number, phone, team, station, note
    )


def _cross_row_problems(
    rows: Sequence[ContestantRow],
    existing: Mapping[str, Collection[str]],
    mapping: ColumnMap,
) -> list[Problem]:
    """Problems between rows: duplicates within the file and against registered entries."""
    id_header = mapping.header("id_number")
    problems: list[Problem] = []
    first_by_id: dict[str, ContestantRow] = {}
    seen: dict[tuple[str, str], ContestantRow] = {}  # (event, ID number) -> first row
    stations: dict[tuple[str, str], tuple[str | None, ContestantRow]] = {}
    for row in rows:
        masked = mask_id_number(row.id_number)
        first = first_by_id.setdefault(row.id_number, row)
        if _key(first.name) != _key(row.name):
            problems.append(
                Problem(
                    row.row,
                    id_header,
                    f"{masked} is given for {first.name} in row {first.row} "
                    f"and for {row.name} here",
                )
            )
        earlier = seen.setdefault((row.event_code, row.id_number), row)
        if earlier is not row:
            problems.append(Problem(row.row, id_header, _duplicate(row, earlier, masked)))
        if row.id_number in existing.get(row.event_code, ()):
            problems.append(
                Problem(row.row, id_header, f"{masked} is already registered for {row.event_code}")
            )
        if row.station:
            # One station per entry: team members share their team's station.
            owner = _key(row.team) if row.team else row.id_number
            taken = stations.setdefault((row.event_code, _key(row.station)), (owner, row))
            if taken[0] != owner:
                problems.append(
                    Problem(
                        row.row,
                        mapping.header("station"),
                        f"station {row.station} is also given in row {taken[1].row}",
                    )
                )
    problems.extend(_team_station_problems(rows, mapping))
    return problems


def _duplicate(row: ContestantRow, earlier: ContestantRow, masked: str) -> str:
    if row.team is None:
        return f"{masked} is also in row {earlier.row} for {row.event_code}"
    if _key(row.team) == _key(earlier.team or ""):
        return f"{masked} is listed twice in team {row.team} (rows {earlier.row} and {row.row})"
    return (
        f"{masked} is already in team {earlier.team} (row {earlier.row}); "
        f"a person can be in one team of {row.event_code} only"
    )


def _team_station_problems(rows: Sequence[ContestantRow], mapping: ColumnMap) -> list[Problem]:
    problems = []
    first_station: dict[tuple[str, str], ContestantRow] = {}
    for row in rows:
        if row.team is None or not row.station:
            continue
        first = first_station.setdefault((row.event_code, _key(row.team)), row)
        if _key(first.station or "") != _key(row.station):
            problems.append(
                Problem(
                    row.row,
                    mapping.header("station"),
                    f"team {row.team} has station {first.station} in row {first.row}: "
                    "a team has one station",
                )
            )
    return problems


def _teams(rows: Iterable[ContestantRow]) -> tuple[TeamRows, ...]:
    members: dict[tuple[str, str], list[ContestantRow]] = {}
    for row in rows:
        if row.team is not None:
            members.setdefault((row.event_code, _key(row.team)), []).append(row)
    return tuple(
        TeamRows(
            event_code=event_code,
            name=team[0].team or "",
            station=next((row.station for row in team if row.station), None),
            members=tuple(team),
        )
        for (event_code, _), team in members.items()
    )


def _example(events: Iterable[EventChoice]) -> list[str]:
    first = next(iter(events), None)
    values = {
        **EXAMPLE,
        "event_code": first.code if first else "ROBOT",
        "team": "某某精密一队" if first and first.team else "",
        "note": "",
    }
    return [values[column.key] for column in COLUMNS]


def template_workbook(events: Iterable[EventChoice], *, language: str = "zh") -> bytes:
    """Return the contestant import template as .xlsx bytes.

    The first sheet has the header row (Chinese headers, or English with ``language="en"``)
    and one example row, the ID number, phone and station columns formatted as text; the
    second sheet lists the event codes, names and whether each is a team event, and the event
    code column offers them as a drop-down list. Never raises.
    """
    events = list(events)
    zh = language == "zh"
    kinds = ("团体", "个人") if zh else ("team", "individual")
    return template_xlsx(
        COLUMNS,
        _example(events),
        title="报名表" if zh else "Contestants",
        language=language,
        lists=[
            (
                "赛项代码" if zh else "Event codes",
                ("赛项代码", "赛项名称", "类型") if zh else ("Event code", "Event name", "Type"),
                [(e.code, e.name, kinds[0] if e.team else kinds[1]) for e in events],
                "event_code",
            )
        ],
    )


def template_csv_bytes(events: Iterable[EventChoice], *, language: str = "zh") -> bytes:
    """Return the contestant import template as CSV bytes (UTF-8 with BOM). Never raises."""
    return template_csv(COLUMNS, _example(events), language=language)

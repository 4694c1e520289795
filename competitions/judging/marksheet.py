"""What a judge sees while marking: their entries with progress, and mark sheets.

Read-only queries for the marking page and the API. A judge sees entries by
anonymous number (and work station) only: nothing here reads a name, an
employer or an ID number into the result. Each function runs a fixed number
of queries, whatever the number of entries (no query per entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from .. import authz
from ..contests.models import Criterion, Event, Section
from ..extensions import db
from ..registration.models import Entry
from .marks import NOT_MARKED_STATUSES, MarkState
from .models import JudgeAssignment, Mark

if TYPE_CHECKING:
    from ..accounts.models import User


@dataclass(frozen=True)
class SheetEntry:
    """One entry as a judge sees it: anonymous number, station and their own marks."""

    id: int
    number: str
    station: str | None
    marks: dict[str, MarkState]  # criterion code -> the judge's mark
    expected: int  # criteria this judge marks

    @property
    def marked(self) -> int:
        return len(self.marks)

    @property
    def complete(self) -> bool:
        return self.marked >= self.expected


@dataclass(frozen=True)
class EventSheet:
    """A judge's whole marking picture for one event."""

    event: Event
    assignment: JudgeAssignment
    sections: list[tuple[Section, list[Criterion]]]
    entries: list[SheetEntry] = field(default_factory=list)

    @property
    def criteria(self) -> list[Criterion]:
        return [criterion for _section, criteria in self.sections for criterion in criteria]

    @property
    def entries_marked(self) -> int:
        return sum(1 for entry in self.entries if entry.complete)


@dataclass(frozen=True)
class AssignmentProgress:
    """An assignment with how far the judge has got."""

    assignment: JudgeAssignment
    event: Event
    entries_total: int
    entries_marked: int


def judge_criteria(event: Event, assignment: JudgeAssignment) -> list[tuple[Section, list]]:
    """The event's sections with the criteria ``assignment`` marks (sections left empty dropped)."""
    sections = db.session.scalars(
        select(Section).where(Section.event_id == event.id).order_by(Section.position)
    ).all()
    criteria = db.session.scalars(
        select(Criterion).where(Criterion.event_id == event.id).order_by(Criterion.position)
    ).all()
    result = []
    for section in sections:
        own = [
            c
            for c in criteria
            if c.section_id == section.id and authz.judge_may_mark_criterion(assignment, c)
        ]
        if own:
            result.append((section, own))
    return result


def markable_entries(judge: User, assignment: JudgeAssignment) -> list[Entry]:
    """The entries ``judge`` marks under ``assignment``, by anonymous number.

    Entries at other stations (when the assignment names stations), entries
    the judge has a conflict of interest with, entries without an anonymous
    number yet, and absent or withdrawn entries are left out.
    """
    entries = db.session.scalars(
        select(Entry)
        .where(
            Entry.event_id == assignment.event_id,
            Entry.number.is_not(None),
            Entry.status.not_in(NOT_MARKED_STATUSES),
        )
        .order_by(Entry.number)
    ).all()
    if assignment.stations is not None:
        entries = [e for e in entries if e.station in assignment.stations]
    conflicted = authz.conflicted_entry_ids(judge, entries)
    return [e for e in entries if e.id not in conflicted]


def _marks_by_entry(judge: User, entry_ids: list[int], criteria) -> dict[int, dict[str, MarkState]]:
    codes = {c.id: c.code for c in criteria}
    result: dict[int, dict[str, MarkState]] = {entry_id: {} for entry_id in entry_ids}
    if not entry_ids or not codes:
        return result
    marks = db.session.scalars(
        select(Mark).where(
            Mark.judge_id == judge.id,
            Mark.entry_id.in_(entry_ids),
            Mark.criterion_id.in_(list(codes)),
        )
    ).all()
    for mark in marks:
        result[mark.entry_id][codes[mark.criterion_id]] = MarkState.of(mark)
    return result


def event_sheet(judge: User, assignment: JudgeAssignment) -> EventSheet:
    """The judge's entries of ``assignment``'s event with their own marks and the scheme."""
    event = assignment.event
    sections = judge_criteria(event, assignment)
    criteria = [c for _s, cs in sections for c in cs]
    entries = markable_entries(judge, assignment)
    marks = _marks_by_entry(judge, [e.id for e in entries], criteria)
    return EventSheet(
        event=event,
        assignment=assignment,
        sections=sections,
        entries=[
            SheetEntry(
                id=e.id,
                number=e.number,
                station=e.station,
                marks=marks[e.id],
                expected=len(criteria),
            )
            for e in entries
        ],
    )


def entry_sheet(judge: User, assignment: JudgeAssignment, entry: Entry) -> EventSheet:
    """One entry's mark sheet (the caller has checked ``authz.judge_may_mark``)."""
    sections = judge_criteria(assignment.event, assignment)
    criteria = [c for _s, cs in sections for c in cs]
    marks = _marks_by_entry(judge, [entry.id], criteria)
    return EventSheet(
        event=assignment.event,
        assignment=assignment,
        sections=sections,
        entries=[
            SheetEntry(
                id=entry.id,
                number=entry.number or "",
                station=entry.station,
                marks=marks[entry.id],
                expected=len(criteria),
            )
        ],
    )


def assignments_progress(judge: User) -> list[AssignmentProgress]:
    """Every assignment of ``judge`` with ``entries marked of entries total``."""
    assignments = db.session.scalars(
        select(JudgeAssignment)
        .where(JudgeAssignment.judge_id == judge.id)
        .order_by(JudgeAssignment.id)
    ).all()
    result = []
    for assignment in assignments:  # a judge has a handful of events, not hundreds
        entries = markable_entries(judge, assignment)
        criteria_ids = [c.id for _s, cs in judge_criteria(assignment.event, assignment) for c in cs]
        marked = 0
        if entries and criteria_ids:
            counts = db.session.execute(
                select(Mark.entry_id, func.count())
                .where(
                    Mark.judge_id == judge.id,
                    Mark.entry_id.in_([e.id for e in entries]),
                    Mark.criterion_id.in_(criteria_ids),
                )
                .group_by(Mark.entry_id)
            ).all()
            marked = sum(1 for _entry_id, n in counts if n >= len(criteria_ids))
        result.append(
            AssignmentProgress(
                assignment=assignment,
                event=assignment.event,
                entries_total=len(entries),
                entries_marked=marked,
            )
        )
    return result


def plain(value: Decimal) -> str:
    """A mark as people write it: ``32.500`` → ``32.5``, ``40.000`` → ``40``."""
    return format(value.normalize(), "f")

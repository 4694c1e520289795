"""Which marks an event still waits for: the chief judge's completeness check.

An *expected mark* is one cell of entries × judges × criteria:

* every judge assigned to the event, except its chief judge, who supervises (marks
  they give count, but none is expected of them) unless their assignment names the
  criteria they mark: in a small contest the chief judge marks as well,
* × every criterion the assignment lets them mark (all, unless it names some),
* × every entry that competed (not absent, withdrawn or disqualified) and is
  at one of the assignment's stations when it names any,
* minus the entries the judge has a conflict of interest with.

A cell is *given* when the mark exists, *excused* when the chief judge has
recorded a :class:`~.models.MarkExcuse` covering it (one names an entry, and
optionally a judge and/or a criterion: without them it covers the whole entry
or all the judge's criteria), and *missing* otherwise. Sign-off is refused while
any expected mark is missing.

Everything is read in a fixed number of queries (assignments, criteria,
entries, marks, excuses and the conflict check's three), never one per cell.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..accounts.models import User
from ..contests.models import Criterion, Section
from ..enums import UNRANKED_STATUSES
from ..extensions import db
from ..registration.models import Entry
from .conflicts import ConflictReason, _entry_people, _reasons
from .models import JudgeAssignment, Mark, MarkExcuse

if TYPE_CHECKING:
    from ..contests.models import Event


@dataclass(frozen=True, order=True)
class MissingMark:
    """One expected mark not yet given and not excused (ids of entry, judge, criterion)."""

    entry_id: int
    judge_id: int
    criterion_id: int


@dataclass(frozen=True)
class EntryRow:
    """An entry as the chief judge sees it: by anonymous number only."""

    id: int
    number: str | None
    station: str | None


@dataclass(frozen=True)
class JudgeColumn:
    """An assigned judge: ``ref`` is the assignment's label (J01 …), ``chief`` marks the chief."""

    id: int
    name: str
    ref: str | None
    chief: bool
    criteria: tuple[str, ...] | None
    stations: tuple[str, ...] | None

    @property
    def marks(self) -> bool:
        """Whether marks are expected of this judge (a chief judge only for named criteria)."""
        return not self.chief or self.criteria is not None


@dataclass(frozen=True)
class CriterionColumn:
    id: int
    code: str
    type: str


@dataclass(frozen=True)
class MatrixCell:
    """One entry × judge cell of the chief judge's matrix.

    ``state`` is ``"done"`` (every expected mark given or excused), ``"open"``,
    ``"conflict"`` or ``"none"`` (nothing expected). ``marks`` lists (criterion
    code, state) for open cells only, so a large matrix stays small.
    """

    state: str
    done: int = 0
    total: int = 0
    marks: tuple[tuple[str, str], ...] = ()


@dataclass
class Completeness:
    """The event's expected, given, excused and missing marks, cell by cell.

    ``cells[(entry_id, judge_id)]`` maps each expected criterion id to
    ``"given"``, ``"excused"`` or ``"missing"``; a pair that is absent expects
    nothing (a supervising chief judge, another station, not competing). ``conflicts`` holds the
    reasons of every conflicted pair. Entries that did not compete are listed
    in ``not_competing``.
    """

    entries: list[EntryRow]
    judges: list[JudgeColumn]
    criteria: list[CriterionColumn]
    cells: dict[tuple[int, int], dict[int, str]] = field(default_factory=dict)
    conflicts: dict[tuple[int, int], list[ConflictReason]] = field(default_factory=dict)
    not_competing: list[EntryRow] = field(default_factory=list)
    # (entry id, judge id) pairs where a conflicted judge has given marks anyway (the
    # relation was declared after marking): the chief judge must look at them.
    conflicted_marks: list[tuple[int, int]] = field(default_factory=list)

    def count(self, state: str) -> int:
        """How many expected marks are in ``state`` (given, excused, missing)."""
        return sum(1 for cell in self.cells.values() for s in cell.values() if s == state)

    @property
    def expected(self) -> int:
        return sum(len(cell) for cell in self.cells.values())

    @property
    def missing(self) -> list[MissingMark]:
        """The missing marks in entry, judge, criterion order (as the page lists them)."""
        entry_order = {e.id: i for i, e in enumerate(self.entries)}
        judge_order = {j.id: i for i, j in enumerate(self.judges)}
        criterion_order = {c.id: i for i, c in enumerate(self.criteria)}
        found = [
            MissingMark(entry_id, judge_id, criterion_id)
            for (entry_id, judge_id), cell in self.cells.items()
            for criterion_id, state in cell.items()
            if state == "missing"
        ]
        return sorted(
            found,
            key=lambda m: (
                entry_order[m.entry_id],
                judge_order[m.judge_id],
                criterion_order[m.criterion_id],
            ),
        )

    def entry(self, entry_id: int) -> EntryRow:
        return next(e for e in self.entries if e.id == entry_id)

    def judge(self, judge_id: int) -> JudgeColumn:
        return next(j for j in self.judges if j.id == judge_id)

    def criterion(self, criterion_id: int) -> CriterionColumn:
        return next(c for c in self.criteria if c.id == criterion_id)

    def matrix(self) -> list[tuple[EntryRow, list[MatrixCell]]]:
        """The matrix row by row (entries by number), one cell per judge who marks."""
        markers = [j for j in self.judges if j.marks]
        rows = []
        for entry in self.entries:
            cells = []
            for judge in markers:
                cell = self.cells.get((entry.id, judge.id))
                if cell:
                    done = sum(1 for state in cell.values() if state != "missing")
                    if done == len(cell):
                        cells.append(MatrixCell("done", done, len(cell)))
                    else:
                        marks = tuple((c.code, cell[c.id]) for c in self.criteria if c.id in cell)
                        cells.append(MatrixCell("open", done, len(cell), marks))
                elif (judge.id, entry.id) in self.conflicts:
                    cells.append(MatrixCell("conflict"))
                else:
                    cells.append(MatrixCell("none"))
            rows.append((entry, cells))
        return rows

    def judge_progress(self) -> dict[int, tuple[int, int]]:
        """For each judge: (marks given or excused, marks expected)."""
        progress: dict[int, list[int]] = {j.id: [0, 0] for j in self.judges}
        for (_entry_id, judge_id), cell in self.cells.items():
            progress[judge_id][0] += sum(1 for state in cell.values() if state != "missing")
            progress[judge_id][1] += len(cell)
        return {judge_id: (done, total) for judge_id, (done, total) in progress.items()}

    def judge_load(self, judge_id: int) -> int:
        """How many marks the judge is expected to give."""
        return sum(len(cell) for (_e, j), cell in self.cells.items() if j == judge_id)

    def entry_judges(self, entry_id: int) -> int:
        """How many judges are expected to mark the entry (on at least one criterion)."""
        return sum(1 for (e, _j), cell in self.cells.items() if e == entry_id and cell)


def _number_key(number: str | None) -> tuple:
    """Anonymous numbers in natural order (``2`` before ``10``), entries without one last."""
    if number is None:
        return (2, "")
    return (0, int(number), number) if number.isdigit() else (1, number)


def completeness(event: Event) -> Completeness:
    """Survey the event's expected marks (see the module's docstring). Reads only, never raises."""
    assignments = db.session.execute(
        select(JudgeAssignment, User.display_name, User.employer)
        .join(User, User.id == JudgeAssignment.judge_id)
        .where(JudgeAssignment.event_id == event.id)
        .order_by(JudgeAssignment.is_chief.desc(), JudgeAssignment.ref, User.display_name)
    ).all()
    criteria = [
        CriterionColumn(c.id, c.code, c.type.value)
        for c in db.session.scalars(
            select(Criterion)
            .join(Section, Section.id == Criterion.section_id)
            .where(Criterion.event_id == event.id)
            .order_by(Section.position, Criterion.position, Criterion.id)
        )
    ]
    entries_all = db.session.execute(
        select(Entry.id, Entry.number, Entry.station, Entry.status).where(
            Entry.event_id == event.id
        )
    ).all()
    entries_all.sort(key=lambda row: (_number_key(row.number), row.id))
    competing = [
        EntryRow(r.id, r.number, r.station)
        for r in entries_all
        if r.status not in UNRANKED_STATUSES
    ]
    result = Completeness(
        entries=competing,
        judges=[
            JudgeColumn(
                a.judge_id,
                name,
                a.ref,
                a.is_chief,
                tuple(a.criteria) if a.criteria is not None else None,
                tuple(a.stations) if a.stations is not None else None,
            )
            for a, name, _employer in assignments
        ],
        criteria=criteria,
        not_competing=[
            EntryRow(r.id, r.number, r.station)
            for r in entries_all
            if r.status in UNRANKED_STATUSES
        ],
    )
    if not competing or not assignments or not criteria:
        return result

    result.conflicts = _reasons(
        [(a.judge_id, employer) for a, _name, employer in assignments],
        _entry_people([e.id for e in competing]).values(),
    )
    given = {
        (entry_id, judge_id, criterion_id)
        for entry_id, judge_id, criterion_id in db.session.execute(
            select(Mark.entry_id, Mark.judge_id, Mark.criterion_id)
            .join(Entry, Entry.id == Mark.entry_id)
            .where(Entry.event_id == event.id)
        )
    }
    # entry id -> [(judge id or None, criterion id or None)]
    excuses: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
    for entry_id, judge_id, criterion_id in db.session.execute(
        select(MarkExcuse.entry_id, MarkExcuse.judge_id, MarkExcuse.criterion_id).where(
            MarkExcuse.event_id == event.id
        )
    ):
        excuses[entry_id].append((judge_id, criterion_id))

    entry_order = {entry.id: index for index, entry in enumerate(competing)}
    result.conflicted_marks = sorted(
        {(e, j) for e, j, _c in given if (j, e) in result.conflicts},
        key=lambda pair: (entry_order.get(pair[0], len(entry_order)), pair[1]),
    )
    for assignment, _name, _employer in assignments:
        if assignment.is_chief and assignment.criteria is None:
            continue
        judge_id = assignment.judge_id
        allowed = [
            c for c in criteria if assignment.criteria is None or c.code in assignment.criteria
        ]
        for entry in competing:
            if assignment.stations is not None and entry.station not in assignment.stations:
                continue
            if (judge_id, entry.id) in result.conflicts:
                continue
            cell: dict[int, str] = {}
            for criterion in allowed:
                if (entry.id, judge_id, criterion.id) in given:
                    cell[criterion.id] = "given"
                elif any(
                    (j is None or j == judge_id) and (c is None or c == criterion.id)
                    for j, c in excuses.get(entry.id, ())
                ):
                    cell[criterion.id] = "excused"
                else:
                    cell[criterion.id] = "missing"
            if cell:
                result.cells[(entry.id, judge_id)] = cell
    return result


def missing_marks(event: Event) -> list[MissingMark]:
    """Every expected mark of ``event`` not yet given and not excused.

    Expected marks are each assigned judge (the chief judge only when their
    assignment names criteria) × each
    criterion their assignment allows × each entry that competed (not absent,
    withdrawn or disqualified) at their stations, minus the entries they have a
    conflict of interest with; a :class:`~.models.MarkExcuse` by the chief judge
    covers a cell. Returned in the order the chief judge's page lists them
    (entry by anonymous number, judge, criterion in scheme order). An empty list
    means the event may be signed off.

    Anyone may call it (it only reads); a fixed number of queries, never one
    per cell. Never raises.
    """
    return completeness(event).missing

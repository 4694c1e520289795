"""Results as people read them: rows for pages and exports, and an entry's breakdown.

Values are shown as DESIGN.md says: two decimals, half up (``format2``). Rows are
built from the cached :class:`EventResults` and one light query of names, so
the public page of a large event stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from ..accounts.models import User
from ..contests.models import Criterion, Event
from ..enums import CriterionType, EntryStatus, EventStatus
from ..extensions import db
from ..judging.models import JudgeAssignment, Mark
from ..registration.models import Entry, Person
from ..scoring import format2
from .services import EventResults, event_results


@dataclass(frozen=True)
class ResultRow:
    """One entry's line in a results table; text values already formatted."""

    entry_id: int
    ref: str
    number: str | None
    name: str
    employer: str
    status: str
    ranked: bool
    rank: int | None
    total: str | None
    award: str | None
    sections: dict[str, str]
    missing: tuple[str, ...]


def results_status(event: Event) -> str:
    """``provisional``, ``published`` (publicity period) or ``final``, as exports name it."""
    if event.status is EventStatus.FINAL:
        return "final"
    if event.status is EventStatus.PUBLISHED:
        return "published"
    return "provisional"


def _names(event: Event) -> dict[int, tuple[str, str | None, str, str, EntryStatus]]:
    """entry id -> (ref, number, team or person name, employer, status), in one Core query."""
    entry, person = Entry.__table__, Person.__table__
    rows = db.session.connection().execute(
        select(
            entry.c.id,
            entry.c.ref,
            entry.c.number,
            entry.c.team_name,
            entry.c.employer,
            entry.c.status,
            person.c.name,
            person.c.employer,
        )
        .select_from(entry.outerjoin(person, person.c.id == entry.c.person_id))
        .where(entry.c.event_id == event.id)
    )
    return {
        entry_id: (ref, number, team or name or ref, employer or person_employer or "", status)
        for entry_id, ref, number, team, employer, status, name, person_employer in rows
    }


def result_rows(event: Event, results: EventResults | None = None) -> list[ResultRow]:
    """The event's results in result order (ranked by rank, then unranked)."""
    results = results or event_results(event)
    names = _names(event)
    shown = results.shown
    rows = []
    for result in results.results:
        entry_id = int(result.key)
        ref, number, name, employer, status = names[entry_id]
        total, sections = shown[result.key]
        rows.append(
            ResultRow(
                entry_id=entry_id,
                ref=ref,
                number=number,
                name=name,
                employer=employer,
                status=EntryStatus(status).value,
                ranked=result.ranked,
                rank=result.rank,
                total=total,
                award=result.award,
                sections=sections,
                missing=result.missing,
            )
        )
    # Entries that share a rank (and the unranked ones) are listed by their reference,
    # so every page and export lists them in the same order.
    rows.sort(key=lambda row: (not row.ranked, row.rank or 0, row.ref))
    return rows


def award_name(results: EventResults, code: str | None, locale: str) -> str:
    """The award tier's name in ``locale`` (falling back to the other language, then the code)."""
    if not code:
        return ""
    zh, en = results.award_names.get(code, (None, None))
    if locale.startswith("en"):
        return en or zh or code
    return zh or en or code


# --------------------------------------------------------------------- breakdown


@dataclass(frozen=True)
class JudgeMark:
    """One judge's value for a criterion; ``judge`` is None when judges stay anonymous."""

    judge_id: int
    judge: str | None
    value: Decimal
    version: int
    mark_id: int


@dataclass(frozen=True)
class CriterionLine:
    criterion_id: int
    code: str
    name: str
    type: str
    max: Decimal
    mark: str | None
    judges: list[JudgeMark] = field(default_factory=list)


@dataclass(frozen=True)
class SectionLine:
    code: str
    name: str
    weight: Decimal
    score: str
    criteria: list[CriterionLine]


@dataclass(frozen=True)
class Breakdown:
    """An entry's result section by section, criterion by criterion (and judge by judge)."""

    row: ResultRow
    sections: list[SectionLine]
    judges: list[tuple[int, str]]


def judge_labels(event: Event) -> list[tuple[int, str]]:
    """(judge user id, "J01 李明") for the event's judges, in assignment order."""
    rows = db.session.execute(
        select(JudgeAssignment.judge_id, JudgeAssignment.ref, User.display_name)
        .join(User, User.id == JudgeAssignment.judge_id)
        .where(JudgeAssignment.event_id == event.id)
        .order_by(JudgeAssignment.ref, JudgeAssignment.id)
    )
    return [(judge_id, f"{ref} {name}" if ref else name) for judge_id, ref, name in rows]


def entry_breakdown(entry: Entry, *, locale: str, with_judges: bool) -> Breakdown:
    """One entry's breakdown. Judges' values are included only when ``with_judges`` (the
    caller decides that through ``authz.can_see_judges_marks``)."""
    event = entry.event
    results = event_results(event)
    row = next(r for r in result_rows(event, results) if r.entry_id == entry.id)
    result = results.for_entry(entry.id)
    labels = judge_labels(event)
    names = dict(labels)
    marks: dict[int, list[JudgeMark]] = {}
    judged_marks = (
        db.session.scalars(select(Mark).where(Mark.entry_id == entry.id).order_by(Mark.judge_id))
        if with_judges
        else ()
    )
    for mark in judged_marks:
        marks.setdefault(mark.criterion_id, []).append(
            JudgeMark(
                judge_id=mark.judge_id,
                judge=names.get(mark.judge_id) or str(mark.judge_id),
                value=mark.value,
                version=mark.version,
                mark_id=mark.id,
            )
        )
    order = {judge_id: index for index, (judge_id, _label) in enumerate(labels)}
    sections = []
    for section in event.sections:
        lines = []
        for criterion in section.criteria:
            aggregated = result.criteria.get(criterion.code)
            judged = sorted(marks.get(criterion.id, []), key=lambda m: order.get(m.judge_id, 0))
            lines.append(
                CriterionLine(
                    criterion_id=criterion.id,
                    code=criterion.code,
                    name=criterion.name(locale),
                    type=criterion.type.value,
                    max=criterion.max_mark,
                    mark=format2(aggregated) if aggregated is not None else None,
                    judges=judged,
                )
            )
        sections.append(
            SectionLine(
                code=section.code,
                name=section.name(locale),
                weight=section.weight,
                score=format2(result.sections[section.code]),
                criteria=lines,
            )
        )
    return Breakdown(row=row, sections=sections, judges=labels if with_judges else [])


def is_deduction(line: CriterionLine) -> bool:
    return line.type == CriterionType.DEDUCTION.value


@dataclass(frozen=True)
class MissingLine:
    """A missing expected mark, as the provisional results page lists it."""

    number: str
    judge: str
    criterion: str


def describe_missing(event: Event, missing: list) -> list[MissingLine]:
    """Readable lines for the completeness check's missing marks (entry, judge, criterion ids)."""
    if not missing:
        return []
    numbers = dict(
        db.session.execute(select(Entry.id, Entry.number).where(Entry.event_id == event.id)).all()
    )
    judges = dict(judge_labels(event))
    criteria = dict(
        db.session.execute(
            select(Criterion.id, Criterion.code).where(Criterion.event_id == event.id)
        ).all()
    )
    return [
        MissingLine(
            number=numbers.get(item.entry_id) or "—",
            judge=judges.get(item.judge_id, str(item.judge_id)),
            criterion=criteria.get(item.criterion_id, str(item.criterion_id)),
        )
        for item in missing
    ]

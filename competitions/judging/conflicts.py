"""Conflicts of interest between judges and entries.

A judge is conflicted with an entry when

* the judge's employer is the employer of record of the entry (or of a team
  member), or the employer of anybody the entry stands for (the contestant, or a
  team's members), or
* the judge has declared a relation (:class:`~.models.ConflictDeclaration`)
  with anybody the entry stands for.

Employers are compared as people type them in China: ignoring spaces (also
full-width ones), letter case and full-width/half-width forms, so
``深圳技师学院`` and ``深圳技师学院 `` are the same employer. A missing employer
never matches.

:func:`judge_conflicted` answers for one judge and one entry (the marking pages
call it); :func:`event_conflicts` answers for a whole event in a fixed number of
queries (the assignment page and the completeness check use it).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..registration.models import Entry, Person, TeamMember
from .models import ConflictDeclaration, JudgeAssignment

if TYPE_CHECKING:
    from ..contests.models import Event

EMPLOYER = "employer"
DECLARED = "declared"


@dataclass(frozen=True)
class ConflictReason:
    """Why ``judge_id`` may not mark ``entry_id``.

    ``kind`` is ``"employer"`` (``detail`` is the shared employer, as the
    entry's record writes it) or ``"declared"`` (``detail`` is the declared
    relation, ``person_id`` the person it concerns).
    """

    judge_id: int
    entry_id: int
    kind: str
    detail: str
    person_id: int | None = None


def employer_key(name: str | None) -> str:
    """The form in which two employers' names are compared; empty for none."""
    if not name:
        return ""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(folded.split())


@dataclass(frozen=True)
class _EntryPeople:
    entry_id: int
    employers: tuple[str, ...]  # as written, for the reason shown
    person_ids: frozenset[int]


def _entry_people(entry_ids: Iterable[int]) -> dict[int, _EntryPeople]:
    """For each entry: its employers of record and its people, in two queries."""
    entry_ids = list(entry_ids)
    if not entry_ids:
        return {}
    employers: dict[int, list[str]] = defaultdict(list)
    people: dict[int, set[int]] = defaultdict(set)

    def note(entry_id: int, employer: str | None) -> None:
        if employer and employer not in employers[entry_id]:
            employers[entry_id].append(employer)

    rows = db.session.execute(
        select(Entry.id, Entry.employer, Entry.person_id, Person.employer)
        .outerjoin(Person, Person.id == Entry.person_id)
        .where(Entry.id.in_(entry_ids))
    )
    for entry_id, entry_employer, person_id, person_employer in rows:
        note(entry_id, entry_employer)
        note(entry_id, person_employer)
        if person_id is not None:
            people[entry_id].add(person_id)
    members = db.session.execute(
        select(TeamMember.entry_id, TeamMember.person_id, TeamMember.employer, Person.employer)
        .join(Person, Person.id == TeamMember.person_id)
        .where(TeamMember.entry_id.in_(entry_ids))
    )
    for entry_id, person_id, member_employer, person_employer in members:
        note(entry_id, member_employer)  # the member's employer of record for this team
        note(entry_id, person_employer)
        people[entry_id].add(person_id)
    return {
        entry_id: _EntryPeople(entry_id, tuple(employers[entry_id]), frozenset(people[entry_id]))
        for entry_id in entry_ids
    }


def _reasons(
    judges: Iterable[tuple[int, str | None]], entries: Iterable[_EntryPeople]
) -> dict[tuple[int, int], list[ConflictReason]]:
    """Every conflict between ``judges`` (id, employer) and ``entries``."""
    judges = list(judges)
    entries = list(entries)
    person_ids = set().union(*(e.person_ids for e in entries)) if entries else set()
    declared: dict[tuple[int, int], str] = {}
    if judges and person_ids:
        declared = {
            (judge_id, person_id): relation
            for judge_id, person_id, relation in db.session.execute(
                select(
                    ConflictDeclaration.judge_id,
                    ConflictDeclaration.person_id,
                    ConflictDeclaration.relation,
                ).where(
                    ConflictDeclaration.judge_id.in_([j for j, _ in judges]),
                    ConflictDeclaration.person_id.in_(person_ids),
                )
            )
        }
    found: dict[tuple[int, int], list[ConflictReason]] = {}
    for judge_id, judge_employer in judges:
        judge_key = employer_key(judge_employer)
        for entry in entries:
            reasons = [
                ConflictReason(judge_id, entry.entry_id, EMPLOYER, employer)
                for employer in entry.employers
                if judge_key and employer_key(employer) == judge_key
            ][:1]
            reasons.extend(
                ConflictReason(
                    judge_id, entry.entry_id, DECLARED, declared[(judge_id, person_id)], person_id
                )
                for person_id in sorted(entry.person_ids)
                if (judge_id, person_id) in declared
            )
            if reasons:
                found[(judge_id, entry.entry_id)] = reasons
    return found


def conflict_reasons(judge: User, entry: Entry) -> list[ConflictReason]:
    """Why ``judge`` may not mark ``entry``; empty when there is no conflict.

    Three queries whatever the entry (an individual or a team). Never raises.
    """
    people = _entry_people([entry.id])
    return _reasons([(judge.id, judge.employer)], people.values()).get((judge.id, entry.id), [])


def judge_conflicted(judge: User, entry: Entry) -> bool:
    """True when ``judge`` has a conflict of interest with ``entry`` and must never mark it.

    A conflict is the same employer as the entry or anybody it stands for, or
    a declared relation with anybody it stands for (see the module's
    docstring). Any code that decides whether a judge may see or mark an entry
    calls this (or :func:`event_conflicts` for many entries at once).
    """
    return bool(conflict_reasons(judge, entry))


def event_conflicts(event: Event) -> dict[tuple[int, int], list[ConflictReason]]:
    """Every conflict between the judges assigned to ``event`` and its entries.

    Keyed by ``(judge_id, entry_id)``; four queries whatever the event's size.
    """
    judges = db.session.execute(
        select(User.id, User.employer)
        .join(JudgeAssignment, JudgeAssignment.judge_id == User.id)
        .where(JudgeAssignment.event_id == event.id)
    ).all()
    entry_ids = db.session.scalars(select(Entry.id).where(Entry.event_id == event.id)).all()
    return _reasons(judges, _entry_people(entry_ids).values())

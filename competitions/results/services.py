"""Results computed from the marks in the database by the pure scoring core.

Results are never stored by hand: :func:`event_results` reads the event's
scheme and marks, runs :func:`competitions.scoring.compute_results` and caches
the outcome under the event's ``marks_version``, which every change that can
move a result raises (a mark, an entry's status or time, the scheme). A cached
result therefore never outlives a change, on any app server.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import BigInteger, select, type_coerce
from sqlalchemy.orm import selectinload

from ..contests.models import Criterion, Event, Section
from ..extensions import db
from ..judging.models import Mark
from ..registration.models import Entry, TeamMember
from ..scoring import (
    AwardTierSpec,
    CriterionSpec,
    EntryInput,
    EntryResult,
    SchemeSpec,
    SectionSpec,
    compute_results,
)

MARK_PLACES = 3  # competitions.judging.models.Mark.value is ScaledDecimal(3)


@dataclass(frozen=True)
class EventResults:
    """An event's computed results at one ``marks_version``.

    ``results`` are in result order (ranked by rank, then unranked), each an
    :class:`~competitions.scoring.EntryResult` whose ``key`` is the entry id
    as text; ``entries`` maps entry id to the loaded Entry (with its person or
    team members). ``award_names`` maps award code to (zh, en) names.
    """

    event_id: int
    marks_version: int
    scheme: SchemeSpec
    results: tuple[EntryResult, ...]
    award_names: dict[str, tuple[str | None, str | None]]

    def for_entry(self, entry_id: int) -> EntryResult | None:
        """The result of one entry, or None when it is not in this event."""
        key = str(entry_id)
        return next((result for result in self.results if result.key == key), None)


def scheme_spec(event: Event) -> SchemeSpec:
    """The event's marking scheme, tie-break keys and award tiers as the core's dataclasses."""
    return SchemeSpec(
        sections=tuple(
            SectionSpec(
                code=section.code,
                weight=section.weight,
                criteria=tuple(
                    CriterionSpec(code=c.code, type=c.type.value, max=c.max_mark)
                    for c in section.criteria
                ),
            )
            for section in event.sections
        ),
        aggregation=event.aggregation.value,
        min_judges_to_trim=event.min_judges_to_trim,
        tie_break=tuple(event.tie_break or ()),
        awards=tuple(
            AwardTierSpec(code=t.code, share=t.share, count=t.count, min_total=t.min_total)
            for t in event.award_tiers
        ),
    )


def entry_inputs(event: Event) -> list[EntryInput]:
    """Every entry of the event with the judges' values per criterion code.

    Reads the marks in one query of plain integers (the stored scaled values)
    so that 400,000 marks do not go through 400,000 type conversions twice.
    """
    codes = {
        criterion_id: code
        for criterion_id, code in db.session.execute(
            select(Criterion.id, Criterion.code).where(Criterion.event_id == event.id)
        )
    }
    values: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    raw_value = type_coerce(Mark.__table__.c.value, BigInteger)
    rows = db.session.execute(
        select(Mark.entry_id, Mark.criterion_id, raw_value)
        .join(Entry, Entry.id == Mark.entry_id)
        .where(Entry.event_id == event.id)
    )
    for entry_id, criterion_id, scaled in rows:
        values[entry_id][codes[criterion_id]].append(Decimal(scaled).scaleb(-MARK_PLACES))
    entries = db.session.execute(
        select(Entry.id, Entry.status, Entry.finish_seconds).where(Entry.event_id == event.id)
    )
    return [
        EntryInput(
            key=str(entry_id),
            status=status.value,
            finish_seconds=finish_seconds,
            marks={code: tuple(judged) for code, judged in values.get(entry_id, {}).items()},
        )
        for entry_id, status, finish_seconds in entries
    ]


_cache: OrderedDict[tuple[int, int], EventResults] = OrderedDict()
_cache_lock = threading.Lock()
CACHE_SIZE = 64


def event_results(event: Event) -> EventResults:
    """The event's results at its current ``marks_version`` (computed or from the cache).

    Anyone may call it; what they may *see* is decided by the caller through
    ``authz``. Raises :class:`competitions.scoring.ScoringError` when the
    scheme or a stored mark breaks the scoring rules.
    """
    key = (event.id, event.marks_version or 0)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    loaded = db.session.scalar(
        select(Event)
        .where(Event.id == event.id)
        .options(
            selectinload(Event.sections).selectinload(Section.criteria),
            selectinload(Event.award_tiers),
        )
    )
    scheme = scheme_spec(loaded)
    computed = EventResults(
        event_id=event.id,
        marks_version=key[1],
        scheme=scheme,
        results=compute_results(scheme, entry_inputs(loaded)),
        award_names={t.code: (t.name_zh, t.name_en) for t in loaded.award_tiers},
    )
    with _cache_lock:
        _cache[key] = computed
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return computed


def load_entries(event: Event) -> dict[int, Entry]:
    """The event's entries by id, with their person and team members loaded in bulk."""
    entries = db.session.scalars(
        select(Entry)
        .where(Entry.event_id == event.id)
        .options(
            selectinload(Entry.person),
            selectinload(Entry.members).selectinload(TeamMember.person),
        )
    )
    return {entry.id: entry for entry in entries}


def clear_cache() -> None:
    """Forget every cached result (tests and administrative tools)."""
    with _cache_lock:
        _cache.clear()

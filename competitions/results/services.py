"""Results computed from the marks in the database by the pure scoring core.

Results are never stored by hand: :func:`event_results` reads the event's
scheme and marks, runs :func:`competitions.scoring.compute_results` and caches
the outcome under the event's ``marks_version``, which every change that can
move a result raises (a mark, an entry's status or time, the scheme). A cached
result therefore never outlives a change, on any app server.
"""

from __future__ import annotations

import gc
import threading
import uuid
from collections import OrderedDict, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import BigInteger, select, type_coerce
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit import record
from ..contests.models import Criterion, Event, Section
from ..enums import AppealStatus, EventStatus
from ..errors import DomainError, NotAllowed
from ..extensions import db
from ..judging.completeness import missing_marks
from ..judging.marks import submit_mark
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
    format2,
)
from ..sqltypes import utcnow
from .models import Appeal

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

    @cached_property
    def shown(self) -> dict[str, tuple[str | None, dict[str, str]]]:
        """entry key -> (total, {section code: weighted score}) as shown: 2 decimals, half up.

        Formatted once per computed result, not on every page view.
        """
        return {
            result.key: (
                format2(result.total) if result.total is not None else None,
                {code: format2(score) for code, score in result.sections.items()},
            )
            for result in self.results
        }

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


def marks_query(event: Event):
    """The one SQL query that reads an event's marks: (entry id, criterion id, scaled value).

    Values are read as the stored integers (value × 10**MARK_PLACES) through the
    Core table, so 400,000 rows skip both the ORM's row processing and a
    Decimal type conversion each.
    """
    mark, entry = Mark.__table__, Entry.__table__
    return (
        select(mark.c.entry_id, mark.c.criterion_id, type_coerce(mark.c.value, BigInteger))
        .join(entry, entry.c.id == mark.c.entry_id)
        .where(entry.c.event_id == event.id)
    )


def entry_inputs(event: Event) -> list[EntryInput]:
    """Every entry of the event with the judges' values per criterion code."""
    codes = {
        criterion_id: code
        for criterion_id, code in db.session.execute(
            select(Criterion.id, Criterion.code).where(Criterion.event_id == event.id)
        )
    }
    values: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    # Judges give few distinct values, so each is turned into a Decimal once.
    decimals: dict[int, Decimal] = {}
    rows = db.session.connection().execute(marks_query(event)).all()  # one fetch, not 400,000
    for entry_id, criterion_id, scaled in rows:
        value = decimals.get(scaled)
        if value is None:
            value = decimals[scaled] = Decimal(scaled).scaleb(-MARK_PLACES)
        values[entry_id][criterion_id].append(value)
    entries = db.session.execute(
        select(Entry.id, Entry.status, Entry.finish_seconds).where(Entry.event_id == event.id)
    )
    return [
        EntryInput(
            key=str(entry_id),
            status=status.value,
            finish_seconds=finish_seconds,
            marks={
                codes[criterion_id]: tuple(judged)
                for criterion_id, judged in values.get(entry_id, {}).items()
            },
        )
        for entry_id, status, finish_seconds in entries
    ]


_gc_lock = threading.Lock()
_gc_state = {"pausers": 0, "was_enabled": True}


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while results are built.

    Reading 400,000 marks allocates millions of small objects, none of them in
    reference cycles, and the collector would walk them again and again (about
    40 % of the time). Reference counting still frees everything at once; the
    collector is switched back on when the last concurrent computation ends.
    """
    with _gc_lock:
        if _gc_state["pausers"] == 0:
            _gc_state["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_state["pausers"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["pausers"] -= 1
            if _gc_state["pausers"] == 0 and _gc_state["was_enabled"]:
                gc.enable()


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
    with gc_paused():
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


# --------------------------------------------------------------------- workflow
#
# provisional (marking, signed off) → published (publicity period 公示, appeals)
# → final. Each step is a service that checks its preconditions, changes state,
# records an audit entry and flushes; the view or CLI command commits once.


def local_today() -> date:
    """Today's date where the competition happens (the app's TIMEZONE)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai")
    return datetime.now(zone).date()


def missing_marks_for(event: Event) -> list:
    """What is still missing from the event's marks (the chief judge's completeness check)."""
    return list(missing_marks(event))


def publish_results(event: Event, *, publicity_ends_on: date, actor, today: date | None = None):
    """Publish the results and start the publicity period (公示) until ``publicity_ends_on``.

    For the organisers of the competition (the caller checks ``authz.can_publish_results``).
    Raises NotAllowed unless the chief judge has signed the event off, and DomainError
    (field ``publicity_ends_on``) for an end date before today.
    """
    today = today or local_today()
    if event.status is not EventStatus.SIGNED_OFF:
        raise NotAllowed(
            _("Results can be published only after the chief judge has signed the event off.")
        )
    missing = missing_marks_for(event)
    if missing:
        raise NotAllowed(
            ngettext(
                "%(num)d expected mark is missing and not excused; the chief judge must "
                "complete or excuse it first.",
                "%(num)d expected marks are missing and not excused; the chief judge must "
                "complete or excuse them first.",
                len(missing),
            )
        )
    if publicity_ends_on is None or publicity_ends_on < today:
        raise DomainError(
            _("The publicity period must end today or later."), field="publicity_ends_on"
        )
    event.status = EventStatus.PUBLISHED
    event.published_at = utcnow()
    event.publicity_ends_on = publicity_ends_on
    record(
        "results_published",
        actor=actor,
        target=event,
        publicity_ends_on=publicity_ends_on.isoformat(),
        marks_version=event.marks_version,
    )
    db.session.flush()


def finalise_results(event: Event, *, actor, today: date | None = None) -> None:
    """Make the event's published results final: they never change again.

    For the organisers of the competition. Raises NotAllowed unless the results
    are published, the publicity period is over and no appeal is still open.
    """
    today = today or local_today()
    if event.status is EventStatus.FINAL:
        raise NotAllowed(_("These results are already final."))
    if event.status is not EventStatus.PUBLISHED:
        raise NotAllowed(_("Only published results can be made final."))
    if event.publicity_ends_on is not None and today <= event.publicity_ends_on:
        raise NotAllowed(
            _(
                "The publicity period runs until %(date)s; results can be made final after it.",
                date=format_date(event.publicity_ends_on, "medium"),
            )
        )
    if open_appeals(event):
        raise NotAllowed(_("Resolve every open appeal before making the results final."))
    event.status = EventStatus.FINAL
    event.finalised_at = utcnow()
    record("results_finalised", actor=actor, target=event, marks_version=event.marks_version)
    db.session.flush()


def in_publicity_period(event: Event, today: date | None = None) -> bool:
    """True while the event's results are published and its publicity period runs."""
    today = today or local_today()
    return (
        event.status is EventStatus.PUBLISHED
        and event.publicity_ends_on is not None
        and today <= event.publicity_ends_on
    )


def open_appeals(event: Event) -> list[Appeal]:
    """The event's appeals not yet resolved, oldest first."""
    return list(
        db.session.scalars(
            select(Appeal)
            .where(Appeal.event_id == event.id, Appeal.status == AppealStatus.OPEN)
            .order_by(Appeal.filed_at, Appeal.id)
        )
    )


def event_appeals(event: Event) -> list[Appeal]:
    """Every appeal of the event, newest first."""
    return list(
        db.session.scalars(
            select(Appeal)
            .where(Appeal.event_id == event.id)
            .order_by(Appeal.filed_at.desc(), Appeal.id.desc())
        )
    )


def entry_appeals(entry: Entry) -> list[Appeal]:
    """Every appeal filed for one entry, newest first."""
    return list(
        db.session.scalars(
            select(Appeal)
            .where(Appeal.entry_id == entry.id)
            .order_by(Appeal.filed_at.desc(), Appeal.id.desc())
        )
    )


APPEAL_REASON_MAX = 2000


def _reason_text(text: str | None, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Give a reason."), field=field)
    if len(text) > APPEAL_REASON_MAX:
        raise DomainError(
            _("Keep the reason within %(n)d characters.", n=APPEAL_REASON_MAX), field=field
        )
    return text


def file_appeal(entry: Entry, *, reason: str, actor, today: date | None = None) -> Appeal:
    """The contestant of ``entry`` appeals against its published result.

    Who may appeal is decided by ``authz.can_appeal``. Raises NotAllowed outside
    the publicity period or while an appeal of this entry is still open, and
    DomainError (field ``reason``) for an empty or over-long reason.
    """
    event = entry.event
    if not in_publicity_period(event, today):
        raise NotAllowed(_("Appeals can be filed only during the publicity period."))
    reason = _reason_text(reason, "reason")
    if any(appeal.status is AppealStatus.OPEN for appeal in entry_appeals(entry)):
        raise NotAllowed(_("An appeal of this entry is already open; wait for its resolution."))
    appeal = Appeal(event_id=event.id, entry_id=entry.id, filed_by_id=actor.id, reason=reason)
    db.session.add(appeal)
    db.session.flush()
    record("appeal_filed", actor=actor, target=appeal, entry_id=entry.id, event_id=event.id)
    return appeal


def _check_resolvable(appeal: Appeal) -> Event:
    event = db.session.get(Event, appeal.event_id)
    if appeal.status is not AppealStatus.OPEN:
        raise NotAllowed(_("This appeal has already been resolved."))
    if event.status is not EventStatus.PUBLISHED:
        raise NotAllowed(_("Appeals are resolved only while the results are in publicity."))
    return event


def dismiss_appeal(appeal: Appeal, *, resolution: str, actor) -> None:
    """Dismiss an open appeal, recording why; the results stay as they are.

    For the organisers and the event's chief judge (``authz.can_resolve_appeal``).
    Raises NotAllowed for a resolved appeal or an event not in publicity, and
    DomainError (field ``resolution``) without a reason.
    """
    _check_resolvable(appeal)
    appeal.resolution = _reason_text(resolution, "resolution")
    appeal.status = AppealStatus.DISMISSED
    appeal.resolved_by_id = actor.id
    appeal.resolved_at = utcnow()
    record("appeal_dismissed", actor=actor, target=appeal, resolution=appeal.resolution)
    db.session.flush()


def uphold_appeal(appeal: Appeal, *, resolution: str, actor) -> None:
    """Uphold an open appeal: the chief judge may then correct that entry's marks.

    For the organisers and the event's chief judge. The corrections go through
    :func:`correct_mark_for_appeal`, as audited mark revisions. Raises like
    :func:`dismiss_appeal`.
    """
    _check_resolvable(appeal)
    appeal.resolution = _reason_text(resolution, "resolution")
    appeal.status = AppealStatus.UPHELD
    appeal.resolved_by_id = actor.id
    appeal.resolved_at = utcnow()
    record("appeal_upheld", actor=actor, target=appeal, resolution=appeal.resolution)
    db.session.flush()


def appeal_allows_remarking(appeal: Appeal | None, entry_id: int) -> bool:
    """True when ``appeal`` opens the marks of entry ``entry_id`` again (see
    :meth:`Appeal.reopens_marks_of`): upheld, that entry, results in publicity."""
    return appeal is not None and appeal.reopens_marks_of(entry_id)


def appeal_reason(appeal: Appeal, note: str) -> str:
    """The revision reason of a correction: it names the appeal it follows."""
    return _("Appeal #%(id)d upheld: %(note)s", id=appeal.id, note=note)


def correct_mark_for_appeal(
    appeal: Appeal,
    *,
    judge_id: int,
    criterion: Criterion,
    value: Decimal,
    note: str,
    expected_version: int | None,
    actor,
):
    """The chief judge corrects one mark of an upheld appeal's entry.

    The change is an audited mark revision (through ``submit_mark``) whose
    reason names the appeal; the event's ``marks_version`` rises, so results
    are recomputed. Raises NotAllowed unless the appeal is upheld and the event
    is still in publicity (final results never change), and DomainError for an
    empty note or a value outside the criterion's range.
    """
    entry = db.session.get(Entry, appeal.entry_id)
    event = db.session.get(Event, appeal.event_id)
    if event.status is EventStatus.FINAL:
        raise NotAllowed(_("These results are final; their marks can no longer change."))
    if not appeal_allows_remarking(appeal, entry.id):
        raise NotAllowed(_("Marks can be corrected only for an upheld appeal during publicity."))
    if criterion.event_id != event.id:
        raise DomainError(_("This criterion belongs to another event."), field="criterion")
    note = _reason_text(note, "note")
    judge = db.session.get(User, judge_id)
    if judge is None:
        raise DomainError(_("Unknown judge."), field="judge_id")
    outcome = submit_mark(
        entry,
        criterion,
        value,
        judge=judge,
        key=f"appeal-{appeal.id}-{uuid.uuid4().hex}",
        expected_version=expected_version,
        reason=appeal_reason(appeal, note),
        source="appeal",
        actor=actor,
        appeal=appeal,
    )
    mark = db.session.get(Mark, outcome.state.mark_id)
    record(
        "appeal_mark_corrected",
        actor=actor,
        target=appeal,
        mark_id=mark.id,
        judge_id=judge_id,
        criterion=criterion.code,
        value=str(value),
    )
    return mark

"""Marks: the one way a mark is created or changed.

:func:`submit_mark` is the only code that writes a :class:`~.models.Mark`.
Every accepted submission writes a :class:`~.models.MarkRevision` (who, when,
old value, new value, reason, source, the client's idempotency key) and raises
the event's marks version in the same transaction, so cached results never
outlive a mark. Nothing here commits: the caller commits once, or rolls back
on any :class:`MarkError`.

Concurrency: the writes use ``INSERT … ON CONFLICT DO NOTHING`` (PostgreSQL
and SQLite both have it) and a version-guarded ``UPDATE``, so two requests
with the same key, or two devices changing the same mark, never raise an
integrity error half-way: the loser looks again and answers as a repeat or as
a version conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import authz
from ..audit import record
from ..contests.models import Criterion, Event
from ..enums import CriterionType, EntryStatus, EventStatus
from ..errors import DomainError
from ..extensions import db
from ..sqltypes import utcnow
from .models import Mark, MarkRevision

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..registration.models import Entry
    from ..results.models import Appeal
    from .models import JudgeAssignment

KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{7,63}")
MARK_PLACES = 3  # Mark.value is stored with three decimal places
SOURCES = frozenset({"web", "api", "import", "remark", "appeal", "organiser"})
NOT_MARKED_STATUSES = frozenset({EntryStatus.ABSENT, EntryStatus.WITHDRAWN})
_QUANTUM = Decimal(1).scaleb(-MARK_PLACES)


class MarkError(DomainError):
    """A mark submission was refused.

    ``code`` is a stable machine-readable reason (the API sends it),
    ``status_code`` the HTTP status the API answers with, ``field`` the input
    concerned, and ``current`` the mark as the server holds it (for a version
    conflict, so the judge can choose).
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: int = 422,
        field: str | None = None,
        current: MarkState | None = None,
    ):
        super().__init__(message, field=field)
        self.code = code
        self.status_code = status
        self.current = current


@dataclass(frozen=True)
class MarkState:
    """A mark as stored: what a client needs to show it and to change it later."""

    mark_id: int
    entry_id: int
    criterion_id: int
    judge_id: int
    value: Decimal
    version: int
    updated_at: datetime

    @classmethod
    def of(cls, mark: Mark) -> MarkState:
        return cls(
            mark_id=mark.id,
            entry_id=mark.entry_id,
            criterion_id=mark.criterion_id,
            judge_id=mark.judge_id,
            value=mark.value,
            version=mark.version,
            updated_at=mark.updated_at,
        )


@dataclass(frozen=True)
class MarkOutcome:
    """What :func:`submit_mark` did.

    ``created``: the first value of this mark was stored. ``repeat``: the key
    had been accepted before; nothing was written and ``state`` is the mark as
    it is now. ``changed`` is false when the value equalled the stored one (no
    revision written). ``revision_id`` is the revision the key names.
    """

    state: MarkState
    revision_id: int | None
    created: bool = False
    repeat: bool = False
    changed: bool = True


def parse_mark_value(criterion: Criterion, raw: Any) -> Decimal:
    """The exact value of ``raw`` for ``criterion``, or :class:`MarkError` (field ``value``).

    Marks and deductions: a number from 0 to the criterion's maximum with at
    most three decimal places. Judgement: a whole number 0, 1, 2 or 3.
    Accepts ``Decimal``, ``int`` and numeric strings; floats are refused
    because they are not exact.
    """
    value: Decimal | None
    if isinstance(raw, bool) or raw is None or isinstance(raw, float):
        value = None
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, str):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            value = None
    else:
        value = None
    if value is None or not value.is_finite():
        raise MarkError(_("The mark must be a number."), code="value_invalid", field="value")
    if criterion.type is CriterionType.JUDGEMENT:
        if value != value.to_integral_value() or not 0 <= value <= 3:
            raise MarkError(
                _("A judgement score is a whole number from 0 to 3."),
                code="value_out_of_range",
                field="value",
            )
        return Decimal(int(value))
    maximum = criterion.max_mark
    if not 0 <= value <= maximum:
        raise MarkError(
            _(
                "The mark for %(code)s must be between 0 and %(max)s.",
                code=criterion.code,
                max=_plain(maximum),
            ),
            code="value_out_of_range",
            field="value",
        )
    if value != value.quantize(_QUANTUM):
        raise MarkError(
            _("A mark has at most %(places)d decimal places.", places=MARK_PLACES),
            code="too_many_decimals",
            field="value",
        )
    return value


def _plain(value: Decimal) -> str:
    """``40.000`` → ``40``, ``2.500`` → ``2.5`` (for messages)."""
    text = format(value.normalize(), "f")
    return text


def check_submission_key(key: Any) -> str:
    """The idempotency key, or :class:`MarkError` 400 (field ``key``) when missing or malformed."""
    if key is None or (isinstance(key, str) and not key.strip()):
        raise MarkError(
            _("Each mark needs a submission key so that a resent mark is stored once."),
            code="key_missing",
            status=400,
            field="key",
        )
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise MarkError(
            _("The submission key must be 8 to 64 letters, digits, '-', '_', '.' or ':'."),
            code="key_invalid",
            status=400,
            field="key",
        )
    return key


def submit_mark(
    entry: Entry,
    criterion: Criterion,
    value: Decimal | int | str,
    *,
    judge: User,
    key: str,
    expected_version: int | None = None,
    reason: str | None = None,
    source: str = "web",
    actor: User | None = None,
    assignment: JudgeAssignment | None = None,
    appeal: Appeal | None = None,
) -> MarkOutcome:
    """Store ``judge``'s ``value`` for ``criterion`` of ``entry``; the only writer of marks.

    Who may call it: the views of the marking page and the API (actor = the
    judge), and other services that re-mark (chief judge's re-mark requests,
    appeals). ``actor`` is who makes the change; it defaults to ``judge``. An
    actor other than the judge must manage the competition (organiser or
    admin, e.g. entering a paper mark sheet) and must give a reason.

    Rules, checked in this order:

    1. ``key`` (the client-generated idempotency key) is required (400). When
       it was accepted before, the original result is returned (``repeat``)
       whatever happened since; the same key with another value, entry,
       criterion or judge is refused (422 ``key_reused``).
    2. ``judge`` must be assigned to the entry's event, at the entry's station
       when the assignment names stations, for this criterion when it names
       criteria, with no conflict of interest (403).
    3. The event must be open for marking and not signed off (409), and the
       entry not absent or withdrawn (409).
    4. The value must be in range for the criterion's type (422, field ``value``).
    5. The first value of a mark needs no version. Changing a stored mark
       needs ``expected_version`` (the version the client saw; otherwise 409
       ``version_conflict`` with the current mark, never a silent overwrite)
       and a ``reason`` (422, field ``reason``). The same value again changes
       nothing.

    The one exception to the lock of rule 3: ``appeal``, an upheld appeal of
    this entry while its results are in publicity, lets the event's chief judge
    (``authz.can_correct_appeal_marks``) change the entry's marks as ``actor``,
    with a reason (results.services.correct_mark_for_appeal does this).

    Flushes, never commits. Raises :class:`MarkError` (a ``DomainError``);
    the caller must then roll back.
    """
    actor = actor or judge
    key = check_submission_key(key)
    parsed = parse_mark_value(criterion, value)
    if source not in SOURCES:
        raise ValueError(f"unknown mark source {source!r}")

    reason = (reason or "").strip() or None
    first_value = expected_version in (None, 0)

    # 1. A repeat gets the original answer, whatever happened since (a lock, a
    # change of assignment). For a first value the key lookup is folded into
    # the write below, which saves a round trip on the common path.
    if not first_value:
        previous = _revision_by_key(key)
        if previous is not None:
            return _repeat(previous, entry, criterion, judge, parsed)

    # 2./3. Permissions (authz decides; the service enforces for every caller) and state.
    reopened = _reopened_by_appeal(appeal, entry, actor)
    try:
        _check_may_mark(entry, criterion, judge, actor, assignment, reason, reopened)
    except MarkError:
        previous = _revision_by_key(key) if first_value else None
        if previous is not None:
            return _repeat(previous, entry, criterion, judge, parsed)
        raise

    # 4./5. Write. A first value is inserted straight away; when the mark
    # exists already, the key may be a repeat, else it is a change.
    now = utcnow()
    outcome = None
    if first_value:
        outcome = _create(entry, criterion, judge, actor, parsed, key, reason, source, now)
        if outcome is None:
            previous = _revision_by_key(key)
            if previous is not None:
                return _repeat(previous, entry, criterion, judge, parsed)
    if outcome is None:
        mark = _reload(entry, criterion, judge)
        if mark is None:
            raise _conflict(None)
        outcome = _change(
            mark,
            entry,
            criterion,
            judge,
            actor,
            parsed,
            key,
            expected_version,
            reason,
            source,
            now,
        )
    if outcome.changed and not outcome.repeat:
        _bump_open_event(entry.event, reopened=reopened)
    return outcome


def _reopened_by_appeal(appeal: Appeal | None, entry: Entry, actor: User) -> bool:
    """An upheld appeal of ``entry`` in publicity, and ``actor`` may correct its marks."""
    return (
        appeal is not None
        and appeal.reopens_marks_of(entry.id)
        and authz.can_correct_appeal_marks(actor, appeal)
    )


def _check_may_mark(entry, criterion, judge, actor, assignment, reason, reopened=False) -> None:
    """Raise :class:`MarkError` unless ``judge`` (through ``actor``) may mark now."""
    if assignment is None:
        assignment = authz.judge_assignment(judge, entry.event)
    if not authz.judge_may_mark(judge, entry, assignment):
        raise MarkError(
            _(
                "You may not mark entry %(number)s: it is not among your entries.",
                number=_no(entry),
            ),
            code="not_assigned",
            status=403,
            field="entry",
        )
    if criterion.event_id != entry.event_id or not authz.judge_may_mark_criterion(
        assignment, criterion
    ):
        raise MarkError(
            _("Criterion %(code)s is not among the criteria you mark.", code=criterion.code),
            code="criterion_not_assigned",
            status=403,
            field="criterion",
        )
    if actor.id != judge.id:
        if not reopened and not authz.can_manage(actor, entry.event.competition):
            raise MarkError(
                _("Only the judge, or an organiser of the competition, may enter this mark."),
                code="not_allowed",
                status=403,
            )
        if reason is None:
            raise MarkError(
                _("Say why you enter a mark for another judge."),
                code="reason_required",
                field="reason",
            )
    if not reopened:
        check_event_open(entry.event)
    if entry.status in NOT_MARKED_STATUSES:
        raise MarkError(
            _("Entry %(number)s is not marked: it is absent or withdrawn.", number=_no(entry)),
            code="entry_not_marked",
            status=409,
            field="entry",
        )


def check_event_open(event: Event) -> None:
    """Raise :class:`MarkError` (409) unless ``event``'s marks may change now."""
    if event.signed_off_at is not None or event.status in (
        EventStatus.SIGNED_OFF,
        EventStatus.PUBLISHED,
        EventStatus.FINAL,
    ):
        raise MarkError(
            _(
                "The marks of this event are signed off and locked. "
                "Ask the chief judge or the organiser if a mark must change."
            ),
            code="event_locked",
            status=409,
        )
    if event.status is not EventStatus.MARKING:
        raise MarkError(
            _("Marking is not open for this event yet."), code="event_not_open", status=409
        )


def _no(entry: Entry) -> str:
    return entry.number or "—"


@lru_cache(maxsize=4)
def _statements(dialect: str) -> dict[str, Any]:
    """The hot path's statements, built once per database kind (building costs more
    than running them). Values come in as parameters at execution time.
    """
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    mark, revision, event = Mark.__table__, MarkRevision.__table__, Event.__table__
    return {
        "by_key": select(MarkRevision, Mark)
        .join(Mark, Mark.id == MarkRevision.mark_id)
        .where(MarkRevision.submission_key == bindparam("key"))
        .execution_options(populate_existing=True),
        "insert_mark": dialect_insert(mark).on_conflict_do_nothing().returning(mark.c.id),
        "insert_revision": dialect_insert(revision)
        .on_conflict_do_nothing()
        .returning(revision.c.id),
        "bump_event": update(event)
        .where(
            event.c.id == bindparam("event_id"),
            event.c.status == EventStatus.MARKING,
            event.c.signed_off_at.is_(None),
        )
        .values(marks_version=event.c.marks_version + 1),
        # An upheld appeal re-marks while the results are in publicity (never once final).
        "bump_published_event": update(event)
        .where(event.c.id == bindparam("event_id"), event.c.status == EventStatus.PUBLISHED)
        .values(marks_version=event.c.marks_version + 1),
    }


def _statement(name: str):
    return _statements(db.session.get_bind().dialect.name)[name]


def _revision_by_key(key: str) -> tuple[MarkRevision, Mark] | None:
    row = db.session.execute(_statement("by_key"), {"key": key}).first()
    return (row[0], row[1]) if row else None


def _repeat(found, entry, criterion, judge, value: Decimal) -> MarkOutcome:
    revision, mark = found
    if (
        mark.entry_id != entry.id
        or mark.criterion_id != criterion.id
        or mark.judge_id != judge.id
        or revision.new_value != value
    ):
        raise MarkError(
            _(
                "This submission key was already used for another mark or value. "
                "Send the new value with a new key."
            ),
            code="key_reused",
            status=422,
            field="key",
        )
    return MarkOutcome(
        state=MarkState.of(mark),
        revision_id=revision.id,
        created=revision.version == 1,
        repeat=True,
    )


def _conflict(current: Mark | None) -> MarkError:
    if current is None:
        return MarkError(
            _("This mark has not been stored yet; send it as a new mark."),
            code="version_conflict",
            status=409,
            field="version",
        )
    return MarkError(
        _(
            "This mark was changed on another device (it is now %(value)s). "
            "Keep that value or send yours again as a change.",
            value=_plain(current.value),
        ),
        code="version_conflict",
        status=409,
        field="version",
        current=MarkState.of(current),
    )


def _reload(entry, criterion, judge) -> Mark | None:
    return db.session.scalar(
        select(Mark)
        .where(
            Mark.entry_id == entry.id,
            Mark.judge_id == judge.id,
            Mark.criterion_id == criterion.id,
        )
        .execution_options(populate_existing=True)
    )


def _lost_race(key, entry, criterion, judge, value) -> MarkError | MarkOutcome:
    """Another transaction wrote this mark first: a repeat of our key, or a conflict."""
    found = _revision_by_key(key)
    if found is not None:
        return _repeat(found, entry, criterion, judge, value)
    return _conflict(_reload(entry, criterion, judge))


def _write_revision(mark_id, version, old, new, actor, reason, source, key, now) -> int:
    revision_id = db.session.execute(
        _statement("insert_revision"),
        {
            "mark_id": mark_id,
            "submission_key": key,
            "version": version,
            "old_value": old,
            "new_value": new,
            "changed_by_id": actor.id,
            "changed_at": now,
            "reason": reason,
            "source": source,
        },
    ).scalar()
    if revision_id is None:
        # The same key was accepted for another mark at this very moment.
        raise MarkError(
            _(
                "This submission key was already used for another mark or value. "
                "Send the new value with a new key."
            ),
            code="key_reused",
            status=422,
            field="key",
        )
    return revision_id


def _create(entry, criterion, judge, actor, value, key, reason, source, now):
    """Insert the first value of a mark; None when the mark exists already."""
    mark_id = db.session.execute(
        _statement("insert_mark"),
        {
            "entry_id": entry.id,
            "criterion_id": criterion.id,
            "judge_id": judge.id,
            "value": value,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        },
    ).scalar()
    if mark_id is None:
        return None
    revision_id = _write_revision(mark_id, 1, None, value, actor, reason, source, key, now)
    state = MarkState(mark_id, entry.id, criterion.id, judge.id, value, 1, now)
    return MarkOutcome(state=state, revision_id=revision_id, created=True)


def _change(
    mark, entry, criterion, judge, actor, value, key, expected_version, reason, source, now
):
    if expected_version is None or expected_version != mark.version:
        # The mark may have been written a moment ago by a twin of this very
        # request (same key), which committed after our key lookup.
        result = _lost_race(key, entry, criterion, judge, value)
        if isinstance(result, MarkError):
            raise result
        return result
    if value == mark.value:
        return MarkOutcome(state=MarkState.of(mark), revision_id=None, changed=False)
    if reason is None:
        raise MarkError(
            _("Say why you change a mark that was already sent."),
            code="reason_required",
            field="reason",
        )
    table = Mark.__table__
    old = mark.value
    updated = db.session.execute(
        update(table)
        .where(and_(table.c.id == mark.id, table.c.version == expected_version))
        .values(value=value, version=table.c.version + 1, updated_at=now)
    ).rowcount
    if updated != 1:
        result = _lost_race(key, entry, criterion, judge, value)
        if isinstance(result, MarkError):
            raise result
        return result
    version = expected_version + 1
    mark_id = mark.id
    revision_id = _write_revision(mark_id, version, old, value, actor, reason, source, key, now)
    record(
        "mark.changed",
        actor=actor,
        target=mark,
        entry=entry.id,
        criterion=criterion.code,
        judge=judge.id,
        old=str(old),
        new=str(value),
        version=version,
        reason=reason,
        source=source,
    )
    db.session.expire(mark)  # the UPDATE above bypassed the ORM
    state = MarkState(mark_id, entry.id, criterion.id, judge.id, value, version, now)
    return MarkOutcome(state=state, revision_id=revision_id)


def _bump_open_event(event: Event, *, reopened: bool = False) -> None:
    """``event.bump_marks_version()``, done as one guarded UPDATE.

    The ``WHERE`` re-checks that marking is still open, so a sign-off that
    commits while this mark is in flight refuses the mark (the UPDATE waits
    for the sign-off's row lock on PostgreSQL and then finds the event
    locked) instead of slipping a mark in behind it.
    """
    statement = _statement("bump_published_event" if reopened else "bump_event")
    bumped = db.session.execute(statement, {"event_id": event.id}).rowcount
    if bumped != 1:
        db.session.expire(event)
        check_event_open(event)
        raise MarkError(_("Marking is not open for this event."), code="event_not_open", status=409)
    db.session.expire(event, ["marks_version"])

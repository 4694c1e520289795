"""Judges, their assignments, conflicts of interest and the chief judge's work.

Every function here checks its preconditions, raises a :class:`DomainError`
subclass with a message for the user (``field`` names the input), changes
state, flushes and records the action in the audit log. None commits: the
view or CLI command commits once.

Marks themselves are written only by :func:`competitions.judging.marks.submit_mark`;
this module reads them (completeness, discrepancies) and locks or unlocks them
by moving the event between ``marking`` and ``signed_off``.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import exists, func, or_, select

from ..accounts.models import User
from ..accounts.services import create_user
from ..audit import record
from ..contests.models import Criterion, Event, Section
from ..contests.services import transition_event
from ..enums import UNRANKED_STATUSES, CriterionType, EventStatus, Role
from ..errors import DomainError, NotAllowed
from ..extensions import db
from ..registration.models import Entry, Person
from ..scoring.discrepancy import judgement_discrepancy, marks_spread_exceeds
from ..sheets.judges import JudgeRow, parse_judges
from ..sheets.reader import SheetError, read_table
from ..sqltypes import utcnow
from .completeness import MissingMark, missing_marks
from .conflicts import conflict_reasons, judge_conflicted  # noqa: F401  (part of this API)
from .models import (
    ConflictDeclaration,
    JudgeAssignment,
    Mark,
    MarkExcuse,
    MarkRevision,
    RemarkRequest,
)

__all__ = [
    "Discrepancy",
    "JudgeImportFailed",
    "SignOffRefused",
    "assign_judge",
    "close_remark_request",
    "create_judge",
    "declare_conflict",
    "discrepancies",
    "excuse_missing_mark",
    "excuses_on_record",
    "import_judges",
    "judge_conflicted",
    "make_chief_judge",
    "open_remark_requests",
    "remove_judge",
    "reopen_marking",
    "request_remark",
    "sign_off_event",
    "update_assignment",
    "withdraw_conflict",
    "withdraw_excuse",
]

REASON_MAX = 500
# No 0/O, 1/l/I: initial passwords are read off paper and typed on tablets.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105
PASSWORD_LENGTH = 12
_CLOSED = (EventStatus.SIGNED_OFF, EventStatus.PUBLISHED, EventStatus.FINAL)


class JudgeImportFailed(DomainError):
    """A judge import was refused; ``problems`` lists every bad row (nothing was created)."""

    def __init__(self, message: str, problems=()):
        super().__init__(message, field="file")
        self.problems = list(problems)


class SignOffRefused(NotAllowed):
    """Sign-off was refused because marks are missing; ``missing`` lists every one."""

    def __init__(self, message: str, missing: list[MissingMark]):
        super().__init__(message)
        self.missing = missing


# --------------------------------------------------------------------- judge accounts


def generate_password() -> str:
    """A random initial password of 12 unambiguous letters and digits (about 69 bits)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def create_judge(
    *,
    username: str,
    display_name: str,
    employer: str,
    actor: User,
    phone: str | None = None,
    email: str | None = None,
) -> tuple[User, str]:
    """Create a judge account with a generated password; returns (user, initial password).

    Organisers and admins call it. The employer is required: it keeps the
    judge away from contestants of the same employer. Raises
    :class:`DomainError` (field ``username``) for a taken username.
    """
    password = generate_password()
    user = create_user(
        username=username,
        display_name=display_name,
        password=password,
        role=Role.JUDGE,
        actor=actor,
        email=email,
        phone=phone,
        employer=employer.strip(),
    )
    return user, password


def import_judges(data: bytes, filename: str, *, actor: User) -> list[tuple[User, str]]:
    """Create judge accounts from an .xlsx or .csv file: all rows, or none.

    Returns each new judge with their initial password, in file order. Raises
    :class:`JudgeImportFailed` when the file cannot be read or any row is bad
    (its ``problems`` name every row and column); nothing is created then.
    """
    try:
        table = read_table(data, filename)
    except SheetError as error:
        raise JudgeImportFailed(str(error)) from error
    taken = db.session.scalars(select(User.username)).all()
    parsed = parse_judges(table, existing_usernames=taken)
    if not parsed.ok:
        raise JudgeImportFailed(
            _("Nothing was imported: correct these rows and upload the file again."),
            parsed.problems,
        )
    if not parsed.judges:
        raise JudgeImportFailed(_("The file has no judges below its header row."))
    created = [_create_from_row(row, actor) for row in parsed.judges]
    record("judges_imported", actor=actor, count=len(created), filename=filename[:200])
    return created


def _create_from_row(row: JudgeRow, actor: User) -> tuple[User, str]:
    return create_judge(
        username=row.username,
        display_name=row.name,
        employer=row.employer,
        phone=row.phone,
        email=row.email,
        actor=actor,
    )


# --------------------------------------------------------------------- assignments


def _check_open_for_assignment(event: Event) -> None:
    if event.status in _CLOSED:
        raise NotAllowed(
            _("The event's marks are locked; judges can no longer be appointed or changed.")
        )


def _check_criteria(event: Event, criteria: list[str] | None) -> list[str] | None:
    if not criteria:
        return None
    codes = {c.code for c in event.criteria}
    unknown = [code for code in criteria if code not in codes]
    if unknown:
        raise DomainError(
            _("The event has no criterion %(codes)s.", codes=", ".join(unknown)), field="criteria"
        )
    return sorted(set(criteria), key=lambda code: [c.code for c in event.criteria].index(code))


def _clean_stations(stations: list[str] | None) -> list[str] | None:
    cleaned = []
    for station in stations or ():
        station = station.strip()
        if len(station) > 16:
            raise DomainError(
                _("A station label has at most 16 characters: %(label)s", label=station),
                field="stations",
            )
        if station and station not in cleaned:
            cleaned.append(station)
    return cleaned or None


def _next_ref(event: Event) -> str:
    refs = db.session.scalars(
        select(JudgeAssignment.ref).where(JudgeAssignment.event_id == event.id)
    ).all()
    numbers = [int(ref[1:]) for ref in refs if ref and ref[:1] == "J" and ref[1:].isdigit()]
    return f"J{max(numbers, default=0) + 1:02d}"


def assign_judge(
    event: Event,
    judge: User,
    *,
    actor: User,
    chief: bool = False,
    criteria: list[str] | None = None,
    stations: list[str] | None = None,
) -> JudgeAssignment:
    """Appoint ``judge`` to ``event``, optionally limited to some criteria or stations.

    The event's organisers call it. ``chief=True`` makes the judge the event's
    chief judge (the previous one stays as an ordinary judge). Raises
    :class:`DomainError` for an account that is not an active judge, a judge
    already appointed, an unknown criterion code; :class:`NotAllowed` once the
    event is signed off.
    """
    _check_open_for_assignment(event)
    if judge.role is not Role.JUDGE or not judge.active:
        raise DomainError(_("Only active judge accounts can be appointed."), field="judge")
    already = db.session.scalar(
        select(JudgeAssignment).where(
            JudgeAssignment.event_id == event.id, JudgeAssignment.judge_id == judge.id
        )
    )
    if already is not None:
        raise DomainError(
            _("%(name)s is already a judge of this event.", name=judge.display_name),
            field="judge",
        )
    assignment = JudgeAssignment(
        event_id=event.id,
        judge_id=judge.id,
        ref=_next_ref(event),
        criteria=_check_criteria(event, criteria),
        stations=_clean_stations(stations),
    )
    db.session.add(assignment)
    db.session.flush()
    record(
        "judge_assigned",
        actor=actor,
        target=assignment,
        event_id=event.id,
        judge_id=judge.id,
        criteria=assignment.criteria,
        stations=assignment.stations,
    )
    if chief:
        make_chief_judge(assignment, actor=actor)
    return assignment


def update_assignment(
    assignment: JudgeAssignment,
    *,
    actor: User,
    criteria: list[str] | None,
    stations: list[str] | None,
) -> JudgeAssignment:
    """Change which criteria and stations an appointed judge marks (None: all).

    Marks already given stay; they simply stop being expected when outside
    the new limits. Raises as :func:`assign_judge`.
    """
    event = assignment.event
    _check_open_for_assignment(event)
    old = {"criteria": assignment.criteria, "stations": assignment.stations}
    assignment.criteria = _check_criteria(event, criteria)
    assignment.stations = _clean_stations(stations)
    db.session.flush()
    record(
        "judge_assignment_changed",
        actor=actor,
        target=assignment,
        event_id=event.id,
        judge_id=assignment.judge_id,
        old=old,
        new={"criteria": assignment.criteria, "stations": assignment.stations},
    )
    return assignment


def make_chief_judge(assignment: JudgeAssignment, *, actor: User) -> JudgeAssignment:
    """Name the assignment's judge the event's chief judge; an event has one chief judge.

    Raises :class:`NotAllowed` once the event is signed off.
    """
    _check_open_for_assignment(assignment.event)
    previous = db.session.scalars(
        select(JudgeAssignment).where(
            JudgeAssignment.event_id == assignment.event_id,
            JudgeAssignment.is_chief.is_(True),
            JudgeAssignment.id != assignment.id,
        )
    ).all()
    for other in previous:
        other.is_chief = False
    assignment.is_chief = True
    db.session.flush()
    record(
        "chief_judge_named",
        actor=actor,
        target=assignment,
        event_id=assignment.event_id,
        judge_id=assignment.judge_id,
        previous_judge_ids=[other.judge_id for other in previous],
    )
    return assignment


def remove_judge(assignment: JudgeAssignment, *, actor: User) -> None:
    """Withdraw a judge from an event.

    Refused (:class:`NotAllowed`) when the judge has given marks in the event:
    those marks count in the results, so the judge stays on record; limit the
    judge's criteria or stations instead. Also refused once signed off.
    """
    _check_open_for_assignment(assignment.event)
    given = db.session.scalar(
        select(func.count(Mark.id))
        .join(Entry, Entry.id == Mark.entry_id)
        .where(Entry.event_id == assignment.event_id, Mark.judge_id == assignment.judge_id)
    )
    if given:
        raise NotAllowed(
            ngettext(
                "%(name)s has given %(num)d mark in this event, which counts in the results, "
                "so the judge cannot be removed. Limit the judge's criteria or stations instead.",
                "%(name)s has given %(num)d marks in this event, which count in the results, "
                "so the judge cannot be removed. Limit the judge's criteria or stations instead.",
                given,
                name=assignment.judge.display_name,
            )
        )
    record(
        "judge_unassigned",
        actor=actor,
        target=assignment,
        event_id=assignment.event_id,
        judge_id=assignment.judge_id,
        was_chief=assignment.is_chief,
    )
    db.session.delete(assignment)
    db.session.flush()


# --------------------------------------------------------------------- conflicts


def declare_conflict(
    judge: User, person: Person, relation: str, *, actor: User
) -> ConflictDeclaration:
    """Record that ``judge`` is related to ``person`` (relative, teacher, colleague …).

    From then on the judge is never given an entry of that person. Raises
    :class:`DomainError` (field ``relation``) for an empty relation, (field
    ``person``) when it is already declared.
    """
    relation = (relation or "").strip()
    if not relation:
        raise DomainError(_("Say how the judge is related to the contestant."), field="relation")
    if len(relation) > 200:
        raise DomainError(_("Describe the relation in at most 200 characters."), field="relation")
    exists_already = db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.judge_id == judge.id, ConflictDeclaration.person_id == person.id
        )
    )
    if exists_already is not None:
        raise DomainError(
            _(
                "A relation between %(judge)s and %(person)s is already declared.",
                judge=judge.display_name,
                person=person.name,
            ),
            field="person",
        )
    declaration = ConflictDeclaration(judge_id=judge.id, person_id=person.id, relation=relation)
    db.session.add(declaration)
    db.session.flush()
    record(
        "conflict_declared",
        actor=actor,
        target=declaration,
        judge_id=judge.id,
        person_id=person.id,
        relation=relation,
    )
    return declaration


def withdraw_conflict(declaration: ConflictDeclaration, *, actor: User) -> None:
    """Remove a declared relation (e.g. recorded by mistake); audited."""
    record(
        "conflict_withdrawn",
        actor=actor,
        target=declaration,
        judge_id=declaration.judge_id,
        person_id=declaration.person_id,
        relation=declaration.relation,
    )
    db.session.delete(declaration)
    db.session.flush()


# --------------------------------------------------------------------- chief judge


@dataclass(frozen=True)
class Discrepancy:
    """Judges disagree on one criterion of one entry: ``values`` maps judge id to value."""

    entry_id: int
    criterion_id: int
    kind: str  # "judgement" (scores more than 1 apart) or "spread" (beyond the share)
    values: dict[int, Decimal]

    @property
    def spread(self) -> Decimal:
        return max(self.values.values()) - min(self.values.values())


def discrepancies(event: Event) -> list[Discrepancy]:
    """Every (entry, criterion) on which the judges disagree too much.

    Judgement criteria: two scores more than 1 apart. Marks and deduction
    criteria: highest − lowest above ``event.discrepancy_share`` × the
    criterion's maximum. Only entries that competed count. Two queries; reads
    only; never raises.
    """
    criteria = {
        c.id: c
        for c in db.session.scalars(
            select(Criterion)
            .join(Section, Section.id == Criterion.section_id)
            .where(Criterion.event_id == event.id)
        )
    }
    grouped: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    rows = db.session.execute(
        select(Mark.entry_id, Mark.criterion_id, Mark.judge_id, Mark.value)
        .join(Entry, Entry.id == Mark.entry_id)
        .where(Entry.event_id == event.id, Entry.status.not_in(list(UNRANKED_STATUSES)))
        .order_by(Entry.id, Mark.criterion_id, Mark.judge_id)
    )
    for entry_id, criterion_id, judge_id, value in rows:
        grouped[(entry_id, criterion_id)][judge_id] = value
    found = []
    for (entry_id, criterion_id), values in grouped.items():
        criterion = criteria.get(criterion_id)
        if criterion is None or len(values) < 2:
            continue
        judged = list(values.values())
        if criterion.type is CriterionType.JUDGEMENT:
            if judgement_discrepancy(judged):
                found.append(Discrepancy(entry_id, criterion_id, "judgement", values))
        elif marks_spread_exceeds(judged, criterion.max_mark, event.discrepancy_share):
            found.append(Discrepancy(entry_id, criterion_id, "spread", values))
    return found


def _check_marking(event: Event) -> None:
    if event.status is not EventStatus.MARKING:
        raise NotAllowed(
            _("Marking is not open for this event, so its marks cannot be changed or excused.")
        )


def _check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason; it is kept on record."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("Keep the reason to %(n)d characters.", n=REASON_MAX), field="reason")
    return reason


def _check_entry_judge_criterion(
    event: Event, entry: Entry, judge: User | None, criterion: Criterion | None
) -> JudgeAssignment | None:
    if entry.event_id != event.id:
        raise DomainError(_("This entry is not in the event."), field="entry")
    if criterion is not None and criterion.event_id != event.id:
        raise DomainError(_("This criterion is not in the event."), field="criterion")
    if judge is None:
        return None
    assignment = db.session.scalar(
        select(JudgeAssignment).where(
            JudgeAssignment.event_id == event.id, JudgeAssignment.judge_id == judge.id
        )
    )
    if assignment is None:
        raise DomainError(_("This judge is not appointed to the event."), field="judge")
    return assignment


def request_remark(
    event: Event,
    *,
    entry: Entry,
    judge: User,
    reason: str,
    actor: User,
    criterion: Criterion | None = None,
) -> RemarkRequest:
    """The chief judge asks ``judge`` to look again at their marks of ``entry``.

    Optionally for one ``criterion``. The judge sees the request on their home
    page until they change the mark or answer that it stands. Raises
    :class:`NotAllowed` unless marking is open, :class:`DomainError` for an
    entry, judge or criterion outside the event, a conflicted judge, or no
    reason.
    """
    _check_marking(event)
    assignment = _check_entry_judge_criterion(event, entry, judge, criterion)
    if (
        assignment is not None
        and criterion is not None
        and assignment.criteria is not None
        and criterion.code not in assignment.criteria
    ):
        raise DomainError(
            _("This judge does not mark criterion %(code)s.", code=criterion.code),
            field="criterion",
        )
    if judge_conflicted(judge, entry):
        raise DomainError(
            _("This judge has a conflict of interest with the entry and may not mark it."),
            field="judge",
        )
    request = RemarkRequest(
        event_id=event.id,
        entry_id=entry.id,
        judge_id=judge.id,
        criterion_id=criterion.id if criterion is not None else None,
        reason=_check_reason(reason),
        requested_by_id=actor.id,
    )
    db.session.add(request)
    db.session.flush()
    record(
        "remark_requested",
        actor=actor,
        target=request,
        event_id=event.id,
        entry_id=entry.id,
        judge_id=judge.id,
        criterion_id=request.criterion_id,
        reason=request.reason,
    )
    return request


def _remarked():
    """SQL: a revision of the requested mark(s) saved after the request was made."""
    return exists().where(
        MarkRevision.mark_id == Mark.id,
        Mark.entry_id == RemarkRequest.entry_id,
        Mark.judge_id == RemarkRequest.judge_id,
        or_(RemarkRequest.criterion_id.is_(None), Mark.criterion_id == RemarkRequest.criterion_id),
        MarkRevision.changed_at >= RemarkRequest.requested_at,
    )


def open_remark_requests(
    *, judge: User | None = None, event: Event | None = None
) -> list[RemarkRequest]:
    """Re-mark requests still waiting: not answered and no mark changed since (oldest first).

    For one ``judge`` (their home page) and/or one ``event`` (the chief
    judge's page). Reads only.
    """
    query = select(RemarkRequest).where(RemarkRequest.resolved_at.is_(None), ~_remarked())
    if judge is not None:
        query = query.where(RemarkRequest.judge_id == judge.id)
    if event is not None:
        query = query.where(RemarkRequest.event_id == event.id)
    return list(db.session.scalars(query.order_by(RemarkRequest.requested_at, RemarkRequest.id)))


def close_remark_request(request: RemarkRequest, *, actor: User) -> None:
    """The judge answers a re-mark request: they have looked again and their marks stand.

    Raises :class:`NotAllowed` when it was already answered.
    """
    if request.resolved_at is not None:
        raise NotAllowed(_("This request has already been answered."))
    request.resolved_at = utcnow()
    db.session.flush()
    record(
        "remark_answered",
        actor=actor,
        target=request,
        event_id=request.event_id,
        entry_id=request.entry_id,
    )


def excuse_missing_mark(
    event: Event,
    *,
    entry: Entry,
    reason: str,
    actor: User,
    judge: User | None = None,
    criterion: Criterion | None = None,
) -> MarkExcuse:
    """The chief judge records why an expected mark may stay missing.

    An excuse names an entry and optionally a judge and/or a criterion; without
    them it covers all the entry's judges or criteria. Raises
    :class:`NotAllowed` unless marking is open, :class:`DomainError` for
    objects outside the event or an empty reason.
    """
    _check_marking(event)
    _check_entry_judge_criterion(event, entry, judge, criterion)
    excuse = MarkExcuse(
        event_id=event.id,
        entry_id=entry.id,
        judge_id=judge.id if judge is not None else None,
        criterion_id=criterion.id if criterion is not None else None,
        reason=_check_reason(reason),
        excused_by_id=actor.id,
    )
    db.session.add(excuse)
    db.session.flush()
    record(
        "mark_excused",
        actor=actor,
        target=excuse,
        event_id=event.id,
        entry_id=entry.id,
        judge_id=excuse.judge_id,
        criterion_id=excuse.criterion_id,
        reason=excuse.reason,
    )
    return excuse


def excuses_on_record(event: Event) -> list[MarkExcuse]:
    """The event's excuses, in the order they were recorded."""
    return list(
        db.session.scalars(
            select(MarkExcuse)
            .where(MarkExcuse.event_id == event.id)
            .order_by(MarkExcuse.excused_at, MarkExcuse.id)
        )
    )


def withdraw_excuse(event: Event, excuse: MarkExcuse | None, *, actor: User) -> None:
    """Take back an excuse recorded by mistake, so the mark it covered is expected again.

    Only while marking is open (a signed-off event is reopened first). The
    excuse itself is removed; the audit log keeps what it said, who recorded it
    and who withdrew it. Raises :class:`DomainError` for an excuse of another
    event, :class:`NotAllowed` when marking is not open.
    """
    if excuse is None or excuse.event_id != event.id:
        raise DomainError(_("That excuse is not on record for this event."))
    _check_marking(event)
    record(
        "excuse_withdrawn",
        actor=actor,
        target=excuse,
        event_id=event.id,
        entry_id=excuse.entry_id,
        judge_id=excuse.judge_id,
        criterion_id=excuse.criterion_id,
        reason=excuse.reason,
        excused_by_id=excuse.excused_by_id,
        excused_at=excuse.excused_at.isoformat(),
    )
    db.session.delete(excuse)
    db.session.flush()


def _lock_event(event: Event) -> Event:
    """Re-read the event row FOR UPDATE (PostgreSQL), so a status change and a mark serialise."""
    return db.session.scalars(
        select(Event)
        .where(Event.id == event.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def sign_off_event(event: Event, *, actor: User) -> Event:
    """The chief judge signs the event off: its marks are locked from then on.

    Refused with :class:`SignOffRefused` (listing every missing mark) while an
    expected mark is neither given nor excused, and with :class:`NotAllowed`
    unless marking is open. Sets ``signed_off_at`` / ``signed_off_by``;
    audited.
    """
    event = _lock_event(event)
    if event.status is not EventStatus.MARKING:
        raise NotAllowed(_("Only an event whose marking is open can be signed off."))
    missing = missing_marks(event)
    if missing:
        raise SignOffRefused(
            ngettext(
                "The event cannot be signed off: %(num)d expected mark is missing. "
                "Wait for it or excuse it with a reason.",
                "The event cannot be signed off: %(num)d expected marks are missing. "
                "Wait for them or excuse them with a reason.",
                len(missing),
            ),
            missing,
        )
    transition_event(event, "sign_off", actor=actor)
    event.signed_off_at = utcnow()
    event.signed_off_by_id = actor.id
    db.session.flush()
    record("event_signed_off", actor=actor, target=event, event_id=event.id)
    return event


def reopen_marking(event: Event, *, actor: User, reason: str) -> Event:
    """The organiser reopens a signed-off event's marking, with a reason (audited).

    Raises :class:`NotAllowed` unless the event is signed off (published
    results are reopened through an appeal instead), :class:`DomainError`
    (field ``reason``) without a reason.
    """
    reason = _check_reason(reason)
    event = _lock_event(event)
    if event.status is not EventStatus.SIGNED_OFF:
        raise NotAllowed(_("Only a signed-off event can be reopened for marking."))
    record(
        "event_reopened",
        actor=actor,
        target=event,
        event_id=event.id,
        reason=reason,
        signed_off_at=event.signed_off_at.isoformat() if event.signed_off_at else None,
        signed_off_by_id=event.signed_off_by_id,
    )
    transition_event(event, "reopen_marking", actor=actor, reason=reason)
    event.signed_off_at = None
    event.signed_off_by_id = None
    db.session.flush()
    return event


def judge_candidates(event: Event) -> list[User]:
    """Active judge accounts not yet appointed to ``event``, by name (for the appoint form)."""
    appointed = select(JudgeAssignment.judge_id).where(JudgeAssignment.event_id == event.id)
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.JUDGE, User.active.is_(True), User.id.not_in(appointed))
            .order_by(User.display_name, User.username)
        )
    )

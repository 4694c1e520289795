"""Setting up competitions, events and marking schemes; lifecycle, draw of lots, check-in.

Every function here flushes and never commits: the view or CLI command commits once.
A broken rule raises :class:`~competitions.errors.DomainError` (or :class:`NotAllowed`
when the object's state forbids the change) with a translated message and ``field``
naming the form field concerned, and changes nothing. Important actions are recorded
in the audit log with who and when.

The rules for a marking scheme (``docs/design.md``, "Scoring rules"):

- codes are 1–32 letters, digits, ``.``, ``_`` or ``-``; section codes are unique in the
  event, criterion codes too (across sections: marks and tie-breaks name them alone),
  award tier codes as well;
- a section's weight is above 0 and at most 100, and the weights of an event's sections
  never add up to more than 100; the scheme is *complete* once they total exactly 100;
- a criterion's maximum is above 0 (a judgement criterion's judges give 0–3, counted as
  mean / 3 × maximum); every section needs a marks or judgement criterion;
- an award tier has exactly one of a share (0–1) or a count (a whole number ≥ 0), an
  optional minimum total (0–100); the shares of an event add up to at most 1;
- tie-break keys are ``section:CODE`` or ``criterion:CODE`` naming an existing section or
  criterion, or ``time``, each at most once; a section or criterion a key names cannot be
  deleted or renamed while the key stays;
- the scheme is frozen once marking has started (:func:`lifecycle.scheme_editable`) and
  whenever the event has marks.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import User
from ..audit import record
from ..enums import (
    UNRANKED_STATUSES,
    Aggregation,
    CompetitionKind,
    CompetitionStatus,
    CriterionType,
    EntryStatus,
    EventStatus,
    Level,
    Role,
)
from ..errors import DomainError, NotAllowed
from ..extensions import db
from ..judging.models import JudgeAssignment, Mark
from ..registration.models import Draw, Entry
from ..sqltypes import utcnow
from . import draw as lots
from . import lifecycle
from .models import AwardTier, Competition, Criterion, Event, Organisation, Section

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
TOTAL_WEIGHT = Decimal(100)
MAX_MARK = Decimal(10000)
MIN_JUDGES_TO_TRIM = 3
TIME_KEY = "time"
NAME_LENGTH = 200


# --------------------------------------------------------------------------- helpers


def _check_code(code: str | None, field: str = "code") -> str:
    code = (code or "").strip()
    if not CODE.fullmatch(code):
        raise DomainError(
            _("Use 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit."),
            field=field,
        )
    return code


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _check_names(name_zh: str | None, name_en: str | None) -> tuple[str | None, str | None]:
    name_zh, name_en = _clean(name_zh), _clean(name_en)
    if not name_zh and not name_en:
        raise DomainError(_("Give a Chinese or an English name (or both)."), field="name_zh")
    for field, value in (("name_zh", name_zh), ("name_en", name_en)):
        if value and len(value) > NAME_LENGTH:
            raise DomainError(
                _("At most %(n)d characters.", n=NAME_LENGTH),
                field=field,
            )
    return name_zh, name_en


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _check_decimal(
    value: Decimal | None,
    field: str,
    *,
    above: Decimal | None = None,
    at_least: Decimal | None = None,
    at_most: Decimal | None = None,
    places: int = 3,
) -> Decimal:
    if value is None or not isinstance(value, Decimal) or not value.is_finite():
        raise DomainError(_("Enter a number."), field=field)
    if above is not None and value <= above:
        raise DomainError(_("Must be above %(n)s.", n=above), field=field)
    if at_least is not None and value < at_least:
        raise DomainError(_("Must be at least %(n)s.", n=at_least), field=field)
    if at_most is not None and value > at_most:
        raise DomainError(_("Must be at most %(n)s.", n=at_most), field=field)
    if _places(value) > places:
        raise DomainError(_("Use at most %(n)d decimal places.", n=places), field=field)
    return value


def _bump(event: Event) -> None:
    event.bump_marks_version()


def _has_marks(event: Event) -> bool:
    return bool(
        db.session.scalar(
            select(func.count(Mark.id))
            .join(Entry, Mark.entry_id == Entry.id)
            .where(Entry.event_id == event.id)
        )
    )


def require_scheme_editable(event: Event) -> None:
    """Raise :class:`NotAllowed` unless the event's scheme and rules may still change."""
    if not lifecycle.scheme_editable(event):
        raise NotAllowed(_("The marking scheme is frozen: marking has started for this event."))
    if event.id is not None and _has_marks(event):
        raise NotAllowed(_("The marking scheme is frozen: this event already has marks."))


# --------------------------------------------------------------------------- competitions


def _organisation(name: str | None) -> Organisation:
    name = _clean(name)
    if not name:
        raise DomainError(_("Name the organising body."), field="organisation")
    if len(name) > NAME_LENGTH:
        raise DomainError(_("At most %(n)d characters.", n=NAME_LENGTH), field="organisation")
    found = db.session.scalar(select(Organisation).where(Organisation.name == name))
    return found or Organisation(name=name)


def _organisers(users: Iterable[User], actor: User | None) -> list[User]:
    chosen: dict[int, User] = {}
    for user in users:
        if user.role is not Role.ORGANISER:
            raise DomainError(
                _("%(name)s is not an organiser account.", name=user.display_name),
                field="organisers",
            )
        chosen[user.id] = user
    if actor is not None and actor.role is Role.ORGANISER:
        chosen.setdefault(actor.id, actor)
    return list(chosen.values())


def _competition_fields(
    competition: Competition,
    *,
    code: str,
    name_zh: str | None,
    name_en: str | None,
    level: Level,
    kind: CompetitionKind,
    starts_on: date,
    ends_on: date,
    organisation: str,
    self_registration: bool,
) -> None:
    code = _check_code(code)
    clash = db.session.scalar(select(Competition.id).where(Competition.code == code))
    if clash is not None and clash != competition.id:
        raise DomainError(
            _("Another competition already has the code %(code)s.", code=code), field="code"
        )
    name_zh, name_en = _check_names(name_zh, name_en)
    if starts_on is None:
        raise DomainError(_("Give the first day."), field="starts_on")
    if ends_on is None:
        raise DomainError(_("Give the last day."), field="ends_on")
    if ends_on < starts_on:
        raise DomainError(_("The last day is before the first day."), field="ends_on")
    competition.code = code
    competition.name_zh, competition.name_en = name_zh, name_en
    competition.level = Level(level)
    competition.kind = CompetitionKind(kind)
    competition.starts_on, competition.ends_on = starts_on, ends_on
    competition.organisation = _organisation(organisation)
    competition.self_registration = bool(self_registration)


def create_competition(
    *, actor: User, organisers: Iterable[User] = (), **fields: Any
) -> Competition:
    """Create a competition in draft; the organiser creating it is one of its organisers.

    ``fields``: code, name_zh, name_en, level, kind, starts_on, ends_on, organisation (the
    organising body's name; found or created), self_registration. For admins and
    organisers (the view checks ``authz.can_create_competition``). Raises
    :class:`DomainError` naming the field.
    """
    competition = Competition(status=CompetitionStatus.DRAFT)
    _competition_fields(competition, **fields)
    competition.organisers = _organisers(organisers, actor)
    db.session.add(competition)
    db.session.flush()
    record("competition_created", actor=actor, target=competition, code=competition.code)
    return competition


def update_competition(
    competition: Competition, *, actor: User, organisers: Iterable[User] | None = None, **fields
) -> Competition:
    """Change a competition's details (and organisers) until it is archived.

    An organiser saving the form stays one of the organisers (they would otherwise lock
    themselves out), and a competition keeps at least one organiser.
    Raises :class:`NotAllowed` when archived, :class:`DomainError` naming the field.
    """
    if not lifecycle.competition_editable(competition):
        raise NotAllowed(_("An archived competition cannot change."))
    _competition_fields(competition, **fields)
    if organisers is not None:
        chosen = _organisers(organisers, actor)
        if not chosen:
            raise DomainError(_("A competition needs at least one organiser."), field="organisers")
        competition.organisers = chosen
    db.session.flush()
    record(
        "competition_updated",
        actor=actor,
        target=competition,
        code=competition.code,
        organisers=[user.username for user in competition.organisers],
    )
    return competition


# --------------------------------------------------------------------------- events


def _check_tie_break(event: Event, keys: Sequence[str]) -> list[str]:
    sections = {section.code for section in event.sections}
    criteria = {c.code for section in event.sections for c in section.criteria}
    cleaned: list[str] = []
    for raw in keys:
        key = raw.strip()
        if not key:
            continue
        kind, _sep, code = key.partition(":")
        kind, code = kind.strip(), code.strip()
        if key == TIME_KEY:
            pass
        elif kind == "section" and code:
            if code not in sections:
                raise DomainError(
                    _(
                        "Tie-break %(key)s: there is no section %(code)s in this event.",
                        key=key,
                        code=code,
                    ),
                    field="tie_break",
                )
            key = f"section:{code}"
        elif kind == "criterion" and code:
            if code not in criteria:
                raise DomainError(
                    _(
                        "Tie-break %(key)s: there is no criterion %(code)s in this event.",
                        key=key,
                        code=code,
                    ),
                    field="tie_break",
                )
            key = f"criterion:{code}"
        else:
            raise DomainError(
                _("Tie-break %(key)s: write section:CODE, criterion:CODE or time.", key=key),
                field="tie_break",
            )
        if key in cleaned:
            raise DomainError(
                _("Tie-break %(key)s is given more than once.", key=key), field="tie_break"
            )
        cleaned.append(key)
    return cleaned


def parse_tie_break(text: str | None) -> list[str]:
    """Split the tie-break field (commas, semicolons, spaces or lines) into keys."""
    return [key for key in re.split(r"[,，;；\s]+", text or "") if key]


_RULE_FIELDS = ("aggregation", "min_judges_to_trim", "tie_break", "discrepancy_share", "is_team")


def _event_fields(
    event: Event,
    competition: Competition,
    *,
    code: str,
    name_zh: str | None = None,
    name_en: str | None = None,
    is_team: bool = False,
    aggregation: Aggregation = Aggregation.MEAN,
    min_judges_to_trim: int | None = 5,
    tie_break: Sequence[str] = (),
    discrepancy_share: Decimal = Decimal("0.2"),
    venue: str | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> None:
    code = _check_code(code)
    clash = db.session.scalar(
        select(Event.id).where(Event.competition_id == competition.id, Event.code == code)
    )
    if clash is not None and clash != event.id:
        raise DomainError(
            _("Another event of this competition has the code %(code)s.", code=code),
            field="code",
        )
    name_zh, name_en = _check_names(name_zh, name_en)
    aggregation = Aggregation(aggregation)
    if min_judges_to_trim is None:
        min_judges_to_trim = 5
    if int(min_judges_to_trim) < MIN_JUDGES_TO_TRIM:
        raise DomainError(
            _(
                "At least %(n)d: the highest and the lowest mark are dropped and one must be left.",
                n=MIN_JUDGES_TO_TRIM,
            ),
            field="min_judges_to_trim",
        )
    discrepancy_share = _check_decimal(
        discrepancy_share, "discrepancy_share", above=Decimal(0), at_most=Decimal(1)
    )
    venue = _clean(venue)
    if venue and len(venue) > NAME_LENGTH:
        raise DomainError(_("At most %(n)d characters.", n=NAME_LENGTH), field="venue")
    if starts_at and ends_at and ends_at < starts_at:
        raise DomainError(_("The end is before the start."), field="ends_at")
    rules = {
        "aggregation": aggregation,
        "min_judges_to_trim": int(min_judges_to_trim),
        "tie_break": _check_tie_break(event, tie_break),
        "discrepancy_share": discrepancy_share,
        "is_team": bool(is_team),
    }
    if event.id is not None:
        changed = [name for name, value in rules.items() if getattr(event, name) != value]
        if changed:
            require_scheme_editable(event)
        if "is_team" in changed and event.entries:
            raise DomainError(
                _("The event has entries: it cannot switch between individual and team entries."),
                field="is_team",
            )
        if changed:
            _bump(event)
    event.code = code
    event.name_zh, event.name_en = name_zh, name_en
    for name, value in rules.items():
        setattr(event, name, value)
    event.venue = venue
    event.starts_at, event.ends_at = starts_at, ends_at


def create_event(competition: Competition, *, actor: User, **fields: Any) -> Event:
    """Add an event (a trade) in draft to ``competition``, placed last.

    ``fields``: code, name_zh, name_en, is_team, aggregation, min_judges_to_trim,
    tie_break (a list of keys), discrepancy_share, venue, starts_at, ends_at (aware).
    Raises :class:`NotAllowed` once the competition has started, :class:`DomainError`
    naming the field.
    """
    if not lifecycle.events_addable(competition):
        raise NotAllowed(_("Events can only be added before the competition starts."))
    event = Event(status=EventStatus.DRAFT)
    with db.session.no_autoflush:
        _event_fields(event, competition, **fields)
    event.position = max((e.position for e in competition.events), default=-1) + 1
    competition.events.append(event)
    db.session.flush()
    record(
        "event_created", actor=actor, target=event, code=event.code, competition=competition.code
    )
    return event


def update_event(event: Event, *, actor: User, **fields: Any) -> Event:
    """Change an event's details; its rules (aggregation, tie-break …) only while the scheme
    may change. Raises :class:`NotAllowed` / :class:`DomainError` naming the field."""
    if not lifecycle.details_editable(event):
        raise NotAllowed(_("The results of this event are final: it cannot change."))
    with db.session.no_autoflush:
        _event_fields(event, event.competition, **fields)
    db.session.flush()
    record(
        "event_updated",
        actor=actor,
        target=event,
        code=event.code,
        tie_break=list(event.tie_break),
        aggregation=event.aggregation.value,
    )
    return event


# --------------------------------------------------------------------------- scheme


@dataclass(frozen=True)
class SchemeProblem:
    """Why a scheme is not complete yet: a sentence, and the part of the scheme concerned."""

    message: str
    where: str  # "sections", "section:CODE", "awards"


def scheme_problems(event: Event) -> list[SchemeProblem]:
    """What keeps the event's scheme from being used for marking (empty when complete).

    The per-item rules are enforced on every save; these are the rules that only hold
    for the whole scheme: a section exists, weights total exactly 100, every section
    has a marks or judgement criterion.
    """
    problems: list[SchemeProblem] = []
    if not event.sections:
        problems.append(SchemeProblem(_("The scheme has no section yet."), "sections"))
        return problems
    total = sum((section.weight for section in event.sections), Decimal(0))
    if total != TOTAL_WEIGHT:
        problems.append(
            SchemeProblem(
                _(
                    "The section weights add up to %(total)s; they must total 100.",
                    total=_number(total),
                ),
                "sections",
            )
        )
    for section in event.sections:
        if not any(c.type is not CriterionType.DEDUCTION for c in section.criteria):
            problems.append(
                SchemeProblem(
                    _("Section %(code)s needs a marks or judgement criterion.", code=section.code),
                    f"section:{section.code}",
                )
            )
    if not problems:
        # The scoring core's own check is the last word on whether results can be computed;
        # the rules above and the per-save checks are meant to leave it nothing to say.
        from ..results.services import scheme_spec
        from ..scoring.validation import validate_scheme

        problems.extend(
            SchemeProblem(message, "scheme") for message in validate_scheme(scheme_spec(event))
        )
    return problems


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _weight_total(event: Event, *, without: Section | None = None) -> Decimal:
    return sum(
        (s.weight for s in event.sections if s is not without and s.weight is not None),
        Decimal(0),
    )


def _section_fields(section: Section, event: Event, *, code, name_zh, name_en, weight) -> None:
    code = _check_code(code)
    if any(s.code == code for s in event.sections if s is not section):
        raise DomainError(_("This event already has a section %(code)s.", code=code), field="code")
    name_zh, name_en = _check_names(name_zh, name_en)
    weight = _check_decimal(weight, "weight", above=Decimal(0), at_most=TOTAL_WEIGHT)
    others = _weight_total(event, without=section)
    if others + weight > TOTAL_WEIGHT:
        raise DomainError(
            _(
                "With this weight the sections would add up to %(total)s; they must total 100 "
                "(the other sections have %(others)s).",
                total=_number(others + weight),
                others=_number(others),
            ),
            field="weight",
        )
    if section.code and section.code != code:
        _refuse_if_tie_break(event, f"section:{section.code}", field="code")
    section.code = code
    section.name_zh, section.name_en = name_zh, name_en
    section.weight = weight


def _refuse_if_tie_break(event: Event, key: str, *, field: str | None = None) -> None:
    if key in (event.tie_break or []):
        raise DomainError(
            _("The tie-break key %(key)s names it: change the tie-break rule first.", key=key),
            field=field,
        )


def add_section(event: Event, *, actor: User, **fields: Any) -> Section:
    """Add a section (code, name_zh, name_en, weight) at the end of the event's scheme."""
    require_scheme_editable(event)
    section = Section(position=max((s.position for s in event.sections), default=-1) + 1)
    with db.session.no_autoflush:
        _section_fields(section, event, **fields)
    event.sections.append(section)
    _bump(event)
    db.session.flush()
    record(
        "section_added", actor=actor, target=event, code=section.code, weight=str(section.weight)
    )
    return section


def update_section(section: Section, *, actor: User, **fields: Any) -> Section:
    """Change a section's code, names or weight."""
    event = section.event
    require_scheme_editable(event)
    with db.session.no_autoflush:
        _section_fields(section, event, **fields)
    _bump(event)
    db.session.flush()
    record(
        "section_updated", actor=actor, target=event, code=section.code, weight=str(section.weight)
    )
    return section


def delete_section(section: Section, *, actor: User) -> None:
    """Remove a section and its criteria, unless a tie-break key names one of them."""
    event = section.event
    require_scheme_editable(event)
    _refuse_if_tie_break(event, f"section:{section.code}")
    for criterion in section.criteria:
        _refuse_if_tie_break(event, f"criterion:{criterion.code}")
    code = section.code
    event.sections.remove(section)
    _bump(event)
    db.session.flush()
    record("section_deleted", actor=actor, target=event, code=code)


def _criterion_fields(
    criterion: Criterion, event: Event, *, code, name_zh, name_en, type, max_mark
) -> None:
    code = _check_code(code)
    taken = {c.code for s in event.sections for c in s.criteria if c is not criterion}
    if code in taken:
        raise DomainError(
            _(
                "This event already has a criterion %(code)s (codes are unique across sections).",
                code=code,
            ),
            field="code",
        )
    name_zh, name_en = _check_names(name_zh, name_en)
    try:
        kind = CriterionType(type)
    except ValueError:
        raise DomainError(_("Choose marks, judgement or deduction."), field="type") from None
    max_mark = _check_decimal(max_mark, "max_mark", above=Decimal(0), at_most=MAX_MARK)
    if criterion.code and criterion.code != code:
        _refuse_if_tie_break(event, f"criterion:{criterion.code}", field="code")
    criterion.code = code
    criterion.name_zh, criterion.name_en = name_zh, name_en
    criterion.type = kind
    criterion.max_mark = max_mark


def add_criterion(section: Section, *, actor: User, **fields: Any) -> Criterion:
    """Add a criterion (code, name_zh, name_en, type, max_mark) at the end of ``section``."""
    event = section.event
    require_scheme_editable(event)
    criterion = Criterion(position=max((c.position for c in section.criteria), default=-1) + 1)
    with db.session.no_autoflush:
        _criterion_fields(criterion, event, **fields)
    criterion.event = event
    section.criteria.append(criterion)
    _bump(event)
    db.session.flush()
    record(
        "criterion_added",
        actor=actor,
        target=event,
        code=criterion.code,
        section=section.code,
        type=criterion.type.value,
        max=str(criterion.max_mark),
    )
    return criterion


def update_criterion(criterion: Criterion, *, actor: User, **fields: Any) -> Criterion:
    """Change a criterion's code, names, type or maximum."""
    event = criterion.section.event
    require_scheme_editable(event)
    with db.session.no_autoflush:
        _criterion_fields(criterion, event, **fields)
    _bump(event)
    db.session.flush()
    record(
        "criterion_updated",
        actor=actor,
        target=event,
        code=criterion.code,
        type=criterion.type.value,
        max=str(criterion.max_mark),
    )
    return criterion


def delete_criterion(criterion: Criterion, *, actor: User) -> None:
    """Remove a criterion, unless a tie-break key names it."""
    section = criterion.section
    event = section.event
    require_scheme_editable(event)
    _refuse_if_tie_break(event, f"criterion:{criterion.code}")
    code = criterion.code
    section.criteria.remove(criterion)
    db.session.delete(criterion)
    _bump(event)
    db.session.flush()
    record("criterion_deleted", actor=actor, target=event, code=code)


def _tier_fields(
    tier: AwardTier,
    event: Event,
    *,
    code,
    name_zh,
    name_en,
    share=None,
    count=None,
    min_total=None,
    recognition_zh=None,
    recognition_en=None,
) -> None:
    code = _check_code(code)
    if any(t.code == code for t in event.award_tiers if t is not tier):
        raise DomainError(
            _("This event already has an award tier %(code)s.", code=code), field="code"
        )
    name_zh, name_en = _check_names(name_zh, name_en)
    if (share is None) == (count is None):
        raise DomainError(
            _("Give either a share of the ranked entries or a number of entries, not both."),
            field="share",
        )
    if share is not None:
        share = _check_decimal(share, "share", at_least=Decimal(0), at_most=Decimal(1), places=6)
        others = sum(
            (t.share for t in event.award_tiers if t is not tier and t.share is not None),
            Decimal(0),
        )
        if others + share > 1:
            raise DomainError(
                _(
                    "The shares of the award tiers would add up to %(total)s; together they "
                    "can be at most 1.",
                    total=_number(others + share),
                ),
                field="share",
            )
    if count is not None and (int(count) != count or count < 0):
        raise DomainError(_("Give a whole number of at least 0."), field="count")
    if min_total is not None:
        min_total = _check_decimal(
            min_total, "min_total", at_least=Decimal(0), at_most=TOTAL_WEIGHT
        )
    recognition = {
        k: v for k, v in (("zh", _clean(recognition_zh)), ("en", _clean(recognition_en))) if v
    }
    for key, value in recognition.items():
        if len(value) > NAME_LENGTH:
            raise DomainError(
                _("At most %(n)d characters.", n=NAME_LENGTH), field=f"recognition_{key}"
            )
    tier.code = code
    tier.name_zh, tier.name_en = name_zh, name_en
    tier.share = share
    tier.count = None if count is None else int(count)
    tier.min_total = min_total
    tier.recognition = recognition


def add_award_tier(event: Event, *, actor: User, **fields: Any) -> AwardTier:
    """Add an award tier below the existing ones.

    ``fields``: code, name_zh, name_en, share or count, min_total, recognition_zh/_en (the
    recognition the award recommends, e.g. a craftsman title).
    """
    require_scheme_editable(event)
    tier = AwardTier(position=max((t.position for t in event.award_tiers), default=-1) + 1)
    with db.session.no_autoflush:
        _tier_fields(tier, event, **fields)
    event.award_tiers.append(tier)
    _bump(event)
    db.session.flush()
    record(
        "award_tier_added",
        actor=actor,
        target=event,
        code=tier.code,
        share=None if tier.share is None else str(tier.share),
        count=tier.count,
    )
    return tier


def update_award_tier(tier: AwardTier, *, actor: User, **fields: Any) -> AwardTier:
    """Change an award tier."""
    event = tier.event
    require_scheme_editable(event)
    with db.session.no_autoflush:
        _tier_fields(tier, event, **fields)
    _bump(event)
    db.session.flush()
    record(
        "award_tier_updated",
        actor=actor,
        target=event,
        code=tier.code,
        share=None if tier.share is None else str(tier.share),
        count=tier.count,
    )
    return tier


def delete_award_tier(tier: AwardTier, *, actor: User) -> None:
    """Remove an award tier."""
    event = tier.event
    require_scheme_editable(event)
    code = tier.code
    event.award_tiers.remove(tier)
    _bump(event)
    db.session.flush()
    record("award_tier_deleted", actor=actor, target=event, code=code)


def move_item(item: Section | Criterion | AwardTier, offset: int, *, actor: User) -> None:
    """Move a section, criterion or award tier up (-1) or down (+1) among its siblings.

    Award tiers are an ordered list (the first tier a rank reaches wins), so their order
    matters; sections and criteria move for readability.
    """
    if isinstance(item, Section):
        event, siblings = item.event, item.event.sections
    elif isinstance(item, Criterion):
        event, siblings = item.section.event, item.section.criteria
    else:
        event, siblings = item.event, item.event.award_tiers
    require_scheme_editable(event)
    ordered = list(siblings)
    index = ordered.index(item)
    other = index + offset
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, sibling in enumerate(ordered):
        sibling.position = position
    _bump(event)
    db.session.flush()
    record("scheme_reordered", actor=actor, target=event, code=item.code, offset=offset)


def _replace_scheme(event: Event, scheme: dict[str, Any]) -> None:
    """Replace the event's sections, criteria, tiers and rules by ``scheme`` (already valid)."""
    for section in list(event.sections):
        for criterion in list(section.criteria):
            db.session.delete(criterion)
        event.sections.remove(section)
    for tier in list(event.award_tiers):
        event.award_tiers.remove(tier)
    db.session.flush()
    for s_pos, section_data in enumerate(scheme["sections"]):
        section = Section(
            code=section_data["code"],
            name_zh=section_data.get("name_zh"),
            name_en=section_data.get("name_en"),
            weight=section_data["weight"],
            position=s_pos,
        )
        event.sections.append(section)
        for c_pos, criterion_data in enumerate(section_data["criteria"]):
            section.criteria.append(
                Criterion(
                    event=event,
                    code=criterion_data["code"],
                    name_zh=criterion_data.get("name_zh"),
                    name_en=criterion_data.get("name_en"),
                    type=CriterionType(criterion_data["type"]),
                    max_mark=criterion_data["max"],
                    position=c_pos,
                )
            )
    for t_pos, tier_data in enumerate(scheme["awards"]):
        event.award_tiers.append(
            AwardTier(
                code=tier_data["code"],
                name_zh=tier_data.get("name_zh"),
                name_en=tier_data.get("name_en"),
                share=tier_data.get("share"),
                count=tier_data.get("count"),
                min_total=tier_data.get("min_total"),
                recognition=dict(tier_data.get("recognition") or {}),
                position=t_pos,
            )
        )
    event.aggregation = Aggregation(scheme["aggregation"])
    event.min_judges_to_trim = scheme.get("min_judges_to_trim") or 5
    event.tie_break = list(scheme["tie_break"])
    if scheme.get("discrepancy_share") is not None:
        event.discrepancy_share = scheme["discrepancy_share"]
    _bump(event)
    db.session.flush()


def scheme_dict(event: Event) -> dict[str, Any]:
    """The event's scheme and rules as plain data (numbers as Decimal)."""
    return {
        "aggregation": event.aggregation.value,
        "min_judges_to_trim": event.min_judges_to_trim,
        "discrepancy_share": event.discrepancy_share,
        "tie_break": list(event.tie_break or []),
        "sections": [
            {
                "code": s.code,
                "name_zh": s.name_zh,
                "name_en": s.name_en,
                "weight": s.weight,
                "criteria": [
                    {
                        "code": c.code,
                        "name_zh": c.name_zh,
                        "name_en": c.name_en,
                        "type": c.type.value,
                        "max": c.max_mark,
                    }
                    for c in s.criteria
                ],
            }
            for s in event.sections
        ],
        "awards": [
            {
                "code": t.code,
                "name_zh": t.name_zh,
                "name_en": t.name_en,
                "share": t.share,
                "count": t.count,
                "min_total": t.min_total,
                "recognition": dict(t.recognition or {}),
            }
            for t in event.award_tiers
        ],
    }


def copy_scheme(source: Event, target: Event, *, actor: User) -> None:
    """Replace ``target``'s scheme, award tiers and rules by a copy of ``source``'s.

    The caller checks that ``actor`` manages both events. Raises :class:`NotAllowed`
    when ``target``'s scheme is frozen, :class:`DomainError` when source is target.
    """
    if source.id == target.id:
        raise DomainError(_("Choose another event to copy from."), field="source")
    require_scheme_editable(target)
    _replace_scheme(target, scheme_dict(source))
    record(
        "scheme_copied",
        actor=actor,
        target=target,
        source_event=source.id,
        source_code=source.code,
        source_competition=source.competition.code,
    )


# --- scheme files ----------------------------------------------------------------------

SCHEME_FORMAT = "marking-scheme"
SCHEME_VERSION = 1


class SchemeFileError(DomainError):
    """A scheme file is not valid; ``problems`` lists every problem with its JSON path."""

    def __init__(self, problems: Sequence[str]):
        super().__init__(_("The scheme file has problems; nothing was changed."), field="file")
        self.problems = list(problems)


def export_scheme(event: Event) -> str:
    """The event's scheme as a JSON document (format ``marking-scheme`` version 1).

    Its ``aggregation``, ``sections``, ``tie_break`` and ``awards`` have exactly the shape
    of an event in a contest package (``docs/contest-package.md``), so a scheme can be
    pasted into a package and back.
    """
    from ..package.schema import AwardTierData, CriterionData, LocalizedText, SectionData
    from ..package.serialize import _award, _section, _write

    def text(zh, en, code):
        # The format needs a name; an item made without one (by a script) is named by its code.
        return LocalizedText(zh, en) if (zh or en) else LocalizedText(None, code)

    aggregation: dict[str, Any] = {"method": event.aggregation.value}
    if event.aggregation is Aggregation.TRIMMED_MEAN:
        aggregation["min_judges_to_trim"] = event.min_judges_to_trim
    document = {
        "format": SCHEME_FORMAT,
        "version": SCHEME_VERSION,
        "aggregation": aggregation,
        "sections": [
            _section(
                SectionData(
                    s.code,
                    text(s.name_zh, s.name_en, s.code),
                    s.weight,
                    tuple(
                        CriterionData(
                            c.code, text(c.name_zh, c.name_en, c.code), c.type.value, c.max_mark
                        )
                        for c in s.criteria
                    ),
                )
            )
            for s in event.sections
        ],
        "tie_break": list(event.tie_break or []),
        "awards": [
            _award(
                AwardTierData(
                    t.code, text(t.name_zh, t.name_en, t.code), t.share, t.count, t.min_total
                )
            )
            | ({"recognition": dict(t.recognition)} if t.recognition else {})
            for t in event.award_tiers
        ],
    }
    out: list[str] = []
    _write(document, out, "")
    out.append("\n")
    return "".join(out)


def parse_scheme(source: bytes | str) -> dict[str, Any]:
    """Read and check a scheme file; returns the scheme as :func:`scheme_dict` gives it.

    Uses the contest package's own checks (the same paths and messages), adds the rule
    that the scheme is complete, and raises :class:`SchemeFileError` listing every
    problem with its JSON path.
    """
    from ..package.schema import _BAD, FORMAT, _Checker, _object, _refuse_constant

    if isinstance(source, bytes | bytearray):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise SchemeFileError([f"the file is not UTF-8 text (byte {error.start})"]) from None
    try:
        document = json.loads(
            source,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=_refuse_constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as error:
        raise SchemeFileError(
            [f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"]
        ) from None
    except (RecursionError, ValueError) as error:
        raise SchemeFileError([f"not valid JSON: {error}"]) from None
    checker = _Checker()
    root = checker.object(
        document, "", ("format", "version", "aggregation", "sections"), ("tie_break", "awards")
    )
    if root is None:
        raise SchemeFileError(checker.problems)
    if root.get("format") not in (None, SCHEME_FORMAT, FORMAT):
        checker.add("format", f'must be "{SCHEME_FORMAT}"')
    if root.get("version") is not None and root.get("version") != SCHEME_VERSION:
        checker.add("version", f"{root.get('version')} is not supported: this system reads 1")
    # ``recognition`` (what an award recommends) is this file's addition to the package shape.
    recognitions: dict[int, Any] = {}
    awards_value = root.get("awards")
    if isinstance(awards_value, list):
        for index, tier in enumerate(awards_value):
            if isinstance(tier, dict) and "recognition" in tier:
                tier = dict(tier)
                recognitions[index] = checker.localized(
                    {"recognition": tier.pop("recognition")}, "recognition", f"awards[{index}]"
                )
                awards_value[index] = tier
    method, min_judges = checker.aggregation(root.get("aggregation"), "aggregation")
    sections = checker.sections(root, "")
    criteria = {c.code: c for s in sections for c in s.criteria}
    tie_break = checker.tie_break(root, "", sections, criteria)
    awards = checker.awards(root, "")
    shares = [a.share for a in awards if isinstance(a.share, Decimal)]
    if sum(shares, Decimal(0)) > 1:
        checker.add("awards", f"the shares add up to {sum(shares, Decimal(0))}; at most 1")
    if checker.problems:
        raise SchemeFileError(checker.problems)

    def names(text) -> dict[str, str | None]:
        return {"name_zh": text.zh, "name_en": text.en}

    assert method is not _BAD
    return {
        "aggregation": method,
        "min_judges_to_trim": min_judges,
        "discrepancy_share": None,
        "tie_break": list(tie_break),
        "sections": [
            {
                "code": s.code,
                **names(s.name),
                "weight": s.weight,
                "criteria": [
                    {"code": c.code, **names(c.name), "type": c.type, "max": c.max}
                    for c in s.criteria
                ],
            }
            for s in sections
        ],
        "awards": [
            {
                "code": a.code,
                **names(a.name),
                "share": a.share,
                "count": a.count,
                "min_total": a.min_total,
                "recognition": {
                    key: value
                    for key, value in (
                        ("zh", getattr(recognitions.get(index), "zh", None)),
                        ("en", getattr(recognitions.get(index), "en", None)),
                    )
                    if value
                },
            }
            for index, a in enumerate(awards)
        ],
    }


def import_scheme(event: Event, source: bytes | str, *, actor: User) -> None:
    """Replace the event's scheme by the one in a scheme file, or change nothing.

    Raises :class:`SchemeFileError` (every problem with its JSON path) or
    :class:`NotAllowed` when the scheme is frozen.
    """
    require_scheme_editable(event)
    scheme = parse_scheme(source)
    _replace_scheme(event, scheme)
    digest = hashlib.sha256(source if isinstance(source, bytes) else source.encode()).hexdigest()
    record(
        "scheme_imported",
        actor=actor,
        target=event,
        sha256=digest,
        sections=[s["code"] for s in scheme["sections"]],
    )


# --------------------------------------------------------------------------- lifecycle


def transition_event(event: Event, name: str, *, actor: User | None, **detail: Any) -> None:
    """Move ``event`` along the transition ``name`` of :data:`lifecycle.EVENT_TRANSITIONS`.

    Checks only that the transition exists and is allowed from the current state, then
    changes the status and records who and when in the audit log (``event_transition``).
    Domain preconditions are the caller's: judging calls it for ``sign_off`` after its
    own checks, results for ``publish`` and ``finalise``. Raises :class:`NotAllowed`.
    """
    transition = lifecycle.EVENT_TRANSITIONS.get(name)
    if transition is None:
        raise NotAllowed(_("Unknown action."))
    if event.status not in transition.sources:
        raise NotAllowed(
            _(
                "%(action)s is not possible while the event is “%(state)s”.",
                action=str(transition.label),
                state=_state_label(event.status),
            )
        )
    before = event.status
    event.status = transition.target
    db.session.flush()
    record(
        "event_transition",
        actor=actor,
        target=event,
        transition=name,
        before=before.value,
        after=event.status.value,
        **detail,
    )


def _state_label(status) -> str:
    from ..labels import label

    return label(status)


def event_readiness(event: Event, name: str) -> list[str]:
    """Why the contests-owned transition ``name`` cannot happen now (empty when it can)."""
    reasons: list[str] = []
    if name in ("open_registration", "start_marking"):
        reasons.extend(problem.message for problem in scheme_problems(event))
    if name == "start_marking":
        competing = [e for e in event.entries if e.status not in UNRANKED_STATUSES]
        if not competing:
            reasons.append(_("The event has no entries that compete."))
        judges = db.session.scalar(
            select(func.count(JudgeAssignment.id)).where(JudgeAssignment.event_id == event.id)
        )
        if not judges:
            reasons.append(_("No judge is appointed to this event yet."))
        missing = [e for e in competing if not e.number]
        if missing:
            reasons.append(
                _(
                    "%(n)d entries have no number yet: draw lots first (judges see only numbers).",
                    n=len(missing),
                )
            )
    return reasons


def apply_event_action(event: Event, name: str, *, actor: User) -> None:
    """Run one of contests' event transitions after checking its preconditions.

    Raises :class:`NotAllowed` naming every reason (an incomplete scheme, entries without
    numbers) or when ``name`` belongs to another domain.
    """
    transition = lifecycle.EVENT_TRANSITIONS.get(name)
    if transition is None or transition.owner != "contests":
        raise NotAllowed(_("Unknown action."))
    reasons = event_readiness(event, name)
    if reasons:
        raise NotAllowed(" ".join(reasons))
    if name == "start_marking":
        _bump(event)
    transition_event(event, name, actor=actor)


_CASCADE = {
    "open_registration": ("open_registration", EventStatus.DRAFT),
    "close_registration": ("close_registration", EventStatus.REGISTRATION_OPEN),
    "reopen_registration": ("reopen_registration", EventStatus.REGISTRATION_CLOSED),
}
_EVENTS_MUST_BE = {
    "close_marking": {EventStatus.SIGNED_OFF, EventStatus.PUBLISHED, EventStatus.FINAL},
    "publish_results": {EventStatus.PUBLISHED, EventStatus.FINAL},
    "archive": {EventStatus.FINAL},
}


def competition_readiness(competition: Competition, name: str) -> list[str]:
    """Why the competition transition ``name`` cannot happen now (empty when it can)."""
    reasons: list[str] = []
    if name == "open_registration":
        if not competition.events:
            reasons.append(_("Add an event first."))
        for event in competition.events:
            if event.status is EventStatus.DRAFT:
                for problem in scheme_problems(event):
                    reasons.append(f"{event.code}: {problem.message}")
    if name in _EVENTS_MUST_BE:
        allowed = _EVENTS_MUST_BE[name]
        late = [e.code for e in competition.events if e.status not in allowed]
        if late:
            messages = {
                "close_marking": _("Events not signed off yet: %(codes)s.", codes=", ".join(late)),
                "publish_results": _(
                    "Events without published results: %(codes)s.", codes=", ".join(late)
                ),
                "archive": _("Events without final results: %(codes)s.", codes=", ".join(late)),
            }
            reasons.append(messages[name])
    return reasons


def transition_competition(competition: Competition, name: str, *, actor: User) -> None:
    """Move a competition along ``name`` of :data:`lifecycle.COMPETITION_TRANSITIONS`.

    Opening, closing and reopening registration do the same to every event in the
    matching state (each recorded as an event transition). Raises :class:`NotAllowed`
    naming every reason it cannot happen.
    """
    transition = lifecycle.COMPETITION_TRANSITIONS.get(name)
    if transition is None:
        raise NotAllowed(_("Unknown action."))
    if competition.status not in transition.sources:
        raise NotAllowed(
            _(
                "%(action)s is not possible while the competition is “%(state)s”.",
                action=str(transition.label),
                state=_state_label(competition.status),
            )
        )
    reasons = competition_readiness(competition, name)
    if reasons:
        raise NotAllowed(" ".join(reasons))
    before = competition.status
    competition.status = transition.target
    if name in _CASCADE:
        event_action, state = _CASCADE[name]
        for event in competition.events:
            if event.status is state:
                transition_event(event, event_action, actor=actor, via_competition=True)
    db.session.flush()
    record(
        "competition_transition",
        actor=actor,
        target=competition,
        transition=name,
        before=before.value,
        after=competition.status.value,
    )


# --------------------------------------------------------------------------- draw of lots


def competing_entries(event: Event) -> list[Entry]:
    """The entries that take part in a draw: all but absent, withdrawn and disqualified."""
    return sorted(
        (e for e in event.entries if e.status not in UNRANKED_STATUSES), key=lambda e: e.ref
    )


def parse_stations(text: str | None) -> list[str]:
    """Read work-station labels: separated by commas, spaces or lines; ``A1-A12`` is a range.

    Raises :class:`DomainError` (field ``stations``) naming the bad part.
    """
    text = re.sub(r"\s*([-–~])\s*", r"\1", (text or "").strip())
    labels: list[str] = []
    for part in re.split(r"[,，;；\s]+", text):
        if not part:
            continue
        match = re.fullmatch(r"(?P<prefix>\D*?)(?P<start>\d+)[-–~](?P=prefix)?(?P<end>\d+)", part)
        if match:
            start, end = int(match["start"]), int(match["end"])
            if end < start:
                raise DomainError(
                    _("%(part)s: the range runs backwards.", part=part), field="stations"
                )
            if end - start >= MAX_STATIONS:
                raise DomainError(
                    _("%(part)s: more than %(n)d stations.", part=part, n=MAX_STATIONS),
                    field="stations",
                )
            width = len(match["start"]) if match["start"].startswith("0") else 0
            labels.extend(f"{match['prefix']}{n:0{width}d}" for n in range(start, end + 1))
        else:
            labels.append(part)
        if len(labels) > MAX_STATIONS:
            raise DomainError(_("More than %(n)d stations.", n=MAX_STATIONS), field="stations")
    seen: set[str] = set()
    for label in labels:
        if len(label) > MAX_STATION_LENGTH:
            raise DomainError(
                _("%(label)s: at most %(n)d characters.", label=label, n=MAX_STATION_LENGTH),
                field="stations",
            )
        if label in seen:
            raise DomainError(
                _("%(label)s is given more than once.", label=label), field="stations"
            )
        seen.add(label)
    return labels


MAX_STATIONS = 5000
MAX_STATION_LENGTH = 16  # Entry.station is String(16)


def latest_draw(event: Event) -> Draw | None:
    """The event's most recent draw, or None."""
    return db.session.scalar(
        select(Draw).where(Draw.event_id == event.id).order_by(Draw.id.desc()).limit(1)
    )


def draw_lots(
    event: Event, *, actor: User, stations: Sequence[str] = (), seed: str | None = None
) -> Draw:
    """Draw anonymous numbers (and work stations) for the event's competing entries.

    The seed comes from :mod:`secrets` and is stored with the outcome, the method, the
    operator and the time, so the draw can be reproduced (:mod:`competitions.contests.draw`
    documents the algorithm). Drawing again replaces every number and station; earlier
    draws stay on record. Entries that will not compete (absent, withdrawn, disqualified)
    lose their number. Refused once marking has started (:class:`NotAllowed`) and without
    entries or with fewer stations than entries (:class:`DomainError`).
    """
    if not lifecycle.draw_allowed(event):
        if event.status is EventStatus.DRAFT:
            raise NotAllowed(_("Open registration before drawing lots."))
        raise NotAllowed(_("Lots can no longer be drawn: marking has started for this event."))
    entries = competing_entries(event)
    if not entries:
        raise DomainError(_("The event has no entries to draw lots for."), field="stations")
    stations = list(stations)
    if stations and len(stations) < len(entries):
        raise DomainError(
            _(
                "%(stations)d stations for %(entries)d entries: give at least one station "
                "per entry.",
                stations=len(stations),
                entries=len(entries),
            ),
            field="stations",
        )
    seed = seed or lots.new_seed()
    outcome = lots.draw_lots(seed, [e.ref for e in entries], stations)
    # Clear first: swapping two numbers row by row would break the unique constraints.
    for entry in event.entries:
        entry.number = None
        entry.station = None
    db.session.flush()
    for entry in entries:
        lot = outcome[entry.ref]
        entry.number, entry.station = lot.number, lot.station
    previous = latest_draw(event)
    draw = Draw(
        event_id=event.id,
        seed=seed,
        method=lots.METHOD,
        performed_by_id=actor.id if actor else None,
        performed_at=utcnow(),
        outcome={
            "stations": stations,
            "entries": {
                str(e.id): {"ref": e.ref, "number": e.number, "station": e.station} for e in entries
            },
        },
    )
    db.session.add(draw)
    _bump(event)
    db.session.flush()
    record(
        "lots_drawn",
        actor=actor,
        target=event,
        draw=draw.id,
        seed=seed,
        method=lots.METHOD,
        entries=len(entries),
        stations=len(stations),
        replaces=previous.id if previous else None,
    )
    return draw


def verify_draw(draw: Draw) -> bool:
    """True when the stored outcome follows from the stored seed by the stored method."""
    if draw.method != lots.METHOD:
        return False
    entries = draw.outcome.get("entries", {})
    refs = [value["ref"] for value in entries.values()]
    again = lots.draw_lots(draw.seed, refs, draw.outcome.get("stations") or ())
    return all(
        again[v["ref"]].number == v["number"] and again[v["ref"]].station == v["station"]
        for v in entries.values()
    )


def draw_sheet(event: Event, draw: Draw, *, performed_by: str | None = None):
    """The printable draw sheet (number ↔ station) as a :class:`TableDocument`.

    Names are left out on purpose: the sheet hangs at the venue, and judges only ever
    see numbers.
    """
    from ..pdf.table import Column, TableDocument

    competition = event.competition
    title = " · ".join(filter(None, [competition.name_zh, competition.name_en]))
    event_name = " / ".join(filter(None, [event.name_zh, event.name_en]))
    rows = sorted(
        (
            (value["number"], value.get("station") or "—")
            for value in draw.outcome.get("entries", {}).values()
        ),
        key=lambda row: row[0],
    )
    when = draw.performed_at.astimezone(_zone()).strftime("%Y-%m-%d %H:%M")
    subtitle = (
        f"{event.code} {event_name} — 抽签结果 Draw of lots · {when}"
        f"{' · ' + performed_by if performed_by else ''} · seed {draw.seed}"
    )
    return TableDocument(
        title=f"{title}",
        subtitle=subtitle,
        columns=(
            Column("参赛编号 Number", 1, "center"),
            Column("工位 Work station", 1, "center"),
        ),
        rows=tuple(rows),
        footer=(
            "抽签人 Drawn by: ________    监督人 Witness: ________    裁判长 Chief judge: ________"
        ),
    )


def _zone():
    from zoneinfo import ZoneInfo

    from flask import current_app

    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai")


# --------------------------------------------------------------------------- check-in

#: What the venue page can set an entry's status to.
SETTABLE_STATUSES = (
    EntryStatus.REGISTERED,
    EntryStatus.CHECKED_IN,
    EntryStatus.ABSENT,
    EntryStatus.WITHDRAWN,
    EntryStatus.DISQUALIFIED,
)
MAX_FINISH_SECONDS = Decimal(7 * 24 * 3600)


def _require_status_editable(event: Event) -> None:
    if not lifecycle.entry_status_editable(event):
        if event.status is EventStatus.DRAFT:
            raise NotAllowed(_("Open registration first."))
        raise NotAllowed(_("The event's marks are signed off: entries can no longer change."))


def set_entry_status(
    entry: Entry, status: EntryStatus, *, actor: User, reason: str | None = None
) -> None:
    """Check an entry in, or mark it absent, withdrawn, disqualified (reason required) or
    back to registered. Records the change; raises :class:`DomainError` (field ``reason``)
    or :class:`NotAllowed` when the event's state forbids it."""
    event = entry.event
    _require_status_editable(event)
    status = EntryStatus(status)
    if status not in SETTABLE_STATUSES:
        raise DomainError(_("This status cannot be set here."), field="status")
    reason = _clean(reason)
    if status is EntryStatus.DISQUALIFIED and not reason:
        raise DomainError(_("Give the reason for the disqualification."), field="reason")
    if reason and len(reason) > 1000:
        raise DomainError(_("At most %(n)d characters.", n=1000), field="reason")
    before = entry.status
    entry.status = status
    entry.status_reason = reason if status in UNRANKED_STATUSES else None
    if status is EntryStatus.CHECKED_IN and entry.checked_in_at is None:
        entry.checked_in_at = utcnow()
    if status is EntryStatus.REGISTERED:
        entry.checked_in_at = None
    _bump(event)
    db.session.flush()
    record(
        "entry_status_changed",
        actor=actor,
        target=entry,
        event=event.code,
        before=before.value,
        after=status.value,
        reason=reason,
    )


def parse_duration(text: str | None) -> Decimal | None:
    """Read a finish time: ``1:30:05``, ``90:05`` (minutes:seconds) or seconds; empty is None.

    Raises :class:`DomainError` (field ``finish``).
    """
    text = (text or "").strip().replace("：", ":")
    if not text:
        return None
    parts = text.split(":")
    try:
        numbers = [Decimal(part) for part in parts]
    except InvalidOperation:
        numbers = []
    if (
        not numbers
        or len(numbers) > 3
        or any(not n.is_finite() or n < 0 for n in numbers)
        or any(n != n.to_integral_value() for n in numbers[:-1])
        or any(n >= 60 for n in numbers[1:])
    ):
        raise DomainError(
            _("Write the time taken as h:mm:ss, mm:ss or seconds, e.g. 1:25:30."), field="finish"
        )
    seconds = Decimal(0)
    for number in numbers:
        seconds = seconds * 60 + number
    return _check_decimal(seconds, "finish", at_least=Decimal(0), at_most=MAX_FINISH_SECONDS)


def record_finish_time(entry: Entry, seconds: Decimal | None, *, actor: User) -> None:
    """Record (or clear, with None) the time the entry took; a checked-in entry is then
    finished. Raises :class:`NotAllowed` when the event's state forbids it, or
    :class:`DomainError` for an entry that does not compete."""
    event = entry.event
    _require_status_editable(event)
    if seconds is not None and entry.status in UNRANKED_STATUSES:
        raise DomainError(_("This entry does not compete; it has no finish time."), field="finish")
    before = entry.finish_seconds
    entry.finish_seconds = seconds
    before_status = entry.status
    if seconds is not None and entry.status in (EntryStatus.CHECKED_IN, EntryStatus.COMPETING):
        entry.status = EntryStatus.FINISHED
    _bump(event)
    db.session.flush()
    record(
        "finish_time_recorded",
        actor=actor,
        target=entry,
        event=event.code,
        before=None if before is None else str(before),
        after=None if seconds is None else str(seconds),
        status_before=before_status.value,
        status_after=entry.status.value,
    )


def format_duration(seconds: Decimal | None) -> str:
    """``5400`` → ``1:30:00``; fractions of a second are kept (``1:30:00.5``)."""
    if seconds is None:
        return ""
    whole = int(seconds)
    fraction = seconds - whole
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}"
    if fraction:
        text += format(fraction.normalize(), "f")[1:]
    return text

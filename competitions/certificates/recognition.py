"""Recognition: each person's record across competitions and the award winners' export.

The recognition office confers titles (city craftsman, technical expert) and
skill-level promotions from final results. Each award tier says what it
recommends in ``AwardTier.recognition``, a JSON object of the form::

    {"zh": "推荐申报区级技术能手", "en": "Recommend for district technical expert",
     "skill_levels": 1}

(``skill_levels``: how many steps up the skill ladder the tier recommends;
every key is optional).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..contests.models import Competition, Event
from ..enums import EventStatus, Role
from ..extensions import db
from ..registration.models import Entry, Person, TeamMember
from ..results.services import event_results, load_entries
from ..scoring import round2
from ..sheets.writer import write_csv, write_xlsx
from .models import Certificate

RESULT_VISIBLE = (EventStatus.PUBLISHED, EventStatus.FINAL)

EXPORT_COLUMNS = (
    ("competition_code", "竞赛代码 Competition code"),
    ("competition_name", "竞赛 Competition"),
    ("event_code", "赛项代码 Event code"),
    ("event_name_zh", "赛项 Event (zh)"),
    ("event_name_en", "赛项 Event (en)"),
    ("rank", "名次 Rank"),
    ("total", "总分 Total"),
    ("award_code", "奖项代码 Award code"),
    ("award_name_zh", "奖项 Award (zh)"),
    ("award_name_en", "奖项 Award (en)"),
    ("recognition_zh", "推荐认定 Recognition (zh)"),
    ("recognition_en", "推荐认定 Recognition (en)"),
    ("skill_levels", "晋升等级数 Skill levels"),
    ("name", "姓名 Name"),
    ("id_number", "身份证号 ID number"),
    ("employer", "工作单位 Employer"),
    ("team_name", "团队 Team"),
    ("certificate_number", "证书编号 Certificate number"),
    ("certificate_status", "证书状态 Certificate status"),
)


def recognition_parts(recognition: dict[str, Any] | None) -> tuple[str, str, int | None]:
    """(Chinese text, English text, skill levels) of an award tier's recognition setting."""
    recognition = recognition if isinstance(recognition, dict) else {}
    zh = str(recognition.get("zh") or recognition.get("en") or "")
    en = str(recognition.get("en") or zh)
    levels = recognition.get("skill_levels")
    return zh, en, levels if isinstance(levels, int) and not isinstance(levels, bool) else None


def award_winner_rows(events: list[Event]) -> list[dict[str, Any]]:
    """One row per award-winning person of the events whose results are FINAL.

    Team entries give a row per member. Events not yet final are left out:
    recognition only follows final results.
    """
    rows: list[dict[str, Any]] = []
    for event in sorted(events, key=lambda e: (e.competition_id, e.position, e.id)):
        if event.status is not EventStatus.FINAL:
            continue
        results = event_results(event)
        entries = load_entries(event)
        tiers = {tier.code: tier for tier in event.award_tiers}
        certificates = {
            (c.entry_id, c.person_id): c
            for c in db.session.scalars(select(Certificate).where(Certificate.event_id == event.id))
        }
        competition = event.competition
        for result in results.results:
            if result.award is None:
                continue
            tier = tiers[result.award]
            recognition_zh, recognition_en, levels = recognition_parts(tier.recognition)
            entry = entries[int(result.key)]
            for person in entry.people:
                certificate = certificates.get((entry.id, person.id))
                rows.append(
                    {
                        "competition_code": competition.code,
                        "competition_name": competition.name_zh or competition.name_en,
                        "event_code": event.code,
                        "event_name_zh": event.name_zh,
                        "event_name_en": event.name_en,
                        "rank": result.rank,
                        "total": round2(result.total) if result.total is not None else None,
                        "award_code": tier.code,
                        "award_name_zh": tier.name_zh,
                        "award_name_en": tier.name_en,
                        "recognition_zh": recognition_zh,
                        "recognition_en": recognition_en,
                        "skill_levels": levels,
                        "name": person.name,
                        "id_number": person.id_number,
                        "employer": entry.employer or person.employer,
                        "team_name": entry.team_name,
                        "certificate_number": certificate.number if certificate else None,
                        "certificate_status": certificate.status.value if certificate else None,
                    }
                )
    return rows


def export_xlsx(rows: list[dict[str, Any]], title: str) -> bytes:
    """The rows as an .xlsx workbook (formula-safe text)."""
    return write_xlsx(
        [
            (
                title,
                [header for _key, header in EXPORT_COLUMNS],
                ([row[key] for key, _h in EXPORT_COLUMNS] for row in rows),
            )
        ]
    )


def export_csv(rows: list[dict[str, Any]]) -> bytes:
    """The rows as CSV in UTF-8 with a byte-order mark (Excel opens it), formula-safe."""
    return write_csv(
        [header for _key, header in EXPORT_COLUMNS],
        ([row[key] for key, _h in EXPORT_COLUMNS] for row in rows),
    )


def export_json(rows: list[dict[str, Any]], scope: dict[str, Any]) -> bytes:
    """The rows as JSON; totals are strings with two decimals, never binary floats."""

    def plain(value):
        return format(value, "f") if isinstance(value, Decimal) else value

    document = {
        "scope": scope,
        "award_winners": [{key: plain(row[key]) for key, _h in EXPORT_COLUMNS} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


# --------------------------------------------------------------------- person's record


@dataclass
class RecordLine:
    """One entry of a person in the record: the event and, once published, the result."""

    entry: Entry
    event: Event
    competition: Competition
    rank: int | None = None
    total: Decimal | None = None
    award_zh: str | None = None
    award_en: str | None = None
    recognition_zh: str = ""
    recognition_en: str = ""
    certificates: list[Certificate] = field(default_factory=list)


def person_record(person: Person) -> list[RecordLine]:
    """Every entry of ``person`` (alone or in a team), newest competition first.

    Ranks, totals and awards are filled in for events whose results are
    published or final. Callers decide through ``authz`` who may see it.
    """
    entries = db.session.scalars(
        select(Entry)
        .where(
            or_(
                Entry.person_id == person.id,
                Entry.members.any(TeamMember.person_id == person.id),
            )
        )
        .options(selectinload(Entry.event).selectinload(Event.competition))
    ).all()
    certificates: dict[int, list[Certificate]] = {}
    for certificate in db.session.scalars(
        select(Certificate).where(Certificate.person_id == person.id).order_by(Certificate.id)
    ):
        certificates.setdefault(certificate.entry_id, []).append(certificate)
    lines = []
    for entry in entries:
        event = entry.event
        line = RecordLine(
            entry=entry,
            event=event,
            competition=event.competition,
            certificates=certificates.get(entry.id, []),
        )
        if event.status in RESULT_VISIBLE:
            result = event_results(event).for_entry(entry.id)
            if result is not None and result.rank is not None:
                line.rank = result.rank
                line.total = round2(result.total)
                tier = next((t for t in event.award_tiers if t.code == result.award), None)
                if tier is not None:
                    line.award_zh, line.award_en = tier.name_zh or tier.code, tier.name_en
                    line.recognition_zh, line.recognition_en, _levels = recognition_parts(
                        tier.recognition
                    )
        lines.append(line)
    lines.sort(key=lambda line: (line.competition.starts_on, line.event.position), reverse=True)
    return lines


def people_visible_to(user, query: str, limit: int = 50) -> list[Person]:
    """People whose name, ID number or phone matches ``query`` and whom ``user`` may look up.

    Admins see everybody; organisers see the people entered in competitions
    they organise (the same rule as ``authz.can_view_person_record``).
    """
    query = (query or "").strip()
    if not query or not getattr(user, "is_authenticated", False):
        return []
    statement = select(Person).where(
        or_(
            Person.name.contains(query, autoescape=True),
            Person.id_number == query.upper(),
            Person.phone == query,
        )
    )
    if user.role is not Role.ADMIN:
        managed = (
            select(Event.id)
            .join(Competition)
            .where(Competition.organisers.any(id=user.id))
            .scalar_subquery()
        )
        statement = statement.where(
            or_(
                Person.id.in_(select(Entry.person_id).where(Entry.event_id.in_(managed))),
                Person.id.in_(
                    select(TeamMember.person_id).join(Entry).where(Entry.event_id.in_(managed))
                ),
            )
        )
    return list(db.session.scalars(statement.order_by(Person.name).limit(limit)))

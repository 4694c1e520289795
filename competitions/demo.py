"""The demo: a district competition with several events, Chinese names, one account per role.

Running it twice changes nothing but the demo accounts' passwords (reset to
the printed ones), so a newcomer can always sign in.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from .accounts.models import User
from .accounts.passwords import hash_password
from .contests.models import AwardTier, Competition, Criterion, Event, Organisation, Section
from .enums import (
    Aggregation,
    CompetitionKind,
    CompetitionStatus,
    CriterionType,
    EntryStatus,
    EventStatus,
    Level,
    Role,
)
from .extensions import db
from .judging.models import JudgeAssignment
from .registration.models import Entry, Person, TeamMember

DEMO_CODE = "LH-2026"
OPEN_CODE = "LH-2027"

# username, password, role, display name
DEMO_ACCOUNTS = [
    ("admin", "demo-admin-2026", Role.ADMIN, "系统管理员"),
    ("organiser", "demo-organiser-2026", Role.ORGANISER, "王芳"),
    ("chief", "demo-chief-2026", Role.JUDGE, "李明"),
    ("judge", "demo-judge-2026", Role.JUDGE, "陈静"),
    ("contestant", "demo-contestant-2026", Role.CONTESTANT, "张伟"),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰飞鹏辉斌宇浩凯健俊帆"
    "帅旭宁龙林欣晨博文昊天佳琪子轩梓涵雨萱思远嘉怡"
)
EMPLOYERS = [
    "深圳市龙华精密制造有限公司",
    "华星智能装备股份有限公司",
    "鹏城电力工程有限公司",
    "观澜机电设备有限公司",
    "民治新能源科技有限公司",
    "大浪时尚智造有限公司",
    "富华模具技术有限公司",
    "龙华区职业技术学校",
]
JUDGE_EMPLOYERS = [
    "深圳市职业技能鉴定指导中心",
    "深圳技师学院",
    "深圳职业技术大学",
    "龙华区人力资源局",
    "深圳市机器人协会",
]

# (code, zh, en, aggregation, team, sections, tie_break)
EVENTS = [
    (
        "ROBOT",
        "工业机器人系统运维",
        "Industrial robot system operation",
        Aggregation.TRIMMED_MEAN,
        False,
        [
            (
                "T",
                "理论",
                "Theory",
                30,
                [("T1", "理论考试", "Written exam", CriterionType.MARKS, 100)],
            ),
            (
                "P",
                "实操",
                "Practical",
                70,
                [
                    ("P1", "系统安装", "Installation", CriterionType.MARKS, 40),
                    ("P2", "工艺质量", "Workmanship", CriterionType.JUDGEMENT, 30),
                    ("P3", "编程调试", "Programming", CriterionType.MARKS, 30),
                    ("P4", "安全规范", "Safety", CriterionType.DEDUCTION, 10),
                ],
            ),
        ],
        ["section:P", "criterion:P2", "time"],
    ),
    (
        "ELEC",
        "电工",
        "Electrician",
        Aggregation.MEAN,
        False,
        [
            (
                "T",
                "理论",
                "Theory",
                20,
                [("T1", "理论考试", "Written exam", CriterionType.MARKS, 100)],
            ),
            (
                "P",
                "实操",
                "Practical",
                80,
                [
                    ("P1", "电气线路安装", "Wiring installation", CriterionType.MARKS, 50),
                    ("P2", "故障排除", "Fault finding", CriterionType.MARKS, 30),
                    ("P3", "工艺规范", "Workmanship", CriterionType.JUDGEMENT, 20),
                    ("P4", "安全文明生产", "Safety", CriterionType.DEDUCTION, 10),
                ],
            ),
        ],
        ["section:P", "time"],
    ),
    (
        "PRINT3D",
        "3D打印造型",
        "3D printing",
        Aggregation.MEDIAN,
        False,
        [
            (
                "D",
                "设计建模",
                "Design and modelling",
                60,
                [
                    ("D1", "建模精度", "Model accuracy", CriterionType.MARKS, 50),
                    ("D2", "创意设计", "Creative design", CriterionType.JUDGEMENT, 50),
                ],
            ),
            (
                "M",
                "打印制作",
                "Printing",
                40,
                [
                    ("M1", "打印质量", "Print quality", CriterionType.MARKS, 60),
                    ("M2", "后处理", "Post-processing", CriterionType.MARKS, 40),
                ],
            ),
        ],
        ["section:D"],
    ),
    (
        "MAINT",
        "智能制造设备维修（团体）",
        "Smart manufacturing maintenance (teams)",
        Aggregation.MEAN,
        True,
        [
            (
                "P",
                "实操",
                "Practical",
                100,
                [
                    ("P1", "设备诊断", "Diagnosis", CriterionType.MARKS, 50),
                    ("P2", "维修作业", "Repair", CriterionType.MARKS, 50),
                    ("P3", "安全规范", "Safety", CriterionType.DEDUCTION, 10),
                ],
            ),
        ],
        ["section:P", "time"],
    ),
]

# The first judge of each event is its chief judge.
JUDGES_BY_EVENT = {
    "ROBOT": ["chief", "judge", "judge01", "judge02", "judge03"],
    "ELEC": ["chief", "judge04", "judge05"],
    "PRINT3D": ["chief", "judge06", "judge07"],
    "MAINT": ["chief", "judge08", "judge"],
}

AWARDS = [
    ("first", "一等奖", "First prize", Decimal("0.1")),
    ("second", "二等奖", "Second prize", Decimal("0.2")),
    ("third", "三等奖", "Third prize", Decimal("0.3")),
]

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _id_number(
    rng: random.Random, regions=("440309", "440306", "440304", "440303", "440307")
) -> str:
    """A syntactically valid resident ID number (GB 11643 check digit) for demo people."""
    region = rng.choice(regions)
    birth = date(rng.randint(1975, 2003), rng.randint(1, 12), rng.randint(1, 28))
    body = f"{region}{birth:%Y%m%d}{rng.randint(100, 999)}"
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    return body + check


def _person_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in used:
            used.add(name)
            return name


def _ensure_account(username, password, role, name, **extra) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, display_name=name, role=role, password_hash="", **extra)
        db.session.add(user)
    user.password_hash = hash_password(password)
    user.active = True
    return user


def create_demo() -> bool:
    """Create the demo competition and accounts; returns False when it already existed.

    Flushes, never commits. Existing demo accounts get their printed passwords back.
    """
    accounts = {
        username: _ensure_account(
            username,
            password,
            role,
            name,
            employer=JUDGE_EMPLOYERS[0] if role is Role.JUDGE else None,
        )
        for username, password, role, name in DEMO_ACCOUNTS
    }
    db.session.flush()
    if db.session.scalar(select(Competition).where(Competition.code == DEMO_CODE)):
        _create_open_competition(accounts["organiser"])
        return False

    rng = random.Random(2026)
    organisation = _demo_organisation()
    competition = Competition(
        code=DEMO_CODE,
        name_zh="2026年龙华区职业技能竞赛",
        name_en="2026 Longhua District Vocational Skills Competition",
        level=Level.DISTRICT,
        kind=CompetitionKind.SKILL,
        starts_on=date(2026, 10, 10),
        ends_on=date(2026, 10, 12),
        organisation=organisation,
        status=CompetitionStatus.IN_PROGRESS,
    )
    competition.organisers.append(accounts["organiser"])
    db.session.add(competition)

    used_names: set[str] = {name for _u, _p, _r, name in DEMO_ACCOUNTS}
    judges_by_username = {"chief": accounts["chief"], "judge": accounts["judge"]}
    for index in range(8):
        username = f"judge{index + 1:02d}"
        judges_by_username[username] = _ensure_account(
            username,
            f"demo-{username}-2026",
            Role.JUDGE,
            _person_name(rng, used_names),
            employer=JUDGE_EMPLOYERS[index % len(JUDGE_EMPLOYERS)],
        )

    contestant_person = None
    for position, definition in enumerate(EVENTS):
        code, is_team = definition[0], definition[4]
        event = _add_event(competition, position, definition, EventStatus.MARKING)
        db.session.flush()

        for j_index, username in enumerate(JUDGES_BY_EVENT[code]):
            db.session.add(
                JudgeAssignment(
                    event=event,
                    judge=judges_by_username[username],
                    is_chief=j_index == 0,
                    ref=f"J{j_index + 1:02d}",
                )
            )

        numbers = rng.sample(range(1, 100), 12 if not is_team else 6)
        for e_index in range(len(numbers)):
            status = EntryStatus.CHECKED_IN
            if e_index == len(numbers) - 1:
                status = EntryStatus.ABSENT
            employer = rng.choice(EMPLOYERS)
            entry = Entry(
                event=event,
                ref=f"E{e_index + 1:03d}",
                number=f"{numbers[e_index]:03d}",
                station=f"{'ABCD'[e_index % 4]}{e_index // 4 + 1}",
                status=status,
                employer=employer,
            )
            if is_team:
                entry.team_name = f"{employer[:4]}代表队{e_index + 1}"
                for m_index in range(3):
                    person = Person(
                        name=_person_name(rng, used_names),
                        employer=employer,
                        id_number=_id_number(rng),
                    )
                    entry.members.append(
                        TeamMember(person=person, position=m_index, is_captain=m_index == 0)
                    )
            else:
                if position == 0 and e_index == 0:
                    contestant_person = Person(
                        name="张伟",
                        employer=employer,
                        id_number=_id_number(rng),
                        phone="13800138000",
                    )
                    entry.person = contestant_person
                else:
                    entry.person = Person(
                        name=_person_name(rng, used_names),
                        employer=employer,
                        id_number=_id_number(rng),
                        phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                    )
            db.session.add(entry)
    db.session.flush()
    accounts["contestant"].person = contestant_person
    _declare_demo_relation(competition, judges_by_username["judge01"], contestant_person)
    db.session.flush()

    from .results.demo import create_demo_results

    create_demo_results(competition)
    _create_open_competition(accounts["organiser"])
    return True


def _add_event(competition: Competition, position: int, definition, status) -> Event:
    """One of ``EVENTS`` in ``competition``, with its scheme and award tiers."""
    code, zh, en, aggregation, is_team, sections, tie_break = definition
    event = Event(
        code=code,
        name_zh=zh,
        name_en=en,
        position=position,
        aggregation=aggregation,
        is_team=is_team,
        tie_break=tie_break,
        status=status,
        venue="龙华区职业技能实训基地",
    )
    competition.events.append(event)
    _add_scheme(event, sections)
    return event


def _add_scheme(event: Event, sections) -> None:
    """Sections, criteria and the demo's award tiers for ``event``."""
    for s_pos, (s_code, s_zh, s_en, weight, criteria) in enumerate(sections):
        section = Section(
            code=s_code, name_zh=s_zh, name_en=s_en, weight=Decimal(weight), position=s_pos
        )
        event.sections.append(section)
        for c_pos, (c_code, c_zh, c_en, c_type, c_max) in enumerate(criteria):
            section.criteria.append(
                Criterion(
                    event=event,
                    code=c_code,
                    name_zh=c_zh,
                    name_en=c_en,
                    type=c_type,
                    max_mark=Decimal(c_max),
                    position=c_pos,
                )
            )
    for a_pos, (a_code, a_zh, a_en, share) in enumerate(AWARDS):
        event.award_tiers.append(
            AwardTier(code=a_code, name_zh=a_zh, name_en=a_en, share=share, position=a_pos)
        )


def _demo_organisation() -> Organisation:
    """The trade union that runs both demo competitions: found, or made once."""
    name = "深圳市龙华区总工会"
    return db.session.scalar(select(Organisation).where(Organisation.name == name)) or (
        Organisation(name=name, name_en="Longhua District Federation of Trade Unions")
    )


def _create_open_competition(organiser: User) -> None:
    """Next year's competition, open for registration, where contestants register themselves."""
    if db.session.scalar(select(Competition).where(Competition.code == OPEN_CODE)):
        return
    rng = random.Random(2027)
    organisation = _demo_organisation()
    competition = Competition(
        code=OPEN_CODE,
        name_zh="2027年龙华区职工技能大赛",
        name_en="2027 Longhua District Workers' Skills Contest",
        level=Level.DISTRICT,
        kind=CompetitionKind.LABOUR,
        starts_on=date(2027, 4, 20),
        ends_on=date(2027, 4, 22),
        organisation=organisation,
        status=CompetitionStatus.REGISTRATION_OPEN,
        self_registration=True,
    )
    competition.organisers.append(organiser)
    db.session.add(competition)
    used: set[str] = set()
    for position, definition in enumerate(EVENTS):
        if definition[0] not in ("ELEC", "PRINT3D"):
            continue
        event = _add_event(competition, position, definition, EventStatus.REGISTRATION_OPEN)
        for e_index in range(3):
            employer = rng.choice(EMPLOYERS)
            event.entries.append(
                Entry(
                    ref=f"E{e_index + 1:04d}",
                    employer=employer,
                    person=Person(
                        name=_person_name(rng, used),
                        employer=employer,
                        # another district than last year's people: no ID number repeats
                        id_number=_id_number(rng, regions=("440305",)),
                        phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                    ),
                )
            )
    db.session.flush()


def _declare_demo_relation(competition: Competition, judge: User, skip: Person | None) -> None:
    """A declared relation, so the appointment page shows how a conflict keeps a judge away."""
    from .judging.models import ConflictDeclaration

    robot = competition.events[0]
    related = next(e.person for e in robot.entries if e.person and e.person is not skip)
    db.session.add(ConflictDeclaration(judge=judge, person=related, relation="师徒（曾带教）"))

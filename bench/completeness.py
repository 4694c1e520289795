"""Benchmark the chief judge's desk on a large event: completeness, discrepancies, the live page.

    python bench/completeness.py [--entries 300] [--judges 15] [--criteria 10]
                                 [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
                                 [--repeat 5]

Builds one event of ``--entries`` entries (a few absent), ``--judges`` judges (one of them
the chief judge, two limited to some criteria, one to half the stations), ``--criteria``
criteria and every expected mark but about 2 %, a few excuses and declared relations,
then times, best and median of ``--repeat`` runs:

- ``missing_marks(event)``: what sign-off and the results engineer call;
- ``discrepancies(event)``;
- the live fragment the desk's script fetches every 10 seconds (HTTP, signed in as the
  chief judge), and the whole desk page;

and counts the SQL statements each issues. Without ``--database-url`` it runs on a
temporary SQLite file; with one, it creates and drops a database of its own on that server.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from competitions import create_app  # noqa: E402
from competitions.extensions import db  # noqa: E402

PASSWORD = "bench-password-2026"


def build(args, app) -> tuple[int, str]:
    """Create the event; return its id and the chief judge's username."""
    from datetime import date

    from competitions.accounts.models import User
    from competitions.accounts.passwords import hash_password
    from competitions.contests.models import Competition, Criterion, Event, Organisation, Section
    from competitions.enums import CompetitionKind, CriterionType, EntryStatus, Level, Role
    from competitions.judging.models import (
        ConflictDeclaration,
        JudgeAssignment,
        Mark,
        MarkExcuse,
    )
    from competitions.registration.models import Entry, Person

    rng = random.Random(2026)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        competition = Competition(
            code="BENCH",
            name_en="Bench",
            level=Level.MUNICIPAL,
            kind=CompetitionKind.SKILL,
            starts_on=date(2026, 11, 22),
            ends_on=date(2026, 11, 23),
            organisation=Organisation(name="Bench union"),
        )
        ev = Event(competition=competition, code="EV", name_en="Event")
        db.session.add(ev)
        types = [CriterionType.MARKS] * (args.criteria - 3) + [
            CriterionType.JUDGEMENT,
            CriterionType.JUDGEMENT,
            CriterionType.DEDUCTION,
        ]
        section = Section(code="P", weight=Decimal(100))
        ev.sections.append(section)
        criteria = []
        for i, kind in enumerate(types):
            criterion = Criterion(
                event=ev, code=f"C{i + 1}", type=kind, max_mark=Decimal(20), position=i
            )
            section.criteria.append(criterion)
            criteria.append(criterion)
        password_hash = hash_password(PASSWORD)
        judges = []
        for j in range(args.judges):
            judge = User(
                username=f"bench-judge-{j}",
                display_name=f"Judge {j}",
                role=Role.JUDGE,
                password_hash=password_hash,
                employer=f"Judge employer {j}",
            )
            db.session.add(judge)
            judges.append(judge)
        db.session.flush()
        stations = [f"S{n + 1}" for n in range(args.entries)]
        for j, judge in enumerate(judges):
            db.session.add(
                JudgeAssignment(
                    event_id=ev.id,
                    judge_id=judge.id,
                    is_chief=j == 0,
                    ref=f"J{j + 1:02d}",
                    criteria=[c.code for c in criteria[:3]] if j in (1, 2) else None,
                    stations=stations[: args.entries // 2] if j == 3 else None,
                )
            )
        entries = []
        for n in range(args.entries):
            # Every 40th entry shares an employer with judge 4: a conflict.
            employer = "Judge employer 4" if n % 40 == 7 else f"Company {n % 37}"
            entry = Entry(
                event_id=ev.id,
                ref=f"E{n:05d}",
                number=f"{n + 1:03d}",
                station=stations[n],
                employer=employer,
                status=EntryStatus.ABSENT if n % 50 == 49 else EntryStatus.CHECKED_IN,
                person=Person(name=f"Contestant {n}", employer=employer),
            )
            db.session.add(entry)
            entries.append(entry)
        db.session.flush()
        for entry in entries[:5]:
            db.session.add(
                ConflictDeclaration(judge_id=judges[5].id, person_id=entry.person_id, relation="x")
            )
        rows = []
        for j, judge in enumerate(judges[1:], start=1):
            allowed = criteria[:3] if j in (1, 2) else criteria
            for n, entry in enumerate(entries):
                if j == 3 and n >= args.entries // 2:
                    continue
                for criterion in allowed:
                    if rng.random() < 0.02:
                        continue
                    top = 3 if criterion.type is CriterionType.JUDGEMENT else 20
                    # Mostly close marks; one in a hundred an outlier the desk flags.
                    value = rng.randint(0, top) if rng.random() < 0.01 else top - rng.randint(0, 1)
                    rows.append(
                        {
                            "entry_id": entry.id,
                            "judge_id": judge.id,
                            "criterion_id": criterion.id,
                            "value": Decimal(value),
                            "version": 1,
                        }
                    )
        db.session.execute(insert(Mark), rows)
        for entry in entries[10:20]:
            db.session.add(
                MarkExcuse(
                    event_id=ev.id, entry_id=entry.id, reason="bench", excused_by_id=judges[0].id
                )
            )
        db.session.commit()
        print(
            f"event: {args.entries} entries, {args.judges} judges (1 chief), "
            f"{args.criteria} criteria, {len(rows):,} marks"
        )
        return ev.id, judges[0].username


def timed(label: str, function, repeat: int, app) -> None:
    statements = []

    def count(*_args, **_kw):
        statements.append(1)

    times = []
    for run in range(repeat + 1):  # the first run warms caches and is not counted
        statements.clear()
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                start = time.perf_counter()
                result = function()
                elapsed = time.perf_counter() - start
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            db.session.remove()
        if run:
            times.append(elapsed)
    print(
        f"{label:<34} best {min(times) * 1000:7.1f} ms   median "
        f"{statistics.median(times) * 1000:7.1f} ms   {len(statements)} SQL statements   "
        f"{result}"
    )


def run(args, url: str) -> None:
    instance = tempfile.mkdtemp(prefix="bench-completeness-")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "INSTANCE_PATH": instance,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "BABEL_DEFAULT_LOCALE": "en",
        }
    )
    event_id, chief = build(args, app)

    from competitions.contests.models import Event
    from competitions.judging.completeness import missing_marks
    from competitions.judging.services import discrepancies

    def load():
        return db.session.get(Event, event_id)

    timed("missing_marks(event)", lambda: f"{len(missing_marks(load()))} missing", args.repeat, app)
    timed(
        "discrepancies(event)",
        lambda: f"{len(discrepancies(load()))} flagged",
        args.repeat,
        app,
    )
    client = app.test_client()
    response = client.post("/login", data={"username": chief, "password": PASSWORD})
    assert response.status_code == 302, response.status_code

    def fetch(path):
        def go():
            response = client.get(path)
            assert response.status_code == 200, response.status_code
            return f"{len(response.data) / 1024:.0f} KB"

        return go

    timed(
        "GET live fragment (poll)",
        fetch(f"/judging/events/{event_id}/chief/live"),
        args.repeat,
        app,
    )
    timed("GET chief judge's desk", fetch(f"/judging/events/{event_id}/chief"), args.repeat, app)
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--judges", type=int, default=15)
    parser.add_argument("--criteria", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if not args.database_url:
        with tempfile.TemporaryDirectory() as directory:
            print("database: SQLite (temporary file)")
            run(args, f"sqlite:///{directory}/bench.db")
        return
    base = make_url(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"bench_completeness_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        print(f"database: PostgreSQL ({base.host})")
        run(args, base.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()

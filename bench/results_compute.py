"""Benchmark results from the database: one event of 1,000 entries, 10 judges, 40 criteria.

    python bench/results_compute.py [--database URL] [--entries 1000] [--requests 200]

Builds the event (400,000 marks) in a fresh database (SQLite file by default; a
PostgreSQL URL such as postgresql://postgres@127.0.0.1:5432/postgres gets a new
database of its own, dropped at the end), then measures, best and median of five:

- **sql**: the one query that reads the same marks (entry, criterion, stored value) and
  fetches them all, the floor any computation from the database pays (with the garbage
  collector paused, as ``event_results`` runs it);
- **compute**: ``event_results`` with a cold cache: scheme and marks read, scoring, ranking;
- **public page**: GET /results/events/<id> through the WSGI app (Flask test client, no
  network), warm: p50/p95/p99 of ``--requests`` requests after one warm-up request.

Targets (issue 5): compute ≤ 2 s and ≤ 3 × sql; public page p95 ≤ 200 ms warm.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from competitions import create_app  # noqa: E402
from competitions.accounts.models import User  # noqa: E402
from competitions.contests.models import (  # noqa: E402
    AwardTier,
    Competition,
    Criterion,
    Event,
    Organisation,
    Section,
)
from competitions.enums import (  # noqa: E402
    Aggregation,
    CompetitionKind,
    CriterionType,
    EntryStatus,
    EventStatus,
    Level,
    Role,
)
from competitions.extensions import db  # noqa: E402
from competitions.judging.models import JudgeAssignment, Mark  # noqa: E402
from competitions.registration.models import Entry, Person  # noqa: E402
from competitions.results.services import (  # noqa: E402
    clear_cache,
    event_results,
    gc_paused,
    marks_query,
)

JUDGES = 10
SECTIONS = 4  # of 10 criteria: 7 marks, 2 judgement, 1 deduction


def _database(url: str | None, workdir: Path) -> tuple[str, callable]:
    if not url:
        return f"sqlite:///{workdir / 'bench.db'}", lambda: None
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"bench_results_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def build_event(entries: int, seed: int = 2026) -> int:
    """Create the competition, the event and its marks; returns the event id."""
    rng = random.Random(seed)
    competition = Competition(
        code="BENCH",
        name_zh="基准竞赛",
        name_en="Benchmark",
        level=Level.MUNICIPAL,
        kind=CompetitionKind.SKILL,
        starts_on=date(2026, 10, 10),
        ends_on=date(2026, 10, 12),
        organisation=Organisation(name="基准总工会"),
    )
    event = Event(
        code="BIG",
        name_zh="大型赛项",
        name_en="Big event",
        aggregation=Aggregation.TRIMMED_MEAN,
        tie_break=["section:S1", "criterion:S1C8", "time"],
        status=EventStatus.PUBLISHED,
        publicity_ends_on=datetime.now(UTC).date() + timedelta(days=7),
    )
    competition.events.append(event)
    for s in range(SECTIONS):
        section = Section(code=f"S{s + 1}", name_zh=f"模块{s + 1}", weight=Decimal(25), position=s)
        event.sections.append(section)
        for c in range(10):
            kind = CriterionType.MARKS if c < 7 else CriterionType.JUDGEMENT
            if c == 9:
                kind = CriterionType.DEDUCTION
            section.criteria.append(
                Criterion(
                    event=event,
                    code=f"S{s + 1}C{c + 1}",
                    type=kind,
                    max_mark=Decimal(10 if kind is not CriterionType.DEDUCTION else 5),
                    position=c,
                )
            )
    for position, (code, share) in enumerate(
        (("first", "0.1"), ("second", "0.2"), ("third", "0.3"))
    ):
        event.award_tiers.append(AwardTier(code=code, share=Decimal(share), position=position))
    judges = [
        User(
            username=f"bench-judge-{j}", display_name=f"裁判{j}", role=Role.JUDGE, password_hash="!"
        )
        for j in range(JUDGES)
    ]
    for j, judge in enumerate(judges):
        db.session.add(JudgeAssignment(event=event, judge=judge, is_chief=j == 0, ref=f"J{j:02d}"))
    db.session.add(competition)
    db.session.flush()
    entry_rows = [
        {
            "event_id": event.id,
            "ref": f"E{n:05d}",
            "number": f"{n:04d}",
            "employer": f"某某制造有限公司{n % 50}",
            "status": EntryStatus.FINISHED if n % 97 else EntryStatus.ABSENT,
            "finish_seconds": Decimal(rng.randint(3000, 7200)),
            "registered_at": datetime.now(UTC),
        }
        for n in range(entries)
    ]
    people = [{"name": f"选手{n}", "created_at": datetime.now(UTC)} for n in range(entries)]
    db.session.execute(insert(Person), people)
    person_ids = db.session.scalars(select(Person.id).order_by(Person.id)).all()
    for row, person_id in zip(entry_rows, person_ids, strict=True):
        row["person_id"] = person_id
    db.session.execute(insert(Entry), entry_rows)
    entry_ids = db.session.scalars(
        select(Entry.id).where(Entry.event_id == event.id).order_by(Entry.id)
    ).all()
    criteria = db.session.execute(
        select(Criterion.id, Criterion.type).where(Criterion.event_id == event.id)
    ).all()
    judge_ids = [judge.id for judge in judges]
    now = datetime.now(UTC)
    batch = []
    for entry_id in entry_ids:
        ability = rng.uniform(0.4, 0.95)
        for criterion_id, kind in criteria:
            for judge_id in judge_ids:
                if kind is CriterionType.JUDGEMENT:
                    value = Decimal(min(3, max(0, round(ability * 3 + rng.uniform(-1, 1)))))
                elif kind is CriterionType.DEDUCTION:
                    value = Decimal(rng.choice((0, 0, 0, 0, 1, 2)))
                else:
                    value = Decimal(min(100, max(0, round(ability * 100 + rng.gauss(0, 8))))) / 10
                batch.append(
                    {
                        "entry_id": entry_id,
                        "criterion_id": criterion_id,
                        "judge_id": judge_id,
                        "value": value,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        if len(batch) >= 20000:
            db.session.execute(insert(Mark), batch)
            batch = []
    if batch:
        db.session.execute(insert(Mark), batch)
    db.session.commit()
    return event.id


CPU: dict[str, list[float]] = {}


def _timed(function, repeat: int, name: str = "") -> list[float]:
    """Wall-clock times of ``repeat`` calls; this process's CPU times go to CPU[name]."""
    times = []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - started)
        CPU.setdefault(name, []).append(time.process_time() - cpu)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        url, drop = _database(args.database, Path(workdir))
        try:
            app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": url,
                    "INSTANCE_PATH": workdir,
                    "SECRET_KEY": "bench-secret-key-long-enough-0123456789abcdef",
                    "RATELIMIT_STORAGE_URI": "memory://",
                    "BABEL_DEFAULT_LOCALE": "zh",
                }
            )
            with app.app_context():
                db.create_all()
                started = time.perf_counter()
                event_id = build_event(args.entries)
                # As autovacuum (PostgreSQL) or a routine ANALYZE would leave the tables.
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                    c.execute(text("VACUUM ANALYZE" if "postgresql" in url else "ANALYZE"))
                marks = db.session.scalar(select(db.func.count()).select_from(Mark))
                print(
                    f"database: {make_url(url).get_backend_name()}; built {marks:,} marks "
                    f"in {time.perf_counter() - started:.1f} s"
                )

                def sql():
                    # The query event_results runs, fetched and nothing else done.
                    event = db.session.get(Event, event_id)
                    with gc_paused():  # as event_results reads them
                        db.session.connection().execute(marks_query(event)).all()
                    db.session.rollback()

                def compute():
                    clear_cache()
                    event_results(db.session.get(Event, event_id))
                    db.session.rollback()

                # Interleaved, so that neither gets all the warm caches or the quiet moments.
                sql_times, compute_times = [], []
                for _ in range(args.repeat):
                    sql_times += _timed(sql, 1, "sql")
                    compute_times += _timed(compute, 1, "compute")
            client = app.test_client()
            page = f"/results/events/{event_id}"
            assert client.get(page).status_code == 200  # warm: results cached
            page_times = sorted(_timed(lambda: client.get(page), args.requests))
            with app.app_context():
                db.engine.dispose()
        finally:
            drop()

    def stats(times, name=None):
        text = f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms"
        if name in CPU:
            text += f" (this process's CPU: median {statistics.median(CPU[name]) * 1000:.0f} ms)"
        return text

    print(f"sql read of the marks:        {stats(sql_times, 'sql')}")
    print(f"results computed (cold):      {stats(compute_times, 'compute')}")
    ratio = statistics.median(compute_times) / statistics.median(sql_times)
    print(f"compute / sql (medians):      {ratio:.2f} ×")

    def pct(p):
        return page_times[min(len(page_times) - 1, int(p / 100 * len(page_times)))] * 1000

    print(
        f"public results page (warm, {args.requests} requests): "
        f"p50 {pct(50):.0f} ms, p95 {pct(95):.0f} ms, p99 {pct(99):.0f} ms"
    )


if __name__ == "__main__":
    main()

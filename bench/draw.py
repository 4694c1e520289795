"""Benchmark: drawing lots for an event, end to end, and printing the draw sheet.

Run from the repository root:

    python bench/draw.py                  # 300 and 3,000 entries, SQLite in a temp dir
    python bench/draw.py --entries 500
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench python bench/draw.py

It prints, per event size: the pure draw (``contests.draw.draw_lots``: hashing and
ordering), the whole service call (load the entries, clear and write every number and
station, store the draw, audit, commit), verifying the stored draw against its seed, and
rendering the draw sheet PDF. Wall-clock and CPU times are both shown because a shared
machine's wall clock includes other processes' work. Results go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from competitions import create_app  # noqa: E402
from competitions.accounts.models import User  # noqa: E402
from competitions.contests import draw as lots  # noqa: E402
from competitions.contests import services  # noqa: E402
from competitions.contests.models import Competition, Event, Organisation  # noqa: E402
from competitions.enums import CompetitionKind, EventStatus, Level, Role  # noqa: E402
from competitions.extensions import db  # noqa: E402
from competitions.pdf.table import render_table  # noqa: E402
from competitions.registration.models import Entry, Person  # noqa: E402


def timed(call, repeat: int = 5) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``call()`` over ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def make_event(size: int, actor: User) -> int:
    organisation = Organisation(name=f"总工会{size}")
    competition = Competition(
        code=f"BENCH-{size}",
        name_zh="2026年龙华区职业技能竞赛",
        name_en="2026 Longhua District Vocational Skills Competition",
        level=Level.DISTRICT,
        kind=CompetitionKind.SKILL,
        starts_on=date(2026, 10, 10),
        ends_on=date(2026, 10, 12),
        organisation=organisation,
    )
    event = Event(
        competition=competition,
        code="ROBOT",
        name_zh="工业机器人系统运维",
        name_en="Industrial robot system operation",
        status=EventStatus.REGISTRATION_CLOSED,
    )
    db.session.add(event)
    for n in range(size):
        db.session.add(
            Entry(event=event, ref=f"E{n:05d}", person=Person(name=f"选手{n}"), employer="某公司")
        )
    db.session.commit()
    return event.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="*", default=[300, 3000])
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{tmp}/bench.db",
                "SECRET_KEY": "bench-" * 8,
                "INSTANCE_PATH": tmp,
            }
        )
        with app.app_context():
            upgrade()
            actor = User(
                username="bench", display_name="王芳", role=Role.ORGANISER, password_hash="x"
            )
            db.session.add(actor)
            db.session.commit()
            print(f"database: {db.engine.dialect.name}")
            print(
                f"{'entries':>8} {'pure draw':>12} {'service+commit':>16} {'verify':>10} "
                f"{'sheet PDF':>12}   (median wall / CPU seconds)"
            )
            for size in args.entries:
                event_id = make_event(size, actor)
                refs = [f"E{n:05d}" for n in range(size)]
                stations = [f"S{n}" for n in range(size)]
                pure = timed(
                    lambda refs=refs, stations=stations: lots.draw_lots(
                        lots.new_seed(), refs, stations
                    )
                )

                def service(event_id=event_id, stations=stations):
                    event = db.session.get(Event, event_id)
                    services.draw_lots(
                        event, actor=db.session.get(User, actor.id), stations=stations
                    )
                    db.session.commit()

                full = timed(service)
                event = db.session.get(Event, event_id)
                latest = services.latest_draw(event)
                assert latest is not None and services.verify_draw(latest)
                verify = timed(lambda latest=latest: services.verify_draw(latest))
                sheet = services.draw_sheet(event, latest, performed_by="王芳")
                pdf = timed(lambda sheet=sheet: render_table(sheet), repeat=3)
                count = db.session.scalar(
                    select(db.func.count(Entry.id)).where(
                        Entry.event_id == event_id, Entry.number.is_not(None)
                    )
                )
                assert count == size
                print(
                    f"{size:>8} {pure[0]:>6.3f}/{pure[1]:.3f} {full[0]:>9.3f}/{full[1]:.3f} "
                    f"{verify[0]:>5.3f}/{verify[1]:.3f} {pdf[0]:>6.2f}/{pdf[1]:.2f}"
                )
            db.session.remove()
            if url:
                db.drop_all()
                with db.engine.begin() as connection:
                    connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


if __name__ == "__main__":
    main()

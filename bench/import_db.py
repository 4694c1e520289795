"""Benchmark imports into the database, end to end: 10,000 contestants from .xlsx and a
contest package with 50,000 marks.

    python bench/import_db.py [--contestants 10000] [--marks 50000] [--repeat 3]
                              [--database postgresql://postgres@127.0.0.1:5432/postgres]

Each run is a fresh Python process on a fresh database (a temporary SQLite file, or a
PostgreSQL database created for the run and dropped after it) with the schema built by the
migrations. What is timed is what a request does: read and check the file, write every row,
commit. The floor is openpyxl alone reading the same .xlsx (read-only, values only).

Under load from other processes the wall time varies; the CPU time the importing process
used ("cpu s", the best run) is the steadier figure. Peak memory is the process's
high-water mark (VmHWM). It is reset (``/proc/self/clear_refs``)
after the app and the database are set up, so "peak" is the import's own high-water mark,
the resident size the process reaches while importing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_files import (  # noqa: E402
    EVENTS,
    make_contestants_xlsx,
    make_package,
    peak_rss_mb,
    task_openpyxl,
)


def reset_peak() -> bool:
    """Reset this process's VmHWM to its current size (Linux); False where unsupported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def make_app(database_url: str, instance: str):
    from flask_migrate import upgrade

    from competitions import create_app
    from competitions.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench-" + "x" * 40,
            "INSTANCE_PATH": instance,
            "ENV_NAME": "testing",
        }
    )
    with app.app_context():
        upgrade()
        db.session.remove()
    return app


def setup_competition(app):
    """A competition with the 20 events of the generated sheet (two of them team events)."""
    from datetime import date

    from competitions.accounts.models import User
    from competitions.contests.models import Competition, Event, Organisation
    from competitions.enums import CompetitionKind, CompetitionStatus, EventStatus, Level, Role
    from competitions.extensions import db

    with app.app_context():
        admin = User(username="bench", display_name="Bench", role=Role.ADMIN, password_hash="!")
        competition = Competition(
            code="BENCH",
            name_zh="基准测试",
            level=Level.MUNICIPAL,
            kind=CompetitionKind.SKILL,
            starts_on=date(2026, 10, 10),
            ends_on=date(2026, 10, 12),
            organisation=Organisation(name="某市总工会"),
            status=CompetitionStatus.REGISTRATION_OPEN,
        )
        for position, (code, team) in enumerate(EVENTS.items()):
            competition.events.append(
                Event(
                    code=code,
                    name_zh=f"赛项{code}",
                    position=position,
                    is_team=team,
                    status=EventStatus.REGISTRATION_OPEN,
                )
            )
        db.session.add_all([admin, competition])
        db.session.commit()
        return admin.id, competition.id


def child(task: str, path: Path, database_url: str) -> dict:
    """Run one measured import in this (fresh) process."""
    data = path.read_bytes()
    if task == "openpyxl":
        reset_peak()
        start, cpu = time.perf_counter(), time.process_time()
        count = task_openpyxl(data)
        return {
            "count": count,
            "seconds": time.perf_counter() - start,
            "cpu": time.process_time() - cpu,
            "peak_mb": peak_rss_mb(),
        }
    from competitions.extensions import db

    with tempfile.TemporaryDirectory() as instance:
        app = make_app(database_url, instance)
        admin_id, competition_id = setup_competition(app)
        with app.app_context(), app.test_request_context():
            from competitions.accounts.models import User
            from competitions.contests.models import Competition

            admin = db.session.get(User, admin_id)
            competition = db.session.get(Competition, competition_id)
            setup_mb = peak_rss_mb()
            reset_peak()
            start, cpu = time.perf_counter(), time.process_time()
            if task == "contestants":
                from competitions.registration.services import import_contestants
                from competitions.sheets.reader import read_table

                table = read_table(data, "bench.xlsx", max_rows=50_000)
                summary = import_contestants(competition, table, actor=admin)
                count = summary.people
            else:
                from competitions.package.importer import import_package
                from competitions.package.schema import parse_package

                package = parse_package(data)
                import_package(package, actor=admin)
                count = sum(len(event.marks) for event in package.events)
            db.session.commit()
            seconds = time.perf_counter() - start
            cpu = time.process_time() - cpu
            peak = peak_rss_mb()
            db.session.remove()
            db.engine.dispose()
    return {
        "count": count,
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak,
        "setup_mb": setup_mb,
    }


class Database:
    """A fresh database per run: a SQLite file, or a PostgreSQL database made and dropped."""

    def __init__(self, server: str | None, directory: Path):
        self.server = server
        self.directory = directory

    def __enter__(self) -> str:
        if not self.server:
            self.url = f"sqlite:///{self.directory / f'{uuid.uuid4().hex}.db'}"
            return self.url
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        from competitions.config import normalise_database_url

        base = make_url(normalise_database_url(self.server))
        self.name = f"bench_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        return base.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc) -> None:
        if self.server:
            from sqlalchemy import text

            with self.admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self.admin.dispose()


def run_child(task: str, path: Path, database_url: str) -> dict:
    command = [sys.executable, __file__, "--child", task, str(path), database_url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contestants", type=int, default=10_000)
    parser.add_argument("--marks", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--database", default=None, help="a PostgreSQL server URL (default: SQLite)"
    )
    parser.add_argument("--child", nargs=3, metavar=("TASK", "PATH", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, path, url = args.child
        print(json.dumps(child(task, Path(path), url)))
        return

    with tempfile.TemporaryDirectory() as directory:
        directory = Path(directory)
        xlsx = directory / "contestants.xlsx"
        xlsx.write_bytes(make_contestants_xlsx(args.contestants))
        package = directory / "package.json"
        package.write_text(make_package(args.marks), encoding="utf-8")
        where = "PostgreSQL" if args.database else "SQLite (WAL, synchronous=FULL)"
        print(f"database: {where}")
        print(f"{args.contestants} contestants: {xlsx.stat().st_size / 2**20:.2f} MB .xlsx")
        print(f"contest package: {package.stat().st_size / 2**20:.2f} MB JSON\n")
        print(f"{'task':<52} {'items':>7} {'best s':>7} {'worst s':>8} {'cpu s':>6} {'peak MB':>8}")
        for task, path, label in (
            ("openpyxl", xlsx, "openpyxl reads the .xlsx (floor)"),
            ("contestants", xlsx, ".xlsx -> read, check, write every person, commit"),
            ("package", package, "package -> parse, check, write every mark, commit"),
        ):
            runs = []
            for _ in range(args.repeat):
                with Database(args.database, directory) as url:
                    runs.append(run_child(task, path, url))
            best = min(run["seconds"] for run in runs)
            worst = max(run["seconds"] for run in runs)
            peak = max(run["peak_mb"] for run in runs)
            cpu = min(run["cpu"] for run in runs)
            print(
                f"{label:<52} {runs[0]['count']:>7} {best:>7.2f} {worst:>8.2f} {cpu:>6.2f} "
                f"{peak:>8.0f}"
            )
            if "setup_mb" in runs[0]:
                print(
                    f"{'  (resident size before the import: app + schema)':<52} "
                    f"{'':>7} {'':>7} {'':>8} {runs[0]['setup_mb']:>8.0f}"
                )


if __name__ == "__main__":
    main()

"""Load benchmark of mark submission: gunicorn on PostgreSQL, 200 judges, retries, killed workers.

    python bench/marking_load.py [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
        [--judges 200] [--marks 20] [--workers 3] [--threads 4] [--think-ms 2000:6000]

It creates a scratch PostgreSQL database, builds the schema with the real migrations, seeds
one competition (20 judges per event, 4 criteria, each judge marking 5 entries), signs every
judge in through the real login form, and then runs:

1. ``paced``: every judge submits its marks through ``PUT /api/v1/entries/<id>/marks/<code>``
   with a pause of 2–6 s between marks (``--think-ms``; a person entering marks
   criterion by criterion needs longer), 10 % of the marks
   are sent a second time after their answer (a retry after a lost answer), and failed
   requests are retried with the same key until acknowledged;
2. ``kill``: the same while a gunicorn worker is killed (SIGKILL) every half second;
3. ``burst``: the same marks with no pause at all (throughput), next to a bare Flask +
   SQLAlchemy endpoint that inserts one row per request, served by the same gunicorn
   settings and driven the same way, in the same run (best of two alternating rounds).

After every marking run it reads the database: marks acknowledged but missing (or with
another value) and marks stored more than once must both be 0. It prints throughput
(acknowledged marks per second) and p50/p95/p99 latency of the requests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = [
    ("T1", "marks", 100),
    ("P1", "marks", 40),
    ("P2", "judgement", 30),
    ("P3", "deduction", 10),
]
JUDGES_PER_EVENT = 20
ENTRIES_PER_JUDGE = 5
PASSWORD = "bench-judge-password-2026"


# ---------------------------------------------------------------------------- the bare app


def bare_app():
    """A bare Flask + SQLAlchemy endpoint inserting one row per request (the yardstick)."""
    from flask import Flask, request
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import Integer, String
    from sqlalchemy.orm import DeclarativeBase, mapped_column

    class Base(DeclarativeBase):
        pass

    db = SQLAlchemy(model_class=Base)

    class BareMark(db.Model):
        __tablename__ = "bench_bare_mark"
        id = mapped_column(Integer, primary_key=True)
        key = mapped_column(String(64), unique=True, nullable=False)
        value = mapped_column(String(16), nullable=False)

    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    db.init_app(app)

    @app.put("/bare/<int:n>")
    def put(n):
        body = request.get_json()
        db.session.add(BareMark(key=body["key"], value=str(body["value"])))
        db.session.commit()
        return {"ok": True}, 201

    @app.get("/healthz")
    def health():
        return {"status": "ok"}

    return app


# ---------------------------------------------------------------------------- setup


def sqlalchemy_url(url: str) -> str:
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def create_database(admin_url: str) -> str:
    import psycopg

    name = f"bench_marking_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return re.sub(r"/[^/]*$", f"/{name}", admin_url)


def drop_database(admin_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(url: str, judges: int) -> list[dict]:
    """Build the schema and the competition; return one plan per judge."""
    from datetime import date
    from decimal import Decimal

    from flask_migrate import upgrade

    from competitions import create_app
    from competitions.accounts.models import User
    from competitions.accounts.passwords import hash_password
    from competitions.contests.models import Competition, Criterion, Event, Organisation, Section
    from competitions.enums import CompetitionKind, CriterionType, EventStatus, Level, Role
    from competitions.extensions import db
    from competitions.judging.models import JudgeAssignment
    from competitions.registration.models import Entry, Person

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url), "SECRET_KEY": "x" * 40, "TESTING": True}
    )
    plans = []
    with app.app_context():
        upgrade()
        hashed = hash_password(PASSWORD)
        competition = Competition(
            code="BENCH",
            name_zh="压测竞赛",
            level=Level.DISTRICT,
            kind=CompetitionKind.SKILL,
            starts_on=date(2026, 11, 22),
            ends_on=date(2026, 11, 22),
            organisation=Organisation(name="压测总工会"),
        )
        db.session.add(competition)
        n_events = max(1, judges // JUDGES_PER_EVENT)
        judge_no = 0
        for e in range(n_events):
            event = Event(code=f"EV{e}", name_zh=f"赛项{e}", status=EventStatus.MARKING)
            competition.events.append(event)
            section = Section(code="S", weight=Decimal(100))
            event.sections.append(section)
            for pos, (code, kind, maximum) in enumerate(CRITERIA):
                section.criteria.append(
                    Criterion(
                        event=event,
                        code=code,
                        type=CriterionType(kind),
                        max_mark=Decimal(maximum),
                        position=pos,
                    )
                )
            entries = []
            for i in range(JUDGES_PER_EVENT * 2):
                entry = Entry(
                    ref=f"E{i:03d}",
                    number=f"{i + 1:03d}",
                    station=f"S{i + 1}",
                    employer="选手单位",
                    person=Person(name=f"选手{e}-{i}", employer="选手单位"),
                )
                event.entries.append(entry)
                entries.append(entry)
            db.session.flush()
            for j in range(JUDGES_PER_EVENT):
                if judge_no >= judges:
                    break
                user = User(
                    username=f"bench-judge-{judge_no:03d}",
                    display_name=f"裁判{judge_no}",
                    role=Role.JUDGE,
                    password_hash=hashed,
                    employer="裁判单位",
                )
                db.session.add(user)
                db.session.add(JudgeAssignment(event=event, judge=user))
                mine = [entries[(j * 2 + k) % len(entries)] for k in range(ENTRIES_PER_JUDGE)]
                plans.append({"username": user.username, "entries": mine})
                judge_no += 1
        db.session.flush()
        for plan in plans:
            plan["entries"] = [entry.id for entry in plan["entries"]]
        db.session.commit()
        db.engine.dispose()
    return plans


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(target: str, url: str, port: int, args) -> subprocess.Popen:
    env = dict(
        os.environ,
        APP_ENV="production",
        SECRET_KEY="bench-secret-key-" + "k" * 32,
        DATABASE_URL=url if target.startswith("wsgi") else sqlalchemy_url(url),
        RATELIMIT_STORAGE_URI="memory://",
    )
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--chdir",
        str(ROOT if target.startswith("wsgi") else ROOT / "bench"),
        "-w",
        str(args.workers),
        "-k",
        "gthread",
        "--threads",
        str(args.threads),
        "--keep-alive",
        "5",
        # Workers are forked from a loaded master, so a killed one is back in milliseconds
        # (as in production, where workers are recycled the same way).
        "--preload",
        "--backlog",
        "2048",
        "--log-level",
        "error",
        "-b",
        f"127.0.0.1:{port}",
        target,
    ]
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if b" 200 " in s.recv(100):
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn {target} did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parts = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(parts[1]) == pid:
            found.append(int(stat.parent.name))
    return found


# ---------------------------------------------------------------------------- a tiny HTTP client


class NetworkError(Exception):
    pass


@dataclass
class Client:
    """One judge's keep-alive connection and cookies, like a tablet's browser."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None

    async def request(self, method, path, body=b"", headers=None, timeout=30.0):
        for attempt in range(2):
            fresh = self.writer is None
            try:
                if fresh:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                return await asyncio.wait_for(self._exchange(method, path, body, headers), timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, NetworkError):
                self.close()
                # A kept-alive connection the server closed meanwhile is not an error
                # of this request: open a new one once. Anything else is.
                if fresh or attempt == 1:
                    raise NetworkError(path) from None
        raise NetworkError(path)

    async def _exchange(self, method, path, body, headers):
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise NetworkError("closed")
        status = int(status_line.split()[1])
        length = 0
        close = False
        location = None
        while True:
            line = (await self.reader.readline()).decode("latin-1").strip()
            if not line:
                break
            name, _, value = line.partition(":")
            name = name.lower()
            value = value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                self.cookies[key] = val
            elif name == "connection" and value.lower() == "close":
                close = True
            elif name == "location":
                location = value
        data = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, data, location

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def sign_in(port: int, username: str) -> tuple[Client, str]:
    import json

    client = Client(port)
    _, page, _ = await client.request("GET", "/login")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
    form = urlencode({"username": username, "password": PASSWORD, "csrf_token": token}).encode()
    status, _, _ = await client.request(
        "POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    if status != 302:
        raise SystemExit(f"sign-in of {username} answered {status}")
    _, me, _ = await client.request("GET", "/api/v1/me", headers={"Accept": "application/json"})
    return client, json.loads(me)["csrf_token"]


# ---------------------------------------------------------------------------- a run


@dataclass
class Run:
    name: str
    latencies: list[float] = field(default_factory=list)
    acked: dict[str, tuple] = field(default_factory=dict)  # key -> (entry, judge, code, value)
    network_errors: int = 0
    server_errors: int = 0
    refused: list[str] = field(default_factory=list)
    repeats_sent: int = 0
    repeats_wrong: int = 0
    started: float = 0.0
    finished: float = 0.0
    kills: int = 0

    @property
    def throughput(self) -> float:
        return len(self.acked) / (self.finished - self.started)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def mark_value(code: str, rng: random.Random) -> str:
    if code == "P2":
        return str(rng.randint(0, 3))
    maximum = dict((c, m) for c, _t, m in CRITERIA)[code]
    return f"{rng.randint(0, maximum * 100) / 100:.2f}".rstrip("0").rstrip(".")


async def send_until_acknowledged(client, token, path, payload, run, headers_extra=None):
    """PUT until a 2xx; network errors and 5xx are retried with back-off and the same key."""
    import json

    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-CSRFToken": token,
        "Accept": "application/json",
    }
    delay = 0.05
    for _attempt in range(60):
        started = time.perf_counter()
        try:
            status, data, _ = await client.request("PUT", path, body, headers)
        except NetworkError:
            run.network_errors += 1
            await asyncio.sleep(delay * random.uniform(0.5, 1.0))
            delay = min(delay * 2, 1.0)
            continue
        run.latencies.append(time.perf_counter() - started)
        if 200 <= status < 300:
            return json.loads(data)
        if status >= 500:
            run.server_errors += 1
            await asyncio.sleep(delay * random.uniform(0.5, 1.0))
            delay = min(delay * 2, 1.0)
            continue
        run.refused.append(f"{status} {data[:200]!r}")
        return None
    run.refused.append("gave up after 60 attempts")
    return None


async def judge_marks(client, token, judge, plan, run, think, seed):
    rng = random.Random(seed)
    jobs = [(entry, code) for entry in plan["entries"] for code, _t, _m in CRITERIA]
    rng.shuffle(jobs)
    for entry, code in jobs:
        if think:
            await asyncio.sleep(rng.uniform(*think))
        value = mark_value(code, rng)
        key = f"k-{uuid.uuid4().hex}"
        path = f"/api/v1/entries/{entry}/marks/{code}"
        answer = await send_until_acknowledged(
            client, token, path, {"value": value, "key": key}, run
        )
        if answer is None:
            continue
        run.acked[key] = (entry, judge, code, value)
        if rng.random() < 0.10:  # the answer "got lost": the tablet sends the same mark again
            run.repeats_sent += 1
            again = await send_until_acknowledged(
                client, token, path, {"value": value, "key": key}, run
            )
            if not again or not again.get("repeat") or again["mark"] != answer["mark"]:
                run.repeats_wrong += 1


async def bare_inserts(port, n_clients, per_client, run):
    import json

    async def one(c):
        client = Client(port)
        for i in range(per_client):
            key = f"b-{uuid.uuid4().hex}"
            body = json.dumps({"key": key, "value": str(i)}).encode()
            started = time.perf_counter()
            status, _, _ = await client.request(
                "PUT", f"/bare/{c}", body, {"Content-Type": "application/json"}
            )
            run.latencies.append(time.perf_counter() - started)
            if status == 201:
                run.acked[key] = (c, i)
        client.close()

    run.started = time.perf_counter()
    await asyncio.gather(*(one(c) for c in range(n_clients)))
    run.finished = time.perf_counter()


async def marking_run(name, port, sessions, plans, think, master_pid=None, kill_every=None):
    run = Run(name)
    stop_killing = asyncio.Event()

    async def killer():
        while not stop_killing.is_set():
            await asyncio.sleep(kill_every)
            workers = children(master_pid)
            if workers:
                try:
                    os.kill(random.choice(workers), signal.SIGKILL)
                    run.kills += 1
                except ProcessLookupError:
                    pass

    killing = asyncio.create_task(killer()) if kill_every else None
    run.started = time.perf_counter()
    await asyncio.gather(
        *(
            judge_marks(client, token, plan["username"], plan, run, think, seed=i)
            for i, ((client, token), plan) in enumerate(zip(sessions, plans, strict=True))
        )
    )
    run.finished = time.perf_counter()
    stop_killing.set()
    if killing:
        await killing
    return run


def verify(url: str, run: Run, usernames: dict[str, int]) -> dict:
    """Compare what the server acknowledged with what the database holds."""
    from decimal import Decimal

    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT r.submission_key, m.entry_id, m.judge_id, c.code, m.value, m.version "
            "FROM mark_revision r JOIN mark m ON m.id = r.mark_id "
            "JOIN criterion c ON c.id = m.criterion_id"
        ).fetchall()
        marks = conn.execute("SELECT count(*), count(*) FILTER (WHERE version <> 1) FROM mark")
        n_marks, changed = marks.fetchone()
    stored = {row[0]: row for row in rows}
    missing = 0
    for key, (entry, judge, code, value) in run.acked.items():
        row = stored.get(key)
        if (
            row is None
            or (row[1], row[2], row[3]) != (entry, usernames[judge], code)
            or Decimal(row[4]) / 1000 != Decimal(value)
        ):
            missing += 1
    duplicated = (len(rows) - n_marks) + changed + max(0, n_marks - len(run.acked))
    return {"missing": missing, "duplicated": duplicated, "stored": n_marks}


def clear_marks(url: str) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM mark_revision")
        conn.execute("DELETE FROM mark")
        conn.execute("DELETE FROM audit_entry")


def report(run: Run, check: dict | None) -> None:
    line = (
        f"{run.name:<14} acked {len(run.acked):>5}  "
        f"throughput {run.throughput:7.1f}/s  "
        f"p50 {run.percentile(50):6.1f} ms  p95 {run.percentile(95):6.1f} ms  "
        f"p99 {run.percentile(99):6.1f} ms  requests {len(run.latencies)}"
    )
    print(line)
    extra = []
    if check is not None:
        extra.append(f"missing {check['missing']}  duplicated {check['duplicated']}")
        extra.append(f"repeats sent {run.repeats_sent} (wrong answers {run.repeats_wrong})")
    extra.append(f"network errors {run.network_errors}  5xx {run.server_errors}")
    if run.kills:
        extra.append(f"workers killed {run.kills}")
    if run.refused:
        extra.append(f"refused {len(run.refused)}: {run.refused[:3]}")
    print(" " * 15 + "  ".join(extra))


async def main_async(args) -> int:
    admin = args.database_url
    url = create_database(admin)
    marking = bare = None
    failures = 0
    try:
        print(f"seeding {args.judges} judges ...", flush=True)
        plans = seed(url, args.judges)
        for plan in plans:
            plan["entries"] = plan["entries"][: max(1, args.marks // len(CRITERIA))]
        import psycopg

        with psycopg.connect(url) as conn:
            conn.execute(
                "CREATE TABLE bench_bare_mark (id serial PRIMARY KEY, "
                "key varchar(64) UNIQUE NOT NULL, value varchar(16) NOT NULL)"
            )
        port, bare_port = free_port(), free_port()
        marking = start_gunicorn("wsgi:app", url, port, args)
        bare = start_gunicorn("marking_load:bare_app()", url, bare_port, args)

        with psycopg.connect(url) as conn:
            usernames = dict(conn.execute("SELECT username, id FROM user_account").fetchall())

        semaphore = asyncio.Semaphore(8)

        async def login(plan):
            async with semaphore:
                return await sign_in(port, plan["username"])

        started = time.perf_counter()
        sessions = await asyncio.gather(*(login(plan) for plan in plans))
        print(f"signed in {len(sessions)} judges in {time.perf_counter() - started:.1f} s")
        think = tuple(int(x) / 1000 for x in args.think_ms.split(":"))
        print(
            f"gunicorn gthread -w {args.workers} --threads {args.threads}; "
            f"{args.judges} judges x {args.marks} marks; pause {args.think_ms} ms"
        )

        paced = await marking_run("paced", port, sessions, plans, think)
        check = verify(url, paced, usernames)
        report(paced, check)
        failures += check["missing"] + check["duplicated"] + len(paced.refused)

        clear_marks(url)
        killed = await marking_run(
            "kill-0.5s", port, sessions, plans, think, master_pid=marking.pid, kill_every=0.5
        )
        check = verify(url, killed, usernames)
        report(killed, check)
        failures += check["missing"] + check["duplicated"] + len(killed.refused)

        best_marking = best_bare = None
        for _round in range(2):
            bare_run = Run("bare-insert")
            await bare_inserts(bare_port, args.judges, args.marks, bare_run)
            if best_bare is None or bare_run.throughput > best_bare.throughput:
                best_bare = bare_run
            clear_marks(url)
            with psycopg.connect(url) as conn:
                conn.execute("DELETE FROM bench_bare_mark")
            burst = await marking_run("burst", port, sessions, plans, None)
            check = verify(url, burst, usernames)
            failures += check["missing"] + check["duplicated"] + len(burst.refused)
            if best_marking is None or burst.throughput > best_marking.throughput:
                best_marking, best_check = burst, check
        report(best_marking, best_check)
        report(best_bare, None)
        print(
            f"burst throughput: marking {best_marking.throughput:.0f}/s = "
            f"{100 * best_marking.throughput / best_bare.throughput:.0f} % of bare insert "
            f"{best_bare.throughput:.0f}/s"
        )
        for client, _token in sessions:
            client.close()
    finally:
        for process in (marking, bare):
            if process is not None:
                stop(process)
        drop_database(admin, url)
    if failures:
        print(f"FAILED: {failures} marks missing, duplicated or refused")
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server database to connect to for creating the scratch database",
    )
    parser.add_argument("--judges", type=int, default=200)
    parser.add_argument("--marks", type=int, default=20, help="marks per judge (multiple of 4)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--think-ms", default="2000:6000", help="pause between a judge's marks (min:max)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())

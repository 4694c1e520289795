"""CPU per request of a mark PUT against the bare insert, in one process, on PostgreSQL.

    python bench/marking_cpu.py [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
        [--marks 200] [--profile]

The load benchmark (``bench/marking_load.py``) measures throughput through gunicorn, where
the load generator, the workers and PostgreSQL share the machine. This one isolates the
application's own cost: it seeds a scratch database like the load benchmark, signs one judge
in through the Flask test client and stores ``--marks`` new marks through
``PUT /api/v1/entries/<id>/marks/<code>``, then inserts as many rows through the bare
Flask + SQLAlchemy endpoint. It prints CPU time (the process's, so the database server's
work is not in it) and wall time per request for both, and with ``--profile`` where a
request's time goes, grouped by package, and how many statements each one sends.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import os
import pstats
import re
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import marking_load as load  # noqa: E402  (the seeding and the bare app are shared)

VALUES = {"T1": "50", "P1": "20", "P2": "2", "P3": "1"}


def signed_in_client(app, username: str):
    client = app.test_client()
    page = client.get("/login").data
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
    response = client.post(
        "/login", data={"username": username, "password": load.PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in answered {response.status_code}")
    return client, client.get("/api/v1/me").json["csrf_token"]


def mark_requests(plans: list[dict], count: int):
    """(judge, entry, code) for ``count`` distinct marks, judge by judge."""
    for plan in plans:
        for entry in plan["entries"]:
            for code, _kind, _max in load.CRITERIA:
                if count == 0:
                    return
                count -= 1
                yield plan["username"], entry, code


def measure(label: str, calls, profile: bool) -> None:
    profiler = cProfile.Profile() if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for call in calls:
        call()
    if profiler:
        profiler.disable()
    n = len(calls)
    print(
        f"{label:<12} {n} requests: CPU {(time.process_time() - cpu) / n * 1000:.2f} ms, "
        f"wall {(time.perf_counter() - wall) / n * 1000:.2f} ms per request"
    )
    if profiler:
        stats = pstats.Stats(profiler)
        groups: collections.Counter = collections.Counter()
        statements = 0
        for (filename, _line, name), (_cc, calls_, total, _cum, _callers) in stats.stats.items():
            if "site-packages/" in filename:
                key = filename.split("site-packages/")[1].split("/")[0]
            elif "/competitions/" in filename:
                key = "competitions (ours)"
            else:
                key = "python"
            groups[key] += total
            if name == "_execute_context" and "sqlalchemy/engine/base.py" in filename:
                statements += calls_
        print(f"  statements through SQLAlchemy per request: {statements / n:.1f}")
        print("  where the time goes (cProfile: wall clock, waiting for PostgreSQL included):")
        for key, total in groups.most_common(8):
            print(f"  {total / n * 1000:6.2f} ms  {key}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL database to create the scratch database from",
    )
    parser.add_argument("--marks", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    url = load.create_database(args.database_url)
    try:
        judges = max(1, -(-args.marks // (load.ENTRIES_PER_JUDGE * len(load.CRITERIA))))
        plans = load.seed(url, judges + 1)
        os.environ["RATELIMIT_STORAGE_URI"] = "memory://"
        from competitions import create_app

        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": load.sqlalchemy_url(url), "SECRET_KEY": "b" * 40}
        )
        clients = {}
        calls = []
        for username, entry, code in mark_requests(plans[1:], args.marks):
            if username not in clients:
                clients[username] = signed_in_client(app, username)
            client, token = clients[username]

            def put(client=client, token=token, entry=entry, code=code):
                response = client.put(
                    f"/api/v1/entries/{entry}/marks/{code}",
                    json={"key": uuid.uuid4().hex, "value": VALUES[code]},
                    headers={"X-CSRFToken": token},
                )
                assert response.status_code == 201, response.json

            calls.append(put)
        # Warm up: a first mark of another judge (statement caches, prepared statements).
        warm_client, warm_token = signed_in_client(app, plans[0]["username"])
        for i, code in enumerate(VALUES):
            warm_client.put(
                f"/api/v1/entries/{plans[0]['entries'][i]}/marks/{code}",
                json={"key": uuid.uuid4().hex, "value": VALUES[code]},
                headers={"X-CSRFToken": warm_token},
            )
        measure("mark PUT", calls, args.profile)

        os.environ["DATABASE_URL"] = load.sqlalchemy_url(url)
        bare = load.bare_app()
        with bare.app_context():
            bare.extensions["sqlalchemy"].create_all()
        bare_client = bare.test_client()

        def insert():
            response = bare_client.put("/bare/1", json={"key": uuid.uuid4().hex, "value": "1"})
            assert response.status_code == 201

        for _ in range(20):
            insert()
        measure("bare insert", [insert] * len(calls), args.profile)
    finally:
        load.drop_database(args.database_url, url)
    return 0


if __name__ == "__main__":
    sys.exit(main())

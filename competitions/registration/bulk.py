"""Bulk writes of people, shared by the contestant import and the contest package import."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, select, text

from ..extensions import db
from .models import Person


def insert_people(rows: list[dict]) -> dict[str, int]:
    """Insert people with ID numbers; their ids by ID number.

    The new rows are read back by id range, not by ``IN (…ID numbers…)``: PostgreSQL plans a
    statement run again and again generically, and a generic plan compares every row with
    every listed number. Rows others insert meanwhile are told apart by the ID numbers.
    """
    if not rows:
        return {}
    before = db.session.scalar(select(func.max(Person.id))) or 0
    db.session.execute(Person.__table__.insert(), rows)
    wanted = {row["id_number"] for row in rows}
    return {
        id_number: person_id
        for id_number, person_id in db.session.execute(
            select(Person.id_number, Person.id).where(Person.id > before)
        )
        if id_number in wanted
    }


def plan_each_statement() -> None:
    """On PostgreSQL, plan every statement of this transaction for its own parameters.

    Imports look people up by ``IN (…500 ID numbers…)`` many times over; after a few runs
    PostgreSQL switches such a statement to a generic plan, which on a person table without
    fresh statistics compares every row with every number. ``SET LOCAL`` ends with the
    transaction. Nothing to do on SQLite.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def copy_rows(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (every row with the same keys) into ``table``, as fast as the database can.

    On PostgreSQL this is ``COPY … FROM STDIN`` on the session's own connection (so within
    its transaction); elsewhere one executemany INSERT. Values go through each column's own
    bind processing (exact decimals, UTC timestamps, enums) exactly as an INSERT would send
    them. Python-side column defaults are not applied: give every value that has no server
    default. Rows are written in order, so ids from a sequence rise in row order.
    """
    if not rows:
        return
    db.session.flush()  # what the session holds goes first: the rows may refer to it
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    processors = [
        table.c[name].type.bind_processor(connection.dialect) or (lambda value: value)
        for name in columns
    ]
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(name) for name in columns)
    statement = (
        f"COPY {connection.dialect.identifier_preparer.format_table(table)} ({quoted}) FROM STDIN"
    )
    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [process(row[name]) for name, process in zip(columns, processors, strict=True)]
                )
    finally:
        cursor.close()

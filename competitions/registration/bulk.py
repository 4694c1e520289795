"""Bulk writes of people, shared by the contestant import and the contest package import."""

from __future__ import annotations

from sqlalchemy import func, select, text

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

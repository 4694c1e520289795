"""Bulk writes of people, shared by the contestant import and the contest package import."""

from __future__ import annotations

from sqlalchemy import func, select

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

"""Fixtures of the results tests: load a contest package into the database."""

from __future__ import annotations

import pytest

from competitions.extensions import db


@pytest.fixture
def import_package(app, make_user):
    """``import_package(text)`` → the competition's id, imported by an organiser and committed."""
    from competitions.accounts.models import User
    from competitions.package.importer import import_package as run_import
    from competitions.package.schema import parse_package

    organiser = make_user("organiser")

    def load(text):
        with app.app_context():
            competition = run_import(parse_package(text), actor=db.session.get(User, organiser.id))
            db.session.commit()
            return competition.id

    return load

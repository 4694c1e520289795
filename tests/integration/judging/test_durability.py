"""An acknowledged mark survives a power cut: SQLite syncs fully, in WAL mode."""

import pytest
from sqlalchemy import text

from competitions.extensions import db


def test_sqlite_connections_sync_fully(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas")
        # Every new connection, not only the first one, gets the pragmas.
        db.engine.dispose()
        for _ in range(2):
            with db.engine.connect() as connection:
                assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
                assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1

"""The migrations build the schema the models describe, on every supported database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from competitions.extensions import db


def test_models_and_migrations_agree(app):
    """No pending autogenerate diff: every model change has its migration."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_sqlite_pragmas(app):
    """SQLite runs with WAL, foreign keys, a busy timeout and full sync."""
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            return
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 10000
        assert pragma("synchronous") == 2  # FULL

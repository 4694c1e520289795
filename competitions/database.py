"""Database engine settings that SQLAlchemy's URL cannot express."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db


def configure_engine(app: Flask) -> None:
    """Turn on WAL, foreign keys, a busy timeout and full sync for SQLite connections.

    ``synchronous=FULL`` makes a committed mark survive a power cut; the busy
    timeout lets concurrent writers wait for the lock instead of failing.
    """
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def is_sqlite(engine: Engine) -> bool:
    """True when ``engine`` talks to SQLite."""
    return engine.dialect.name == "sqlite"

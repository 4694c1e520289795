"""Column types that behave the same on SQLite and PostgreSQL.

SQLite has no exact decimal type (SQLAlchemy would pass marks through binary
floats) and no time-zone aware timestamps; these types close both gaps so that
no feature depends on one database.
"""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Enum
from sqlalchemy.types import TypeDecorator


class ScaledDecimal(TypeDecorator):
    """An exact decimal stored as a scaled integer (value × 10**places).

    Binding a value with more decimal places than the column keeps raises
    ``ValueError`` instead of rounding: a mark is never silently changed.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int = 3):
        super().__init__()
        self.places = places
        self._factor = 10**places
        self._quantum = Decimal(1).scaleb(-places)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value)
        scaled = value * self._factor
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return int(scaled)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(value) / self._factor).quantize(self._quantum)

    def copy(self, **kw):
        return ScaledDecimal(self.places)

    def __repr__(self) -> str:  # migrations render the type from this
        return f"ScaledDecimal(places={self.places})"


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned time-zone aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use datetime.now(UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def str_enum(enum_cls, name: str) -> Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint of its values."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda cls: [member.value for member in cls],
    )

"""Exact decimals and aware timestamps survive a round trip through either database."""

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from competitions.contests.models import Criterion
from competitions.extensions import db


def test_scaled_decimal_round_trip(app, make_event):
    event = make_event(
        scheme=[("S", 100, [("C1", "marks", "0.125"), ("C2", "marks", "99999.999")])]
    )
    with app.app_context():
        maxima = db.session.scalars(
            select(Criterion.max_mark)
            .where(Criterion.event_id == event.id)
            .order_by(Criterion.code)
        ).all()
    assert maxima == [Decimal("0.125"), Decimal("99999.999")]
    assert all(isinstance(value, Decimal) for value in maxima)


def test_scaled_decimal_refuses_rounding(app, make_event):
    """A value with more places than the column keeps is refused, never rounded."""
    with pytest.raises(StatementError, match="more than 3 decimal places"):
        make_event(scheme=[("S", 100, [("C1", "marks", "1.0001")])])


def test_timestamps_are_aware(app, make_user):
    user = make_user()
    assert isinstance(user.created_at, datetime)
    assert user.created_at.utcoffset().total_seconds() == 0

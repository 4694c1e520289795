"""``flask certificates …``: issue an event's certificates and export award winners."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..contests.models import Competition, Event
from ..errors import DomainError
from ..extensions import db
from . import recognition, services


@click.group("certificates")
def certificates() -> None:
    """Issue certificates and export award winners for recognition."""


def _event(competition_code: str, event_code: str) -> Event:
    event = db.session.scalar(
        select(Event)
        .join(Competition)
        .where(Competition.code == competition_code, Event.code == event_code)
    )
    if event is None:
        raise click.ClickException(f"No event {event_code} in competition {competition_code}.")
    return event


@certificates.command("issue")
@with_appcontext
@click.argument("competition_code")
@click.argument("event_code")
@click.option("--participation", is_flag=True, help="Also issue participation certificates.")
def issue(competition_code: str, event_code: str, participation: bool) -> None:
    """Issue the certificates of a FINAL event (idempotent)."""
    event = _event(competition_code, event_code)
    try:
        outcome = services.issue_certificates(event, actor=None, participation=participation)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"{len(outcome.created)} certificates issued, {outcome.existing} already existed.")


@certificates.command("export")
@with_appcontext
@click.argument("competition_code")
@click.option("--event", "event_code", default=None, help="Only this event.")
@click.option(
    "--format", "fmt", type=click.Choice(["xlsx", "csv", "json"]), default="xlsx", show_default=True
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export(competition_code: str, event_code: str | None, fmt: str, output: Path) -> None:
    """Write the award winners of a competition's FINAL events for the recognition office."""
    if event_code:
        events = [_event(competition_code, event_code)]
    else:
        competition = db.session.scalar(
            select(Competition).where(Competition.code == competition_code)
        )
        if competition is None:
            raise click.ClickException(f"No competition {competition_code}.")
        events = list(competition.events)
    rows = recognition.award_winner_rows(events)
    scope = {"competition": competition_code, "event": event_code}
    if fmt == "xlsx":
        data = recognition.export_xlsx(rows, "Award winners")
    elif fmt == "csv":
        data = recognition.export_csv(rows)
    else:
        data = recognition.export_json(rows, scope)
    output.write_bytes(data)
    click.echo(f"{len(rows)} award winners written to {output}.")

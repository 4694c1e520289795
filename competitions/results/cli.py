"""``flask results …``: result exports from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..contests.models import Competition
from ..extensions import db
from ..scoring import ScoringError

results_cli = AppGroup("results", help="Results of a competition.")


@results_cli.command("export")
@click.argument("code")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx"]),
    default=None,
    help="Format (default: from the file name's ending, else json).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Labels in CSV/xlsx.")
def export_results(code: str, output: str | None, fmt: str | None, lang: str) -> None:
    """Export the results of competition CODE (JSON as in docs/contest-package.md)."""
    from . import exports

    competition = db.session.scalar(select(Competition).where(Competition.code == code))
    if competition is None:
        raise click.ClickException(f"No competition has the code {code!r}.")
    if fmt is None:
        ending = (output or "").rsplit(".", 1)[-1].lower()
        fmt = ending if ending in ("csv", "xlsx") else "json"
    if fmt == "xlsx" and not output:
        raise click.ClickException("An .xlsx export needs a file: give -o FILE.xlsx.")
    try:
        if fmt == "json":
            body = exports.dumps_results(competition).encode()
        elif fmt == "csv":
            body = exports.competition_csv(competition, lang)
        else:
            body = exports.competition_xlsx(competition, lang)
    except ScoringError as error:
        raise click.ClickException(f"The results cannot be computed: {error}") from error
    if output:
        with open(output, "wb") as handle:
            handle.write(body)
        click.echo(f"Results of {code} written to {output}.", err=True)
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()

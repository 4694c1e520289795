"""``flask judges …``: judge accounts from the command line (e.g. on the venue laptop)."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..extensions import db


@click.group("judges")
def judges() -> None:
    """Judge accounts."""


@judges.command("import")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Create judge accounts from an .xlsx or .csv file and print their initial passwords.

    Every row or none: on any bad row nothing is created, every problem is printed with its
    row and column, and the command exits non-zero.
    """
    from .services import JudgeImportFailed, import_judges

    try:
        created = import_judges(path.read_bytes(), path.name, actor=None)
    except JudgeImportFailed as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"{len(created)} judge accounts created. Initial passwords (shown once):")
    for user, password in created:
        click.echo(f"{user.username}\t{password}\t{user.display_name}\t{user.employer or ''}")

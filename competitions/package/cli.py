"""``flask contest import|export``: contest packages from and to files."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..enums import Role
from ..extensions import db


@click.group("contest")
def contest() -> None:
    """Import and export whole competitions as contest packages (JSON)."""


SYSTEM_USERNAME = "system-cli"


def _actor(username: str | None):
    """The user the import is recorded for.

    ``--as USERNAME``, else the first active admin, else (a fresh installation
    with no admin yet) the built-in account ``system-cli``: an admin that cannot
    sign in, created on first use, so that the command works as documented on
    an empty database and the audit log still says where the data came from.
    """
    from ..accounts.models import User
    from ..accounts.services import find_user
    from .importer import UNUSABLE_HASH

    if username:
        user = find_user(username)
        if user is None:
            raise click.ClickException(f"There is no account {username}.")
        if user.role not in (Role.ADMIN, Role.ORGANISER):
            raise click.ClickException(f"{username} is neither an admin nor an organiser.")
        return user
    user = db.session.scalar(
        select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
    )
    if user is not None:
        return user
    user = db.session.scalar(select(User).where(User.username == SYSTEM_USERNAME))
    if user is None:
        user = User(
            username=SYSTEM_USERNAME,
            display_name="System (command line)",
            role=Role.ADMIN,
            active=False,
            password_hash=UNUSABLE_HASH,
        )
        db.session.add(user)
        db.session.flush()
    elif user.role is not Role.ADMIN or user.active:
        raise click.ClickException(
            f"No admin account to record the import for, and {SYSTEM_USERNAME} is a "
            "different account: name an admin or organiser with --as."
        )
    return user


@contest.command("import")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace a competition with the same code.")
@click.option(
    "--as",
    "username",
    default=None,
    help="Record the import for this admin or organiser (default: the first active admin, "
    f"else the built-in account {SYSTEM_USERNAME}).",
)
def import_command(file: Path, replace: bool, username: str | None) -> None:
    """Create the competition held in the contest package FILE.

    Every problem is printed with its JSON path and nothing is written; the exit status is
    then 1. A competition code that already exists is refused unless --replace is given.
    """
    from .importer import import_package
    from .schema import PackageError, parse_package

    actor = _actor(username)
    try:
        package = parse_package(file.read_bytes())
        competition = import_package(package, actor=actor, replace=replace)
    except PackageError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(problem, err=True)
        count = len(error.problems)
        raise click.ClickException(
            f"{count} problem{'s' if count != 1 else ''}; nothing was imported."
        ) from error
    db.session.commit()
    marks = sum(len(event.marks) for event in package.events)
    entries = sum(len(event.entries) for event in package.events)
    click.echo(
        f"Imported {competition.code}: {len(package.events)} events, {entries} entries, "
        f"{marks} marks."
    )


@contest.command("export")
@with_appcontext
@click.argument("code")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (default: standard output).",
)
def export_command(code: str, output: Path | None) -> None:
    """Write the competition CODE as a contest package (personal data included)."""
    from ..contests.models import Competition
    from .importer import export_competition
    from .serialize import dumps

    competition = db.session.scalar(select(Competition).where(Competition.code == code))
    if competition is None:
        raise click.ClickException(f"There is no competition {code}.")
    text = dumps(export_competition(competition))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {competition.code} to {output}.", err=True)

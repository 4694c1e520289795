"""``flask`` commands for administration."""

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .enums import Role
from .errors import DomainError
from .extensions import db


def register_commands(app: Flask) -> None:
    """Add this package's commands to ``flask``."""
    app.cli.add_command(create_admin)
    app.cli.add_command(demo)
    from .judging.commands import judges

    app.cli.add_command(judges)

    from .package.cli import contest

    app.cli.add_command(contest)

    from .results.cli import results_cli

    app.cli.add_command(results_cli)
    from .certificates.cli import certificates

    app.cli.add_command(certificates)


@click.command("create-admin")
@with_appcontext
@click.argument("username")
@click.option("--name", "display_name", default=None, help="Display name (default: username).")
@click.option(
    "--password",
    envvar="ADMIN_PASSWORD",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="The password (or set ADMIN_PASSWORD; prompted for when absent).",
)
def create_admin(username: str, display_name: str | None, password: str) -> None:
    """Create an administrator account."""
    from .accounts.services import create_user

    try:
        user = create_user(
            username=username,
            display_name=display_name or username,
            password=password,
            role=Role.ADMIN,
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Administrator {user.username} created.")


@click.command("demo")
@with_appcontext
@click.option("--force", is_flag=True, help="Allow in production mode (never on real data).")
def demo(force: bool) -> None:
    """Create (or refresh) the demo competition and one account per role."""
    from .demo import DEMO_ACCOUNTS, create_demo

    if current_app.config["ENV_NAME"] == "production" and not force:
        raise click.ClickException("Refusing to create demo data in production mode.")
    created = create_demo()
    db.session.commit()
    # certificates: issued for the demo's FINAL events (idempotent)
    from .certificates.demo import issue_demo_certificates
    from .demo import DEMO_CODE

    issued = issue_demo_certificates(DEMO_CODE)
    db.session.commit()
    if issued:
        click.echo(f"{issued} demo certificates issued.")
    click.echo(
        "Demo competition " + ("created." if created else "already present; accounts refreshed.")
    )
    click.echo("Sign in with one of these accounts:")
    for username, password, role, _name in DEMO_ACCOUNTS:
        click.echo(f"  {role.value:<11} {username:<12} password: {password}")

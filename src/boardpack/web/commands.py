"""Store commands for the `boardpack` command line: `boardpack import` and `boardpack db`."""

from __future__ import annotations

from pathlib import Path

import click

DB_HELP = (
    "The database: postgres://USER@HOST:PORT/NAME, sqlite:///FILE or a file path (SQLite). "
    "Default: $DATABASE_URL, else boardpack.sqlite3 here."
)


def db_option(command):
    return click.option("--db", envvar="DATABASE_URL", help=DB_HELP)(command)


def setup_database(db: str | None) -> None:
    from . import setup

    setup(db)


def migrate_database(db: str | None, verbosity: int = 0) -> None:
    from django.core.management import call_command

    setup_database(db)
    call_command("migrate", verbosity=verbosity, interactive=False)


@click.command("import")
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@db_option
@click.option(
    "--reason",
    default="imported from project files",
    show_default=True,
    help="Why: recorded with every version and in the audit log.",
)
def import_command(project: Path, db: str | None, reason: str) -> None:
    """Load a project's files into the database, all or nothing; changed values become new
    versions, unchanged ones are left as they are."""
    migrate_database(db)
    from .store import import_project

    done = import_project(project, reason=reason)
    for kind, revision in done.items():
        if revision.changed:
            click.echo(
                f"{kind}: {revision.created} new, {revision.revised} revised, "
                f"{revision.withdrawn} withdrawn"
            )
    total = sum(r.changed for r in done.values())
    click.echo(f"Imported {project}: {total} changes" if total else f"{project}: no changes")


@click.group("db")
@db_option
@click.pass_context
def db_group(ctx: click.Context, db: str | None) -> None:
    """Look after the database: migrate it, add users, export its audit log."""
    ctx.obj = {"db": db}


@db_group.command("migrate")
@db_option
@click.pass_context
def migrate(ctx: click.Context, db: str | None) -> None:
    """Create or bring up to date the database's tables and the four roles."""
    migrate_database(db or ctx.obj["db"], verbosity=1)


@db_group.command("audit")
@db_option
@click.pass_context
def audit(ctx: click.Context, db: str | None) -> None:
    """Write the audit log as CSV to standard output."""
    setup_database(db or ctx.obj["db"])
    from .records.audit import export_csv

    click.echo(export_csv(), nl=False)


@db_group.command("unlock")
@click.argument("username")
@db_option
@click.pass_context
def unlock(ctx: click.Context, username: str, db: str | None) -> None:
    """Let USERNAME sign in again at once after too many failed sign-ins (their own and
    those from the addresses they were tried from)."""
    setup_database(db or ctx.obj["db"])
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(username=username)
    addresses = set(attempts.values_list("ip_address", flat=True))
    attempts.delete()
    AccessAttempt.objects.filter(ip_address__in=addresses).delete()
    click.echo(f"Unlocked {username}: the failed sign-ins counted against it are cleared.")


#: The roles `boardpack db user` gives, as typed -> the role's group (`records.roles`).
ROLE_CHOICES = {
    "viewer": "viewer",
    "owner": "owner",
    "officer": "performance officer",
    "administrator": "administrator",
}


@db_group.command("user")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(list(ROLE_CHOICES)), help="The role.")
@click.option("--name", default="", help='The name the pages show, e.g. "Ann Smith".')
@click.option("--email", default="", help="Where reminders are sent (owners need one).")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for (twice, not shown) when not given.",
)
@db_option
@click.pass_context
def user(ctx, username: str, role: str, name: str, email: str, password: str, db) -> None:
    """Add USERNAME with a role and a password, or change the role and password of a user
    who has one. Administrators may also use Django's admin (/admin/) for users; owners are
    given their indicators on the Assignments page."""
    migrate_database(db or ctx.obj["db"])
    from .accounts import save_user

    try:
        said = save_user(username, ROLE_CHOICES[role], password, name=name, email=email)
    except ValueError as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(said)

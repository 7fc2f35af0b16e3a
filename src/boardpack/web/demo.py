"""The demonstration database behind `boardpack serve --demo`: the example council imported, a
reporting period open for figures, and one user for each role, so the whole reporting cycle can
be tried in a browser at once.

Seeding can run any number of times on the same database: the council is imported on the first
run only (so figures entered in the browser are kept), the period, users and assignments are
made when missing, and every demo user's password is set afresh each time.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import yaml
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from boardpack.assemble import latest_period
from boardpack.errors import BoardpackError

from .cycle import open_period
from .live import live
from .records.models import Assignment, Organisation, ReportingPeriod
from .records.roles import ADMINISTRATOR, OWNER, PERFORMANCE_OFFICER, VIEWER
from .store import import_project

EXAMPLE = "example-county"
#: The repository's examples folder (a source checkout; not part of an installed wheel).
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
#: How long the demo period stays open for figures, from the day it is opened.
DEADLINE_DAYS = 14
REASON = "demonstration data"


class DemoError(BoardpackError):
    """The demo cannot be set up (its example project is missing)."""


@dataclass(frozen=True)
class DemoUser:
    """One demo account: its role, and for owners the team (a division of the example
    council) whose indicators it may edit."""

    username: str
    name: str
    role: str
    team: str = ""

    @property
    def is_administrator(self) -> bool:
        return self.role == ADMINISTRATOR


#: One user per role; a second owner and a second officer (override approvals need an officer
#: other than the one who asked).
USERS = (
    DemoUser("viewer", "Vera Viewer", VIEWER),
    DemoUser("owner", "Olu Owner", OWNER, "Safeguarding, Quality and Practice"),
    DemoUser("owner2", "Omar Owner", OWNER, "Older People and Physical Disability"),
    DemoUser("officer", "Pat Officer", PERFORMANCE_OFFICER),
    DemoUser("officer2", "Priya Officer", PERFORMANCE_OFFICER),
    DemoUser("admin", "Ada Administrator", ADMINISTRATOR),
)

#: The officer who opens the demo period.
OPENED_BY = "officer"


@dataclass
class Demo:
    """What seeding left: the council, its open period and each user's password."""

    organisation: Organisation
    period: ReportingPeriod
    passwords: dict[str, str]
    imported: bool


def example_project(examples: Path = EXAMPLES) -> Path:
    """The example council's project folder, or a message saying where it was looked for."""
    folder = examples / EXAMPLE
    if not (folder / "boardpack.yaml").is_file():
        raise DemoError(
            f"the demo needs the example council's project at {folder}, which is missing; run "
            "boardpack serve --demo from a source checkout of Boardpack (the examples folder "
            "is not installed with the package), or import your own project and serve it "
            "with --db"
        )
    return folder


def seed(password: str | None = None, examples: Path = EXAMPLES) -> Demo:
    """Fill (or refresh) the demo database. Every user gets `password`, or a random password
    of their own when none is given."""
    project = example_project(examples)
    with transaction.atomic():
        organisation, imported = _council(project)
        passwords = {user.username: password or secrets.token_urlsafe(12) for user in USERS}
        accounts = {
            spec.username: _account(spec, organisation, passwords[spec.username]) for spec in USERS
        }
        period = _open_period(organisation, accounts[OPENED_BY])
    return Demo(organisation, period, passwords, imported)


def _council(project: Path) -> tuple[Organisation, bool]:
    """The example council, imported when the database does not hold it yet."""
    code = yaml.safe_load((project / "boardpack.yaml").read_text(encoding="utf-8"))
    code = str(code["organisation"]["code"])
    found = Organisation.objects.filter(code=code).first()
    if found is not None:
        return found, False
    import_project(project, reason=REASON)
    return Organisation.objects.get(code=code), True


def _open_period(organisation: Organisation, officer: User) -> ReportingPeriod:
    """The reporting period open in the demo: the quarter after the one holding the latest
    figure, since that is the quarter whose figures owners come to enter. It is opened as an
    officer opens one, so each indicator due gets its submission, waiting for its owner."""
    existing = ReportingPeriod.objects.filter(organisation=organisation).order_by("id").first()
    if existing is not None:
        return existing
    latest = latest_period(live(organisation).dataset)
    deadline = timezone.now() + timedelta(days=DEADLINE_DAYS)
    return open_period(organisation, latest.previous(-latest.months).label, deadline, officer)


def _account(spec: DemoUser, organisation: Organisation, password: str) -> User:
    """The user, in its role's group, with its team assigned and `password` set."""
    first, last = spec.name.split(" ", 1)
    user, _ = User.objects.update_or_create(
        username=spec.username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{spec.username}@example.invalid",
            "is_staff": spec.is_administrator,
            "is_superuser": spec.is_administrator,
            "is_active": True,
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    user.groups.set([Group.objects.get(name=spec.role)])
    if spec.team:
        Assignment.objects.get_or_create(organisation=organisation, user=user, team=spec.team)
    return user

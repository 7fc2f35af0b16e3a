"""Who may do what: the role a user holds and which indicators an owner may edit.

Roles are Django groups (`records.roles`); a superuser counts as an administrator. Owners edit
only the indicators assigned to them, one by one or by team (`Assignment`); performance
officers and administrators edit every indicator of their organisation.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.models import Group, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q

from .records.models import Assignment, Indicator
from .records.roles import ADMINISTRATOR, ORDER, OWNER, PERFORMANCE_OFFICER, VIEWER


def role(user) -> str | None:
    """The most trusted role the user holds, or None (signed out, or no role)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ADMINISTRATOR
    if not hasattr(user, "_boardpack_role"):
        names = group_names(user.pk)
        user._boardpack_role = next((r for r in reversed(ORDER) if r in names), None)
    return user._boardpack_role


def group_names(user_id: int) -> set[str]:
    """The names of the user's groups. Every page asks, so this is one plain query rather
    than the ORM's (which costs more to compile than to run)."""
    quote = connection.ops.quote_name
    group, member = quote(Group._meta.db_table), quote(User.groups.through._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.name FROM {group} g JOIN {member} m ON m.group_id = g.id"
            " WHERE m.user_id = %s",
            [user_id],
        )
        return {name for (name,) in cursor.fetchall()}


def at_least(user, minimum: str) -> bool:
    """Whether the user's role is `minimum` or a more trusted one."""
    return reaches(role(user), minimum)


def reaches(held: str | None, minimum: str) -> bool:
    """Whether role `held` is `minimum` or a more trusted one (None: no role)."""
    return held is not None and ORDER.index(held) >= ORDER.index(minimum)


def is_officer(user) -> bool:
    return at_least(user, PERFORMANCE_OFFICER)


def editable_refs(user, organisation) -> set[str] | None:
    """The references of the indicators the user may edit: None means all of them (officers),
    an empty set none (viewers)."""
    if is_officer(user):
        return None
    if role(user) != OWNER:
        return set()
    assigned = Assignment.objects.filter(organisation=organisation, user=user)
    refs = {a.indicator for a in assigned if a.indicator}
    teams = {a.team for a in assigned if a.team}
    if teams:
        by_team = Indicator.objects.current().filter(organisation=organisation)
        by_team = by_team.filter(Q(division__in=teams) | Q(directorate__in=teams))
        refs |= set(by_team.values_list("ref", flat=True))
    return refs


def may_edit(user, organisation, ref: str) -> bool:
    """Whether the user may enter figures and commentary for indicator `ref`."""
    refs = editable_refs(user, organisation)
    return refs is None or ref in refs


def requires(minimum: str = VIEWER):
    """View decorator: signed in with role `minimum` or above; signed-out users are sent to
    sign in, signed-in users without the role get 403."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not at_least(request.user, minimum):
                raise PermissionDenied(f"this page needs the {minimum} role")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def deny_unless(allowed: bool, why: str) -> None:
    """Refuse the request (403) with `why` unless `allowed`."""
    if not allowed:
        raise PermissionDenied(why)

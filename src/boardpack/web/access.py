"""Who may do what: one permission system, Django's.

Roles are Django groups holding permissions (`records.roles.ROLES`); a superuser holds them
all. Pages and API endpoints check a permission (`permission("change_observation")`, or
`user.has_perm("boardpack.<codename>")`); which records a permission reaches (the user's
organisation; owners change only the indicators assigned to them) is decided in one place,
`records.restricted`: `Model.objects.restrict(user, action)` for a query and `may(user,
action, obj)` for one object.

What a user holds is read in one plain query per user object (a request's user is new each
request, as Django's own permission cache is): the codenames of their permissions, their
groups (for the role the pages name) and the organisations they act for. `Permissions` is the
authentication backend that answers `has_perm` from it.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils.decorators import method_decorator

from .records.models import Membership, Observation
from .records.restricted import EVERY_INDICATOR, holding, may
from .records.roles import ADMINISTRATOR, ORDER, ROLES

__all__ = [
    "Refused",
    "deny_unless",
    "editable_refs",
    "figure",
    "may",
    "not_assigned",
    "permission",
    "role",
    "serves",
]

APP = "boardpack"


def held(user) -> set[str]:
    """The user's permissions ("app.codename"), read once per user object with their groups
    and memberships. Every page asks, so this is one plain query rather than the ORM's three
    (which cost more to compile than to run)."""
    if not hasattr(user, "_boardpack_groups"):
        perms, groups, organisations = set(), set(), set()
        for kind, first, second in _read(user.pk):
            if kind == "p":
                perms.add(f"{first}.{second}")
            elif kind == "g":
                groups.add(second)
            else:
                organisations.add(int(second))
        user._perm_cache = perms
        user._boardpack_groups = groups
        user._boardpack_organisations = frozenset(organisations)
    return user._perm_cache


def _read(user_id: int) -> list[tuple[str, str, str]]:
    q = connection.ops.quote_name
    perm, ctype = q(Permission._meta.db_table), q(ContentType._meta.db_table)
    mine = q(User.user_permissions.through._meta.db_table)
    group, member = q(Group._meta.db_table), q(User.groups.through._meta.db_table)
    granted = q(Group.permissions.through._meta.db_table)
    membership = q(Membership._meta.db_table)
    sql = (
        f"SELECT 'p', ct.app_label, p.codename FROM {perm} p"
        f" JOIN {ctype} ct ON ct.id = p.content_type_id"
        f" WHERE p.id IN (SELECT permission_id FROM {mine} WHERE user_id = %s)"
        f" OR p.id IN (SELECT gp.permission_id FROM {granted} gp"
        f" JOIN {member} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %s)"
        f" UNION ALL SELECT 'g', '', g.name FROM {group} g"
        f" JOIN {member} m ON m.group_id = g.id WHERE m.user_id = %s"
        f" UNION ALL SELECT 'o', '', CAST(organisation_id AS VARCHAR(20)) FROM {membership}"
        f" WHERE user_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id] * 4)
        return cursor.fetchall()


class Permissions(ModelBackend):
    """Django's model backend, its permissions read by `held` (one query, kept on the user)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        return held(user_obj)


def role(user) -> str | None:
    """The role the pages name the user by: the most trusted group they are in (None: signed
    out, or no role). Never used to decide what they may do."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ADMINISTRATOR
    held(user)
    return next((r for r in reversed(ORDER) if r in user._boardpack_groups), None)


def serves(user, organisation=None) -> bool:
    """Whether the user acts for `organisation` (else the one this server serves): a user
    with no membership acts for every organisation."""
    if user.is_superuser:
        return True
    if not hasattr(user, "_boardpack_organisations"):
        held(user)
    limited = holding(user).organisations
    if limited is None:
        return True
    if organisation is None:
        from .store import find_organisation

        organisation = find_organisation()
    return organisation.pk in limited


#: What each permission guarding a page lets its holder do, in an officer's words (others are
#: named by their Django name: "Can change reporting period").
PERMISSION_WORDS = {
    "view_indicator": "see the dashboard and the indicators' pages",
    "view_submission": "see the reporting cycle's tasks, entry forms and reviews",
    "change_reportingperiod": "open, close and reopen reporting periods",
    "change_observation": "enter figures and commentary",
    "add_publishedpack": "publish packs",
    "add_apitoken": "make API tokens",
    "import_observation": "load records files",
    "upload_observation": "upload figures from a spreadsheet",
    "view_publishedpack": "see the published packs",
    "view_auditentry": "read the audit log",
    "change_indicator": "edit the catalogue and targets",
    "change_assignment": "assign indicators to owners",
}


class Refused(PermissionDenied):
    """A refusal (403) the refusal page explains: what the user tried (`what`: "open
    reporting periods"), the permission it needs (`codename`), why they may not (`because`;
    None: their role does not hold `codename`), who may (`who`; None: the roles holding
    `codename`) and how to get access (`how`; None: ask an administrator for such a role).
    `elsewhere`: the user acts for other organisations than the one served."""

    def __init__(
        self,
        what: str,
        codename: str | None = None,
        *,
        because: str | None = None,
        who: str | None = None,
        how: str | None = None,
        elsewhere: bool = False,
    ):
        self.what, self.codename, self.because = what, codename, because
        self.who, self.how, self.elsewhere = who, how, elsewhere
        if elsewhere:
            text = f"You act for another organisation, so you may not {what} here"
        else:
            text = because or f"Your role does not allow you to {what}"
        super().__init__(text)


def permission_words(codename: str) -> str:
    """What permission `codename` lets its holder do on the pages: "open, close and reopen
    reporting periods"."""
    return PERMISSION_WORDS.get(codename) or permission_name(codename)


def permission_name(codename: str) -> str:
    """Django's name of permission `codename`, as words: "view indicator"."""
    found = Permission.objects.filter(content_type__app_label=APP, codename=codename).first()
    what = found.name.removeprefix("Can ").rstrip(".") if found else codename.replace("_", " ")
    return f"{what[:1].lower()}{what[1:]}"


def roles_holding(codename: str) -> list[str]:
    """The roles whose permissions include `boardpack.<codename>`, least trusted first."""
    return [r for r in ORDER if ROLES[r] == ["*"] or codename in ROLES[r]]


def not_assigned(what: str, ref: str) -> Refused:
    """The refusal of an owner asking to `what` for indicator `ref`, not assigned to them."""
    return Refused(
        what,
        EVERY_INDICATOR.split(".", 1)[1],
        because=f"{ref} is not assigned to you",
        who=f"{ref}'s owners (the people it is assigned to), performance officers and "
        "administrators",
        how=f"If {ref} is yours to report, ask a performance officer to assign it to you on "
        "the Assignments page",
    )


def check(user, codename: str) -> None:
    """Refuse (403) unless the signed-in user holds `boardpack.<codename>` and acts for the
    organisation served."""
    if not user.has_perm(f"{APP}.{codename}"):
        raise Refused(permission_words(codename), codename)
    if not serves(user):
        raise Refused(permission_words(codename), codename, elsewhere=True)


def permission(codename: str):
    """View decorator (a function or a class-based view): signed-out users are sent to sign
    in; signed-in users without permission `boardpack.<codename>`, or acting for another
    organisation, get 403."""

    def guard(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check(request.user, codename)
            return view(request, *args, **kwargs)

        return wrapper

    def decorate(view):
        if isinstance(view, type):
            return method_decorator(guard, name="dispatch")(view)
        return guard(view)

    return decorate


def deny_unless(allowed: bool, why: str | Refused) -> None:
    """Refuse the request (403) with `why` (words, or a `Refused` saying more) unless
    `allowed`."""
    if not allowed:
        raise why if isinstance(why, Refused) else PermissionDenied(why)


def figure(organisation, ref: str) -> Observation:
    """Any figure of indicator `ref` in `organisation`, for asking `may(user, "change", ...)`
    whether the user may enter its figures and commentary."""
    return Observation(organisation=organisation, indicator=ref)


def editable_refs(user, organisation) -> set[str] | None:
    """The references of the indicators whose figures the user may change: None means all of
    them (those who may change unassigned indicators), an empty set none. The rule of
    `may(user, "change", figure(organisation, ref))`, for many references at once."""
    if not user.has_perm(f"{APP}.change_observation") or not serves(user, organisation):
        return set()
    if user.has_perm(EVERY_INDICATOR):
        return None
    return set(holding(user).assigned(organisation.pk))

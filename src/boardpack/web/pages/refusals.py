"""The pages of a refusal (403), in the app's own layout: what the user tried, why they may
not (their role in which organisation, an indicator not assigned to them, a period closed),
who may, and whom to ask for access, by name. Django's `handler403` for every
`PermissionDenied` (`access.Refused` says the most), and its CSRF failure view for a form that
could not be checked."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Permission, User
from django.db.models import Q
from django.shortcuts import render

from boardpack.errors import BoardpackError

from .. import access
from ..records.roles import ADMINISTRATOR, ORDER

#: How many people the page names as able to help, at most.
NAMED = 5
#: Each role in the plural, as the page says who may do something.
PLURALS = {role: f"{role}s" for role in ORDER}


@dataclass(frozen=True)
class Person:
    name: str
    email: str


def listed(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return " and ".join(filter(None, [", ".join(words[:-1]), words[-1]])) if words else ""


def people(organisation, *, codename: str | None = None, administrators: bool = False):
    """Active users of `organisation` (acting for it, or for every organisation) who hold
    permission `codename`, or who are administrators: at most `NAMED` (and whether there are
    more)."""
    users = User.objects.filter(is_active=True)
    if administrators:
        users = users.filter(Q(is_superuser=True) | Q(groups__name=ADMINISTRATOR))
    else:
        held = Permission.objects.filter(content_type__app_label=access.APP, codename=codename)
        users = users.filter(
            Q(is_superuser=True) | Q(groups__permissions__in=held) | Q(user_permissions__in=held)
        )
    if organisation is not None:
        users = users.filter(
            Q(memberships__isnull=True) | Q(memberships__organisation=organisation)
        )
    found = list(users.distinct().order_by("last_name", "first_name", "username")[: NAMED + 1])
    named = [Person(u.get_full_name() or u.get_username(), u.email) for u in found[:NAMED]]
    return named, len(found) > NAMED


def served():
    """The organisation the pages serve, or None when the database cannot say."""
    from ..store import find_organisation

    try:
        return find_organisation()
    except BoardpackError:
        return None


def acting_for(user) -> list[str]:
    """The names of the organisations the user acts for (empty: every one)."""
    if user.is_superuser or not user.is_authenticated:
        return []
    return sorted(m.organisation.name for m in user.memberships.select_related("organisation"))


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def explained(request, refusal: access.Refused | None, said: str) -> dict:
    """What the refusal page says: `what` was tried, `because` why not, `who` may and `how`
    to get access, with the people to ask."""
    user, organisation = request.user, served()
    where = organisation.name if organisation else "this Boardpack"
    role = access.role(user)
    theirs = acting_for(user)
    codename = refusal.codename if refusal else None
    holding = access.roles_holding(codename) if codename else []
    if refusal is not None and refusal.who:
        who = refusal.who
    else:
        who = listed([PLURALS[r] for r in holding]) or "performance officers and administrators"
    named, more = people(organisation, codename=codename) if codename else ([], False)
    how, ask = _how(refusal, organisation, where, holding)
    return {
        "what": refusal.what if refusal else None,
        "asked": request.get_full_path(),
        "sent": request.method == "POST",
        "because": _because(refusal, said, theirs, where, holding).rstrip("."),
        "held": f"the role {role}" if role else "no role",
        "name": user.get_full_name() or user.get_username(),
        "where": where,
        "acting_for": theirs,
        "who": capitalised(who),
        "named": named,
        "more": more,
        "how": how.rstrip("."),
        "ask": ask,
    }


def _because(refusal, said: str, theirs: list[str], where: str, holding: list[str]) -> str:
    """Why the user may not."""
    if refusal is None:
        return capitalised(said) if said else "Your role does not allow it"
    if refusal.elsewhere:
        return (
            f"You act for {listed(theirs) or 'other organisations'}, and these pages are {where}'s"
        )
    if refusal.because:
        return capitalised(refusal.because)
    return f"Only {listed([PLURALS[r] for r in holding]) or 'no role'} may do this"


def _how(refusal, organisation, where: str, holding: list[str]) -> tuple[str, list[Person]]:
    """How to get access, and the people to ask (none where the refusal says how itself)."""
    if refusal is not None and refusal.how:
        return refusal.how, []
    if refusal is not None and refusal.elsewhere:
        how = f"If you work for {where}, ask an administrator to add it to your organisations"
    else:
        wanted = (
            next((r for r in holding if r != ADMINISTRATOR), ADMINISTRATOR) if holding else None
        )
        role_words = f"the {wanted} role" if wanted else "a role that allows it"
        how = f"If you need this for your work, ask an administrator to give you {role_words}"
    return how, people(organisation, administrators=True)[0]


def permission_denied(request, exception=None):
    """Django's `handler403`: the refusal explained, in the app's layout."""
    refusal = exception if isinstance(exception, access.Refused) else None
    said = str(exception or "")
    if request.user.is_authenticated:
        context = explained(request, refusal, said)
    else:  # a refusal met before signing in (the API's, or a form's)
        context = {"what": None, "because": said or "Sign in first", "signed_out": True}
    return render(request, "403.html", context, status=403)


def csrf_failure(request, reason: str = ""):
    """Django's CSRF failure view: a form sent without the check that it came from this
    page (opened too long ago, before signing in again, or in another browser)."""
    return render(request, "boardpack/csrf.html", {"asked": request.path}, status=403)

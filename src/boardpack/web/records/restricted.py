"""Object-level limits, in one place: which rows of the Store a user may see or change.

A user's permissions (Django's, held through their role's group) say what they may do to a
kind of record; these limits say to which records: only their own organisation's (their
`Membership`s; a user with none acts for every organisation, as in a council running Boardpack
alone), and, for changes to an indicator's figures, commentary and cycle, only the indicators
assigned to them (by indicator or by team, `Assignment`) unless they hold
`change_unassigned_indicator` (performance officers and administrators).

`RestrictedQuerySet.restrict(user, action)` applies the limits to a query (as NetBox's
`RestrictedQuerySet` does); `may(user, action, obj)` answers for one object, in memory, from
the same rules. What a user holds is read once per user object (`Holding`), as Django keeps
permissions on the user object for the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

#: The permission that lifts the limit to assigned indicators.
EVERY_INDICATOR = "boardpack.change_unassigned_indicator"


@dataclass
class Holding:
    """What one user holds beyond their permissions: the organisations they act for (None:
    every one) and, by organisation, the references of the indicators assigned to them."""

    user: object
    organisations: frozenset[int] | None
    _assigned: dict[int, frozenset[str]] = field(default_factory=dict)
    _rows: list | None = None

    def _assignments(self) -> list[tuple[int, str, str]]:
        """Every assignment of the user: (organisation, indicator, team), read once."""
        if self._rows is None:
            from .models import Assignment

            rows = Assignment.objects.filter(user=self.user)
            self._rows = list(rows.values_list("organisation_id", "indicator", "team"))
        return self._rows

    def assigned(self, organisation_id: int) -> frozenset[str]:
        """The indicators assigned to the user in the organisation, one by one or by team."""
        if organisation_id not in self._assigned:
            from .models import Indicator

            mine = [(ref, team) for org, ref, team in self._assignments() if org == organisation_id]
            refs = {ref for ref, _ in mine if ref}
            teams = {team for _, team in mine if team}
            if teams:
                by_team = Indicator.objects.current().filter(organisation_id=organisation_id)
                by_team = by_team.filter(Q(division__in=teams) | Q(directorate__in=teams))
                refs |= set(by_team.values_list("ref", flat=True))
            self._assigned[organisation_id] = frozenset(refs)
        return self._assigned[organisation_id]

    def assigned_anywhere(self) -> dict[int, frozenset[str]]:
        """Assigned indicators in every organisation the user acts for and has assignments in."""
        ids = {org for org, _, _ in self._assignments()}
        if self.organisations is not None:
            ids &= self.organisations
        return {pk: self.assigned(pk) for pk in sorted(ids)}


def holding(user) -> Holding:
    """What `user` holds, read once per user object (a new request reads it again)."""
    if not hasattr(user, "_boardpack_holding"):
        from .models import Membership

        known = getattr(user, "_boardpack_organisations", None)
        if known is None:
            known = frozenset(
                Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
            )
        user._boardpack_holding = Holding(user, known or None)
    return user._boardpack_holding


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _permitted(user, action: str, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


def _owned(user, action: str, model) -> bool:
    """Whether the limit to assigned indicators applies: a change to an indicator's records by
    someone who may change only those assigned to them."""
    return (
        action != "view"
        and getattr(model, "INDICATOR_FIELD", None) is not None
        and not user.has_perm(EVERY_INDICATOR)
    )


class RestrictedQuerySet(models.QuerySet):
    """A query that can be limited to the rows a user may see or change."""

    def restrict(self, user, action: str = "view"):
        """The rows `user` may `action` ("view", "change", "add", "delete" or a custom
        permission's verb): none without the model's permission, else those of their
        organisations, and of the indicators assigned to them where that limit applies."""
        model = self.model
        if not _active(user):
            return self.none()
        if user.is_superuser:
            return self
        if not _permitted(user, action, model):
            return self.none()
        rows = self
        held = holding(user)
        path = getattr(model, "ORGANISATION_PATH", None)
        if path is not None and held.organisations is not None:
            rows = rows.filter(**{f"{path}__in": held.organisations})
        mine = getattr(model, "USER_FIELD", None)
        if mine is not None:
            rows = rows.filter(**{mine: user})
        limit = getattr(model, "VIEW_LIMIT", None)
        if action == "view" and limit is not None and not user.has_perm(limit[0]):
            rows = rows.filter(limit[1])
        if _owned(user, action, model):
            assigned = Q(pk__in=[])
            for organisation_id, refs in held.assigned_anywhere().items():
                assigned |= Q(**{path: organisation_id, f"{model.INDICATOR_FIELD}__in": refs})
            rows = rows.filter(assigned)
        return rows


def organisation_of(obj) -> int | None:
    """The id of the organisation `obj` belongs to, by its model's `ORGANISATION_PATH`."""
    path = getattr(type(obj), "ORGANISATION_PATH", None)
    if path is None:
        return None
    *through, last = path.split("__")
    for step in through:
        obj = getattr(obj, step)
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id")


def may(user, action: str, obj) -> bool:
    """Whether `user` may `action` the one object `obj` (saved or not: an unsaved
    `Observation(organisation=..., indicator=ref)` stands for any figure of `ref`), by the
    same rules as `RestrictedQuerySet.restrict`, without a query once the user's holding is
    read."""
    model = type(obj)
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if not _permitted(user, action, model):
        return False
    held = holding(user)
    organisation_id = organisation_of(obj)
    if held.organisations is not None and organisation_id not in held.organisations:
        return False
    mine = getattr(model, "USER_FIELD", None)
    if mine is not None and getattr(obj, f"{mine}_id") != user.pk:
        return False
    limit = getattr(model, "VIEW_LIMIT", None)
    if action == "view" and limit is not None and not user.has_perm(limit[0]):
        if not limit[2](obj):
            return False
    if _owned(user, action, model):
        return getattr(obj, model.INDICATOR_FIELD) in held.assigned(organisation_id)
    return True

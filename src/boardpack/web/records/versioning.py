"""Append-only versions: a change is a new row, never an update or a delete.

Each versioned model names its `KEY` (what identifies a record: an indicator and period...)
and its `VALUES`; `COMPARED` values decide whether a save is a change at all. A record's
versions are numbered from 1 with the time they took effect (`valid_from`), who saved them and
why. `as_at(when)` picks each record's latest version at or before a time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef

from .restricted import RestrictedQuerySet


class ImmutableVersion(RuntimeError):
    """Raised on any attempt to change or delete a saved version."""


class VersionQuerySet(RestrictedQuerySet):
    def as_at(self, when=None):
        """Each record's latest version at or before `when` (now when None), withdrawn or not."""
        model = self.model
        newer = model.objects.filter(
            organisation=OuterRef("organisation"),
            version__gt=OuterRef("version"),
            **{name: OuterRef(name) for name in model.KEY},
        )
        rows = self
        if when is not None:
            newer = newer.filter(valid_from__lte=when)
            rows = rows.filter(valid_from__lte=when)
        return rows.filter(~Exists(newer))

    def current(self, when=None):
        """The records standing at `when`: latest versions that are not withdrawn."""
        return self.as_at(when).filter(withdrawn=False)

    def history(self, organisation, **key):
        """Every version of one record, oldest first."""
        return self.filter(organisation=organisation, **key).order_by("version")

    def update(self, **kwargs):
        raise ImmutableVersion(f"{self.model.__name__} versions are never changed; save a new one")

    def delete(self):
        raise ImmutableVersion(
            f"{self.model.__name__} versions are never deleted; withdraw instead"
        )


class Versioned(models.Model):
    """Base of every versioned record."""

    KEY: tuple[str, ...] = ()
    VALUES: tuple[str, ...] = ()
    #: Values whose change makes a new version; the others ride along (order, source file).
    COMPARED: tuple[str, ...] = ()
    #: Where the record's organisation is (`restricted`).
    ORGANISATION_PATH = "organisation"

    organisation = models.ForeignKey(
        "boardpack.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField()
    valid_from = models.DateTimeField(db_index=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, default="")
    withdrawn = models.BooleanField(default=False)

    objects = VersionQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableVersion(
                f"{type(self).__name__} {self.key_text()} version {self.version} is saved; "
                "changes are new versions"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersion(
            f"{type(self).__name__} {self.key_text()} is never deleted; withdraw it instead"
        )

    def key(self) -> tuple:
        return tuple(getattr(self, name) for name in self.KEY)

    def key_text(self) -> str:
        return " ".join(str(part) for part in self.key() if part != "") or self.organisation.code

    def described(self) -> str:
        """The record as the pages name it, starting with a capital ("The figure for ADM1 in
        Q3 2024/25"); each kind of record may say it in its own words."""
        return f"The {self._meta.verbose_name} {self.key_text()}"

    def values(self) -> dict:
        return {name: getattr(self, name) for name in self.VALUES}

    def compared(self) -> dict:
        return {name: getattr(self, name) for name in self.compared_names()}

    @classmethod
    def compared_names(cls) -> tuple[str, ...]:
        return cls.COMPARED or cls.VALUES

    def saver(self) -> str:
        """Who saved this version, by name where the account has one."""
        if not self.saved_by_id:
            return "an import"
        return self.saved_by.get_full_name() or self.saved_by.get_username()


def version_constraint(model_name: str, key: tuple[str, ...]) -> models.UniqueConstraint:
    """One row per record and version number: two saves on the same base cannot both land."""
    return models.UniqueConstraint(
        fields=["organisation", *key, "version"], name=f"{model_name}_one_row_per_version"
    )

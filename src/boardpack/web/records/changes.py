"""Saving versions: one record at a time with optimistic locking (`save_version`), or many at
once for imports (`revise`). Every new version is written to the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from django.db import IntegrityError, transaction
from django.utils import timezone

from boardpack.errors import BoardpackError

from .audit import audit_entry
from .compare import compare_frame, frame_comparable
from .models import AuditEntry
from .versioning import Versioned

ACTIONS = {"created": "created", "revised": "revised", "withdrawn": "withdrawn"}


class Conflict(BoardpackError):
    """Someone saved the record after the version this save started from. `theirs` is their
    version (kept as it is); `yours` is the text that was not saved, to merge and save again."""

    def __init__(self, theirs: Versioned, base_version: int | None, yours: dict):
        self.theirs, self.base_version, self.yours = theirs, base_version, yours
        when = timezone.localtime(theirs.valid_from).strftime("%d %b %Y %H:%M")
        super().__init__(
            f"{theirs.described()} was changed by {theirs.saver()} at {when}, after you opened "
            "the page; your change was not saved and is kept for you: compare it with theirs "
            "and save again"
        )


def save_version(
    model: type[Versioned],
    organisation,
    key: dict,
    values: dict,
    *,
    base_version: int | None,
    user=None,
    reason: str = "",
    withdrawn: bool = False,
    at=None,
) -> Versioned | None:
    """Save a new version of one record if anything changed; None when nothing did.

    `base_version` is the version the editor started from (0 for a new record). When someone
    else has saved since, `Conflict` is raised and nothing is written."""
    with transaction.atomic():
        latest = _latest(model, organisation, key)
        if latest is None and base_version:
            raise ValueError(f"{_kind(model)} {key}: there is no version {base_version} to edit")
        if (latest.version if latest else 0) != (base_version or 0):
            raise Conflict(latest, base_version, values)
        merged = {**(latest.values() if latest else {}), **values}
        if not _changes(model, latest, merged, withdrawn):
            return None
        row = _new_version(model, organisation, key, merged, latest, user, reason, withdrawn, at)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # another save on the same base landed first
            winner = _latest(model, organisation, key)
            if winner is None:
                raise
            raise Conflict(winner, base_version, values) from None
        _audit(row, latest, user, reason).save()
        return row


def _latest(model, organisation, key):
    rows = model.objects.filter(organisation=organisation, **key).order_by("-version")
    return rows.select_for_update().first()


@dataclass
class Revision:
    """What `revise` did."""

    created: int = 0
    revised: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    rows: list = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.revised + self.withdrawn


def revise(
    model: type[Versioned],
    organisation,
    records: list[dict] | pl.DataFrame,
    *,
    user=None,
    reason: str = "",
    at=None,
    withdraw_missing: bool = True,
) -> Revision:
    """Bring a whole set of records up to date in bulk: a new version where a record is new or
    changed, a withdrawal where one is missing (when `withdraw_missing`). Call inside a
    transaction. Only the compared values of the standing versions are read to decide: a
    frame of records is compared as frames (`compare.compare_frame`), a list as tuples from one
    query (equal tuples are unchanged at once; the rest are compared value by value); whole
    versions are read just for the records that change."""
    at = at or timezone.now()
    if isinstance(records, pl.DataFrame) and model.KEY and frame_comparable(model):
        found = compare_frame(model, organisation, records, withdraw_missing)
        done = Revision(found.created, found.revised, found.withdrawn, found.unchanged)
        changes = found.changes
    else:
        done, changes = _compare_tuples(model, organisation, records, withdraw_missing)
    before = model.objects.in_bulk([pk for _, _, _, pk in changes if pk is not None])
    rows = []
    for key, own, withdrawn, pk in changes:
        old = before.get(pk) if pk is not None else None
        values = old.values() if withdrawn else own
        keys = dict(zip(model.KEY, key, strict=True))
        rows.append(
            _new_version(model, organisation, keys, values, old, user, reason, withdrawn, at)
        )
    created = model.objects.bulk_create(rows, batch_size=2000)
    by_key = {row.key(): row for row in before.values()}
    entries = [_audit(row, by_key.get(row.key()), user, reason) for row in created]
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    done.rows = created
    return done


def _compare_tuples(model, organisation, records, withdraw_missing: bool):
    """What `revise` does with records given as dicts (or a frame of a model without a key):
    the counts, and each change as (key, values, withdrawn, standing version's id or None)."""
    given = _Given(model, records)
    latest = _standing(model, organisation, None if withdraw_missing else given)
    done, changes, seen = Revision(), [], set()
    for index, (key, compared) in enumerate(zip(given.keys, given.compared, strict=True)):
        seen.add(key)
        old = latest.get(key)
        if old is not None and not old.withdrawn:
            if compared == old.compared or not _values_differ(old.compared, compared):
                done.unchanged += 1
                continue
            done.revised += 1
        else:
            done.created += 1
        changes.append((key, given.values(index), False, old.pk if old else None))
    if withdraw_missing:
        for key, old in latest.items():
            if key not in seen and not old.withdrawn:
                changes.append((key, None, True, old.pk))
                done.withdrawn += 1
    return done, changes


@dataclass(frozen=True, slots=True)
class _Standing:
    """A record's latest version as `revise` needs it: id, withdrawn flag, compared values."""

    pk: int
    withdrawn: bool
    compared: tuple


class _Given:
    """The records given to `revise`, as dicts or as one frame with a column per field: each
    record's key and compared values as tuples, and all its values for those that change."""

    def __init__(self, model, records: list[dict] | pl.DataFrame):
        self.model, self.records = model, records
        self._values: pl.DataFrame | None = None
        names = model.compared_names()
        if isinstance(records, pl.DataFrame):
            self.keys = records.select(model.KEY).rows() if model.KEY else [()] * len(records)
            self.compared = records.select(_columns(records, names)).rows()
        else:
            self.keys = [tuple(r[n] for n in model.KEY) for r in records]
            self.compared = [tuple(r.get(n) for n in names) for r in records]

    def values(self, index: int) -> dict:
        if isinstance(self.records, pl.DataFrame):
            if self._values is None:
                self._values = self.records.select(_columns(self.records, self.model.VALUES))
            return self._values.row(index, named=True)
        return {name: self.records[index].get(name) for name in self.model.VALUES}

    def key_values(self, position: int) -> set:
        return {key[position] for key in self.keys}


def _columns(frame: pl.DataFrame, names) -> list[pl.Expr]:
    """The frame's columns by name, a null column for a field it does not have."""
    return [pl.col(n) if n in frame.columns else pl.lit(None).alias(n) for n in names]


def _standing(model, organisation, given: _Given | None) -> dict[tuple, _Standing]:
    """Each record's latest version, by key, as its id, withdrawn flag and compared values;
    only the records whose key values all appear in those `given` when they are."""
    rows = model.objects.as_at().filter(organisation=organisation)
    if given is not None:
        rows = rows.filter(**{f"{n}__in": given.key_values(k) for k, n in enumerate(model.KEY)})
    width = len(model.KEY)
    found = rows.values_list("pk", "withdrawn", *model.KEY, *model.compared_names())
    return {
        tuple(row[2 : 2 + width]): _Standing(row[0], row[1], tuple(row[2 + width :]))
        for row in found
    }


def _values_differ(old: tuple, new: tuple) -> bool:
    return any(_differ(a, b) for a, b in zip(old, new, strict=True))


def _changes(model, latest, values: dict, withdrawn: bool) -> bool:
    if latest is None:
        return not withdrawn
    if latest.withdrawn != withdrawn:
        return True
    return any(_differ(getattr(latest, n), values.get(n)) for n in model.compared_names())


def _differ(old, new) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        return old is None or new is None or float(old) != float(new)
    return old != new


def _new_version(model, organisation, key, values, latest, user, reason, withdrawn, at):
    return model(
        organisation=organisation,
        version=(latest.version if latest else 0) + 1,
        valid_from=at or timezone.now(),
        saved_by=user,
        reason=reason or "",
        withdrawn=withdrawn,
        **key,
        **{name: values.get(name, _fallback(model, latest, name)) for name in model.VALUES},
    )


def _fallback(model, latest, name: str):
    """A value the save did not give: the latest version's, else the field's default."""
    if latest is not None:
        return getattr(latest, name)
    return model._meta.get_field(name).get_default()


def _audit(row: Versioned, before: Versioned | None, user, reason) -> AuditEntry:
    if row.withdrawn:
        action = "withdrawn"
    else:
        action = "revised" if before is not None and not before.withdrawn else "created"
    return audit_entry(
        action,
        _kind(type(row)),
        row.key_text(),
        user=user,
        organisation=row.organisation,
        version=row.version,
        before=before.compared() if before is not None and not before.withdrawn else None,
        after=None if row.withdrawn else row.compared(),
        reason=reason,
        at=row.valid_from,
    )


def _kind(model) -> str:
    return model._meta.verbose_name

"""Which of a frame of records are new, changed or unchanged against the Store, compared as
frames: the standing versions' compared values are read in one query straight into columns
(no model objects, no dict per record) and joined with the given frame on the record's key.
Only the records that change come out as Python values."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from django.db import connections

from boardpack import collector

#: The standing versions' own columns, named apart from the given frame's.
_PK, _WITHDRAWN, _STORED = "__stored_pk", "__stored_withdrawn", "__stored_"


@dataclass
class Compared:
    """The outcome of comparing a frame with the Store: counts, and each change as (key,
    values or None for a withdrawal, withdrawn, the standing version's id or None)."""

    created: int
    revised: int
    unchanged: int
    withdrawn: int
    changes: list[tuple]


#: Fields whose values the database driver gives as Django gives them (no converter needed).
_PLAIN_FIELDS = {
    "BooleanField",
    "CharField",
    "DateField",
    "FloatField",
    "IntegerField",
    "PositiveIntegerField",
    "TextField",
}


def frame_comparable(model) -> bool:
    """Whether `compare_frame` can compare `model`'s records: its key and compared fields are
    plain text, numbers, dates and flags."""
    names = (*model.KEY, *model.compared_names())
    return all(model._meta.get_field(n).get_internal_type() in _PLAIN_FIELDS for n in names)


def compare_frame(model, organisation, frame: pl.DataFrame, withdraw_missing: bool) -> Compared:
    """Compare the records of `frame` (a column per field of `model`) with their standing
    versions; with `withdraw_missing`, the standing records missing from it are withdrawn."""
    given = frame.select(_columns(frame, (*model.KEY, *model.VALUES)))
    names = model.compared_names()
    standing = standing_frame(model, organisation, given, None if withdraw_missing else given)
    joined = given.join(standing, on=list(model.KEY), how="left", maintain_order="left")
    new = pl.col(_PK).is_null() | pl.col(_WITHDRAWN)
    same = pl.all_horizontal([_equal(given.schema[n], n) for n in names] or [pl.lit(True)])
    marked = joined.with_columns(new.alias("__new"), (~new & same).alias("__same"))
    changed = marked.filter(~pl.col("__same"))
    created = int(changed.get_column("__new").sum())
    changes = [
        (key, values, False, pk)
        for key, values, pk in zip(
            changed.select(model.KEY).rows(),
            changed.select(model.VALUES).to_dicts(),
            changed.get_column(_PK).to_list(),
            strict=True,
        )
    ]
    gone = _withdrawals(model, standing, given) if withdraw_missing else []
    changes += gone
    return Compared(
        created=created,
        revised=changed.height - created,
        unchanged=marked.height - changed.height,
        withdrawn=len(gone),
        changes=changes,
    )


def _columns(frame: pl.DataFrame, names) -> list[pl.Expr]:
    """The frame's columns by name, a null column for a field it does not have."""
    return [pl.col(n) if n in frame.columns else pl.lit(None).alias(n) for n in names]


def _equal(dtype, name: str) -> pl.Expr:
    stored = pl.col(_STORED + name)
    if dtype == pl.Null:
        return stored.is_null()
    return pl.col(name).eq_missing(stored)


def _withdrawals(model, standing: pl.DataFrame, given: pl.DataFrame) -> list[tuple]:
    missing = standing.join(given.select(model.KEY), on=list(model.KEY), how="anti")
    missing = missing.filter(~pl.col(_WITHDRAWN))
    keys, pks = missing.select(model.KEY).rows(), missing.get_column(_PK).to_list()
    return [(key, None, True, pk) for key, pk in zip(keys, pks, strict=True)]


def standing_frame(model, organisation, given: pl.DataFrame, only=None) -> pl.DataFrame:
    """Each record's latest version (withdrawn or not) as one row: its id, withdrawn flag, key
    and compared values, typed as `given`'s columns; only records whose key values all appear
    in `only` when given."""
    rows = model.objects.as_at().filter(organisation=organisation)
    if only is not None:
        rows = rows.filter(**{f"{n}__in": set(only.get_column(n)) for n in model.KEY})
    names = model.compared_names()
    query = rows.values_list("pk", "withdrawn", *model.KEY, *names)
    columns = _fetch_columns(query, 2 + len(model.KEY) + len(names))
    series = [
        pl.Series(_PK, columns[0], dtype=pl.Int64),
        pl.Series(_WITHDRAWN, columns[1]).cast(pl.Boolean),
        *(
            _typed(name, values, given.schema[name])
            for name, values in zip(model.KEY, columns[2:], strict=False)
        ),
        *(
            _typed(_STORED + name, values, given.schema[name])
            for name, values in zip(names, columns[2 + len(model.KEY) :], strict=True)
        ),
    ]
    return pl.DataFrame(series)


def _typed(name: str, values, dtype) -> pl.Series:
    if dtype == pl.Null:
        return pl.Series(name, values)
    return pl.Series(name, values, dtype=dtype, strict=True)


def _fetch_columns(query, width: int) -> list:
    """The rows of a `values_list` query as columns, read by the database driver in one call:
    the values are the driver's own (Django's converters are for model fields that need them,
    and the fields compared here do not)."""
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor, collector.paused():
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        return list(zip(*rows, strict=True)) if rows else [()] * width

"""Reconciliation: Boardpack's ratings and directions beside those a council published, for
every figure with a published rating or direction, and a summary in words ("Boardpack gives
35 of your 37 published ratings and all 27 directions; the 2 that differ: ...")."""

from __future__ import annotations

import polars as pl

from .evaluated import direction_reason
from .vocab import DIRECTION_LABELS, RAG_LABELS

#: The reconciliation table's columns, in order (`boardpack reconcile`).
RECONCILE_COLUMNS = [
    "indicator",
    "organisation",
    "period",
    "value",
    "target",
    "rag",
    "published_rag",
    "rag_agrees",
    "direction",
    "published_direction",
    "direction_agrees",
    "rag_reason",
    "revised",
    "direction_reason",
]


def reconcile(
    results: pl.DataFrame, observations: pl.DataFrame, revised: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per indicator, organisation and period with a published rating or direction
    (`observations`), beside Boardpack's (`results`, the evaluated rows); `rag_agrees` and
    `direction_agrees` are null where nothing was published to compare with. `revised`
    (indicator, organisation, period, text) says where a figure was revised after it was
    first given, often why a published rating differs."""
    keys = ["indicator", "organisation", "period"]
    published = observations.filter(
        pl.col("published_rag").is_not_null() | pl.col("published_direction").is_not_null()
    ).select(*keys, "end_month", "published_rag", "published_direction")
    ours = results.select(
        *(pl.col(key).cast(pl.String) for key in keys),
        "value",
        "target",
        pl.col("rag").cast(pl.String),
        pl.col("direction").cast(pl.String),
        "rag_reason",
        direction_reason(results),
    )
    rows = published.join(ours, on=keys, how="left", maintain_order="left")
    notes = (
        pl.DataFrame(schema={**dict.fromkeys(keys, pl.String), "text": pl.String})
        if revised is None
        else revised.select(*keys, "text")
    )
    notes = notes.group_by(keys, maintain_order=True).agg(
        pl.col("text").str.join("; ").alias("revised")
    )
    rows = rows.join(notes, on=keys, how="left", maintain_order="left")
    agrees = {
        "rag_agrees": ("rag", "published_rag"),
        "direction_agrees": ("direction", "published_direction"),
    }
    return (
        rows.with_columns(
            pl.when(pl.col(given).is_not_null())
            .then(pl.col(given) == pl.col(ours).fill_null(""))
            .alias(name)
            for name, (ours, given) in agrees.items()
        )
        .sort("indicator", "organisation", "end_month", maintain_order=True)
        .select(RECONCILE_COLUMNS)
    )


def reconciliation_summary(table: pl.DataFrame) -> str:
    """The table in a sentence: how many published ratings and directions Boardpack gives, and
    each that differs with Boardpack's reason."""
    shares = [
        share
        for column, what in (("rag_agrees", "ratings"), ("direction_agrees", "directions"))
        if (share := _share(table, column, what))
    ]
    differ = _differences(table)
    head = f"Boardpack gives {' and '.join(shares)}"
    if len(shares) == 1:
        head += f" (no {'directions' if 'ratings' in shares[0] else 'ratings'} were published)"
    if not differ:
        return head + "."
    which = "the one that differs" if len(differ) == 1 else f"the {len(differ)} that differ"
    return f"{head}; {which}: " + "; ".join(differ) + "."


def _share(table: pl.DataFrame, column: str, what: str) -> str | None:
    """ "35 of your 37 published ratings", "all 27 published directions"; None when none were
    published."""
    given = table[column].drop_nulls()
    agreed, total = int(given.sum()), given.len()
    if total == 0:
        return None
    if agreed == total:
        return f"all {total} published {what}" if total > 1 else f"your one published {what[:-1]}"
    return f"{agreed} of your {total} published {what}"


def _differences(table: pl.DataFrame) -> list[str]:
    """Each rating or direction that differs: "ENV04 Q3 2024/25: rated Amber, published Green
    (44.8% is below the target of 45.0%)"."""
    lines = []
    many = table["organisation"].n_unique() > 1
    for row in table.iter_rows(named=True):
        where = f"{row['indicator']} {row['period']}"
        if many:
            where += f" ({row['organisation']})"
        if row["rag_agrees"] is False:
            why = [_without_rating(row["rag_reason"])] if row["rag_reason"] else []
            why += [row["revised"]] if row["revised"] else []
            reason = f" ({'; '.join(why)})" if why else ""
            lines.append(
                f"{where}: rated {_label(RAG_LABELS, row['rag'])}, published "
                f"{_label(RAG_LABELS, row['published_rag'])}{reason}"
            )
        if row["direction_agrees"] is False:
            ours = _label(DIRECTION_LABELS, row["direction"])
            why = _compared(ours, row["direction_reason"])
            lines.append(
                f"{where}: direction {ours}, published "
                f"{_label(DIRECTION_LABELS, row['published_direction'])}"
                + (f" ({why})" if why else "")
            )
    return lines


def _compared(direction: str, reason: str | None) -> str | None:
    """What the direction compared with ("compared with the previous period (94.3%)"), or why
    there is none ("no figure for the same period last year to compare with")."""
    if not reason:
        return None
    head = f"{direction} on "
    if reason.startswith(head):
        return "compared with " + reason.removeprefix(head)
    return reason[0].lower() + reason[1:]


def _without_rating(reason: str) -> str:
    """A reason without the rating it opens with ("Amber: 86.0% is ..." -> "86.0% is ...")."""
    head, colon, rest = reason.partition(": ")
    return rest if colon and head in RAG_LABELS.values() else reason


def _label(labels: dict[str, str], code: str | None) -> str:
    return "none" if code is None else labels.get(code, code)

"""Councils in a publication with their type and region, and the comparator groups built from them."""

from __future__ import annotations

import csv
import difflib
import re
from pathlib import Path

import polars as pl

from boardpack.dataset.schema import NATIONAL_MEMBERSHIP, NATIONAL_ORGANISATIONS
from boardpack.errors import BoardpackError, Problem

from .publication import NationalData, read_publication

PUBLICATION_FILE = "ascof_timeseries_2015-16_to_2024-25.ods"
CASSR_FILE = "cassr_la_lookup.csv"
UTLA_FILE = "utla_all_codes.csv"
ENGLAND = ("England", "E92000001")
# Council types as the publication names them, and its code for each aggregate row.
TYPE_CODES = {
    "Shire Counties": "S",
    "Unitary Authorities": "U",
    "Metropolitan Districts": "M",
    "Inner London": "I",
    "Outer London": "O",
}
# For councils newer than the CASSR lookup (e.g. Cumberland, 2023): the ONS code's prefix.
TYPE_BY_ONS_PREFIX = {
    "E06": "Unitary Authorities",
    "E08": "Metropolitan Districts",
    "E10": "Shire Counties",
}
COLUMNS = list(NATIONAL_ORGANISATIONS.columns)
GROUP_COLUMNS = list(NATIONAL_MEMBERSHIP.columns)
ONS_CODE = re.compile(r"^E\d{8}$")


def load_organisations(
    data_dir: str | Path | None = None,
    national: NationalData | None = None,
    *,
    cassr_lookup: str | Path | None = None,
    utla_lookup: str | Path | None = None,
) -> pl.DataFrame:
    """One row per council in the publication: `organisation` (ONS code) and its type and region.

    `data_dir` holds the publication and the two lookups under their usual names; any of them
    can be given directly instead. `last_period` is the latest period with a published figure.
    """
    folder = Path(data_dir) if data_dir is not None else None
    if national is None:
        national = read_publication(_need(folder, PUBLICATION_FILE))
    cassr = _read_cassr(cassr_lookup or _need(folder, CASSR_FILE))
    utla = _read_utla(utla_lookup or _need(folder, UTLA_FILE))
    councils = _councils(national.values)
    regions = _regions(national.values)
    by_prefix = pl.DataFrame(
        {"prefix": list(TYPE_BY_ONS_PREFIX), "prefix_type": list(TYPE_BY_ONS_PREFIX.values())}
    )
    return (
        councils.join(
            cassr.select("organisation", "lookup_type", "lookup_region"),
            on="organisation",
            how="left",
        )
        .join(
            cassr.select("cassr_code", cassr_type="lookup_type", cassr_region="lookup_region"),
            on="cassr_code",
            how="left",
        )
        .join(utla, on="organisation", how="left")
        .with_columns(prefix=pl.col("organisation").str.slice(0, 3))
        .join(by_prefix, on="prefix", how="left")
        .with_columns(
            type=pl.coalesce("lookup_type", "prefix_type"),
            publisher_region=pl.coalesce("lookup_region", "cassr_region"),
        )
        .join(regions, on="publisher_region", how="left")
        .with_columns(region_code=pl.coalesce("utla_region", "publication_region"))
        .drop("region_name")
        .join(
            regions.select("publication_region", region_name="region_name"),
            left_on="region_code",
            right_on="publication_region",
            how="left",
        )
        .with_columns(  # a publication without names or region rows: the lookup's names
            name=pl.coalesce("name", "utla_name"),
            region_name=pl.coalesce(
                "region_name",
                pl.when(pl.col("region_code") == pl.col("utla_region")).then("utla_region_name"),
            ),
        )
        .select(COLUMNS)
        .sort("organisation")
    )


def _need(folder: Path | None, name: str) -> Path:
    if folder is None:
        raise BoardpackError([Problem(file=name, what="give data_dir or the file's path")])
    return folder / name


def _lookup(path, columns: tuple[str, ...], **options) -> pl.DataFrame:
    """A lookup CSV with the columns named, or a problem saying what is missing."""
    path = Path(path)
    if not path.is_file():
        raise BoardpackError(
            Problem(
                file=str(path),
                what="lookup file not found",
                fix=f"put {CASSR_FILE} and {UTLA_FILE} in the folder `lookups:` names "
                "(docs/benchmarking.md)",
            )
        )
    try:
        frame = pl.read_csv(path, infer_schema=False, **options)
    except pl.exceptions.PolarsError as error:
        raise BoardpackError(
            Problem(file=str(path), what=f"cannot be read as CSV ({error})")
        ) from None
    frame = frame.rename({name: name.lstrip("\ufeff").strip() for name in frame.columns})
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise BoardpackError(
            Problem(
                file=str(path),
                row=1,
                what=f"the lookup has no column {', '.join(missing)}; its columns are "
                + ", ".join(frame.columns),
            )
        )
    return frame


def _read_cassr(path) -> pl.DataFrame:
    frame = _lookup(path, ("CASSR", "ONS Code", "Type", "Region"), encoding="utf8-lossy")
    return frame.select(
        cassr_code=pl.col("CASSR").str.strip_chars(),
        organisation=pl.col("ONS Code").str.strip_chars(),
        lookup_type=pl.col("Type").str.strip_chars(),
        lookup_region=pl.col("Region").str.strip_chars(),
    ).filter(pl.col("organisation").is_not_null())


def _read_utla(path) -> pl.DataFrame:
    frame = _lookup(path, ("UTLACD", "UTLANM", "RGNCD", "RGNNM"))
    return frame.select(
        organisation="UTLACD",
        utla_region="RGNCD",
        utla_name="UTLANM",
        utla_region_name="RGNNM",
    ).unique("organisation")


def _councils(values: pl.DataFrame) -> pl.DataFrame:
    councils = values.filter(pl.col("area_kind") == "council")
    published = councils.filter(
        pl.any_horizontal(pl.col("value", "numerator", "denominator").is_not_null())
    )
    last = published.group_by("organisation").agg(last_period=pl.col("period").max())
    names = (
        councils.sort("period", descending=True)
        .unique("organisation", keep="first")
        .select("organisation", cassr_code="area_code", name="area_name")
    )
    return names.join(last, on="organisation", how="left")


def _regions(values: pl.DataFrame) -> pl.DataFrame:
    """Region rows: publisher code, E12 code and the name most tables give it."""
    return (
        values.filter(pl.col("area_kind") == "region")
        .group_by(
            publisher_region="area_code", publication_region="organisation", region_name="area_name"
        )
        .agg(tables=pl.col("measure").n_unique())
        .sort("tables", "region_name", descending=[True, False])
        .unique("publication_region", keep="first")
        .drop("tables")
    )


def group_membership(
    organisations: pl.DataFrame, named_groups: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Which councils each comparator group holds: England, regions, council types, named groups.

    `group_code` is what the publication's aggregate row has as `organisation` (E92000001, the
    region's E12 code, the council type's letter), or the named group's name.
    """
    england = organisations.select(
        group=pl.lit(ENGLAND[0]),
        group_kind=pl.lit("england"),
        group_code=pl.lit(ENGLAND[1]),
        organisation="organisation",
    )
    regions = organisations.filter(pl.col("region_code").is_not_null()).select(
        group="region_name",
        group_kind=pl.lit("region"),
        group_code="region_code",
        organisation="organisation",
    )
    types = organisations.filter(pl.col("type").is_not_null()).select(
        group="type",
        group_kind=pl.lit("council_type"),
        group_code=pl.col("type").replace_strict(TYPE_CODES, default=None),
        organisation="organisation",
    )
    parts = [england, regions, types]
    if named_groups is not None:
        parts.append(
            named_groups.select(
                "group", group_kind=pl.lit("named"), group_code="group", organisation="organisation"
            )
        )
    return pl.concat(parts, how="vertical_relaxed").select(GROUP_COLUMNS)


def read_named_groups(path: str | Path, organisations: pl.DataFrame | None = None) -> pl.DataFrame:
    """A CSV `group, organisation` (ONS codes; `#` lines are comments) checked against `organisations`.

    Unknown codes are errors naming the row and the value, with the council it may mean.
    """
    path = Path(path)
    if not path.is_file():
        raise BoardpackError(
            [
                Problem(
                    file=str(path), what="group file not found; check `groups:` in boardpack.yaml"
                )
            ]
        )
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    numbered = [
        (n, line)
        for n, line in enumerate(lines, 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise BoardpackError([Problem(file=str(path), what="the file is empty")])
    header = [cell.strip() for cell in next(csv.reader([numbered[0][1]]))]
    if header[:2] != ["group", "organisation"]:
        raise BoardpackError(
            [
                Problem(
                    file=str(path),
                    row=numbered[0][0],
                    value=",".join(header),
                    what="the header must be group,organisation",
                )
            ]
        )
    rows = [(n, [cell.strip() for cell in next(csv.reader([line]))]) for n, line in numbered[1:]]
    problems = _group_problems(path, rows, organisations)
    if problems:
        raise BoardpackError(problems)
    return pl.DataFrame(
        [(cells[0], cells[1]) for _, cells in rows],
        schema=["group", "organisation"],
        orient="row",
    )


def _group_problems(path, rows, organisations) -> list[Problem]:
    known = (
        {}
        if organisations is None
        else dict(zip(organisations["organisation"], organisations["name"], strict=True))
    )
    problems = []
    for number, cells in rows:
        if len(cells) < 2 or not cells[0] or not cells[1]:
            problems.append(
                Problem(
                    file=str(path),
                    row=number,
                    value=",".join(cells),
                    what="needs a group and an organisation",
                )
            )
            continue
        code = cells[1]
        if ONS_CODE.fullmatch(code) and (organisations is None or code in known):
            continue
        problems.append(
            Problem(
                file=str(path),
                row=number,
                column="organisation",
                value=code,
                what=_unknown(code, known),
            )
        )
    return problems


def _unknown(value: str, known: dict[str, str]) -> str:
    reason = "is not the ONS code of a council in the publication; write the council's ONS code (E06..., E08..., E09... or E10...)"
    by_name = {name.lower(): code for code, name in known.items()}
    close = difflib.get_close_matches(value.lower(), list(by_name), n=3, cutoff=0.6)
    if close:
        suggestions = ", ".join(f"{by_name[name]} ({known[by_name[name]]})" for name in close)
        reason += f"; did you mean {suggestions}?"
    return reason

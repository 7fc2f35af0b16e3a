"""Read a national benchmarking publication (XLSX or ODS) into one tidy polars frame."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from python_calamine import CalamineError, CalamineWorkbook

from boardpack.errors import BoardpackError, Problem
from boardpack.sources.figures.records import column_letter
from boardpack.sources.readers import ReadError

from .cells import long_cells, read_cells
from .config import TARGET_FIELDS, PublicationConfig, load_config
from .layout import Where, clean, locate

KEYS = ["measure", "area_code", "area_name", "area_kind", "organisation", "period"]
MARKED = ("value", "numerator", "denominator")
_NOTE = re.compile(r"\s*\[note \d+\]", re.IGNORECASE)
_TABLE_PREFIX = re.compile(r"^Table [^:]+:\s*")


@dataclass(frozen=True)
class NationalData:
    """A publication read: `values` (one row per measure, area and period), `measures`, `breakdowns`."""

    source: str
    config: PublicationConfig
    values: pl.DataFrame
    measures: pl.DataFrame
    breakdowns: pl.DataFrame
    markers: dict[str, str] = field(default_factory=dict)


def read_publication(
    path: str | Path, config: str | Path | PublicationConfig | None = None
) -> NationalData:
    """Read every table sheet of `path` as `config` describes (default: ASCOF).

    Raises `BoardpackError` listing every problem (file, sheet, row, column, value), or
    `ReadError` when the file cannot be opened at all.
    """
    config = load_config(config)
    path = Path(path)
    workbook = _open(path)
    problems: list[Problem] = []
    sheets = _table_sheets(workbook, config, str(path), problems)
    cells, measures = [], []
    for sheet, measure in sheets:
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        table = locate(rows, config, Where(str(path), sheet), problems)
        if table is None:
            continue
        cells.append(long_cells(table, sheet, measure))
        measures.append(_measure_row(measure, sheet, rows, table, config))
    if not cells:
        problems.append(Problem(file=str(path), what="no table was read"))
        raise BoardpackError(problems)
    read = _with_areas(read_cells(pl.concat(cells, how="diagonal_relaxed"), config), config)
    problems.extend(_cell_problems(read, str(path)))
    if problems:
        raise BoardpackError(problems)
    titles = _contents_titles(workbook, config)
    return NationalData(
        source=str(path),
        config=config,
        values=_pivot(read.filter(pl.col("breakdown").is_null())),
        measures=_measures_frame(measures, titles),
        breakdowns=_breakdowns(read, config),
        markers=dict(config.markers),
    )


def _open(path: Path) -> CalamineWorkbook:
    if not path.is_file():
        raise ReadError(Problem(file=str(path), what="file not found"))
    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        reason = f"cannot read the workbook ({error}); save it as XLSX or ODS"
        if path.suffix.lower() in (".csv", ".txt"):  # figures as analysts keep them
            reason = (
                "a CSV publication is read only in the long format (one row per measure, "
                "council and year); add `format: long` under "
                "`benchmarking:` and map its headers under `columns:` (docs/benchmarking.md)"
            )
        raise ReadError(Problem(file=str(path), what=reason)) from None


def _table_sheets(workbook, config, file, problems) -> list[tuple[str, str]]:
    pattern = re.compile(config.sheets.pattern)
    expected = _contents_codes(workbook, config, file, problems)
    written = {code.upper(): code for code in expected}
    case = {
        "upper": str.upper,
        "lower": str.lower,
        "as_is": str,
        "contents": lambda code: written.get(code.upper(), code.upper()),
    }[config.sheets.measure_case]
    sheets = []
    for name in workbook.sheet_names:
        found = pattern.fullmatch(name)
        if found:
            sheets.append((name, case(found["measure"].strip())))
    if not sheets:
        problems.append(
            Problem(
                file=file, value=config.sheets.pattern, what="no sheet name matches the pattern"
            )
        )
    present = {measure.upper() for _, measure in sheets}
    for code in [code for code in expected if code.upper() not in present]:
        problems.append(
            Problem(
                file=file,
                sheet=config.contents.sheet,
                row=expected[code],
                column=config.contents.code_header,
                value=code,
                what="the contents list this measure but no sheet holds it (missing sheet)",
            )
        )
    return sheets


def _contents_rows(workbook, config):
    if config.contents is None or config.contents.sheet not in workbook.sheet_names:
        return None
    rows = workbook.get_sheet_by_name(config.contents.sheet).to_python(skip_empty_area=False)
    for number, row in enumerate(rows):
        header = [clean(cell) for cell in row]
        if config.contents.code_header in header and config.contents.title_header in header:
            code = header.index(config.contents.code_header)
            title = header.index(config.contents.title_header)
            body = [(n, r) for n, r in enumerate(rows[number + 1 :], number + 2) if clean(r[code])]
            return [(n, clean(r[code]), clean(r[title])) for n, r in body]
    return None


def _contents_codes(workbook, config, file, problems) -> dict[str, int]:
    if config.contents is None:
        return {}
    rows = _contents_rows(workbook, config)
    if rows is None:
        problems.append(
            Problem(
                file=file,
                sheet=config.contents.sheet,
                what=f'no contents sheet with columns "{config.contents.code_header}" and '
                f'"{config.contents.title_header}"; fix the sheet or remove contents from the config',
            )
        )
        return {}
    return {code: number for number, code, _ in rows}


def _contents_titles(workbook, config) -> dict[str, str]:
    rows = _contents_rows(workbook, config) or []
    return {code: title for _, code, title in rows}


def _measure_row(measure, sheet, rows, table, config) -> dict:
    title = ""
    if config.title_cell:
        column = ord(config.title_cell[0].upper()) - 65
        row = int(config.title_cell[1:]) - 1
        if row < len(rows) and column < len(rows[row]):
            title = clean(rows[row][column])
    fields = [name for name in TARGET_FIELDS if name in set(table.columns["field"])]
    return {"measure": measure, "sheet": sheet, "table_title": title, "fields": fields}


def _measures_frame(measures: list[dict], titles: dict[str, str]) -> pl.DataFrame:
    frame = pl.DataFrame(
        measures,
        schema={
            "measure": pl.String,
            "sheet": pl.String,
            "table_title": pl.String,
            "fields": pl.List(pl.String),
        },
    )
    from_table = [
        _NOTE.sub("", _TABLE_PREFIX.sub("", text)).strip() for text in frame["table_title"]
    ]
    title = [
        titles.get(code) or fallback
        for code, fallback in zip(frame["measure"], from_table, strict=True)
    ]
    return frame.with_columns(title=pl.Series(title, dtype=pl.String)).select(
        "measure", "title", "sheet", "fields", "table_title"
    )


def _with_areas(cells: pl.DataFrame, config: PublicationConfig) -> pl.DataFrame:
    """Publisher code as text ("102.0" -> "102"), area kind, organisation; name overrides applied.

    Worked out once per distinct area and joined back to the cells.
    """
    if "ons_code" not in cells.columns:
        cells = cells.with_columns(ons_code=pl.lit(None, dtype=pl.String))
    raw = ["area_code", "area_name", "ons_code"]
    areas = cells.select(raw).unique()
    markers = list(config.markers)
    code = pl.col("area_code").str.replace(r"^(\d+)\.0$", "${1}")
    code = pl.when(code.is_in(markers) | (code == "")).then(None).otherwise(code)
    ons = pl.col("ons_code")
    ons = pl.when(ons.is_in(markers) | (ons == "")).then(None).otherwise(ons)
    kind = pl.lit(config.default_area_kind)
    for rule in reversed(config.area_kinds):
        test = pl.lit(False)
        if rule.area_codes:
            test = test | code.is_in(rule.area_codes).fill_null(False)
        if rule.ons_pattern:
            test = test | ons.str.contains(rule.ons_pattern).fill_null(False)
        kind = pl.when(test).then(pl.lit(rule.kind)).otherwise(kind)
    areas = areas.with_columns(code=code, area_kind=kind, organisation=pl.coalesce(ons, code))
    areas = _apply_overrides(areas, config)
    return (
        cells.join(areas, on=raw, how="left", nulls_equal=True)
        .with_columns(area_code=pl.col("code"))
        .drop("code")
    )


def _apply_overrides(frame: pl.DataFrame, config) -> pl.DataFrame:
    if not config.area_overrides:
        return frame
    table = pl.DataFrame(
        [
            {
                "area_name": name,
                "o_code": o.area_code,
                "o_org": o.organisation,
                "o_kind": o.area_kind,
            }
            for name, o in config.area_overrides.items()
        ]
    )
    return (
        frame.join(table, on="area_name", how="left")
        .with_columns(
            code=pl.coalesce("o_code", "code"),
            organisation=pl.coalesce("o_org", "organisation"),
            area_kind=pl.coalesce("o_kind", "area_kind"),
        )
        .drop("o_code", "o_org", "o_kind")
    )


def _cell_problems(read: pl.DataFrame, file: str) -> list[Problem]:
    markers = ", ".join(sorted(read.select("marker").drop_nulls().unique().to_series()))
    bad = read.filter(pl.col("bad")).sort("sheet", "row", "letter")
    problems = [
        Problem(
            file=file,
            sheet=row["sheet"],
            row=row["row"],
            column=f"{row['letter']} ({row['header']})",
            value=row["raw"],
            what="is neither a number nor a known marker"
            + (f" ({markers})" if markers else "")
            + "; correct the cell or add the marker to the config",
        )
        for row in bad.iter_rows(named=True)
    ]
    no_code = (
        read.filter(pl.col("organisation").is_null()).unique(["sheet", "row"]).sort("sheet", "row")
    )
    problems += [
        Problem(
            file=file,
            sheet=row["sheet"],
            row=row["row"],
            column=column_letter(0),
            value=row["area_name"],
            what="the row has no area code or ONS code; add it to the config's area_overrides",
        )
        for row in no_code.iter_rows(named=True)
    ]
    return problems


def _pivot(cells: pl.DataFrame, extra: tuple[str, ...] = ()) -> pl.DataFrame:
    keys = [*KEYS[:1], *extra, *KEYS[1:]]
    number = [
        pl.col("number").filter(pl.col("field") == name).first().alias(name)
        for name in TARGET_FIELDS
    ]
    marker = [
        pl.col("marker").filter(pl.col("field") == name).first().alias(f"{name}_marker")
        for name in MARKED
    ]
    return (
        cells.group_by([*keys, "sheet", "row"], maintain_order=True)
        .agg(number + marker)
        .drop("sheet", "row")
        .select(*keys, *TARGET_FIELDS, *(f"{name}_marker" for name in MARKED))
    )


def _breakdowns(read: pl.DataFrame, config: PublicationConfig) -> pl.DataFrame:
    """Breakdown columns (6b's "good ...") and the bracketed figures of `a (b)` cells."""
    parts = [read.filter(pl.col("breakdown").is_not_null())]
    if config.bracketed is not None:
        bracketed = read.filter(pl.col("alternative").is_not_null() & pl.col("breakdown").is_null())
        parts.append(
            bracketed.with_columns(
                number=pl.col("alternative"), breakdown=pl.lit(config.bracketed.breakdown)
            )
        )
    return _pivot(pl.concat(parts, how="vertical_relaxed"), extra=("breakdown",))

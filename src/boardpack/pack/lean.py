"""A spec made cheaper to draw, drawing the same SVG.

Most of vl-convert's time on a pack's chart goes on measuring text: each axis and legend label
is measured to lay the chart out, and then again, more than once, against Vega's default label
limits (180 pixels on an axis, 160 in a legend) to see whether it must be cut short with an
ellipsis. A label that cannot reach its limit is never cut, so the second measuring changes
nothing: `lean_spec` turns the default limit off (`labelLimit: 0`) for axes or legends whose
every label is certainly shorter than it, which makes an SPC chart with 54 monthly labels about
a third quicker to draw, with byte-for-byte the same SVG.

"Certainly shorter" is counted generously: every character as wide as `CHARACTER_EMS` of the
largest font size the spec names (a wide bold capital is about 1 em), any character outside
ASCII as `OTHER_EMS`. A guide whose labels cannot be known from the spec (a label expression,
a format, dates, data from a URL) keeps its limit.
"""

from __future__ import annotations

from collections.abc import Iterator

#: Vega's default label limits and label font size, in pixels.
LIMITS = {"axis": 180.0, "legend": 160.0}
LABEL_FONT_SIZE = 10.0
#: Upper bounds of a character's width, in ems: ASCII, and anything else.
CHARACTER_EMS = 1.15
OTHER_EMS = 2.0
#: The channels whose guide is an axis, and those whose guide is a legend.
CHANNELS = {
    "axis": ("x", "y"),
    "legend": (
        "color",
        "fill",
        "stroke",
        "strokeDash",
        "shape",
        "size",
        "opacity",
        "fillOpacity",
        "strokeOpacity",
        "strokeWidth",
    ),
}
#: Guide properties that make labels other than the values themselves.
UNKNOWN_LABELS = ("labelExpr", "format", "formatType", "values")
FONT_SIZES = ("labelFontSize", "fontSize", "titleFontSize")


def lean_spec(spec: dict) -> dict:
    """`spec` with the default label limits turned off where no label can reach them (a new
    dict; `spec` is not changed), or `spec` itself."""
    config = dict(spec.get("config") or {})
    size = max([LABEL_FONT_SIZE, *font_sizes(spec)])
    for guide, limit in LIMITS.items():
        own = config.get(guide) or {}
        if "labelLimit" in own:
            continue
        labels = guide_labels(spec, guide)
        if labels is not None and all(widest(label, size) < limit for label in labels):
            config[guide] = {**own, "labelLimit": 0}
    if config == (spec.get("config") or {}):
        return spec
    return {**spec, "config": config}


def widest(text: str, size: float) -> float:
    """An upper bound of the width of `text` at font size `size`, in pixels."""
    return size * sum(CHARACTER_EMS if ord(c) < 128 else OTHER_EMS for c in text)


def font_sizes(node: object) -> Iterator[float]:
    """Every font size the spec names, anywhere."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FONT_SIZES and isinstance(value, int | float):
                yield float(value)
            elif key != "datasets":
                yield from font_sizes(value)
    elif isinstance(node, list):
        for item in node:
            yield from font_sizes(item)


def views(spec: dict) -> Iterator[dict]:
    """The spec and every layer in it."""
    yield spec
    for layer in spec.get("layer") or []:
        if isinstance(layer, dict):
            yield from views(layer)


def guide_labels(spec: dict, guide: str) -> list[str] | None:
    """Every label the spec's axes (or legends) could show, or None if they cannot be known."""
    if any(key in spec for key in ("concat", "hconcat", "vconcat", "facet", "repeat")):
        return None
    data = rows(spec)
    if data is None:
        return None
    labels: list[str] = []
    for view in views(spec):
        for channel in CHANNELS[guide]:
            encoding = (view.get("encoding") or {}).get(channel)
            if encoding is None:
                continue
            found = channel_labels(encoding, guide, data)
            if found is None:
                return None
            labels += found
    return labels


def channel_labels(encoding: object, guide: str, data: list[dict]) -> list[str] | None:
    """The labels one channel's guide could show; None if they cannot be known."""
    if not isinstance(encoding, dict):
        return None
    if "value" in encoding and "field" not in encoding:
        return []  # a constant: no guide
    props = encoding.get(guide, {})
    if props is None:
        return []  # the guide is turned off
    if not isinstance(props, dict):
        return None
    if text_values(encoding, props):
        return list(props["values"])  # only these are drawn
    if any(key in props for key in UNKNOWN_LABELS):
        return None
    if encoding.get("type") == "temporal" or "timeUnit" in encoding:
        return None
    if encoding.get("type") == "quantitative" or "aggregate" in encoding or "bin" in encoding:
        return []  # tick numbers: a dozen characters at most
    field = encoding.get("field")
    if not isinstance(field, str) or not any(field in row for row in data):
        return None
    labels = [str(row[field]) for row in data if row.get(field) is not None]
    domain = (encoding.get("scale") or {}).get("domain")
    if isinstance(domain, list):
        labels += [str(value) for value in domain]
    return labels


def text_values(encoding: dict, props: dict) -> bool:
    """Whether the guide draws just the texts its `values` list (a long axis's labels drawn,
    `charts.axis_labels`), as they are."""
    values = props.get("values")
    return (
        isinstance(values, list)
        and all(isinstance(value, str) for value in values)
        and not any(key in props for key in ("labelExpr", "format", "formatType"))
        and encoding.get("type") in ("nominal", "ordinal")
        and "timeUnit" not in encoding
    )


def rows(spec: dict) -> list[dict] | None:
    """Every data row the spec carries (named data sets and inline values); None if any data
    comes from elsewhere (a URL, a generator)."""
    found: list[dict] = []
    for values in (spec.get("datasets") or {}).values():
        if not isinstance(values, list):
            return None
        found += [row for row in values if isinstance(row, dict)]
    for view in views(spec):
        data = view.get("data")
        if data is None or (isinstance(data, dict) and set(data) <= {"name"}):
            continue
        if not isinstance(data, dict) or not isinstance(data.get("values"), list):
            return None
        found += [row for row in data["values"] if isinstance(row, dict)]
    return found

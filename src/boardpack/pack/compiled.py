"""Each chart shape compiled from Vega-Lite to Vega once, its figures and words filled in.

A pack's charts share a few shapes (`trend_skeleton`, `spc_skeleton`): the same layers,
scales and legends, with different figures, titles, descriptions, scale domains (the
periods on the x axis, the value axis's range) and axis values (the x-axis labels drawn on a
long axis). `vega_spec` compiles a spec's shape (the spec with its title text, description,
data sets, explicit scale domains and axis values set aside) once per process, and fills the
compiled Vega spec in for each chart; vl-convert then draws the Vega spec (`vega_to_svg`), the
same SVG as drawing the Vega-Lite spec itself. A spec with data of its own (inline values, a
URL) is compiled whole.
"""

from __future__ import annotations

import functools
import json

import vl_convert

from .chart_store import spec_text

TITLE = "\u0000boardpack title\u0000"
DESCRIPTION = "\u0000boardpack description\u0000"
#: Stand-ins for a scale's domain or an axis's values: a list of texts is one placeholder text (the whole list
#: is put back in its place), a number is a number no chart has.
DOMAIN = "\ue000boardpack domain {}\ue000"
NUMBER = -7.0e-300
#: A stand-in for a position's title (the same title, the same stand-in: Vega-Lite joins a
#: layered chart's different titles).
AXIS_TITLE = "\ue000boardpack axis title {}\ue000"
#: The channels whose domains are set aside: positions (a legend's domain shapes the legend
#: Vega-Lite makes, so it stays in the shape).
POSITIONS = ("x", "y")
#: Compiled shapes kept per process.
SHAPES = 256


@functools.lru_cache(maxsize=SHAPES)
def compiled_shape(shape: str) -> str:
    """The Vega spec of a shape (canonical JSON text of its Vega-Lite spec), as JSON text."""
    return json.dumps(vl_convert.vegalite_to_vega(json.loads(shape)))


def vega_spec(spec: dict) -> dict:
    """The Vega spec `spec` compiles to, its shape compiled once."""
    if not named_data_only(spec):
        return vl_convert.vegalite_to_vega(spec)
    shape, words = split(spec)
    vega = json.loads(compiled_shape(spec_text(shape)))
    datasets = spec.get("datasets") or {}
    filled = fill(vega, words)
    for data in filled.get("data") or []:
        if data.get("name") in datasets and data.get("values") == []:
            data["values"] = datasets[data["name"]]
    return filled


def split(spec: dict) -> tuple[dict, dict]:
    """The spec's shape (title text, description and data sets set aside) and what was set
    aside, by the placeholder that stands for it."""
    shape, words = dict(spec), {}
    title = spec.get("title")
    if isinstance(title, dict) and "text" in title:
        shape["title"], words[TITLE] = {**title, "text": TITLE}, title["text"]
    elif isinstance(title, str | list):
        shape["title"], words[TITLE] = TITLE, title
    if isinstance(spec.get("description"), str):
        shape["description"], words[DESCRIPTION] = DESCRIPTION, spec["description"]
    shape["datasets"] = {name: [] for name in spec.get("datasets") or {}}
    return without_domains(shape, words), words


def without_domains(view: dict, words: dict) -> dict:
    """The view (and its layers) with every explicit domain of a position's scale set aside in
    `words`."""
    view = dict(view)
    if isinstance(view.get("encoding"), dict):
        view["encoding"] = {
            channel: stand_in(encoding, words) if channel in POSITIONS else encoding
            for channel, encoding in view["encoding"].items()
        }
    if isinstance(view.get("layer"), list):
        view["layer"] = [
            without_domains(layer, words) if isinstance(layer, dict) else layer
            for layer in view["layer"]
        ]
    return view


def stand_in(encoding: object, words: dict) -> object:
    """A channel with its title, its axis's values (texts: the labels drawn) and its scale's
    domain (plain texts or numbers) replaced by placeholders."""
    axis = encoding.get("axis") if isinstance(encoding, dict) else None
    values = axis.get("values") if isinstance(axis, dict) else None
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        key = DOMAIN.format(len(words))
        words[key] = values
        encoding = {**encoding, "axis": {**axis, "values": [key]}}
    if isinstance(encoding, dict) and isinstance(encoding.get("title"), str):
        title = encoding["title"]
        key = next((k for k, v in words.items() if v == title and k != TITLE), None)
        if key is None:
            key = AXIS_TITLE.format(len(words))
            words[key] = title
        encoding = {**encoding, "title": key}
    scale = encoding.get("scale") if isinstance(encoding, dict) else None
    domain = scale.get("domain") if isinstance(scale, dict) else None
    if not isinstance(domain, list) or not domain:
        return encoding
    if all(isinstance(value, str) for value in domain):
        key = DOMAIN.format(len(words))
        words[key] = domain
        return {**encoding, "scale": {**scale, "domain": [key]}}
    if all(isinstance(value, int | float) and not isinstance(value, bool) for value in domain):
        numbers = []
        for value in domain:
            number = NUMBER * (len(words) + 1)
            words[number] = value
            numbers.append(number)
        return {**encoding, "scale": {**scale, "domain": numbers}}
    return encoding


def fill(node: object, words: dict) -> object:
    """`node` with every placeholder replaced by what it stands for (a list holding just a
    domain's placeholder by the domain)."""
    if isinstance(node, str | float) and not isinstance(node, bool):
        return words.get(node, node)
    if isinstance(node, dict):
        return {key: fill(value, words) for key, value in node.items()}
    if isinstance(node, list):
        if len(node) == 1 and isinstance(node[0], str) and isinstance(words.get(node[0]), list):
            return list(words[node[0]])
        return [fill(item, words) for item in node]
    return node


def named_data_only(spec: dict) -> bool:
    """Whether every view's data is a named data set of the spec's `datasets`."""
    views = [spec]
    for view in views:
        data = view.get("data")
        if data is not None and not (isinstance(data, dict) and set(data) == {"name"}):
            return False
        if any(key in view for key in ("concat", "hconcat", "vconcat", "facet", "repeat")):
            return False
        views += [layer for layer in view.get("layer") or [] if isinstance(layer, dict)]
    return isinstance(spec.get("datasets"), dict)

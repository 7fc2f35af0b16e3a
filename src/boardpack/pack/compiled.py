"""Each chart shape compiled from Vega-Lite to Vega once, its figures and words filled in.

A pack's charts share a few shapes (`trend_skeleton`, `spc_skeleton`): the same layers,
scales and legends, with different figures, titles and descriptions. `vega_spec` compiles a
spec's shape (the spec with its title text, description and data sets set aside) once per
process, and fills the compiled Vega spec in for each chart; vl-convert then draws the Vega
spec (`vega_to_svg`), the same SVG as drawing the Vega-Lite spec itself. A spec with data of
its own (inline values, a URL) is compiled whole.
"""

from __future__ import annotations

import functools
import json

import vl_convert

from .chart_store import spec_text

TITLE = "\u0000boardpack title\u0000"
DESCRIPTION = "\u0000boardpack description\u0000"
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
    return shape, words


def fill(node: object, words: dict) -> object:
    """`node` with every placeholder replaced by what it stands for."""
    if isinstance(node, str):
        return words.get(node, node)
    if isinstance(node, dict):
        return {key: fill(value, words) for key, value in node.items()}
    if isinstance(node, list):
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

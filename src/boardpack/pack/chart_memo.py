"""An indicator's charts without building their specs again: what a build learnt of them (their
titles, descriptions, SPC sentences and the keys of their drawings) kept in the chart store as
a note, under a key made from everything the charts are built from.

The chart store keys a drawing by its final spec, so finding a chart there means building its
spec (its figures, title, description, scales) and writing it as canonical JSON: most of a
warm build's time for a council of hundreds of indicators. A chart is a pure function of the
indicator's rows of the pack's history, its reported row, its catalogue entry, its band and
Boardpack's own code, so the note is kept under the hash of exactly those (`ChartMemo.key`; the rows by two
64-bit hashes of each row's values, made for the whole history in one pass):
every figure, title, target or setting the charts could show is in it, and a change to any of
them, or to any of Boardpack's source files, Polars or the renderer, gives a new key. A note
whose drawings the store no longer holds is not used; the charts are built as before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polars as pl

from boardpack.catalogue.models import Indicator

from .chart_store import ChartStore, digest, spec_key
from .charts import Chart
from .spc_chart import SpcChart

#: Raised when what a note holds changes.
NOTE_FORMAT = 1


@cache
def code_fingerprint() -> str:
    """The hash of every source file of Boardpack (which builds the charts) and Polars' version
    (which reads and writes the rows they are built from)."""
    root = Path(__file__).resolve().parent.parent
    hasher = hashlib.sha256(f"polars {pl.__version__}; notes {NOTE_FORMAT}".encode())
    for path in sorted(root.rglob("*.py")):
        hasher.update(str(path.relative_to(root)).encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


@dataclass
class IndicatorCharts:
    """An indicator's trend chart and its SPC chart (None with too few figures)."""

    chart: Chart
    spc: SpcChart | None


@dataclass
class ChartMemo:
    """Notes of the indicators' charts in `store`: `recall` gives the charts of a key, drawn;
    charts built instead are `kept`, and noted by `write` once drawn. `read` takes the pack's
    history first (each indicator's rows hashed in one pass)."""

    store: ChartStore
    kept: list[tuple[str, IndicatorCharts]] = field(default_factory=list)
    rows: dict[str, str] = field(default_factory=dict)
    columns: str = ""

    def read(self, history: pl.DataFrame) -> None:
        """Hash each indicator's rows of `history` (every period and organisation, in order),
        as `views.by_indicator` cuts them up: two 64-bit hashes of every row's values."""
        self.columns = repr(list(history.schema.items()))
        if "indicator" not in history.columns or history.is_empty():
            self.rows = {}
            return
        hashes = pl.DataFrame(
            {
                "indicator": history["indicator"],
                "a": history.hash_rows(seed=0),
                "b": history.hash_rows(seed=1),
            }
        )
        parts = hashes.partition_by("indicator", as_dict=True, maintain_order=True)
        self.rows = {
            str(key[0]): _digest(part["a"].to_numpy().tobytes(), part["b"].to_numpy().tobytes())
            for key, part in parts.items()
            if key[0] is not None
        }

    def key(self, row: dict, indicator: Indicator, band: object) -> str:
        """The key of the charts built from the indicator's rows of the history (`read`), its
        reported `row`, its catalogue entry and its `band`."""
        rows = self.rows.get(str(row["indicator"]), "none")
        reported = repr(sorted(row.items()))
        entry = indicator.model_dump_json()
        fields = (code_fingerprint(), self.columns, rows, reported, entry, repr(band))
        return digest("charts", *fields)

    def recall(self, key: str, chart_id: str, spc_id: str) -> IndicatorCharts | None:
        """The charts noted under `key`, drawn, under the ids given; None if there is no note
        or the store no longer holds a drawing."""
        text = self.store.note(key)
        if text is None:
            return None
        try:
            note = json.loads(text)
        except ValueError:
            return None
        chart = self._chart(note["trend"], chart_id)
        spc = None if note["spc"] is None else self._chart(note["spc"], spc_id)
        if chart is None or (note["spc"] is not None and spc is None):
            return None
        return IndicatorCharts(chart, None if spc is None else SpcChart(spc, note["spc"][3]))

    def _chart(self, noted: list, chart_id: str) -> Chart | None:
        svg = self.store.svg(noted[0])
        if svg is None:
            return None
        chart = Chart(chart_id, noted[1], noted[2], spec=None)  # drawn: no spec to draw
        chart.fill(svg)
        return chart

    def keep(self, key: str, charts: IndicatorCharts) -> None:
        """Charts built under `key`, to be noted once drawn (`write`)."""
        self.kept.append((key, charts))

    def write(self) -> None:
        """Note every kept indicator's charts, now drawn."""
        for key, charts in self.kept:
            spc = charts.spc
            note = {
                "trend": _noted(charts.chart),
                "spc": None if spc is None else [*_noted(spc.chart), spc.sentences],
            }
            self.store.put_note(key, json.dumps(note, ensure_ascii=False))
        self.kept.clear()


def _digest(*parts: bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part)
    return hasher.hexdigest()


def _noted(chart: Chart) -> list:
    return [chart.key or spec_key(chart.spec), chart.title, chart.description]

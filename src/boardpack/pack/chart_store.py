"""The chart store: every chart drawn once, ever.

A chart's SVG is kept on disk under the hash of its final Vega-Lite spec and the renderer's
version (`spec_key`), so it is drawn again only when something it shows changes: a figure, a
title, a target, a colour, the renderer itself. A PNG is kept under the hash of the SVG text it
was made from, its scale and the way it was made (`png_key`, `raster.RASTERIZER`). Nothing is ever stale: a key names exactly what was
drawn, and a changed chart has a new key.

The store is a folder: `.boardpack/cache/` in the project folder, or the folder that
`BOARDPACK_CACHE` names (`off` keeps no store). All layouts, formats, builds, processes and web
workers share it. Every file is written to a temporary name beside it and renamed into place
(`os.replace`), so builders working at once never see half a file; a store that cannot be
written to is read from only. A process about to draw a chart claims it first (`claim`: a file
made only if it is not there), and another process that wants the same chart meanwhile waits
for it (`obtain`) rather than drawing it too; a claim left by a process that died lapses after
`CLAIM_SECONDS`.

Every chart served is touched, so a file's time is when a build last used it: `trim` removes
those no build has used for a while (`boardpack cache clear --older-than DAYS`), and a store
that builds keep adding to stays the size of what they use.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import vl_convert

from .raster import RASTERIZER

#: Names the store's folder ("off": no store); otherwise `.boardpack/cache` in the project.
CACHE_VARIABLE = "BOARDPACK_CACHE"
#: The store's folder inside a project folder.
PROJECT_CACHE = Path(".boardpack") / "cache"
#: The charts' own folder inside the cache folder (`clear` removes it and `TEMPLATES`).
CHARTS = "charts"
#: Compiled page templates, beside the charts (`pack.writer.TemplateCache`).
TEMPLATES = "templates"
#: Raised when the way charts are stored or prepared for the renderer changes.
STORE_FORMAT = 2
RENDERER = f"vl-convert {vl_convert.__version__}; store {STORE_FORMAT}"
#: A claim to draw a chart older than this is taken to be abandoned (its process died).
CLAIM_SECONDS = 120.0
#: How often a process waiting for another's chart looks for it.
POLL_SECONDS = 0.05
KINDS = (".svg", ".png")


def spec_text(spec: dict) -> str:
    """The spec as canonical JSON: the same spec always gives the same text."""
    return json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(*parts: str) -> str:
    hasher = hashlib.sha256(RENDERER.encode())
    for part in parts:
        hasher.update(b"\0")
        hasher.update(part.encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()


def spec_key(spec: dict) -> str:
    """The key of the SVG drawn from `spec`."""
    return digest("svg", spec_text(spec))


def png_key(svg: str, scale: float) -> str:
    """The key of the PNG made from the SVG text `svg` at `scale` by `raster.svg_to_png`."""
    return digest("png", RASTERIZER, repr(float(scale)), svg)


class ChartStore:
    """Drawn charts (SVG text) and their pictures (PNG bytes) by key, in `folder`."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.charts = self.folder / CHARTS

    def __repr__(self) -> str:
        return f"ChartStore({str(self.folder)!r})"

    def path(self, key: str, suffix: str) -> Path:
        return self.charts / key[:2] / f"{key}{suffix}"

    def svg(self, key: str) -> str | None:
        """The SVG kept under `key`, or None; a chart served is marked as used now."""
        data = self._read(self.path(key, ".svg"), touch=True)
        if data is None:
            return None
        text = data.decode("utf-8", "surrogatepass")
        return text if text.rstrip().endswith("</svg>") else None

    def put_svg(self, key: str, svg: str) -> None:
        self._write(self.path(key, ".svg"), svg.encode("utf-8", "surrogatepass"))

    def png(self, key: str) -> bytes | None:
        """The PNG kept under `key`, or None; a picture served is marked as used now."""
        return self._read(self.path(key, ".png"), touch=True)

    def put_png(self, key: str, png: bytes) -> None:
        self._write(self.path(key, ".png"), png)

    def note(self, key: str) -> str | None:
        """The note kept under `key` (what a build knows of charts besides their drawings,
        `pack.chart_memo`), or None; a note served is marked as used now."""
        data = self._read(self.path(key, ".json"), touch=True)
        return None if data is None else data.decode("utf-8", "surrogatepass")

    def put_note(self, key: str, text: str) -> None:
        self._write(self.path(key, ".json"), text.encode("utf-8", "surrogatepass"))

    def claim(self, key: str) -> bool:
        """Claim the drawing of the chart under `key` for this process: False while another
        process holds a claim to it (one older than `CLAIM_SECONDS` is abandoned, and taken
        over). A store that cannot be written to grants every claim."""
        path = self.path(key, ".claim")
        for _ in range(3):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                return True
            except FileExistsError:
                try:
                    if time.time() - path.stat().st_mtime < CLAIM_SECONDS:
                        return False
                    path.unlink()
                except FileNotFoundError:
                    pass  # released meanwhile: try again
            except OSError:
                return True
        return False

    def release(self, key: str) -> None:
        """Give up this process's claim to the chart under `key` (drawn, or failed)."""
        self.path(key, ".claim").unlink(missing_ok=True)

    def obtain(self, key: str) -> str | None:
        """The SVG under `key`, waiting while another process draws it; None once this process
        holds the claim to draw it (the other gave up, or died)."""
        while True:
            svg = self.svg(key)
            if svg is not None:
                return svg
            if self.claim(key):
                svg = self.svg(key)  # drawn just before the claim was released
                if svg is not None:
                    self.release(key)
                return svg
            time.sleep(POLL_SECONDS)

    def count(self) -> int:
        """How many charts and pictures the store holds."""
        if not self.charts.is_dir():
            return 0
        return sum(1 for path in self.charts.glob("*/*") if path.suffix in KINDS)

    def clear(self) -> int:
        """Remove every chart and picture (and the compiled templates kept beside them); how
        many charts and pictures there were."""
        count = self.count()
        shutil.rmtree(self.charts, ignore_errors=True)
        shutil.rmtree(self.folder / TEMPLATES, ignore_errors=True)
        return count

    def trim(self, older_than: float, now: float | None = None) -> int:
        """Remove the charts and pictures no build has used for `older_than` seconds (and
        temporary files left that long by a writer that died); how many charts and pictures
        were removed."""
        cutoff = (time.time() if now is None else now) - older_than
        removed = 0
        for path in self.charts.glob("*/*") if self.charts.is_dir() else ():
            try:
                if path.stat().st_mtime >= cutoff:
                    continue
                path.unlink()
            except OSError:
                continue  # gone meanwhile, or not ours to remove
            removed += path.suffix in KINDS
        return removed

    @staticmethod
    def _read(path: Path, touch: bool = False) -> bytes | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if touch:
            with contextlib.suppress(OSError):  # a store read from only keeps its times
                os.utime(path)
        return data

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        """Write `data` to a temporary file beside `path`, then rename it into place; a store
        that cannot be written to (a read-only folder, a full disk) keeps nothing."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)


def cache_folder(default: Path | None) -> Path | None:
    """Where a chart store lives: the folder `BOARDPACK_CACHE` names if set, otherwise
    `default` (None: no store)."""
    configured = os.environ.get(CACHE_VARIABLE, "").strip()
    if configured.lower() == "off":
        return None
    return Path(configured).expanduser() if configured else default


def store_for(project_folder: Path | str | None) -> ChartStore | None:
    """The chart store of the project in `project_folder`: `.boardpack/cache` in it, or the
    folder `BOARDPACK_CACHE` names; None if there is none."""
    default = None if project_folder is None else Path(project_folder) / PROJECT_CACHE
    folder = cache_folder(default)
    return None if folder is None else ChartStore(folder)


def user_store() -> ChartStore | None:
    """A chart store outside any project (the web app's): the folder `BOARDPACK_CACHE`
    names, otherwise `boardpack` in the user's cache folder (`XDG_CACHE_HOME`, ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    folder = cache_folder((Path(base) if base else Path.home() / ".cache") / "boardpack")
    return None if folder is None else ChartStore(folder)

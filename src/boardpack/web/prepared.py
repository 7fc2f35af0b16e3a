"""Packs prepared ahead of publishing, so that Publish only has to keep the files.

Building a pack (rating every figure, drawing every chart, writing every page) takes a while.
Once every figure of a period is approved nothing usually changes before the officer publishes,
so the server builds the pack ahead, in the background, in every layout the organisation
publishes in (`cycle.published_layouts`, one after another), when the last figure is approved
and when the publish page is opened. Publishing then keeps the files prepared, if nothing was
changed since they were built (no audit entry after the one they were built at): the pack is
the one a build at the click would make, as at the time it was prepared. Otherwise it is built
at the click, as before.

Prepared files sit on disk (`BOARDPACK_PREPARED_DIR`, else the system's temporary folder), so
every server process can use those another prepared. The page shows how a preparation goes:
waiting, started (and how long the last one took), or ready.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

#: Seconds Publish waits for a preparation under way before building the pack itself.
WAIT_SECONDS = 60.0


def root() -> Path:
    """The folder of this database's prepared packs."""
    base = Path(os.environ.get("BOARDPACK_PREPARED_DIR") or tempfile.gettempdir())
    db = settings.DATABASES["default"]
    name = str(db.get("NAME"))
    same = f"{db.get('ENGINE')}|{db.get('HOST')}|{db.get('PORT')}|{name}"
    if "memory" in name:  # an in-memory database is this process's alone
        same += f"|{os.getpid()}"
    return base / "boardpack-prepared" / hashlib.sha256(same.encode()).hexdigest()[:16]


def folder(period, layout: str, at: int) -> Path:
    return root() / f"{period.pk}-{layout}-{at}"


@dataclass
class Prepared:
    """A pack built ahead: its files and the time the Store was read at."""

    files: dict[str, bytes]
    as_at: dt.datetime


def prepare(period, layout: str, at: int, build) -> None:
    """Build the period's pack in `layout` as the Store stands at audit entry `at` (the newest),
    unless it is prepared (or being prepared) already. `build(out, as_at)` writes the pack's
    files into folder `out`."""
    place = folder(period, layout, at)
    place.parent.mkdir(parents=True, exist_ok=True)
    try:
        place.mkdir()  # whoever makes the folder prepares it
    except FileExistsError:
        return
    started = time.perf_counter()
    as_at = timezone.now()
    _note(place, {"started": as_at.isoformat()})
    try:
        build(place / "pack", as_at)
    except Exception:
        shutil.rmtree(place, ignore_errors=True)
        raise
    seconds = round(time.perf_counter() - started, 1)
    _note(place, {"started": as_at.isoformat(), "as_at": as_at.isoformat(), "seconds": seconds})
    _forget_older(period, layout, at)


def taken(period, layout: str, at: int, wait: float = WAIT_SECONDS) -> Prepared | None:
    """The pack prepared for the Store as it stands at audit entry `at` (the newest), waiting
    up to `wait` seconds for a preparation under way; None when there is none to use."""
    place = folder(period, layout, at)
    deadline = time.monotonic() + wait
    while True:
        state = _state(place)
        if state is None:
            return None
        if "as_at" in state:
            pack = place / "pack"
            files = {p.relative_to(pack).as_posix(): p.read_bytes() for p in _files(pack)}
            return Prepared(files, dt.datetime.fromisoformat(state["as_at"]))
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.25)


def progress(period, layout: str, at: int) -> dict:
    """How the preparation for the Store as it stands at audit entry `at` goes: `state` (none,
    started or ready), seconds since it started, or how many seconds it took."""
    state = _state(folder(period, layout, at))
    if state is None:
        return {"state": "none"}
    if "as_at" in state:
        return {"state": "ready", "seconds": state["seconds"]}
    started = dt.datetime.fromisoformat(state["started"])
    return {"state": "started", "since": round((timezone.now() - started).total_seconds())}


def progress_of(period, layouts: list[str], at: int) -> dict[str, dict]:
    """`progress` of each of `layouts`, by layout; one not started while another is under way
    or ready is `queued` (the layouts are prepared one after another)."""
    found = {layout: progress(period, layout, at) for layout in layouts}
    moving = any(p["state"] != "none" for p in found.values())
    return {
        layout: {"state": "queued"} if moving and p["state"] == "none" else p
        for layout, p in found.items()
    }


def _note(place: Path, state: dict) -> None:
    written = place / "state.json.part"
    written.write_text(json.dumps(state), encoding="utf-8")
    written.replace(place / "state.json")


def _state(place: Path) -> dict | None:
    try:
        return json.loads((place / "state.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {"started": timezone.now().isoformat()} if place.is_dir() else None


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _forget_older(period, layout: str, at: int) -> None:
    """Remove this period's earlier preparations in `layout`: the Store has moved on."""
    for place in root().glob(f"{period.pk}-{layout}-*"):
        number = place.name.rsplit("-", 1)[-1]
        if number.isdigit() and int(number) < at:
            shutil.rmtree(place, ignore_errors=True)

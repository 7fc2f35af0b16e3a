"""Publishing a pack from the web app's Store: the demo council (`boardpack serve --demo`), and
with `--large` the web benchmark's council of 500 indicators x 10 years of monthly figures.

In a fresh SQLite database per council, a few runs each, times
- `build_seconds`: publishing with the pack built at the click (`store.publish_pack`: build
  from the Store as it stands, freeze the files);
- `prepare_seconds`: preparing the pack ahead (`boardpack.web.prepared`, as the server does in
  the background once every figure is approved);
- `prepared_publish_seconds`: publishing that keeps the prepared pack (what the officer waits
  for when the pack was prepared before the click);
each for every layout the council publishes in (`cycle.published_layouts`: the default, those
its catalogue configures), as the server prepares them all.
Prints one JSON object with the medians, each run, and the load average as it started (other
work on the machine slows every figure)."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

RUNS = 3


def database(folder: Path) -> None:
    os.environ.setdefault("BOARDPACK_SECRET_KEY", secrets.token_urlsafe(50))
    from django.core.management import call_command

    from boardpack.web import setup

    setup(str(folder / "publish.sqlite3"))
    call_command("migrate", verbosity=0, interactive=False)


def demo_period():
    from boardpack.web import demo

    return demo.seed().period


def large_period(folder: Path):
    """The web benchmark's council imported, with a reporting period open on its last month."""
    import bench_web
    from django.contrib.auth.models import User
    from django.utils import timezone

    from boardpack.web.records.models import ReportingPeriod
    from boardpack.web.store import find_organisation, import_project

    project = bench_web.write_project(folder / "benchmark-borough")
    import_project(project)
    User.objects.get_or_create(username="bench-officer")
    label = "Q4 2025/26"
    return ReportingPeriod.objects.create(
        organisation=find_organisation(), label=label, deadline=timezone.now()
    )


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return round(time.perf_counter() - started, 2)


def publish_times(period, layout: str, runs: int) -> dict[str, list[float]]:
    from boardpack.web import prepared
    from boardpack.web.live import stamp
    from boardpack.web.records.models import ReportingPeriod
    from boardpack.web.store import build_pack_files, publish_pack

    times: dict[str, list[float]] = {"build": [], "prepare": [], "prepared_publish": []}

    def prepare() -> None:
        def build(out, as_at):
            build_pack_files(period, layout, as_at, out)

        prepared.prepare(period, layout, stamp(period.organisation), build)

    def publish_prepared() -> None:
        ready = prepared.taken(period, layout, stamp(period.organisation), wait=0)
        assert ready is not None, "the pack was not prepared"
        publish_pack(period, layout, ready=ready)

    for _ in range(runs):
        times["build"].append(timed(lambda: publish_pack(period, layout)))
        times["prepare"].append(timed(prepare))
        times["prepared_publish"].append(timed(publish_prepared))
        ReportingPeriod.objects.filter(pk=period.pk).update(status=ReportingPeriod.Status.OPEN)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", action="store_true", help="The 500-indicator council.")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    load = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database(folder)
        period = large_period(folder) if args.large else demo_period()
        from boardpack.web.cycle import published_layouts
        from boardpack.web.records.models import Observation

        os.environ["BOARDPACK_PREPARED_DIR"] = str(folder / "prepared")
        layouts = published_layouts(period)
        times = {layout: publish_times(period, layout, args.runs) for layout in layouts}
        figures = Observation.objects.count()
    by_layout = {
        layout: {f"{step}_seconds": statistics.median(runs) for step, runs in steps.items()}
        for layout, steps in times.items()
    }
    answer = {
        "council": "500 indicators" if args.large else "demo",
        "observations": figures,
        "layouts": by_layout,
        "prepare_every_layout_seconds": round(
            sum(m["prepare_seconds"] for m in by_layout.values()), 2
        ),
        "runs": times,
        "load_average_start": load,
        "load_average_end": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(answer))


if __name__ == "__main__":
    main()

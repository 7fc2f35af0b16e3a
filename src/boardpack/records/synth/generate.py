"""`synthesise`: councils chosen, people simulated, submissions written, expected measures worked
out from the truth; one council at a time, so memory stays that of the largest council.

Output folder:
    submissions/<LA_Code>_<quarter end>_<submitted>.csv   one file per council and quarter
    submissions.csv    file, la_code, organisation, quarter_end, submitted
    expected.csv       organisation, measure, period, numerator, denominator, value
    faults.csv         which files, rows and people carry which fault (header only without faults)
    boardpack.yaml     a project whose `records:` section names the submissions
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from boardpack.errors import BoardpackError, Problem

from . import calibration, events, identifiers
from .calendar import (
    LAST_QUARTER_END,
    NEVER,
    as_date,
    day,
    financial_year,
    quarter_ends,
    quarters_between,
    window_start,
)
from .details import person_details
from .faults import FAULT_COLUMNS, NO_FAULTS, FaultPlan
from .injection import plan_faults
from .measures import ascof, local_measures
from .people import MOVED, MOVED_IN, Frame, Incoming, People, simulate
from .submissions import PersonTable, Submission, references, rows, schedule, write
from .view import method_view

LEAD_IN = 400  # days simulated before the first submission's window
NO_NHS_NUMBER = 0.02  # share of people without an NHS number (blank on every row)
EXPECTED_COLUMNS = ["organisation", "measure", "period", "numerator", "denominator", "value"]

WRITTEN = "nothing was written"  # what a refusal stopped, said after the problems' count


@dataclass
class Council:
    """One council's simulated truth and its submissions."""

    plan: calibration.Plan
    people: People
    persons: PersonTable
    events: pl.DataFrame
    arrays: dict[str, np.ndarray]
    submissions: list[Submission]


@dataclass
class Result:
    """What a run wrote and how long it took."""

    out: Path
    councils: int = 0
    files: int = 0
    rows: int = 0
    seconds: float = 0.0
    expected: pl.DataFrame = field(default_factory=pl.DataFrame)


def frame_for(ends: list[date]) -> Frame:
    window = day(window_start(ends[0]))
    return Frame(start=window - LEAD_IN, window=window, end=day(ends[-1]))


def nhs_for(people: People, plan: calibration.Plan, seed: int) -> np.ndarray:
    """Each person's NHS number (int64, -1 for none): people who moved in keep theirs."""
    rng = np.random.default_rng([seed, plan.ordinal, 4])
    own = people["origin"] != MOVED_IN
    numbers = np.full(len(people), -1, dtype=np.int64)
    if own.sum() > identifiers.BLOCK * 0.9:
        raise BoardpackError(
            Problem(
                what=f"{plan.name} would have {own.sum():,} people, more than one council's block of NHS numbers",
                field="--people",
                fix="choose fewer people per council",
            ),
            outcome=WRITTEN,
        )
    numbers[own] = identifiers.nhs_numbers(plan.ordinal, int(own.sum()))
    numbers[rng.random(len(people)) < NO_NHS_NUMBER] = -1
    return np.where(own, numbers, people["nhs_in"])


def movers(plans: list[calibration.Plan], frame: Frame, seed: int) -> dict[int, Incoming]:
    """People whose long-term support ends because they move, sent to another chosen council
    (none when only one council is simulated), arriving there 7-30 days later."""
    incoming: dict[int, list[dict]] = {p.ordinal: [] for p in plans}
    if len(plans) < 2:
        return {o: Incoming.empty() for o in incoming}
    for plan in plans:
        people = simulate(plan, frame, seed)
        rng = np.random.default_rng([seed, plan.ordinal, 3])
        nhs = nhs_for(people, plan, seed)
        arrive = people["t_exit"] + rng.integers(7, 31, size=len(people))
        leaving = (
            (people["exit_reason"] == MOVED)
            & (people["t_exit"] < NEVER)
            & (arrive <= frame.end - 20)
        )
        others = [p.ordinal for p in plans if p.ordinal != plan.ordinal]
        to = np.array(others)[rng.integers(0, len(others), size=len(people))]
        setting = np.where(
            people["t_home"] <= people["t_exit"], people["home_type"], people["setting"]
        )
        for i in np.flatnonzero(leaving):
            incoming[int(to[i])].append(
                {
                    "nhs": nhs[i],
                    "dob": people["dob"][i],
                    "gender": people["gender"][i],
                    "ethnicity": people["ethnicity"][i],
                    "support": people["support"][i],
                    "arrive": arrive[i],
                    "setting": setting[i],
                }
            )
    return {o: _incoming(rows) for o, rows in incoming.items()}


def _incoming(rows: list[dict]) -> Incoming:
    if not rows:
        return Incoming.empty()
    rows = sorted(rows, key=lambda r: (r["arrive"], r["nhs"]))
    column = {name: np.array([r[name] for r in rows], dtype=np.int64) for name in rows[0]}
    return Incoming(**column)


def build(
    plan: calibration.Plan, frame: Frame, seed: int, incoming: Incoming, ends: list[date]
) -> Council:
    people = simulate(plan, frame, seed, incoming)
    truth = events.build(people, frame, np.random.default_rng([seed, plan.ordinal, 6]))
    persons = PersonTable(
        nhs=identifiers.nhs_strings(nhs_for(people, plan, seed)),
        la_id=identifiers.person_ids(len(people)),
        postcode=identifiers.postcodes(np.random.default_rng([seed, plan.ordinal, 5]), len(people)),
        columns=people.columns,
    )
    arrays = {name: truth[name].to_numpy() for name in truth.columns}
    submissions = schedule(plan.la_code, plan.ons_code, plan.ordinal, ends)
    return Council(plan, people, persons, truth, arrays, submissions)


def expected(council: Council, frame: Frame, faults: FaultPlan) -> list[dict]:
    """The council's measures from its truth, after the method's treatment of its faults."""
    view = faults.treat(method_view(council.events, council.persons, council.submissions))
    details = person_details(view)
    year = financial_year(as_date(frame.end))
    quarters = [q for q in quarters_between(frame.window, frame.end)]
    rows_ = ascof(view, details, council.plan.population, year)
    rows_ += local_measures(view, details, quarters, frame.window)
    return [{"organisation": council.plan.ons_code, **row} for row in rows_]


def _check_out(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        raise BoardpackError(
            Problem(
                what="is not empty",
                file=str(out),
                fix="name a new folder, or empty this one, for the synthetic records",
            ),
            outcome=WRITTEN,
        )


def synthesise(
    out: Path,
    councils: int = 2,
    people: int | None = None,
    quarters: int = 5,
    seed: int = 1,
    faults: bool = False,
) -> Result:
    """Simulate `councils` councils' records over `quarters` quarterly submissions ending
    31 March 2025 and write them, with the expected measures, to the folder `out`."""
    _check_arguments(councils, people, quarters)
    out = Path(out)
    _check_out(out)
    began = time.perf_counter()
    (out / "submissions").mkdir(parents=True, exist_ok=True)
    ends = quarter_ends(quarters, LAST_QUARTER_END)
    frame = frame_for(ends)
    plans = calibration.plans(councils, people, seed)
    arriving = movers(plans, frame, seed)
    result = Result(out=out, councils=len(plans))
    collected = {"listed": [], "expected": [], "faults": []}
    with BackgroundWriter() as writer:
        for plan in plans:
            council = build(plan, frame, seed, arriving[plan.ordinal], ends)
            faults_ = plan_faults(council, frame, seed) if faults else NO_FAULTS
            _submit(council, faults_, out, writer, collected, result)
            collected["expected"] += expected(council, frame, faults_)
    _write_outputs(out, collected["listed"], collected["expected"], collected["faults"], plans)
    result.expected = _expected_frame(collected["expected"])
    result.seconds = time.perf_counter() - began
    return result


def _submit(
    council: Council, faults: FaultPlan, out: Path, writer, collected: dict, result: Result
) -> None:
    """Write the council's submissions (and resubmissions), noting where its faults are."""
    recorded = faults.recorded(council.arrays)
    refs = references(recorded["eid"])
    organisation = council.plan.ons_code
    for submission in faults.submissions(council.submissions):
        written = faults.edit(submission, rows(submission, recorded, council.persons, refs))
        writer.write(written, out / submission.file)
        collected["faults"] += faults.located(
            submission, written, organisation, council.persons.la_id
        )
        collected["listed"].append(_listing(submission))
        result.files += 1
        result.rows += written.height
    collected["faults"] += faults.notes()


class BackgroundWriter:
    """Writes files on one other thread, one at a time, so that simulating the next council
    overlaps writing the last file; at most one file waits in memory."""

    def __init__(self):
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.pending = None

    def write(self, frame: pl.DataFrame, path: Path) -> None:
        self._wait()
        self.pending = self.pool.submit(write, frame, path)

    def _wait(self) -> None:
        if self.pending is not None:
            self.pending.result()
            self.pending = None

    def __enter__(self) -> BackgroundWriter:
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._wait()
        finally:
            self.pool.shutdown()


def _check_arguments(councils: int, people: int | None, quarters: int) -> None:
    available = calibration.councils().height
    problems = []
    if not 1 <= councils <= available:
        problems.append(
            Problem(
                what=f"must be from 1 to {available} (the councils of 2024-25)",
                field="--councils",
                value=str(councils),
            )
        )
    if people is not None and people < 10:
        problems.append(
            Problem(
                what="must be at least 10 people with long-term support per council",
                field="--people",
                value=str(people),
            )
        )
    if not 1 <= quarters <= 12:
        problems.append(
            Problem(
                what="must be from 1 to 12 quarterly submissions",
                field="--quarters",
                value=str(quarters),
            )
        )
    if problems:
        raise BoardpackError(problems, outcome=WRITTEN)


def _listing(submission: Submission) -> dict:
    return {
        "file": submission.file,
        "la_code": submission.la_code,
        "organisation": submission.organisation,
        "quarter_end": submission.quarter_end.isoformat(),
        "submitted": submission.submitted.isoformat(),
    }


def _expected_frame(rows_: list[dict]) -> pl.DataFrame:
    schema = {
        "organisation": pl.String,
        "measure": pl.String,
        "period": pl.String,
        "numerator": pl.Int64,
        "denominator": pl.Int64,
        "value": pl.Float64,
    }
    return pl.DataFrame(rows_, schema=schema).select(EXPECTED_COLUMNS)


def _write_outputs(out: Path, listed, expected_rows, fault_rows, plans) -> None:
    pl.DataFrame(listed).write_csv(out / "submissions.csv")
    _expected_frame(expected_rows).write_csv(out / "expected.csv", float_precision=1)
    pl.DataFrame(fault_rows, schema={c: pl.String for c in FAULT_COLUMNS}).write_csv(
        out / "faults.csv"
    )
    (out / "boardpack.yaml").write_text(_project_yaml(listed, plans), encoding="utf-8")


def _project_yaml(listed: list[dict], plans) -> str:
    first = plans[0]
    as_of = max(row["submitted"] for row in listed)
    files = "\n".join(f"    - {row['file']}" for row in listed)
    return (
        "# Synthetic Client Level Data written by `boardpack records synth`: made-up people, real\n"
        "# councils' volumes. expected.csv holds the measures these records should give.\n\n"
        f"organisation:\n  code: {first.ons_code}\n  name: {first.name}\n\n"
        f"records:\n  as_of: {as_of}\n  files:\n{files}\n"
    )

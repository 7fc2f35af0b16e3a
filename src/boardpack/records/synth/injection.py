"""Which rows and people carry each fault, and the fault's effect on files and on the truth.

Each injector picks its targets among people no other injector has taken (so a person carries at
most one row-level fault), from what the latest submission shows, and returns an `Injected`. The
treatments follow DHSC's method documents (`dhsc_cld_methodology/*.md`) and `RESEARCH.md`;
`docs/records-synthetic.md` says, per fault, what is injected, what the method does and so what
`expected.csv` holds.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from . import labels as L
from .calendar import NEVER, as_date, day
from .events import block
from .faults import FaultPlan, Injected, marks, set_each, set_values, set_view
from .submissions import csv_text
from .view import reference_periods

PSEUDO = 100_000_000  # view key of a person known only by the council's own identifier
TAKE_EVERY = 2_654_435_761  # multiplier of the hash that picks rows of a resubmission


class Targets:
    """A council's truth, for picking targets: its events, people and latest submission."""

    def __init__(self, council, frame, rng: np.random.Generator):
        self.council = council
        self.frame = frame
        self.rng = rng
        self.taken: set[int] = set()
        last = council.submissions[-1]
        first, q = day(last.start), day(last.quarter_end)
        ev = council.events
        service = pl.col("etype") == L.SERVICE
        self.latest = ev.filter(
            pl.col("start") <= q, pl.col("end") >= first, service | (pl.col("end") <= q)
        )
        self.horizon = q
        self.year_start = first

    def long_term(self) -> pl.DataFrame:
        """Long-term service rows of the latest submission."""
        return self.latest.filter(pl.col("etype") == L.SERVICE, pl.col("service") <= L.PRISON)

    def people(self, candidates, rate: float, minimum: int) -> list[int]:
        """A share of the candidate people (at least `minimum`) not taken by another fault."""
        pool = sorted(set(int(p) for p in candidates) - self.taken)
        count = min(len(pool), max(minimum, round(rate * len(pool))))
        chosen = sorted(self.rng.choice(pool, size=count, replace=False).tolist()) if count else []
        self.taken.update(chosen)
        return chosen

    def one_event_each(self, rows: pl.DataFrame, people: list[int]) -> list[int]:
        """One event of each person, picked among `rows`."""
        rows = (
            rows.filter(pl.col("person").is_in(people))
            .select("person", "eid")
            .sort("person", "eid")
        )
        rows = rows.with_columns(draw=pl.Series(self.rng.random(rows.height)))
        return (
            rows.sort("person", "draw")
            .group_by("person", maintain_order=True)
            .first()["eid"]
            .to_list()
        )


def plan_faults(council, frame, seed: int) -> FaultPlan:
    rng = np.random.default_rng([seed, council.plan.ordinal, 9])
    targets = Targets(council, frame, rng)
    injected = []
    for inject in INJECTORS:
        made = inject(targets)
        injected += made if isinstance(made, list) else [made] if made else []
    return FaultPlan(injected, resubmit=council.submissions[-1].quarter_end)


def _note(
    council, submission, fault: str, value: str, treatment: str, person=None, eid=None
) -> dict:
    return {
        "fault": fault,
        "organisation": council.plan.ons_code,
        "file": submission.file,
        "line": None,
        "la_person_id": None if person is None else council.persons.la_id[int(person)],
        "event_reference": None if eid is None else f"EV{eid}",
        "field": None,
        "value": value,
        "treatment": treatment,
    }


# -- open services that vanish ----------------------------------------------------------------


def vanished_services(t: Targets) -> Injected | None:
    """Long-term services open in the last-but-one submission, still running, left out of the
    last one. The method crops a service not found in the next reference period to the end of
    the last period it was found in (`6-deduplication.md`, step 2)."""
    subs = t.council.submissions
    if len(subs) < 2:
        return None
    before, last = subs[-2], subs[-1]
    q = day(before.quarter_end)
    running = t.council.events.filter(
        pl.col("etype") == L.SERVICE,
        pl.col("service") <= L.PRISON,
        pl.col("start") <= q,
        pl.col("end") > t.horizon,
    )
    people = t.people(running["person"], 0.01, 2)
    gone = running.filter(pl.col("person").is_in(people)).select("eid", "person", "start", "end")
    crops = _crops(gone, subs, before)
    rows, notes = [], []
    for eid, person, crop in crops.select("eid", "person", "crop").iter_rows():
        where = (
            f"end taken as {crop}"
            if crop
            else "no record kept: in no reference period of an earlier submission"
        )
        rows.append(
            _mark(
                eid,
                "vanished_service",
                "(row)",
                "",
                f"not in later submissions; {where} (6-deduplication.md step 2)",
            )
        )
        notes.append(
            _note(
                t.council,
                last,
                "vanished_service",
                "absent",
                "open in the previous submission, missing here",
                person,
                eid,
            )
        )
    eids = set(gone["eid"].to_list())

    def edit(submission, frame):
        if submission.quarter_end <= before.quarter_end:
            return frame
        return frame.filter(~pl.col("_eid").is_in(list(eids)))

    def treat(view):
        cropped = crops.filter(pl.col("crop_day").is_not_null()).select("eid", "crop_day")
        view = view.filter(
            ~pl.col("eid").is_in(crops.filter(pl.col("crop_day").is_null())["eid"].to_list())
        )
        view = view.join(cropped, on="eid", how="left")
        hit = pl.col("crop_day").is_not_null()
        return view.with_columns(
            end=pl.when(hit).then(pl.col("crop_day")).otherwise(pl.col("end")),
            ref_end=pl.when(hit).then(pl.col("crop_day")).otherwise(pl.col("ref_end")),
            outcome=pl.when(hit)
            .then(pl.lit(L.OUTCOMES[L.CONTINUATION]))
            .otherwise(pl.col("outcome")),
        ).drop("crop_day")

    return Injected("vanished_service", marks(rows), edit=edit, treat=treat, file_notes=notes)


def _crops(gone: pl.DataFrame, submissions, before) -> pl.DataFrame:
    """For each vanished service: the last reference period taken from a submission up to
    `before` that it overlaps; its end is the service's cropped end (null: no such period)."""
    periods = [q for q, s in reference_periods(submissions) if s.quarter_end <= before.quarter_end]
    out = []
    for eid, person, start in gone.select("eid", "person", "start").iter_rows():
        found = [q.end for q in periods if start <= q.end]  # it runs past every period
        crop_day = max(found) if found else None
        out.append((eid, person, crop_day))
    frame = pl.DataFrame(
        out, schema={"eid": pl.Int64, "person": pl.Int64, "crop_day": pl.Int64}, orient="row"
    )
    return frame.with_columns(crop=pl.col("crop_day").cast(pl.Date).cast(pl.String))


def _mark(eid=None, fault="", field="", value="", treatment="", person=None, where=None) -> dict:
    return {
        "eid": eid,
        "person": person,
        "fault": fault,
        "field": field,
        "value": value,
        "treatment": treatment,
        "where": where,
    }


# -- missing identifiers ------------------------------------------------------------------------


def missing_nhs_number(t: Targets) -> Injected:
    """The NHS number left blank on one row of a person who has one. The person ID falls back to
    the council's own identifier on that row (`5-data-cleaning.md`, combined person ID), so the
    row counts as another person."""
    nhs = t.council.persons.nhs
    with_number = [p for p in t.latest["person"].unique().sort().to_list() if nhs[p] is not None]
    people = t.people(with_number, 0.005, 3)
    eids = t.one_event_each(t.latest, people)
    rows = [
        _mark(
            e,
            "missing_nhs_number",
            "NHS_Number",
            "",
            "person ID falls back to LA_Person_Unique_Identifier: counted as a separate person (5-data-cleaning.md)",
        )
        for e in eids
    ]

    def edit(submission, frame):
        return set_values(frame, "_eid", eids, "NHS_Number", None)

    def treat(view):
        hit = pl.col("eid").is_in(eids)
        return view.with_columns(
            person=pl.when(hit).then(pl.col("person") + PSEUDO).otherwise(pl.col("person"))
        )

    return Injected("missing_nhs_number", marks(rows), edit=edit, treat=treat)


def missing_identifiers(t: Targets) -> Injected:
    """Both identifiers blank on one row: no person ID, so the method drops the row
    (`5-data-cleaning.md`: "Row excluded if no person ID present")."""
    people = t.people(t.latest["person"].unique(), 0.002, 3)
    eids = t.one_event_each(t.latest, people)
    rows = [
        _mark(
            e,
            "missing_identifiers",
            "NHS_Number, LA_Person_Unique_Identifier",
            "",
            "row dropped: no person ID (5-data-cleaning.md)",
        )
        for e in eids
    ]

    def edit(submission, frame):
        frame = set_values(frame, "_eid", eids, "NHS_Number", None)
        return set_values(frame, "_eid", eids, "LA_Person_Unique_Identifier", None)

    def treat(view):
        return view.filter(~pl.col("eid").is_in(eids))

    return Injected("missing_identifiers", marks(rows), edit=edit, treat=treat)


# -- labels ------------------------------------------------------------------------------------


def release_1_labels(t: Targets) -> Injected | None:
    """The council's first submission in Release 1 labels (e.g. "Long Term Support: Community").
    The method maps Release 1 values to Release 2 (`5-data-cleaning.md`): no effect."""
    subs = t.council.submissions
    if len(subs) < 2:
        return None
    first = subs[0]
    mapping = {
        f: {csv_text(a): csv_text(b) for a, b in pairs.items()} for f, pairs in L.RELEASE_1.items()
    }

    def edit(submission, frame):
        if submission != first:
            return frame
        return frame.with_columns(pl.col(f).replace(pairs) for f, pairs in mapping.items())

    note = _note(
        t.council,
        first,
        "release_1_labels",
        "Release 1 labels in " + ", ".join(L.RELEASE_1),
        "mapped to Release 2 (5-data-cleaning.md): no effect",
    )
    return Injected("release_1_labels", edit=edit, file_notes=[note])


def _values(
    t: Targets, fault: str, field: str, values: dict, view_column: str | None, treatment: str
) -> Injected:
    """A fault setting `field` on given rows: `values` maps an event to (value in the file as
    CSV text or None, value in the method's view)."""
    rows = [_mark(e, fault, field, _shown(v[0]), treatment) for e, v in values.items()]
    in_file = {e: v[0] for e, v in values.items()}
    in_view = {e: v[1] for e, v in values.items()}

    def edit(submission, frame):
        return set_each(frame, "_eid", in_file, field)

    def treat(view):
        return set_each(view, "eid", in_view, view_column) if view_column else view

    return Injected(fault, marks(rows), edit=edit, treat=treat)


def _shown(value) -> str | None:
    """A file value as faults.csv names it (CSV quoting removed)."""
    if isinstance(value, str) and value.startswith('"'):
        return value[1:-1].replace('""', '"')
    return value


INVALID_ROWS = [  # field, which rows (of the latest submission), share of people, view column, effect
    ("Service_Type", "open_long_term", 0.003, "service", "no longer long-term support"),
    (
        "Delivery_Mechanism",
        "open_community",
        0.005,
        "mechanism",
        "delivery mechanism unknown in 3D",
    ),
    ("Event_Outcome", "requests", 0.003, "outcome", "no measure uses a request's outcome"),
    (
        "Event_Outcome",
        "reablement_ends",
        0.03,
        "outcome",
        "2A cannot classify the episode: left out",
    ),
    ("Ethnicity", "all", 0.002, None, "no measure uses ethnicity"),
]


def _pools(t: Targets) -> dict[str, pl.DataFrame]:
    open_lt = t.long_term().filter(pl.col("end") > t.horizon)
    return {
        "open_long_term": open_lt,
        "open_community": open_lt.filter(pl.col("service") == L.COMMUNITY),
        "requests": t.latest.filter(pl.col("etype") == L.REQUEST),
        "reablement_ends": t.latest.filter(
            pl.col("service") == L.ST_MAX,
            pl.col("end").is_between(t.year_start, t.horizon),
            pl.col("outcome") != L.CONTINUATION,
        ),
        "all": t.latest,
    }


def invalid_labels(t: Targets) -> list[Injected]:
    """Values in no list and no mapping table, on one row each of a few people. The method maps
    them to "Invalid and not mapped" (`5-data-cleaning.md`): a long-term service with an
    invalid service type is no longer long-term support, an invalid delivery mechanism counts as
    unknown in 3D, reablement with an invalid outcome cannot be classified in 2A."""
    pools = _pools(t)
    out = []
    for field, pool, rate, column, effect in INVALID_ROWS:
        eids = t.one_event_each(pools[pool], t.people(pools[pool]["person"].unique(), rate, 2))
        value = (csv_text(L.UNMAPPABLE[field]), L.INVALID)
        out.append(
            _values(
                t,
                "invalid_label",
                field,
                dict.fromkeys(eids, value),
                column,
                f"mapped to {L.INVALID}: {effect}",
            )
        )
    return out


def invalid_accommodation(t: Targets) -> Injected:
    """An accommodation status in no list on every row of a few people with long-term support:
    unknown, so the person is placed by their latest service (2E)."""
    people = t.people(t.long_term()["person"].unique(), 0.005, 2)
    value = L.UNMAPPABLE["Accommodation_Status"]
    treatment = "unknown accommodation on every row: placed by the latest service (2E)"
    rows = [
        _mark(None, "invalid_label", "Accommodation_Status", value, treatment, person=p)
        for p in people
    ]

    def edit(submission, frame):
        return set_each(
            frame, "_person", dict.fromkeys(people, csv_text(value)), "Accommodation_Status"
        )

    def treat(view):
        return set_each(view, "person", dict.fromkeys(people, L.INVALID), "accommodation")

    return Injected("invalid_label", marks(rows), edit=edit, treat=treat)


# -- conflicting demographics ------------------------------------------------------------------
# One row of a person disagreeing with the others. Person details keep the known value of the
# records ranked first (latest reference period, latest end, latest start), "Unknown" where
# those disagree; the earliest date of birth (RESEARCH.md §1.4).

CONFLICT = "conflicting_demographics"


def conflicting_birth(t: Targets) -> Injected:
    """A date of birth 1-3 years earlier, for people aged 31-59 throughout (no age band moves)."""
    dob = t.council.people["dob"]
    mid_life = np.flatnonzero(
        ((t.frame.window - dob) / 365.25 >= 31) & ((t.horizon - dob) / 365.25 <= 59)
    )
    people = t.people(
        t.latest.filter(pl.col("person").is_in(mid_life))["person"].unique(), 0.003, 2
    )
    person_of = _person_of(t)
    values = {}
    for e in t.one_event_each(t.latest, people):
        earlier = int(dob[person_of[e]]) - 365 * int(t.rng.integers(1, 4))
        values[e] = (_iso(earlier), earlier)
    return _values(
        t,
        CONFLICT,
        "Date_of_Birth",
        values,
        "dob",
        "the earliest date of birth of the latest records is kept",
    )


def conflicting_accommodation(t: Targets) -> Injected:
    """Another accommodation status on one row of people with long-term support: settled ones
    "Other temporary accommodation", others "Owner occupier or shared ownership scheme"."""
    people = t.people(t.long_term()["person"].unique(), 0.005, 2)
    status = t.council.persons.accommodation(t.horizon)
    person_of = _person_of(t)
    values = {}
    for e in t.one_event_each(t.latest, people):
        settled = L.ACCOMMODATION[status[person_of[e]]] in L.SETTLED
        other = L.ACCOMMODATION[18] if settled else L.ACCOMMODATION[0]
        values[e] = (csv_text(other), other)
    treatment = "this value if its record is ranked first; Unknown (placed by the latest service) if it ties with others"
    return _values(t, CONFLICT, "Accommodation_Status", values, "accommodation", treatment)


def conflicting_support_reason(t: Targets) -> Injected:
    """ "Mental health support" on one row of people with learning disability support."""
    support = t.council.people["support"]
    lt_people = t.long_term()["person"].unique().to_list()
    people = t.people([p for p in lt_people if support[p] == L.LEARNING_DISABILITY], 0.02, 2)
    eids = t.one_event_each(t.latest.filter(pl.col("etype") != L.REQUEST), people)
    other = L.SUPPORT_REASONS[1]
    treatment = "this value if its record is ranked first; Unknown if it ties with others (2E(1))"
    return _values(
        t,
        CONFLICT,
        "Primary_Support_Reason",
        dict.fromkeys(eids, (other, other)),
        "support",
        treatment,
    )


def _person_of(t: Targets) -> dict[int, int]:
    return dict(zip(t.latest["eid"].to_list(), t.latest["person"].to_list(), strict=True))


def _iso(days: int) -> str:
    return as_date(days).isoformat()


# -- events after death ------------------------------------------------------------------------


def after_death(t: Targets) -> Injected:
    """Services left open after the person's death, and a request and a review dated after it.
    The method ends an event at the date of death where that comes first (`5-data-cleaning.md`,
    corrected end dates) and drops events starting after it (RESEARCH.md §1.4): no effect."""
    p = t.council.people
    ev = t.council.events
    dod = p["dod"]
    died = np.flatnonzero((dod >= t.frame.window) & (dod <= t.horizon - 90))
    services = ev.filter(pl.col("etype") == L.SERVICE, pl.col("person").is_in(died))
    ended_by_death = services.filter(
        pl.Series(services["end"].to_numpy() == dod[services["person"].to_numpy()])
    )
    open_people = t.people(ended_by_death["person"].unique(), 0.05, 2)
    left_open = ended_by_death.filter(pl.col("person").is_in(open_people))["eid"].to_list()
    ghost_people = t.people(died, 0.05, 2)
    base = int(ev["eid"].max()) + 1
    ghosts = _ghosts(t.rng, ghost_people, dod, base)
    rows = [
        _mark(
            e,
            "after_death",
            "Event_End_Date",
            "",
            "end taken as the date of death (5-data-cleaning.md): no effect",
            where="died",
        )
        for e in left_open
    ]
    rows += [
        _mark(
            int(e),
            "after_death",
            "Event_Start_Date",
            _iso(int(s)),
            "dropped: starts after the date of death (RESEARCH.md §1.4): no effect",
        )
        for e, s in zip(ghosts["eid"], ghosts["start"], strict=True)
    ]

    def recorded(events):
        events = dict(events)
        position = np.isin(events["eid"], left_open)
        events["end"] = np.where(position, NEVER, events["end"]).astype(np.int32)
        merged = {k: np.concatenate([events[k], ghosts[k].astype(events[k].dtype)]) for k in events}
        order = np.lexsort((merged["eid"], merged["start"], merged["person"]))
        return {k: v[order] for k, v in merged.items()}

    def treat(view):  # the record kept shows the service running: no outcome yet
        return set_view(view, "eid", left_open, "outcome", L.OUTCOMES[L.CONTINUATION])

    return Injected("after_death", marks(rows), recorded=recorded, treat=treat)


def _ghosts(rng, people: list[int], dod: np.ndarray, base: int) -> dict[str, np.ndarray]:
    """A request 5-40 days and a review 10-40 days after each person's death."""
    people = np.array(people, dtype=np.int64)
    n = len(people)
    death = dod[people] if n else np.zeros(0, dtype=np.int64)
    request_start = death + rng.integers(5, 41, n)
    review_start = death + rng.integers(10, 41, n)
    request = block(
        people,
        L.REQUEST,
        request_start,
        request_start + rng.integers(0, 4, n),
        L.INFORMATION,
        route=0,
    )
    review = block(
        people,
        L.REVIEW,
        review_start,
        review_start + rng.integers(0, 6, n),
        L.CONTINUATION,
        review_reason=0,
        review_method=0,
    )
    out = {k: np.concatenate([request[k], review[k]]) for k in request}
    out["eid"] = np.arange(base, base + 2 * n, dtype=np.int64)
    return out


# -- resubmission ------------------------------------------------------------------------------


def _hash(column: str) -> pl.Expr:
    return (pl.col(column) * TAKE_EVERY) % (2**32) % 1000


def resubmission_with_duplicates(t: Targets) -> Injected:
    """The last quarter submitted twice: first with a tenth of its rows missing, then in full with
    some rows repeated, some of those with another outcome. The method takes the latest
    submission (`3-submission-selection.md`) and keeps one record per unique event
    (`6-deduplication.md`): no effect."""
    last = t.council.submissions[-1]
    injected = Injected("resubmission")
    ev = t.council.events.with_columns(h=_hash("eid"))
    exact = ev.filter(pl.col("h").is_between(100, 109))["eid"].to_list()
    changed = ev.filter(
        pl.col("h").is_between(110, 115),
        pl.col("etype").is_in([L.REQUEST, L.REVIEW]),
        ~pl.col("person").is_in(sorted(t.taken)),  # another fault's outcome stays the one kept
    )["eid"].to_list()
    other = L.OUTCOMES[L.NFA_OTHER]
    injected.marks = marks(
        [
            _mark(
                e,
                "resubmission",
                "(row)",
                "",
                "duplicate: one record kept per unique event (6-deduplication.md)",
                where="duplicate",
            )
            for e in exact
        ]
        + [
            _mark(
                e,
                "resubmission",
                "Event_Outcome",
                other,
                "duplicate with another outcome: one record kept; no measure uses it",
                where="duplicate",
            )
            for e in changed
        ]
    )

    def edit(submission, frame):
        if submission.quarter_end != last.quarter_end:
            return frame
        if submission == last:
            kept = frame.filter(_hash("_eid") >= 100)
            injected.file_notes.append(
                _note(
                    t.council,
                    submission,
                    "resubmission",
                    f"{frame.height - kept.height} of {frame.height} rows missing",
                    "superseded by the resubmission (3-submission-selection.md)",
                )
            )
            return kept
        frame = frame.with_row_index("_order")
        twins = frame.filter(pl.col("_eid").is_in(exact)).with_columns(
            _dup=pl.lit(1, dtype=pl.Int8)
        )
        altered = frame.filter(pl.col("_eid").is_in(changed)).with_columns(
            _dup=pl.lit(1, dtype=pl.Int8), Event_Outcome=pl.lit(other)
        )
        return pl.concat([frame, twins, altered]).sort("_order", "_dup").drop("_order")

    injected.edit = edit
    return injected


INJECTORS = [
    vanished_services,
    missing_nhs_number,
    missing_identifiers,
    release_1_labels,
    invalid_labels,
    invalid_accommodation,
    conflicting_birth,
    conflicting_accommodation,
    conflicting_support_reason,
    after_death,
    resubmission_with_duplicates,
]

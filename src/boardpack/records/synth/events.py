"""The true events of one council's people: every request, assessment, service row and review,
with its real dates and final outcome, one row per event, built with numpy from `People`.

Coded fields hold indexes into the label lists of `labels` (-1 where a field does not apply);
`end` is `NEVER` for what has not ended by the end of the simulation. Long-term services are one
row per package component, re-rowed each 1 April where the council does so; a reablement episode
is one row or two rows a few days apart.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from . import labels as L
from .calendar import NEVER, april_firsts
from .people import DEATH, DIED, ENDED, MOVED, Frame, People

CODES = (
    "route",
    "assessment_type",
    "method",
    "eligible",
    "service",
    "component",
    "mechanism",
    "frequency",
    "review_reason",
    "achieved",
    "review_method",
)
COSTS = ("unit_cost", "units")
CHANGES_A_YEAR = 2.6  # package changes (re-rows) a year
MAX_CHANGES = 8
PRICE_BASE = 18_262  # 1 January 2020: unit costs rise from here
EARLIEST = 400  # days before the first window in which events are still built


def block(person, etype: int, start, end, outcome, **fields) -> dict:
    """One kind of event for the given people; fields not given are -1 (codes) or NaN (costs)."""
    person = np.asarray(person, dtype=np.int32)
    n = len(person)
    block = {
        "person": person,
        "etype": np.full(n, etype, dtype=np.int8),
        "start": np.broadcast_to(np.asarray(start, dtype=np.int32), (n,)),
        "end": np.broadcast_to(np.asarray(end, dtype=np.int32), (n,)),
        "outcome": np.broadcast_to(np.asarray(outcome, dtype=np.int8), (n,)),
    }
    for name in CODES:
        block[name] = np.broadcast_to(np.asarray(fields.get(name, -1), dtype=np.int8), (n,))
    for name in COSTS:
        block[name] = np.broadcast_to(np.asarray(fields.get(name, np.nan), dtype=np.float32), (n,))
    return block


def build(people: People, frame: Frame, rng: np.random.Generator) -> pl.DataFrame:
    """Every true event, sorted by person and start, with `eid` 0.. in that order. Events that
    would share the method's unique-event key with an earlier one are left out."""
    blocks = [
        *_journey(people, rng),
        *_long_term_services(people, frame, rng),
        *_reviews(people, frame, rng),
        *_existing_clients(people, frame, rng),
    ]
    columns = {name: np.concatenate([b[name] for b in blocks]) for name in blocks[0]}
    kept = columns["end"] >= frame.window - EARLIEST
    columns = {name: values[kept] for name, values in columns.items()}
    # the joined-submissions unique-event key (`6-deduplication.md`): a service's end is not in it
    key_end = np.where(columns["etype"] == L.SERVICE, -1, columns["end"])
    key = [columns[k] for k in ("person", "start", "etype", "service", "component")]
    key += [key_end, columns["route"], columns["assessment_type"]]
    order = np.lexsort([columns["end"], *reversed(key)])
    same = np.ones(len(order), dtype=bool)
    for values in key:
        ordered = values[order]
        same[1:] &= ordered[1:] == ordered[:-1]
    same[0] = False
    order = order[~same]
    events = pl.DataFrame({name: values[order] for name, values in columns.items()})
    return events.with_row_index("eid").with_columns(pl.col("eid").cast(pl.Int64))


# -- a new client's journey -----------------------------------------------------------------


def _journey(people: People, rng: np.random.Generator) -> list[dict]:
    index = np.arange(len(people))
    out = []
    asked = people["t_request"] < NEVER
    p = index[asked]
    start = people["t_request"][asked]
    out.append(
        block(
            p,
            L.REQUEST,
            start,
            start + people["request_days"][asked],
            people["request_outcome"][asked],
            route=people["route"][asked],
        )
    )
    assessed = people["t_assess"] < NEVER
    p = index[assessed]
    start = people["t_assess"][assessed]
    outcome = people["assess_outcome"][assessed]
    out.append(
        block(
            p,
            L.ASSESSMENT,
            start,
            start + people["assess_days"][assessed],
            outcome,
            assessment_type=np.where(outcome == L.TO_REABLEMENT, 1, 0),
            method=rng.choice(2, size=len(p), p=(0.7, 0.3)),
            eligible=np.where(outcome == L.TO_SERVICES, 0, 1),
        )
    )
    out += _reablement_rows(people)
    short = people["t_short"] < NEVER
    p = index[short]
    start = people["t_short"][short]
    kind = people["short_type"][short]
    out.append(
        block(
            p,
            L.SERVICE,
            start,
            start + people["short_days"][short],
            L.ENDED_AS_PLANNED,
            service=kind,
            component=np.where(kind == L.LOW_LEVEL, L.EQUIPMENT, L.OTHER_SHORT_COMPONENT),
            mechanism=L.COMMISSIONED,
        )
    )
    return out


def _reablement_rows(people: People) -> list[dict]:
    """Each episode's rows: [start, end] or [start, split] + [split + gap, end]; the last row
    carries the episode's outcome, an earlier one "Continuation of support or services"."""
    index = np.arange(len(people))
    reabled = people["t_reable"] < NEVER
    p = index[reabled]
    start = people["t_reable"][reabled]
    end = start + people["reable_days"][reabled]
    died = people["reable_result"][reabled] == DIED
    end = np.where(died, np.minimum(end, people["dod"][reabled]), end)
    split = people["reable_split"][reabled]
    two = split > 0
    second = start + split + people["reable_gap"][reabled]
    outcome = people["reable_outcome"][reabled]
    fields = {"service": L.ST_MAX, "component": L.REABLEMENT, "mechanism": L.COMMISSIONED}
    first = block(
        p,
        L.SERVICE,
        start,
        np.where(two, start + split, end),
        np.where(two, L.CONTINUATION, outcome),
        **fields,
    )
    last = block(p[two], L.SERVICE, second[two], end[two], outcome[two], **fields)
    return [first, last]


# -- long-term support ----------------------------------------------------------------------


def _segment_outcome(people: People, rng: np.random.Generator, index: np.ndarray) -> np.ndarray:
    """The outcome of the last row of long-term support ending at exit."""
    reason = people["exit_reason"][index]
    ended = rng.choice([L.ENDED_OTHER, L.SELF_FUNDED], size=len(index), p=(0.6, 0.4))
    return np.select(
        [reason == DEATH, reason == MOVED, reason == ENDED],
        [L.DECEASED, L.MOVED, ended],
        L.CONTINUATION,
    )


def _segments(people: People, rng: np.random.Generator) -> dict:
    """Long-term settings in time order: community, then care home (residential or nursing),
    then nursing. Columns: person, start, end, service, outcome."""
    index = np.arange(len(people))
    has = people["t_long"] < NEVER
    t_home, t_nursing, t_exit = people["t_home"], people["t_nursing"], people["t_exit"]
    community = has & (people["setting"] == L.COMMUNITY)
    c_end = np.where(t_home < NEVER, t_home - 1, t_exit)
    home = has & (t_home < NEVER)
    h_end = np.where(t_nursing < NEVER, t_nursing - 1, t_exit)
    nursing = has & (t_nursing < NEVER)
    exit_outcome = _segment_outcome(people, rng, index)
    parts = [
        (
            index[community],
            people["t_long"][community],
            c_end[community],
            L.COMMUNITY,
            np.where(t_home[community] < NEVER, L.TO_SERVICES, exit_outcome[community]),
        ),
        (
            index[home],
            t_home[home],
            h_end[home],
            people["home_type"][home],
            np.where(t_nursing[home] < NEVER, L.TO_SERVICES, exit_outcome[home]),
        ),
        (index[nursing], t_nursing[nursing], t_exit[nursing], L.NURSING, exit_outcome[nursing]),
    ]
    return {
        "person": np.concatenate([p[0] for p in parts]),
        "start": np.concatenate([p[1] for p in parts]),
        "end": np.concatenate([p[2] for p in parts]),
        "service": np.concatenate([np.broadcast_to(p[3], p[0].shape) for p in parts]),
        "outcome": np.concatenate([p[4] for p in parts]),
    }


def _split_at(start: np.ndarray, end: np.ndarray, cuts: np.ndarray):
    """Rows of each segment cut at the days in its row of `cuts` (NEVER pads) that fall inside
    it: for segment i, [start, c1 - 1], [c1, c2 - 1] ... [ck, end]. Returns (segment, row start,
    row end, last row of its segment)."""
    cuts = np.where((cuts > start[:, None]) & (cuts <= end[:, None]), cuts, NEVER)
    cuts.sort(axis=1)
    repeated = np.concatenate(
        [np.zeros((len(cuts), 1), dtype=bool), cuts[:, 1:] == cuts[:, :-1]], axis=1
    )
    cuts = np.where(repeated, NEVER, cuts)
    cuts.sort(axis=1)
    counts = (cuts < NEVER).sum(axis=1)
    segment = np.repeat(np.arange(len(start)), counts + 1)
    rank = np.arange(len(segment)) - np.repeat(np.cumsum(counts + 1) - (counts + 1), counts + 1)
    padded = np.concatenate([start[:, None], cuts], axis=1)
    row_start = padded[segment, rank]
    next_cut = np.concatenate([cuts, np.full((len(start), 1), NEVER)], axis=1)[segment, rank]
    last = rank == counts[segment]
    row_end = np.where(last, end[segment], next_cut - 1)
    return segment, row_start, row_end, last


def _changes(
    rng: np.random.Generator, start: np.ndarray, end: np.ndarray, frame: Frame
) -> np.ndarray:
    """Days a package changes (a new row: new hours, new provider), about `CHANGES_A_YEAR` a
    year while it runs inside the simulated span; NEVER pads each segment's row."""
    low = np.maximum(start, frame.window - EARLIEST)
    high = np.minimum(end, frame.end)
    span = np.maximum(high - low, 0)
    count = np.minimum(rng.poisson(CHANGES_A_YEAR * span / 365.25), MAX_CHANGES)
    days = low[:, None] + (rng.random((len(start), MAX_CHANGES)) * span[:, None]).astype(np.int64)
    return np.where(np.arange(MAX_CHANGES)[None, :] < count[:, None], days, NEVER)


def _extras(people: People, seg: dict, rng: np.random.Generator) -> dict:
    """Extra components of community packages (day support, meals ...), each starting 0-120 days
    into the community segment and ending with it; never the main component."""
    person = seg["person"]
    count = np.where(seg["service"] == L.COMMUNITY, people["extras"][person], 0)
    of = np.repeat(np.arange(len(person)), count)
    rank = np.arange(len(of)) - np.repeat(np.cumsum(count) - count, count)
    start = seg["start"][of] + rng.integers(0, 121, size=len(of))
    keep = start < seg["end"][of] - 14
    of, rank, start = of[keep], rank[keep], start[keep]
    choices = np.array(L.EXTRA_COMPONENTS)
    pick = rng.integers(0, len(choices), size=len(of)) + rank * 2
    component = choices[pick % len(choices)]
    clash = component == people["component"][person[of]]
    component = np.where(clash, choices[(pick + 1) % len(choices)], component)
    return {"of": of, "start": start, "component": component}


def _package_rows(people: People, seg: dict, rng: np.random.Generator) -> dict:
    """One row per setting segment (the main service) and per extra component, before re-rows."""
    person = seg["person"]
    community = seg["service"] == L.COMMUNITY
    component = np.select(
        [community, seg["service"] == L.NURSING],
        [people["component"][person], L.NURSING_COMPONENT],
        L.RESIDENTIAL_COMPONENT,
    )
    mechanism = np.where(community, people["mechanism"][person], L.COMMISSIONED)
    extra = _extras(people, seg, rng)
    of = extra["of"]
    return {
        "person": np.concatenate([person, person[of]]),
        "start": np.concatenate([seg["start"], extra["start"]]),
        "end": np.concatenate([seg["end"], seg["end"][of]]),
        "service": np.concatenate([seg["service"], seg["service"][of]]),
        "component": np.concatenate([component, extra["component"]]),
        "mechanism": np.concatenate([mechanism, np.full(len(of), L.COMMISSIONED)]),
        "outcome": np.concatenate([seg["outcome"], seg["outcome"][of]]),
        "segment": np.concatenate([np.arange(len(person)), of]),
    }


def _long_term_services(people: People, frame: Frame, rng: np.random.Generator) -> list[dict]:
    """Long-term service rows: each package row cut at 1 April (where the council re-rows at
    new prices) and at the package's changes; a cut row ends the day before the next starts."""
    seg = _segments(people, rng)
    rows = _package_rows(people, seg, rng)
    aprils = np.array(april_firsts(frame.window - EARLIEST, frame.end), dtype=np.int64)
    uplift = people["uplift"][rows["person"]]
    cuts = np.concatenate(
        [
            np.where(uplift[:, None], aprils[None, :], NEVER),
            _changes(rng, seg["start"], seg["end"], frame)[rows["segment"]],
        ],
        axis=1,
    )
    segment, start, end, last = _split_at(rows["start"], rows["end"], cuts)
    outcome = np.where(last, rows["outcome"][segment], L.CONTINUATION)
    component = rows["component"][segment]
    cost, frequency, units = _costs(rng, rows["service"][segment], component, start)
    return [
        block(
            rows["person"][segment],
            L.SERVICE,
            start,
            end,
            outcome,
            service=rows["service"][segment],
            component=component,
            mechanism=rows["mechanism"][segment],
            unit_cost=cost,
            frequency=frequency,
            units=units,
        )
    ]


def _costs(rng, service, component, start):
    """Unit cost (rising about 4% a year), frequency and planned units per week."""
    n = len(service)
    uplift = 1.04 ** np.clip((start - PRICE_BASE) / 365.25, 0, 10)
    home = (service == L.RESIDENTIAL) | (service == L.NURSING)
    hourly = component == L.HOME_SUPPORT
    daily = component == L.DAY_SUPPORT
    base = np.select(
        [service == L.NURSING, home, hourly, daily],
        [
            rng.uniform(1000, 1500, n),
            rng.uniform(750, 1150, n),
            rng.uniform(20, 29, n),
            rng.uniform(40, 85, n),
        ],
        rng.uniform(60, 450, n),
    )
    frequency = np.select([hourly, daily], [L.HOURLY, L.DAILY], L.WEEKLY)
    units = np.select([hourly, daily], [rng.integers(3, 31, n), rng.integers(1, 6, n)], 1).astype(
        np.float32
    )
    return np.round(base * uplift, 2).astype(np.float32), frequency, units


# -- reviews and the activity of existing clients --------------------------------------------


def _reviews(people: People, frame: Frame, rng: np.random.Generator) -> list[dict]:
    """A first review 6-13 weeks into long-term support, then about yearly (some missed), and an
    unplanned review before a move from the community into a care home."""
    index = np.flatnonzero(people["t_long"] < NEVER)
    t_long, t_exit = people["t_long"][index], people["t_exit"][index]
    first = t_long + rng.integers(42, 91, size=len(index))
    earliest = frame.window - EARLIEST
    skip_years = np.maximum(0, (earliest - first) // 365)
    years = int((frame.end - earliest) // 365) + 2
    k = skip_years[:, None] + np.arange(years)[None, :]
    start = first[:, None] + 365 * k + rng.integers(-30, 31, size=k.shape)
    end = start + rng.integers(0, 15, size=k.shape)
    held = (
        (rng.random(k.shape) > 0.15)
        & (end < t_exit[:, None])
        & (start > t_long[:, None])
        & (start <= frame.end)
    )
    person = np.broadcast_to(index[:, None], k.shape)[held]
    n = held.sum()
    planned = block(
        person,
        L.REVIEW,
        start[held],
        end[held],
        rng.choice([L.CONTINUATION, L.TO_SERVICES], size=n, p=(0.85, 0.15)),
        review_reason=0,
        achieved=rng.choice(3, size=n, p=(0.6, 0.3, 0.1)),
        review_method=rng.choice(2, size=n, p=(0.7, 0.3)),
    )
    moving = index[
        (people["t_home"][index] < NEVER)
        & (people["t_home"][index] > t_long + 25)
        & (people["setting"][index] == L.COMMUNITY)
    ]
    start = people["t_home"][moving] - rng.integers(3, 21, size=len(moving))
    unplanned = block(
        moving,
        L.REVIEW,
        start,
        start + rng.integers(0, 3, size=len(moving)),
        L.TO_SERVICES,
        review_reason=1,
        review_method=0,
    )
    return [planned, unplanned]


def _times(rng, low: np.ndarray, high: np.ndarray, rate: float, people: np.ndarray):
    """Events at `rate` a year between `low` and `high` (at most 4 each): (person, day)."""
    span = np.maximum(high - low, 0)
    count = np.minimum(rng.poisson(rate * span / 365.25), 4)
    person = np.repeat(people, count)
    start = np.repeat(low, count) + (rng.random(count.sum()) * np.repeat(span, count)).astype(
        np.int64
    )
    return person, start


def _existing_clients(people: People, frame: Frame, rng: np.random.Generator) -> list[dict]:
    """Requests, reassessments, unplanned reviews, equipment and reablement of people while their
    long-term support is open (none within 10 days of its start, nor 45 of its end)."""
    index = np.flatnonzero(people["t_long"] < NEVER)
    low = np.maximum(people["t_long"][index], frame.window - EARLIEST) + 10
    high = np.minimum(people["t_exit"][index], frame.end) - 45
    p, t = _times(rng, low, high, 0.25, index)
    n = len(p)
    out = [
        block(
            p,
            L.REQUEST,
            t,
            t + rng.integers(0, 6, n),
            rng.choice([L.INFORMATION, L.CONTINUATION], n, p=(0.6, 0.4)),
            route=0,
        )
    ]
    p, t = _times(rng, low, high, 0.45, index)
    n = len(p)
    out.append(
        block(
            p,
            L.ASSESSMENT,
            t,
            t + rng.integers(3, 31, n),
            rng.choice([L.CONTINUATION, L.TO_SERVICES], n, p=(0.7, 0.3)),
            assessment_type=0,
            method=rng.choice(2, n, p=(0.6, 0.4)),
            eligible=0,
        )
    )
    p, t = _times(rng, low, high, 0.15, index)
    n = len(p)
    out.append(
        block(
            p,
            L.REVIEW,
            t,
            t + rng.integers(0, 4, n),
            L.CONTINUATION,
            review_reason=1,
            review_method=0,
        )
    )
    p, t = _times(rng, low, high, 0.3, index)
    n = len(p)
    out.append(
        block(
            p,
            L.SERVICE,
            t,
            t + rng.integers(7, 45, n),
            L.ENDED_AS_PLANNED,
            service=L.LOW_LEVEL,
            component=L.EQUIPMENT,
            mechanism=L.COMMISSIONED,
        )
    )
    out.append(_existing_reablement(people, frame, rng, index))
    return out


def _existing_reablement(people: People, frame: Frame, rng, index: np.ndarray) -> dict:
    """Reablement for a few community clients, well inside their community support."""
    community_end = np.where(
        people["t_home"][index] < NEVER, people["t_home"][index] - 1, people["t_exit"][index]
    )
    room = np.minimum(community_end, frame.end) - 60 - 35 - (people["t_long"][index] + 60)
    chosen = (
        (people["setting"][index] == L.COMMUNITY) & (room > 0) & (rng.random(len(index)) < 0.04)
    )
    p = index[chosen]
    start = people["t_long"][p] + 60 + (rng.random(len(p)) * room[chosen]).astype(np.int64)
    return block(
        p,
        L.SERVICE,
        start,
        start + rng.integers(14, 36, size=len(p)),
        L.ENDED_AS_PLANNED,
        service=L.ST_MAX,
        component=L.REABLEMENT,
        mechanism=L.COMMISSIONED,
    )

"""People and their care journeys, simulated for one council with numpy, one array per attribute.

Two kinds of people start in the simulation: those already in long-term support on its first
day (the stock, their support started years before) and new clients, whose journey starts with a
request for support: no further action, or an assessment, or reablement (ST-Max); an assessment
leads to long-term support, reablement, another short-term service or no further action;
reablement ends as planned, leads to a low-level or other short-term service, to long-term
support, to hospital, is declined, or the person dies. Long-term support starts in the community
or in a care home; community clients may move into a care home, residents into nursing care; it
ends when the person dies, moves to another council or the support ends. A person who moves to
another simulated council arrives there as a new client with the same NHS number.

Times are whole days (see `calendar`); `NEVER` marks what does not happen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import labels as L
from .calendar import NEVER
from .calibration import CARE_HOME_EXIT, COMMUNITY_EXIT, EXIT_SHARES, Plan

YEAR = 365.25
ADULT = 18.3  # youngest age at a first contact, in years

# Where a new client's journey goes.
NFA, ASSESS, REABLE = range(3)  # after the request
TO_LONG_TERM, TO_REABLEMENT, TO_SHORT, TO_NOTHING = range(4)  # after the assessment
PLANNED, SHORT_AFTER, LONG_TERM_AFTER, HOSPITAL, DIED, DECLINED = range(6)  # after reablement
DEATH, MOVED, ENDED = range(3)  # why long-term support ends

STOCK, NEW_CLIENT, MOVED_IN = range(3)


@dataclass(frozen=True)
class Frame:
    """The simulated span: from `start` (before the first submission's window, so journeys are
    under way) to `end` (the last quarter end); `window` is the first day any submission covers."""

    start: int
    window: int
    end: int

    @property
    def years(self) -> float:
        return (self.end - self.start + 1) / YEAR


@dataclass
class Incoming:
    """People arriving from another simulated council: their identity and long-term setting."""

    nhs: np.ndarray
    dob: np.ndarray
    gender: np.ndarray
    ethnicity: np.ndarray
    support: np.ndarray
    arrive: np.ndarray
    setting: np.ndarray

    @classmethod
    def empty(cls) -> Incoming:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none, none, none, none, none)


def _pick(rng: np.random.Generator, n: int, weights, choices=None) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    picked = rng.choice(len(weights), size=n, p=weights / weights.sum())
    return picked if choices is None else np.asarray(choices)[picked]


def _days(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    """Whole days from `low` to `high` inclusive."""
    return rng.integers(low, high + 1, size=n)


def _exp_days(rng: np.random.Generator, hazard, n: int) -> np.ndarray:
    """Days to an event with yearly `hazard` (scalar or per person); NEVER where hazard is 0."""
    hazard = np.broadcast_to(np.asarray(hazard, dtype=float), (n,))
    draw = rng.exponential(1.0, size=n) / np.where(hazard > 0, hazard, 1.0) * YEAR
    return np.where(hazard > 0, np.minimum(draw, NEVER / 2), NEVER).astype(np.int64)


class People:
    """Every simulated person of one council: a dict of equal-length numpy arrays."""

    def __init__(self, columns: dict[str, np.ndarray]):
        self.columns = columns

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __setitem__(self, name: str, values) -> None:
        self.columns[name] = np.asarray(values)

    def __len__(self) -> int:
        return len(self.columns["group"])

    @classmethod
    def concat(cls, parts: list[People]) -> People:
        names = parts[0].columns.keys()
        return cls({name: np.concatenate([p[name] for p in parts]) for name in names})


def simulate(plan: Plan, frame: Frame, seed: int, incoming: Incoming | None = None) -> People:
    """The people of `plan`'s council over `frame`. The same seed gives the same people; people
    moving in from other councils (`incoming`) are added after the council's own, from a random
    stream of their own, so the council's own people do not depend on who moves in."""
    rng = np.random.default_rng([seed, plan.ordinal, 1])
    own = [_stock(plan, frame, rng, g) for g in (0, 1)]
    own += [_new_clients(plan, frame, rng, g) for g in (0, 1)]
    people = _lives(plan, frame, rng, People.concat(own))
    if incoming is not None and len(incoming.nhs):
        rng = np.random.default_rng([seed, plan.ordinal, 2])
        moved = _lives(plan, frame, rng, _moved_in(plan, frame, rng, incoming))
        people = People.concat([people, moved])
    return people


def _lives(plan: Plan, frame: Frame, rng: np.random.Generator, people: People) -> People:
    """Long-term support, packages, accommodation and deaths of `people`."""
    _long_term(plan, frame, rng, people)
    _community_package(plan, rng, people)
    _accommodation(plan, rng, people)
    _guard_deaths(people)
    return people


# -- who they are ---------------------------------------------------------------------------


def _identity(
    rng: np.random.Generator, n: int, group: int, first_contact: np.ndarray, frame: Frame
) -> dict:
    """Date of birth, gender, ethnicity, carer: everyone 18.3+ at first contact, at most 100 at
    the end of the simulation."""
    if group == 0:
        age = ADULT + rng.beta(1.3, 1.6, size=n) * (64.9 - ADULT)
    else:
        age = 65.0 + np.minimum(rng.gamma(2.2, 7.5, size=n), 34.0)
    dob = first_contact - (age * YEAR).astype(np.int64)
    dob = np.maximum(dob, frame.end - int(100.9 * YEAR))
    return {
        "group": np.full(n, group, dtype=np.int8),
        "dob": dob,
        "gender": rng.choice(2, size=n, p=(0.42, 0.58) if group else (0.5, 0.5)),
        "ethnicity": _pick(rng, n, L.ETHNICITY_WEIGHTS),
        "carer": _pick(rng, n, (0.35, 0.55, 0.10)),
        "funding": _pick(rng, n, (0.7, 0.3)),
    }


def _support_reason(rng: np.random.Generator, n: int, group: int, ld_share) -> np.ndarray:
    weights = L.SUPPORT_WEIGHTS_OLDER if group else L.SUPPORT_WEIGHTS_WORKING_AGE
    other = _pick(rng, n, weights)
    if group:
        return other
    return np.where(rng.random(n) < ld_share, L.LEARNING_DISABILITY, other)


def _blank_journey(n: int) -> dict:
    """Journey columns of people with no journey in the simulation yet."""
    never = np.full(n, NEVER, dtype=np.int64)
    none = np.full(n, -1, dtype=np.int64)
    return {
        "t_request": never.copy(),
        "request_days": np.zeros(n, dtype=np.int64),
        "route": none.copy(),
        "request_outcome": none.copy(),
        "t_assess": never.copy(),
        "assess_days": np.zeros(n, dtype=np.int64),
        "assess_outcome": none.copy(),
        "t_reable": never.copy(),
        "reable_days": np.zeros(n, dtype=np.int64),
        "reable_split": np.zeros(n, dtype=np.int64),
        "reable_gap": np.zeros(n, dtype=np.int64),
        "reable_result": none.copy(),
        "reable_outcome": none.copy(),
        "t_short": never.copy(),
        "short_days": np.zeros(n, dtype=np.int64),
        "short_type": none.copy(),
        "t_long": never.copy(),
        "setting": none.copy(),
        "dod": never.copy(),
        "nhs_in": np.full(n, -1, dtype=np.int64),
    }


# -- the stock ------------------------------------------------------------------------------


def _stock(plan: Plan, frame: Frame, rng: np.random.Generator, group: int) -> People:
    """People in long-term support on the first simulated day, their support backdated."""
    community, care_home = (rng.poisson(v) for v in plan.stock[group])
    n = community + care_home
    setting = np.where(np.arange(n) < community, L.COMMUNITY, L.RESIDENTIAL)
    nursing = rng.random(n) < (0.35 if group else 0.2)
    setting = np.where((setting == L.RESIDENTIAL) & nursing, L.NURSING, setting)
    identity = _identity(rng, n, group, np.full(n, frame.start), frame)
    hazard = np.where(setting == L.COMMUNITY, COMMUNITY_EXIT[group], CARE_HOME_EXIT[group])
    back = np.minimum(_exp_days(rng, hazard, n), int(12 * YEAR)) + 1
    earliest = identity["dob"] + int(ADULT * YEAR)
    t_long = np.maximum(frame.start - back, earliest)
    journey = _blank_journey(n)
    journey.update(t_long=t_long, setting=setting)
    identity["support"] = _support_reason(rng, n, group, plan.learning_disability)
    return People({**identity, **journey, "origin": np.full(n, STOCK, dtype=np.int8)})


# -- new clients ----------------------------------------------------------------------------


def _branches(plan: Plan, group: int) -> tuple[tuple, tuple, tuple]:
    """Probabilities after the request, after the assessment and after reablement."""
    success = plan.reablement_success
    classified = 0.91
    short_after = min(0.06, classified * success)
    after_reable = (
        classified * success - short_after,
        short_after,
        classified * (1 - success),
        0.05,
        0.02,
        0.02,
    )
    long_term_share = plan.entrants[group] / max(plan.arrivals[group], 1e-9)
    reable = plan.reablement_share
    assess = 0.45
    to_reable = min(0.15, reable / assess)
    to_long = float(np.clip((long_term_share - reable * after_reable[2]) / assess, 0.02, 0.7))
    to_short = min(0.2, max(0.0, 1 - to_long - to_reable - 0.05))
    after_assess = (to_long, to_reable, to_short, max(0.0, 1 - to_long - to_reable - to_short))
    direct = max(0.0, reable - assess * to_reable)
    after_request = (1 - assess - direct, assess, direct)
    return after_request, after_assess, after_reable


def _new_clients(plan: Plan, frame: Frame, rng: np.random.Generator, group: int) -> People:
    """Requests from new clients arriving through the simulation, and where each leads."""
    n = rng.poisson(plan.arrivals[group] * frame.years)
    t_request = frame.start + rng.integers(0, frame.end - frame.start + 1, size=n)
    after_request, after_assess, after_reable = _branches(plan, group)
    branch = _pick(rng, n, after_request)
    assess_branch = np.where(branch == ASSESS, _pick(rng, n, after_assess), -1)
    long_term_bound = assess_branch == TO_LONG_TERM
    identity = _identity(rng, n, group, t_request, frame)
    ld = np.where(long_term_bound, plan.learning_disability, plan.learning_disability * 0.15)
    identity["support"] = _support_reason(rng, n, group, ld)
    journey = _blank_journey(n)
    journey["route"] = _pick(rng, n, L.ROUTE_WEIGHTS)
    _request(rng, journey, t_request, branch)
    _assessment(rng, journey, branch, assess_branch, plan, group)
    _reablement(rng, journey, after_reable, plan, group)
    return People({**identity, **journey, "origin": np.full(n, NEW_CLIENT, dtype=np.int8)})


def _request(rng, journey: dict, t_request: np.ndarray, branch: np.ndarray) -> None:
    n = len(t_request)
    journey["t_request"] = t_request
    journey["request_days"] = _days(rng, 0, 10, n)
    nfa = _pick(rng, n, L.NFA_AT_REQUEST_WEIGHTS, L.NFA_AT_REQUEST)
    journey["request_outcome"] = np.select(
        [branch == NFA, branch == ASSESS], [nfa, L.TO_ASSESSMENT], L.TO_REABLEMENT
    )
    end = t_request + journey["request_days"]
    journey["t_assess"] = np.where(branch == ASSESS, end + _days(rng, 0, 14, n), NEVER)
    journey["t_reable"] = np.where(branch == REABLE, end + _days(rng, 1, 7, n), NEVER)


def _assessment(rng, journey: dict, branch, assess_branch, plan: Plan, group: int) -> None:
    n = len(branch)
    assessed = branch == ASSESS
    journey["assess_days"] = np.where(assessed, _days(rng, 5, 42, n), 0)
    end = journey["t_assess"] + journey["assess_days"]
    nfa = _pick(
        rng, n, (0.5, 0.2, 0.15, 0.15), (L.INFORMATION, L.SELF_FUNDED, L.DECLINED, L.NO_SERVICES)
    )
    outcome = np.select(
        [assess_branch == TO_LONG_TERM, assess_branch == TO_REABLEMENT, assess_branch == TO_SHORT],
        [L.TO_SERVICES, L.TO_REABLEMENT, L.TO_SERVICES],
        nfa,
    )
    journey["assess_outcome"] = np.where(assessed, outcome, -1)
    long_term = assess_branch == TO_LONG_TERM
    journey["t_long"] = np.where(long_term, end + _days(rng, 1, 28, n), journey["t_long"])
    journey["setting"] = np.where(
        long_term, _first_setting(rng, n, plan, group), journey["setting"]
    )
    to_reable = assess_branch == TO_REABLEMENT
    journey["t_reable"] = np.where(to_reable, end + _days(rng, 1, 7, n), journey["t_reable"])
    short = assess_branch == TO_SHORT
    journey["t_short"] = np.where(short, end + _days(rng, 0, 14, n), journey["t_short"])
    journey["short_days"] = np.where(short, _days(rng, 14, 120, n), journey["short_days"])
    journey["short_type"] = np.where(
        short, _pick(rng, n, (0.7, 0.3), (L.LOW_LEVEL, L.OTHER_SHORT)), -1
    )


def _first_setting(rng, n: int, plan: Plan, group: int) -> np.ndarray:
    """Community, or a care home (residential or nursing) for the direct-to-care-home share."""
    home = rng.random(n) < plan.direct_to_care_home[group]
    nursing = rng.random(n) < (0.35 if group else 0.2)
    return np.where(home, np.where(nursing, L.NURSING, L.RESIDENTIAL), L.COMMUNITY)


def _reablement(rng, journey: dict, after_reable, plan: Plan, group: int) -> None:
    """Reablement episodes: one service row, or two rows 0-3 days apart (one episode to the
    method's 7-day clustering); then what follows within 0-5 days of its end."""
    n = len(journey["t_reable"])
    reabled = journey["t_reable"] < NEVER
    days = _days(rng, 10, 42, n)
    result = np.where(reabled, _pick(rng, n, after_reable), -1)
    split = np.where((rng.random(n) < 0.4) & (result != DIED), _days(rng, 4, 8, n), 0)
    journey["reable_days"] = np.where(reabled, days, 0)
    journey["reable_split"] = np.where(reabled, split, 0)
    journey["reable_gap"] = np.where(reabled & (split > 0), _days(rng, 0, 3, n), 0)
    journey["reable_result"] = result
    planned = _pick(rng, n, (0.85, 0.1, 0.05), (L.ENDED_AS_PLANNED, L.INFORMATION, L.ENDED_OTHER))
    journey["reable_outcome"] = np.select(
        [result == PLANNED, result == HOSPITAL, result == DIED, result == DECLINED, result >= 0],
        [planned, L.HOSPITAL, L.DECEASED, L.DECLINED, L.TO_SERVICES],
        -1,
    )
    end = journey["t_reable"] + days
    follow = end + _days(rng, 0, 5, n)
    long_term = result == LONG_TERM_AFTER
    journey["t_long"] = np.where(long_term, follow, journey["t_long"])
    journey["setting"] = np.where(
        long_term, _first_setting(rng, n, plan, group), journey["setting"]
    )
    short = result == SHORT_AFTER
    journey["t_short"] = np.where(short, follow, journey["t_short"])
    journey["short_days"] = np.where(short, _days(rng, 14, 90, n), journey["short_days"])
    journey["short_type"] = np.where(
        short, _pick(rng, n, (0.7, 0.3), (L.LOW_LEVEL, L.OTHER_SHORT)), journey["short_type"]
    )
    journey["dod"] = np.where(result == DIED, end, journey["dod"])


def _moved_in(plan: Plan, frame: Frame, rng: np.random.Generator, incoming: Incoming) -> People:
    """People who moved from another council: a request some weeks after the move, an
    assessment, and long-term support in the setting they had."""
    n = len(incoming.nhs)
    group = np.where((incoming.arrive - incoming.dob) / YEAR >= 65, 1, 0).astype(np.int8)
    t_request = incoming.arrive
    journey = _blank_journey(n)
    journey["route"] = np.zeros(n, dtype=np.int64)
    _request(rng, journey, t_request, np.full(n, ASSESS))
    journey["assess_days"] = _days(rng, 5, 30, n)
    journey["assess_outcome"] = np.full(n, L.TO_SERVICES)
    journey["t_long"] = journey["t_assess"] + journey["assess_days"] + _days(rng, 1, 14, n)
    journey["setting"] = incoming.setting
    identity = {
        "group": group,
        "dob": incoming.dob,
        "gender": incoming.gender,
        "ethnicity": incoming.ethnicity,
        "carer": _pick(rng, n, (0.35, 0.55, 0.10)),
        "funding": _pick(rng, n, (0.7, 0.3)),
        "support": incoming.support,
    }
    people = People({**identity, **journey, "origin": np.full(n, MOVED_IN, dtype=np.int8)})
    people["nhs_in"] = incoming.nhs
    return people


# -- long-term support ----------------------------------------------------------------------


def _long_term(plan: Plan, frame: Frame, rng: np.random.Generator, people: People) -> None:
    """When community clients move into a care home, residents into nursing care, and when and
    why long-term support ends. Hazards run from the later of the support's start and the first
    simulated day (the stock's past is not simulated)."""
    n = len(people)
    group = people["group"].astype(int)
    has = people["t_long"] < NEVER
    clock = np.maximum(people["t_long"], frame.start)
    community = people["setting"] == L.COMMUNITY
    to_home = np.array(plan.to_care_home)[group]
    move_days = _exp_days(rng, np.where(community & has, to_home, 0.0), n)
    exit_c = _exp_days(rng, np.array(COMMUNITY_EXIT)[group], n)
    moves = community & has & (move_days < exit_c) & (clock + move_days >= people["t_long"] + 14)
    t_home = np.where(moves, clock + move_days, np.where(has & ~community, people["t_long"], NEVER))
    nursing = rng.random(n) < np.where(group == 1, 0.35, 0.2)
    home_type = np.where(community, np.where(nursing, L.NURSING, L.RESIDENTIAL), people["setting"])
    exit_r = _exp_days(rng, np.array(CARE_HOME_EXIT)[group], n)
    home_clock = np.maximum(t_home, frame.start)
    t_exit = np.where(moves | (has & ~community), home_clock + exit_r, clock + exit_c)
    t_exit = np.where(has, np.maximum(t_exit, people["t_long"] + 1), NEVER)
    to_nursing = np.where(home_type == L.RESIDENTIAL, 0.06, 0.0)
    t_nursing = home_clock + _exp_days(rng, to_nursing, n)
    t_nursing = np.where(
        (t_home < NEVER) & (t_nursing > t_home + 30) & (t_nursing < t_exit - 1), t_nursing, NEVER
    )
    people["t_home"] = t_home
    people["home_type"] = np.where(t_home < NEVER, home_type, -1)
    people["t_nursing"] = t_nursing
    people["t_exit"] = t_exit
    people["exit_reason"] = np.where(has, _exit_reason(rng, group, t_home < t_exit), -1)
    moved_in = people["origin"] == MOVED_IN
    people["exit_reason"] = np.where(
        moved_in & (people["exit_reason"] == MOVED), ENDED, people["exit_reason"]
    )
    died = has & (people["exit_reason"] == DEATH) & (t_exit < NEVER)
    people["dod"] = np.where(died, t_exit, people["dod"])


def _exit_reason(rng, group: np.ndarray, in_home: np.ndarray) -> np.ndarray:
    n = len(group)
    draw = rng.random(n)
    reason = np.full(n, ENDED)
    for setting, mask in (("community", ~in_home), ("care_home", in_home)):
        for g in (0, 1):
            death, moved, _ = EXIT_SHARES[setting][g]
            rows = mask & (group == g)
            reason = np.where(rows & (draw < death), DEATH, reason)
            reason = np.where(rows & (draw >= death) & (draw < death + moved), MOVED, reason)
    return reason


def _community_package(plan: Plan, rng: np.random.Generator, people: People) -> None:
    """The main community service (component, delivery mechanism), extra concurrent services,
    and whether the council re-rows packages each 1 April."""
    n = len(people)
    ld = people["support"] == L.LEARNING_DISABILITY
    older = people["group"] == 1
    component = np.select(
        [ld, older],
        [
            _pick(
                rng,
                n,
                (0.35, 0.05, 0.25, 0.25, 0.10),
                (L.SUPPORTED_LIVING, L.SHARED_LIVES, L.DAY_SUPPORT, L.HOME_SUPPORT, L.PROFESSIONAL),
            ),
            _pick(
                rng,
                n,
                (0.82, 0.05, 0.08, 0.05),
                (L.HOME_SUPPORT, L.EXTRA_CARE, L.DAY_SUPPORT, L.MEALS),
            ),
        ],
        _pick(
            rng,
            n,
            (0.6, 0.15, 0.1, 0.1, 0.05),
            (L.HOME_SUPPORT, L.DAY_SUPPORT, L.PROFESSIONAL, L.SUPPORTED_LIVING, L.TRANSPORT),
        ),
    )
    draw = rng.random(n)
    mechanism = np.select(
        [draw < plan.direct_payment, draw < plan.direct_payment + plan.managed_budget],
        [L.DIRECT_PAYMENT, L.MANAGED_BUDGET],
        L.COMMISSIONED,
    )
    dp_component = (mechanism == L.DIRECT_PAYMENT) & (rng.random(n) < 0.5)
    people["component"] = np.where(dp_component, L.DIRECT_PAYMENT_COMPONENT, component)
    people["mechanism"] = mechanism
    people["extras"] = np.minimum(rng.poisson(1.2, size=n), 3)
    people["uplift"] = rng.random(n) < rng.uniform(0.4, 0.95)


def _accommodation(plan: Plan, rng: np.random.Generator, people: People) -> None:
    """Where each person lives in the community: settled with the council's published share
    (raised to allow for care-home residents, who are not settled); a few with home support are
    recorded "Unknown" (the method presumes them at home). Employment for 18-64."""
    n = len(people)
    group = people["group"].astype(int)
    ld = people["support"] == L.LEARNING_DISABILITY
    community_share = np.array([_community_share(plan, g) for g in (0, 1)])[group]
    target = np.where(ld, plan.settled[2], np.array(plan.settled[:2])[group])
    settled = rng.random(n) < np.minimum(0.995, target / community_share)
    kind = np.where(ld, _pick(rng, n, L.SETTLED_WEIGHTS_LD), _pick(rng, n, L.SETTLED_WEIGHTS))
    unsettled = _pick(rng, n, (0.1, 0.15, 0.2, 0.3, 0.25), L.UNSETTLED_COMMUNITY)
    status = np.where(settled, kind, unsettled)
    unknown = settled & (people["component"] == L.HOME_SUPPORT) & (rng.random(n) < 0.04)
    unknown |= (people["t_long"] == NEVER) & (rng.random(n) < 0.1)
    people["accommodation"] = np.where(unknown, L.UNKNOWN_ACCOMMODATION, status)
    employment = np.where(
        ld, _pick(rng, n, L.EMPLOYMENT_WEIGHTS_LD), _pick(rng, n, L.EMPLOYMENT_WEIGHTS_OTHER)
    )
    people["employment"] = np.where(group == 0, employment, -1)


def _community_share(plan: Plan, group: int) -> float:
    """The share of a year's people with long-term support still in the community at its end
    (the rest were, or moved, into care homes): those are the people who can be settled."""
    community, care_home = plan.stock[group]
    entrants = plan.entrants[group]
    community_entrants = entrants * (1 - plan.direct_to_care_home[group])
    moving = plan.to_care_home[group]
    stay = community * (1 - moving) + community_entrants * (1 - moving / 2)
    return stay / max(community + care_home + entrants, 1e-9)


def _guard_deaths(people: People) -> None:
    """No one dies on a quarter's last day, where "alive that day" would hang on whether a
    death that day counts: such deaths move one day earlier (support ends with them)."""
    dod = people["dod"]
    known = dod < NEVER
    as_dates = (dod[known]).astype("datetime64[D]")
    month_day = (as_dates - as_dates.astype("datetime64[M]")).astype(int) + 1
    month = as_dates.astype("datetime64[M]").astype(int) % 12 + 1
    next_day_month = (as_dates + 1).astype("datetime64[M]").astype(int) % 12 + 1
    quarter_end = np.isin(month, (3, 6, 9, 12)) & (next_day_month != month) & (month_day > 27)
    shifted = dod.copy()
    shifted[np.flatnonzero(known)[quarter_end]] -= 1
    people["dod"] = shifted
    died = (people["exit_reason"] == DEATH) & (people["t_exit"] < NEVER)
    people["t_exit"] = np.where(died, np.maximum(shifted, people["t_long"] + 1), people["t_exit"])
    people["dod"] = np.where(died, people["t_exit"], people["dod"])
    too_late = people["t_home"] >= people["t_exit"]
    people["t_home"] = np.where(too_late, NEVER, people["t_home"])
    people["home_type"] = np.where(too_late, -1, people["home_type"])
    people["t_nursing"] = np.where(
        people["t_nursing"] >= people["t_exit"] - 1, NEVER, people["t_nursing"]
    )

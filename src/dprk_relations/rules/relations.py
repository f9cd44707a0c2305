"""Spells of relations: the periods during which each state's relations with the DPRK were in force.

Every count (the stock at a date, yearly flows, the share of UN members) derives from these spells.

Rule for imprecise dates: an event takes effect on the last day its date could be
(`date_latest`). A relation established "in 1973" is counted from 31 December 1973, so year-end
stocks are exact for year-precision events and a mid-year cut-off never counts an event that
may not have happened yet.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

# Suspended relations (embassy withdrawn, relations frozen) are not counted as maintained:
# the report's chart counts states *maintaining* relations. Set True to count them.
COUNT_SUSPENDED_AS_MAINTAINED = False

SPELL_COLUMNS = ["iso3", "start", "end", "start_reason", "end_reason"]

# The one state machine of a state's relations: the status each event leads to, and the statuses it
# may follow. ingest refuses a sequence it does not allow; build_spells opens and closes spells by it.
NONE, IN_FORCE, SUSPENDED, SEVERED = "none", "in_force", "suspended", "severed"
STATUS_AFTER = {"established": IN_FORCE, "restored": IN_FORCE, "suspended": SUSPENDED, "severed": SEVERED}
ALLOWED_FROM = {"established": {NONE}, "suspended": {IN_FORCE}, "severed": {IN_FORCE, SUSPENDED},
                "restored": {SUSPENDED, SEVERED}}
OPENING = {kind for kind, status in STATUS_AFTER.items() if status == IN_FORCE}
# A succession of this kind carries the predecessor's relations on (Russia for the USSR); others start afresh.
CONTINUATION = "continuation"


def continuation_rows(successions: pd.DataFrame) -> pd.DataFrame:
    """The successions that carry a predecessor's relations on to its successor."""
    return successions[successions["kind"] == CONTINUATION]


def continuations(successions: pd.DataFrame) -> dict[str, str]:
    """successor -> the predecessor whose relations it continues."""
    rows = continuation_rows(successions)
    return dict(zip(rows["successor"], rows["predecessor"]))


EVENTS, NEVER, CONTINUES, MISSING = "events", "never", "continues a predecessor", "MISSING"


def coverage_of(iso3: str, with_events: set[str], never: set[str], continuing: set[str]) -> str:
    """The one coverage rule: every state of the universe has events, a 'never' entry (no_relations.csv),
    or continues a predecessor's relations; anything else is MISSING (ingest refuses it)."""
    if iso3 in with_events:
        return EVENTS
    if iso3 in never:
        return NEVER
    return CONTINUES if iso3 in continuing else MISSING


def spell_covers(start, end, day):
    """The one rule for "in force on a day": from the spell's first day (included) to its end, the day
    relations ended (excluded; an ongoing spell ends in the far future). Day numbers, scalars or arrays."""
    return (start <= day) & (end > day)


def included_events(events: pd.DataFrame, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split events into those certainly on or before the cut-off and those left out."""
    certain = events["date_latest"] <= as_of
    return events[certain].copy(), events[~certain].copy()


def build_spells(events: pd.DataFrame, states: pd.DataFrame, successions: pd.DataFrame, as_of: date,
                 count_suspended: bool = COUNT_SUSPENDED_AS_MAINTAINED) -> pd.DataFrame:
    """One row per continuous period of relations in force, up to `as_of` (end is None while ongoing).

    A dissolved state's spell ends the day after it ceased to exist; a successor that continues
    its relations (Russia for the USSR) opens a spell on that day. One pass over the events sorted
    by state and order, so the cost grows linearly with the event list.
    """
    kept, _ = included_events(events, as_of)
    ordered = kept.sort_values(["iso3", "order_date", "line"])
    by_state: dict[str, list[tuple[str, date]]] = {}
    for iso3, kind, when in zip(ordered["iso3"], ordered["event"], ordered["date_latest"]):
        by_state.setdefault(iso3, []).append((kind, when))
    spells = spells_of(by_state, state_ends(states), inheritances(successions), as_of, count_suspended)
    frame = pd.DataFrame(spells, columns=SPELL_COLUMNS)
    return frame.sort_values(["iso3", "start"]).reset_index(drop=True)


def state_ends(states: pd.DataFrame) -> dict[str, date]:
    """The last day of each dissolved state."""
    return {k: v for k, v in zip(states["iso3"], states["existed_to_latest"]) if v is not None and not pd.isna(v)}


def inheritances(successions: pd.DataFrame) -> dict[str, tuple[str, date]]:
    """successor -> (the predecessor it continues, the succession's first day)."""
    rows = continuation_rows(successions)
    return {s: (p, d) for p, s, d in zip(rows["predecessor"], rows["successor"], rows["date_earliest"])}


def spells_of(by_state: dict[str, list[tuple[str, date]]], ends: dict[str, date], inherits: dict[str, tuple[str, date]],
              as_of: date, count_suspended: bool = COUNT_SUSPENDED_AS_MAINTAINED) -> list[tuple]:
    """The spells (iso3, start, end, start_reason, end_reason) of each state's events, given in order and
    up to `as_of`: the state machine's openings start a spell, its closings end it. Plain Python, so
    the uncertainty band can call it for every reading of the sources."""
    closing = {"severed"} | (set() if count_suspended else {"suspended"})
    spells: list[tuple] = []
    open_at_end: dict[str, bool] = {}

    def process(iso3: str) -> None:
        start = reason = None
        if iso3 in inherits:
            pred, first_day = inherits[iso3]
            if pred not in open_at_end:
                process(pred)
            # the successor takes over the day after the predecessor's last day, so no day counts twice
            if pred in ends:
                first_day = ends[pred] + timedelta(days=1)
            if open_at_end.get(pred) and first_day <= as_of:
                start, reason = first_day, "continued"
        for kind, when in by_state.get(iso3, ()):
            if kind in OPENING:
                if start is None:
                    start, reason = when, kind
            elif kind in closing and start is not None:
                # an undated opening is bounded by the next event: it cannot start after it
                start = min(start, when)
                spells.append((iso3, start, when, reason, kind))
                start = None
        last_day = ends.get(iso3)
        if start is not None and last_day is not None and last_day < as_of:
            spells.append((iso3, start, last_day + timedelta(days=1), reason, "dissolved"))
            open_at_end[iso3] = True
            return
        if start is not None:
            spells.append((iso3, start, None, reason, "ongoing"))
        open_at_end[iso3] = start is not None

    for iso3 in sorted(set(by_state) | set(inherits)):
        if iso3 not in open_at_end:
            process(iso3)
    return spells


def pack_readings(readings: list[list[tuple]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Readings' spells (spells_of's tuples, a list per reading) as day-number arrays for stocks_of_readings:
    the starts, the ends, and where each reading's spells begin (reading r's are [bounds[r], bounds[r + 1]))."""
    bounds = np.cumsum([0] + [len(r) for r in readings], dtype=np.int64)
    return (ordinals([s[1] for r in readings for s in r]), ordinals([s[2] for r in readings for s in r]), bounds)


def stocks_of_readings(starts: np.ndarray, ends: np.ndarray, bounds: np.ndarray, days: np.ndarray) -> np.ndarray:
    """stock_on for many readings at once (pack_readings' arrays; `days` day numbers): one row per reading,
    one column per day. Vectorised, so the band does a few numpy calls per block of readings."""
    covers = spell_covers(starts[:, None], ends[:, None], np.asarray(days)[None, :])
    # a reading's stock is a difference of running sums over its spells (0 for a reading without any)
    running = np.zeros((len(starts) + 1, len(days)), dtype=np.int64)
    np.cumsum(covers, axis=0, out=running[1:])
    return running[bounds[1:]] - running[bounds[:-1]]


def in_force_on(spells: pd.DataFrame, day: date) -> pd.Series:
    """Boolean mask of spells in force on `day` (spell_covers)."""
    return pd.Series(spell_covers(ordinals(spells["start"]), ordinals(spells["end"]), ordinal(day)), index=spells.index)


def states_in_force(spells: pd.DataFrame, day: date) -> list[str]:
    return sorted(spells.loc[in_force_on(spells, day), "iso3"].unique())


FAR_FUTURE = np.iinfo(np.int64).max


# Day numbers count from 1970-01-01, numpy's datetime64 epoch, so they agree with ordinal() below.
_EPOCH = date(1970, 1, 1).toordinal()


def ordinals(days) -> np.ndarray:
    """Dates as day numbers; a missing date (None, NaT or NaN: d != d), such as the end of an ongoing spell,
    becomes the far future. Read with date.toordinal: numpy's own conversion of date objects is some 20
    times slower."""
    return np.fromiter((FAR_FUTURE if d is None or d != d else d.toordinal() - _EPOCH for d in days), np.int64)


def ordinal(day: date) -> int:
    return int(np.datetime64(day, "D").astype(np.int64))


def date_of(day_number: int) -> date:
    """The date of a day number (the inverse of ordinal)."""
    return date.fromordinal(int(day_number) + _EPOCH)


FAR_PAST = np.iinfo(np.int64).min


def existence_days(states: pd.DataFrame, codes) -> tuple[np.ndarray, np.ndarray]:
    """README, "A state's first day": the first and last day each of `codes` existed, as day numbers, its bounds
    read at their widest (the earliest its first day can be, the latest its last day can be). A state exists on
    both days. No first day: the far past (it existed on the founding); no last day: the far future (it exists);
    a code `states` does not hold has neither. The race's universe, the band's readings and ingest's check of
    each event's date read a state's existence here; what drops a dissolved state reads its last day alone
    (state_ends, the published counts' pool, a claim counting existing states)."""
    table = states.set_index("iso3")  # one row per state: ingest drops a repeated code
    first = ordinals(table["existed_from_earliest"])
    first = np.where(first == FAR_FUTURE, FAR_PAST, first)  # ordinals reads a missing date as the far future
    last = ordinals(table["existed_to_latest"])
    rows = table.index.get_indexer(pd.Index(codes))
    known = rows >= 0
    return np.where(known, first[rows], FAR_PAST), np.where(known, last[rows], FAR_FUTURE)


def first_days(spells: pd.DataFrame) -> pd.Series:
    """Each state's first day of relations, as a day number (iso3 -> day). Integer day numbers,
    because a groupby on date objects falls back to a slow Python loop."""
    return pd.Series(ordinals(spells["start"]), index=spells["iso3"].to_numpy()).groupby(level=0).min()


def stock_on(spells: pd.DataFrame, days: list[date]) -> np.ndarray:
    """Number of spells in force on each day: sorted starts minus sorted ends, O((n + days) log n)."""
    starts = np.sort(ordinals(spells["start"]))
    ends = np.sort(ordinals(spells["end"]))
    q = ordinals(days)
    return np.searchsorted(starts, q, side="right") - np.searchsorted(ends, q, side="right")

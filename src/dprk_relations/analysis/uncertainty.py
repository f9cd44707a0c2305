"""How far the stock of states maintaining relations could move under other readings of the sources.

A reading chooses, for each event, one day it may have happened: either end of its own date
(1973 -> 1 January or 31 December 1973; a window -> its earliest or latest bound) or either end
of a date another source gives (sources.csv, reading 'differs'); and it counts suspended relations
as in force or not. The band is the lowest and the highest stock over all readings, on each
measuring day. States are independent of one another, except a state and the successor that
continues its relations, so each such family is enumerated on its own and the extremes add up.
"""
from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pandas as pd

from dprk_relations.rules.evidence import alternative_spans
from dprk_relations.rules.relations import (build_spells, continuations, inheritances, ordinals, spells_of,
                                            state_ends, stock_of_spells, stock_on)

# A family with more readings than this is read at its extremes only (every event at its earliest
# day, then every event at its latest): no state in the data comes near it (the most has 4 events).
MAX_READINGS_PER_FAMILY = 4096


def families(events: pd.DataFrame, successions: pd.DataFrame) -> list[set[str]]:
    """States grouped with the successors that continue their relations (USSR and Russia)."""
    parent = continuations(successions)

    def root(s: str) -> str:
        while s in parent:
            s = parent[s]
        return s

    groups: dict[str, set[str]] = {}
    for iso3 in sorted(set(events["iso3"]) | set(parent) | set(parent.values())):
        groups.setdefault(root(iso3), set()).add(iso3)
    return list(groups.values())


def candidate_days(events: pd.DataFrame, sources: pd.DataFrame) -> list[list[date]]:
    """For each event (in the frame's order), every day a reading may put it on."""
    alternatives = alternative_spans(sources)
    out = []
    for event_id, earliest, latest in zip(events["event_id"], events["date_earliest"], events["date_latest"]):
        days = {earliest, latest}
        for a, b in alternatives.get(event_id, ()):
            days |= {a, b}
        out.append(sorted(days))
    return out


def _readings(candidates: list[list[date]]):
    sizes = [len(c) for c in candidates]
    if int(np.prod(sizes, dtype=np.float64)) <= MAX_READINGS_PER_FAMILY:
        yield from itertools.product(*candidates)
    else:
        yield tuple(c[0] for c in candidates)
        yield tuple(c[-1] for c in candidates)


def stock_band(events: pd.DataFrame, sources: pd.DataFrame, states: pd.DataFrame, successions: pd.DataFrame,
               as_of: date, days: list[date]) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest number of states maintaining relations on each of `days`, over all readings."""
    ordered = events.sort_values(["iso3", "order_date", "line"])
    candidates = dict(zip(ordered["event_id"], candidate_days(ordered, sources)))
    certain, uncertain = set(), []
    for family in families(ordered, successions):
        sub = ordered[ordered["iso3"].isin(family)]
        if all(len(candidates[e]) == 1 for e in sub["event_id"]) and not (sub["event"] == "suspended").any():
            certain |= family
        else:
            uncertain.append(family)
    # families with one reading only: one pass over all of them together
    base = stock_on(build_spells(ordered[ordered["iso3"].isin(certain)], states, successions, as_of), days)
    low, high = base.astype(np.int64), base.astype(np.int64)
    day_numbers = ordinals(days)
    for family in uncertain:
        sub = ordered[ordered["iso3"].isin(family)]
        ends = {k: v for k, v in state_ends(states).items() if k in family}
        inherits = {k: v for k, v in inheritances(successions).items() if k in family and v[0] in family}
        iso3s, kinds = sub["iso3"].tolist(), sub["event"].tolist()
        # the pipeline's own reading is always in the band
        seen_low = seen_high = stock_of_spells(spells_of(_by_state(iso3s, kinds, sub["date_latest"].tolist(), as_of),
                                                         ends, inherits, as_of), day_numbers)
        for reading in _readings([candidates[e] for e in sub["event_id"]]):
            # a reading keeps each state's events in their order: a restoration never precedes its break
            if not _keeps_order(iso3s, reading):
                continue
            by_state = _by_state(iso3s, kinds, list(reading), as_of)
            for count_suspended in (False, True):
                stock = stock_of_spells(spells_of(by_state, ends, inherits, as_of, count_suspended), day_numbers)
                seen_low, seen_high = np.minimum(seen_low, stock), np.maximum(seen_high, stock)
        low += seen_low
        high += seen_high
    return low, high


def _by_state(iso3s: list[str], kinds: list[str], days: list[date], as_of: date) -> dict[str, list[tuple[str, date]]]:
    """Events by state, in order, up to `as_of` (as build_spells takes them from a frame)."""
    out: dict[str, list[tuple[str, date]]] = {}
    for iso3, kind, day in zip(iso3s, kinds, days):
        if day <= as_of:
            out.setdefault(iso3, []).append((kind, day))
    return out


def _keeps_order(iso3s: list[str], reading: tuple) -> bool:
    for i in range(1, len(reading)):
        if iso3s[i] == iso3s[i - 1] and reading[i] < reading[i - 1]:
            return False
    return True

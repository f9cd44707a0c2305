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
import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dprk_relations.rules.evidence import alternative_spans
from dprk_relations.rules.relations import (build_spells, continuations, date_of, existence_days, inheritances, ordinal,
                                            ordinals, pack_readings, spells_of, state_ends, stock_on, stocks_of_readings)

# A family with more readings than this is read at its extremes only (every event at its earliest
# day, then every event at its latest): no state in the data comes near it (the most has 4 events).
MAX_READINGS_PER_FAMILY = 4096
# Readings whose stocks are counted together (one numpy pass per block): bounds the memory of a block
# (readings x spells x measuring days) whatever the size of the data.
READINGS_PER_BLOCK = 20_000


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


def candidate_days(events: pd.DataFrame, sources: pd.DataFrame, states: pd.DataFrame) -> list[list[date]]:
    """For each event (in the frame's order), every day a reading may put it on: either end of its own date
    and of every date another source gives, that date cut to the days its state existed (ingest refuses an
    event whose own date lies wholly outside them). A date wholly outside them is no reading: the ROK foreign
    ministry's list (kdiplo) dates the Czech Republic's relations from Czechoslovakia's 1948, when the Czech
    Republic did not exist."""
    alternatives = alternative_spans(sources)
    born, gone = existence_days(states, events["iso3"])
    out = []
    for event_id, earliest, latest, first, last in zip(events["event_id"], events["date_earliest"], events["date_latest"],
                                                       born, gone):
        days = {earliest, latest}
        for a, b in alternatives.get(event_id, ()):
            a, b = max(ordinal(a), first), min(ordinal(b), last)
            if a <= b:
                days |= {date_of(a), date_of(b)}
        out.append(sorted(days))
    return out


def _readings(candidates: list[list[date]]):
    sizes = [len(c) for c in candidates]
    if math.prod(sizes) <= MAX_READINGS_PER_FAMILY:
        yield from itertools.product(*candidates)
    else:
        yield tuple(c[0] for c in candidates)
        yield tuple(c[-1] for c in candidates)


@dataclass(frozen=True)
class Readings:
    """Every reading of the sources, enumerated once (readings_of) and counted on any days (band_on)."""

    certain: pd.DataFrame  # the spells of the families with one reading only, counted together
    # per block of readings: pack_readings' starts, ends and bounds, and where each family's readings begin
    blocks: tuple[tuple[np.ndarray, np.ndarray, np.ndarray, list[int]], ...]


def readings_of(events: pd.DataFrame, sources: pd.DataFrame, states: pd.DataFrame, successions: pd.DataFrame,
                as_of: date) -> Readings:
    """The spells of every reading of every family whose sources admit more than one."""
    ordered = events.sort_values(["iso3", "order_date", "line"])
    candidates = candidate_days(ordered, sources, states)
    iso3s, kinds, latest = ordered["iso3"].tolist(), ordered["event"].tolist(), ordered["date_latest"].tolist()
    # each state's rows, found once: selecting a family's rows from the whole frame would cost a pass
    # over every event per family, quadratic in the size of the data
    rows_of: dict[str, list[int]] = {}
    for i, iso3 in enumerate(iso3s):
        rows_of.setdefault(iso3, []).append(i)
    certain, uncertain = set(), []
    for family in families(ordered, successions):
        rows = sorted(i for iso3 in family for i in rows_of.get(iso3, ()))  # in the frame's order
        if all(len(candidates[i]) == 1 for i in rows) and not any(kinds[i] == "suspended" for i in rows):
            certain |= family
        else:
            uncertain.append((family, rows))
    all_ends, all_inherits = state_ends(states), inheritances(successions)
    blocks = []
    block: list[list[tuple]] = []  # the readings of whole families, each family's readings together
    family_starts: list[int] = []  # where each family's readings begin in the block
    for n, (family, rows) in enumerate(uncertain):
        ends = {k: all_ends[k] for k in family if k in all_ends}
        inherits = {k: all_inherits[k] for k in family if k in all_inherits and all_inherits[k][0] in family}
        family_iso3s, family_kinds = [iso3s[i] for i in rows], [kinds[i] for i in rows]
        # counting suspended relations as in force changes nothing for a family without a suspension
        suspended_counted = (False, True) if "suspended" in family_kinds else (False,)
        family_starts.append(len(block))
        # the pipeline's own reading is always in the band
        block.append(spells_of(_by_state(family_iso3s, family_kinds, [latest[i] for i in rows], as_of),
                               ends, inherits, as_of))
        for reading in _readings([candidates[i] for i in rows]):
            # a reading keeps each state's events in their order: a restoration never precedes its break
            if not _keeps_order(family_iso3s, reading):
                continue
            by_state = _by_state(family_iso3s, family_kinds, list(reading), as_of)
            block.extend(spells_of(by_state, ends, inherits, as_of, counted) for counted in suspended_counted)
        if len(block) >= READINGS_PER_BLOCK or n == len(uncertain) - 1:
            blocks.append((*pack_readings(block), family_starts))
            block, family_starts = [], []
    return Readings(build_spells(ordered[ordered["iso3"].isin(certain)], states, successions, as_of), tuple(blocks))


def band_on(readings: Readings, days: list[date]) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest number of states maintaining relations on each of `days`, over all readings."""
    base = stock_on(readings.certain, days).astype(np.int64)
    low, high = base.copy(), base.copy()
    day_numbers = ordinals(days)
    for starts, ends, bounds, family_starts in readings.blocks:
        stocks = stocks_of_readings(starts, ends, bounds, day_numbers)
        # families are independent: the band's ends add up each family's lowest and highest stock
        low += np.minimum.reduceat(stocks, family_starts, axis=0).sum(axis=0)
        high += np.maximum.reduceat(stocks, family_starts, axis=0).sum(axis=0)
    return low, high


def stock_band(events: pd.DataFrame, sources: pd.DataFrame, states: pd.DataFrame, successions: pd.DataFrame,
               as_of: date, days: list[date]) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest number of states maintaining relations on each of `days`, over all readings
    (readings_of then band_on: a caller counting on several sets of days enumerates the readings once)."""
    return band_on(readings_of(events, sources, states, successions, as_of), days)


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

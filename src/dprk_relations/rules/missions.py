"""Resident missions on a given day: a published list, brought to the day by the dated openings and closures.

A list (mission_snapshots.csv, rows in missions.csv) describes one date. To know the missions on
another day, the pipeline takes the complete list of the same side and kind nearest to that day and
replays the acts of acts.csv that opened or closed a mission in between: a closure after the day and
before the list puts the mission back, an opening in between takes it out (and the reverse when the
list is older than the day). An act whose dates straddle the day or the list's date cannot be placed
and is reported, not applied. This is the one rule for missions; the claims only call it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

# Acts that open or close a resident mission (acts.csv `kind`); `mission` and `city` say which.
OPENING_ACTS = {"embassy_opened", "office_opened"}
CLOSING_ACTS = {"embassy_closed", "office_closed"}
MISSION_ACTS = OPENING_ACTS | CLOSING_ACTS
# The kind of a mission put back or taken out when no list names the city (rare: lists cover the cities acts name).
DEFAULT_KIND = {"embassy_opened": "embassy", "embassy_closed": "embassy", "office_opened": "office", "office_closed": "office"}
KEY = ["iso3", "city", "kind"]


@dataclass
class MissionsOn:
    """The missions on `day`, with the list they come from and each change the acts made to it."""

    day: date
    snapshot: dict
    missions: pd.DataFrame  # iso3, city, kind
    changes: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)


class NoList(LookupError):
    pass


def choose_snapshot(snapshots: pd.DataFrame, direction: str, day: date, listing: str = "resident",
                    not_after: date | None = None) -> dict:
    """The complete list of `direction` and `listing` nearest to `day` (the earlier one on a tie)."""
    pool = snapshots[(snapshots["direction"] == direction) & (snapshots["listing"] == listing)
                     & (snapshots["coverage"] == "complete")]
    if not_after is not None:
        pool = pool[[latest <= not_after for latest in pool["snapshot_date_latest"]]]
    if pool.empty:
        limit = f" dated by {not_after.isoformat()}" if not_after else ""
        raise NoList(f"no complete list of {listing} missions ({direction}){limit}")

    def distance(row) -> int:
        if row.snapshot_date_earliest <= day <= row.snapshot_date_latest:
            return 0
        return min(abs((row.snapshot_date_earliest - day).days), abs((row.snapshot_date_latest - day).days))

    ranked = sorted(pool.itertuples(index=False), key=lambda r: (distance(r), r.snapshot_date_latest, r.snapshot))
    return ranked[0]._asdict()


def _act_spans(acts: pd.DataFrame, direction: str) -> pd.DataFrame:
    """One row per act on a mission of `direction` (an act told by several sources spans all their dates)."""
    sel = acts[acts["kind"].isin(MISSION_ACTS) & (acts["mission"] == direction)]
    return (sel.groupby(["iso3", "city", "kind"], as_index=False, sort=True)
               .agg(earliest=("date_earliest", "min"), latest=("date_latest", "max"), source=("citation", "first")))


def _kind_at(missions: pd.DataFrame, snapshots: pd.DataFrame, direction: str, iso3: str, city: str, act_kind: str) -> str:
    """The kind of mission the lists give at (iso3, city), from the most recent list naming it."""
    dated = missions.merge(snapshots[["snapshot", "direction", "snapshot_date_latest"]], on="snapshot")
    hits = dated[(dated["direction"] == direction) & (dated["iso3"] == iso3) & (dated["city"] == city)]
    if hits.empty:
        return DEFAULT_KIND[act_kind]
    return hits.sort_values(["snapshot_date_latest", "snapshot"]).iloc[-1]["kind"]


def missions_on(snapshots: pd.DataFrame, missions: pd.DataFrame, acts: pd.DataFrame, direction: str, day: date,
                listing: str = "resident", not_after: date | None = None) -> MissionsOn:
    """The missions of `direction` on `day` (see the module's rule)."""
    snap = choose_snapshot(snapshots, direction, day, listing, not_after)
    rows = missions.loc[missions["snapshot"] == snap["snapshot"], KEY]
    current = {tuple(r) for r in rows.itertuples(index=False)}
    result = MissionsOn(day, snap, rows)
    if snap["snapshot_date_earliest"] <= day <= snap["snapshot_date_latest"] or listing != "resident":
        result.missions = _frame(current)
        return result
    list_after_day = snap["snapshot_date_earliest"] > day
    # the interval between the day and the list: (day, list] or (list, day]
    low, high = (day, snap["snapshot_date_latest"]) if list_after_day else (snap["snapshot_date_latest"], day)
    for act in _act_spans(acts, direction).itertuples(index=False):
        if act.latest <= low or act.earliest > high:
            continue  # outside the interval: already reflected in the list, or after both
        when = act.earliest.isoformat() if act.earliest == act.latest else f"{act.earliest.isoformat()}..{act.latest.isoformat()}"
        if act.earliest <= low or act.latest > high:
            result.unplaced.append(f"{act.iso3} {act.city} {act.kind} {when} (cannot be placed against {day.isoformat()} "
                                   f"and the list of {snap['snapshot_date']})")
            continue
        mission = (act.iso3, act.city, _kind_at(missions, snapshots, direction, act.iso3, act.city, act.kind))
        # replaying backwards from a later list undoes the act; forwards from an earlier list applies it
        present = (act.kind in CLOSING_ACTS) == list_after_day
        if present and mission not in current:
            current.add(mission)
            result.changes.append(f"{' '.join(mission)} put back: {act.kind} {when} ({act.source})")
        elif not present and mission in current:
            current.discard(mission)
            result.changes.append(f"{' '.join(mission)} taken out: {act.kind} {when} ({act.source})")
        else:
            result.unplaced.append(f"{' '.join(mission)}: {act.kind} {when}, but the list of {snap['snapshot_date']} "
                                   f"{'still has' if present else 'does not have'} it; the list is kept")
    result.missions = _frame(current)
    return result


def _frame(keys: set[tuple]) -> pd.DataFrame:
    return pd.DataFrame(sorted(keys), columns=KEY)


def snapshot_counts(snapshots: pd.DataFrame, missions: pd.DataFrame) -> pd.DataFrame:
    """One row per published list: its date (the middle of its precision), side, what it counts,
    coverage, the missions it lists as rows and the total it states itself."""
    listed = missions.groupby("snapshot").size()
    mid = [a + (b - a) / 2 for a, b in zip(snapshots["snapshot_date_earliest"], snapshots["snapshot_date_latest"])]
    out = pd.DataFrame({
        "snapshot": snapshots["snapshot"], "snapshot_date": snapshots["snapshot_date"],
        "plotted_at": [d.isoformat() for d in mid], "direction": snapshots["direction"],
        "listing": snapshots["listing"], "coverage": snapshots["coverage"],
        "listed": snapshots["snapshot"].map(listed).fillna(0).astype(int),
        "stated_total": snapshots["stated_total"], "citation": snapshots["citation"],
    })
    return out.sort_values(["direction", "plotted_at", "snapshot"]).reset_index(drop=True)

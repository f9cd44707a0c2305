"""Both Koreas side by side (issue 21): on a day, each state of the shared universe has relations in force
with the DPRK only, with the ROK only, with both, or with neither (the two Koreas themselves left out).

"In force on a day" is each list's own rule (relations.spell_covers, each list's spells under its own cut-off);
a state counts on a day when it existed then (states.csv, its existence bounds read at their widest).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dprk_relations.analysis import counts, uncertainty
from dprk_relations.analysis.explore import years_in_force
from dprk_relations.core.focal import FOCALS
from dprk_relations.rules.relations import (build_spells, existence_days, included_events, ordinal, ordinals,
                                            spell_covers)

GROUPS = ("DPRK only", "ROK only", "both", "neither")
KOREAS = ("PRK", "KOR")


def other_of(code: str) -> str:
    """The other Korea's code."""
    return KOREAS[1] if code == KOREAS[0] else KOREAS[0]


def _existence(states: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The universe's codes (the two Koreas left out, sorted) with the first and last day each existed, as day
    numbers (relations.existence_days)."""
    codes = np.sort(states.loc[~states["iso3"].isin(KOREAS), "iso3"].unique())
    return (codes, *existence_days(states, codes))


def existing_on(states: pd.DataFrame, day: date) -> set[str]:
    """The states of the universe that existed on `day`, but the two Koreas."""
    codes, began, ended = _existence(states)
    return set(codes[(began <= ordinal(day)) & (ended >= ordinal(day))])


def _in_force(spells: pd.DataFrame, codes: np.ndarray, days: np.ndarray) -> np.ndarray:
    """codes x days: whether relations with each state were in force on each day (any of its spells,
    spell_covers); a spell of a state outside `codes` is not counted."""
    rows = pd.Index(codes).get_indexer(spells["iso3"])
    covers = spell_covers(ordinals(spells["start"])[:, None], ordinals(spells["end"])[:, None], days[None, :])
    held = np.zeros((len(codes), len(days)), dtype=np.int64)
    np.add.at(held, rows[rows >= 0], covers[rows >= 0])
    return held > 0


def _groups(dprk_spells: pd.DataFrame, rok_spells: pd.DataFrame, states: pd.DataFrame, days: list[date]):
    """The universe's codes and, for each group, a codes x days mask of its members on each day."""
    codes, began, ended = _existence(states)
    when = ordinals(days)
    universe = (began[:, None] <= when[None, :]) & (ended[:, None] >= when[None, :])
    north, south = _in_force(dprk_spells, codes, when) & universe, _in_force(rok_spells, codes, when) & universe
    return codes, {"DPRK only": north & ~south, "ROK only": south & ~north, "both": north & south,
                   "neither": universe & ~north & ~south}


def groups_on(dprk_spells: pd.DataFrame, rok_spells: pd.DataFrame, states: pd.DataFrame, day: date) -> dict[str, list[str]]:
    """Each group's states on `day`, sorted by code."""
    codes, members = _groups(dprk_spells, rok_spells, states, [day])
    return {group: codes[mask[:, 0]].tolist() for group, mask in members.items()}


def groups_table(dprk_spells: pd.DataFrame, rok_spells: pd.DataFrame, states: pd.DataFrame, days: list[date]) -> pd.DataFrame:
    """One row per day: the size of each group, and the share of dual recognition among the states with
    relations with either Korea."""
    _, members = _groups(dprk_spells, rok_spells, states, days)
    rows = []
    for i, day in enumerate(days):
        sizes = {g: int(members[g][:, i].sum()) for g in GROUPS}
        either = sizes["DPRK only"] + sizes["ROK only"] + sizes["both"]
        rows.append({"day": day.isoformat(), **sizes, "dual_share": round(sizes["both"] / either, 4) if either else 0.0})
    return pd.DataFrame(rows, columns=["day", *GROUPS, "dual_share"])


# --- the race step (07-race): both lists under one cut-off, side by side ---------------------------------------

# A break with one Korea counts as a switch when it falls within a year of the partner's opening relations
# (establishing or restoring them) with the other, in either order: in the 1960s and 1970s a partner that
# recognised Pyongyang usually broke with Seoul within weeks or months (Mauritania 1964: 29 days). Distances
# are between the two dates' ranges (a date known to the year spans the year), so an imprecise date is given
# the benefit of the doubt; the table gives the distance, so a reader can apply a narrower window.
SWITCH_WINDOW_DAYS = 365
BREAKS = ("severed", "suspended")
OPENINGS = ("established", "restored")
SHORT = {code: FOCALS[code].short for code in KOREAS}
RACE_COLUMNS = ["year", "measured_on", "dprk_only", "rok_only", "both", "neither", "dual_share",
                "dprk", "dprk_low", "dprk_high", "rok", "rok_low", "rok_high"]
SWITCH_COLUMNS = ["iso3", "state", "broke_with", "break_event", "break_date", "break_precision", "opened_with",
                  "opening_event", "opening_date", "opening_precision", "days_apart", "order"]


@dataclass(frozen=True)
class KoreaList:
    """One Korea's list, read and counted as its own run counts it: the dataset, its spells under the cut-off,
    and its yearly counts with the band of other readings of its sources."""

    data: "Dataset"  # noqa: F821 (dprk_relations.data.dataset: a later layer, so not imported here)
    spells: pd.DataFrame
    yearly: pd.DataFrame


def counted(datasets: dict, as_of: date, first_year: int) -> dict[str, KoreaList]:
    """Both Koreas' lists (`datasets`: each Korea's code to its ingest.load), counted as each one's own run counts it."""
    out = {}
    for code in KOREAS:
        data = datasets[code]
        spells = build_spells(data.events, data.states, data.successions, as_of)
        readings = uncertainty.readings_of(data.events, data.sources, data.states, data.successions, as_of)
        band = uncertainty.band_on(readings, counts.measuring_days(first_year, as_of))
        out[code] = KoreaList(data, spells, counts.yearly_counts(data.events, spells, data.states, as_of, first_year, band))
    return out


def shared_states(lists: dict[str, KoreaList]) -> pd.DataFrame:
    """The universe both lists share: states.csv as the DPRK's run reads it (every state but the DPRK)."""
    return lists["PRK"].data.states


def race_table(lists: dict[str, KoreaList]) -> pd.DataFrame:
    """One row per year end of the run: the four groups, the share of dual recognition among the states with
    relations with either Korea, and each Korea's count with its band (its own run's chart)."""
    north, south = lists["PRK"], lists["KOR"]
    days = [date.fromisoformat(d) for d in north.yearly["measured_on"]]
    groups = groups_table(north.spells, south.spells, shared_states(lists), days)
    table = pd.DataFrame({"year": north.yearly["year"].to_numpy(), "measured_on": north.yearly["measured_on"].to_numpy()})
    for group, column in zip(GROUPS, ("dprk_only", "rok_only", "both", "neither")):
        table[column] = groups[group].to_numpy()
    table["dual_share"] = groups["dual_share"].to_numpy()
    for code, korea in (("dprk", north), ("rok", south)):
        for suffix in ("", "_low", "_high"):
            table[f"{code}{suffix}"] = korea.yearly[f"maintaining{suffix}"].to_numpy()
    return table[RACE_COLUMNS]


def _distance(a: tuple[date, date], b: tuple[date, date]) -> int:
    """Days between two date ranges (0 when they overlap)."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def _order(broke: tuple[date, date], opened: tuple[date, date]) -> str:
    if opened[1] < broke[0]:
        return "break after opening"
    if broke[1] < opened[0]:
        return "break before opening"
    return "dates overlap"  # a date known only to the month or year that holds the other


def switches(lists: dict[str, KoreaList], as_of: date) -> pd.DataFrame:
    """The switches (SWITCH_WINDOW_DAYS): each break with one Korea up to the cut-off, with the nearest opening
    with the other within the window, by date."""
    states = shared_states(lists)
    names = dict(zip(states["iso3"], states["name"]))
    kept = {code: included_events(korea.data.events, as_of)[0] for code, korea in lists.items()}
    rows = []
    for broke, opened in (("PRK", "KOR"), ("KOR", "PRK")):
        ends = kept[broke][kept[broke]["event"].isin(BREAKS)]
        starts = kept[opened][kept[opened]["event"].isin(OPENINGS)]
        by_state: dict[str, list] = {}  # each state's openings, in the table's order
        for start in starts.itertuples():
            by_state.setdefault(start.iso3, []).append(start)
        for end in ends.itertuples():
            span = (end.date_earliest, end.date_latest)
            near = [(_distance(span, (s.date_earliest, s.date_latest)), s.order_date, s) for s in by_state.get(end.iso3, [])]
            near = [n for n in near if n[0] <= SWITCH_WINDOW_DAYS]
            if not near:
                continue
            days, _, start = min(near, key=lambda n: (n[0], n[1]))
            rows.append({"iso3": end.iso3, "state": names.get(end.iso3, end.state), "broke_with": SHORT[broke],
                         "break_event": end.event, "break_date": end.date, "break_precision": end.precision,
                         "opened_with": SHORT[opened], "opening_event": start.event, "opening_date": start.date,
                         "opening_precision": start.precision, "days_apart": days,
                         "order": _order(span, (start.date_earliest, start.date_latest)),
                         "_on": end.order_date})
    table = pd.DataFrame(rows, columns=SWITCH_COLUMNS + ["_on"])
    return table.sort_values(["_on", "iso3"], kind="stable").drop(columns="_on").reset_index(drop=True)


def years_table(lists: dict[str, KoreaList]) -> pd.DataFrame:
    """Each state of the universe with the years (year ends of the run) its relations with each Korea were in
    force, as runs of years ("1948-1991 1993"): the map by year colours a state by the four groups from them."""
    states = shared_states(lists)
    states = states[~states["iso3"].isin(KOREAS)].sort_values("iso3")
    days = [date.fromisoformat(d) for d in lists["PRK"].yearly["measured_on"]]
    held = {code: years_in_force(korea.spells, days) for code, korea in lists.items()}
    return pd.DataFrame({"iso3": states["iso3"].to_numpy(), "name": states["name"].to_numpy(),
                         "dprk_years": [held["PRK"].get(c, "") for c in states["iso3"]],
                         "rok_years": [held["KOR"].get(c, "") for c in states["iso3"]]})


EVENT_COLUMNS = ["korea", "iso3", "event_id", "event", "date", "precision", "source", "source_url"]


def events_table(lists: dict[str, KoreaList], as_of: date) -> pd.DataFrame:
    """Both Koreas' events up to the cut-off, each with its chosen source: the report shows a state's history
    with the other Korea beside its own."""
    frames = []
    for code, korea in lists.items():
        kept = included_events(korea.data.events, as_of)[0].sort_values(["iso3", "order_date", "line"], kind="stable")
        dated = [d if d else f"between {a} and {b}" for d, a, b in zip(kept["date"], kept["earliest"], kept["latest"])]
        frames.append(pd.DataFrame({"korea": SHORT[code], "iso3": kept["iso3"].to_numpy(), "event_id": kept["event_id"].to_numpy(),
                                    "event": kept["event"].to_numpy(), "date": dated, "precision": kept["precision"].to_numpy(),
                                    "source": kept["source"].to_numpy(), "source_url": kept["source_url"].to_numpy()}))
    return pd.concat(frames, ignore_index=True)[EVENT_COLUMNS]

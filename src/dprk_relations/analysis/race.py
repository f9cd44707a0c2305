"""Both Koreas side by side (issue 21): on a day, each state of the shared universe has relations in force
with the DPRK only, with the ROK only, with both, or with neither (the two Koreas themselves left out).

"In force on a day" is each list's own rule (relations.spell_covers, each list's spells under its own cut-off);
a state counts on a day when it existed then (states.csv, its existence bounds read at their widest).
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from dprk_relations.rules.relations import states_in_force

GROUPS = ("DPRK only", "ROK only", "both", "neither")
KOREAS = ("PRK", "KOR")


def existing_on(states: pd.DataFrame, day: date) -> set[str]:
    """The states of the universe that existed on `day`, but the two Koreas."""
    began = states["existed_from_earliest"].map(lambda d: d is None or pd.isna(d) or d <= day)
    ended = states["existed_to_latest"].map(lambda d: d is not None and not pd.isna(d) and d < day)
    return set(states.loc[began & ~ended, "iso3"]) - set(KOREAS)


def groups_on(dprk_spells: pd.DataFrame, rok_spells: pd.DataFrame, states: pd.DataFrame, day: date) -> dict[str, list[str]]:
    """Each group's states on `day`, sorted by code."""
    universe = existing_on(states, day)
    north, south = set(states_in_force(dprk_spells, day)) & universe, set(states_in_force(rok_spells, day)) & universe
    return {"DPRK only": sorted(north - south), "ROK only": sorted(south - north), "both": sorted(north & south),
            "neither": sorted(universe - north - south)}


def groups_table(dprk_spells: pd.DataFrame, rok_spells: pd.DataFrame, states: pd.DataFrame, days: list[date]) -> pd.DataFrame:
    """One row per day: the size of each group, and the share of dual recognition among the states with
    relations with either Korea."""
    rows = []
    for day in days:
        found = groups_on(dprk_spells, rok_spells, states, day)
        counts = {g: len(found[g]) for g in GROUPS}
        either = counts["DPRK only"] + counts["ROK only"] + counts["both"]
        rows.append({"day": day.isoformat(), **counts, "dual_share": round(counts["both"] / either, 4) if either else 0.0})
    return pd.DataFrame(rows, columns=["day", *GROUPS, "dual_share"])

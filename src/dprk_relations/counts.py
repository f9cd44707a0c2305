"""Yearly counts: flows of events, the stock of states maintaining relations, UN membership."""
from __future__ import annotations

from datetime import date

import pandas as pd

from .relations import included_events, stock_on

EVENT_KINDS = ["established", "suspended", "severed", "restored"]


def year_end(year: int, as_of: date) -> date:
    """The day a year's stock is measured: 31 December, or the cut-off in the cut-off's year."""
    return min(date(year, 12, 31), as_of)


def un_members_on(states: pd.DataFrame, year: int) -> pd.Series:
    """Mask of states that were UN members at the end of `year` (admission and leaving by year)."""
    joined = states["un_member_from"].notna() & (states["un_member_from"] <= year)
    left = states["un_member_to"].notna() & (states["un_member_to"] < year)
    return joined & ~left


def yearly_counts(events: pd.DataFrame, spells: pd.DataFrame, states: pd.DataFrame, as_of: date, first_year: int) -> pd.DataFrame:
    """One row per year from `first_year` to the cut-off's year."""
    kept, _ = included_events(events, as_of)
    years = list(range(first_year, as_of.year + 1))
    flows = (
        kept.groupby(["year", "event"]).size().unstack(fill_value=0).reindex(index=years, columns=EVENT_KINDS, fill_value=0)
    )
    days = [year_end(y, as_of) for y in years]
    table = pd.DataFrame({"year": years, "measured_on": [d.isoformat() for d in days]})
    for kind in EVENT_KINDS:
        table[kind] = flows[kind].to_numpy()
    table["maintaining"] = stock_on(spells, days)
    first_start = spells.groupby("iso3")["start"].min()
    table["ever_established"] = [int((first_start <= d).sum()) for d in days]
    in_force_sets = [set(spells.loc[(spells["start"] <= d) & (spells["end"].isna() | (spells["end"] > d)), "iso3"]) for d in days]
    un_sets = [set(states.loc[un_members_on(states, y), "iso3"]) for y in years]
    table["un_members"] = [len(u) for u in un_sets]
    table["un_members_maintaining"] = [len(u & f) for u, f in zip(un_sets, in_force_sets)]
    table["share_of_un_members"] = (table["un_members_maintaining"] / table["un_members"]).round(4)
    return table

"""Yearly counts: flows of events, the stock of states maintaining relations, UN membership."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dprk_relations.rules.relations import first_days, included_events, ordinals, stock_on

EVENT_KINDS = ["established", "suspended", "severed", "restored"]
# The flows that make each year's stock from the year before (issue 18): spells opened in the year by
# each reason, and spells closed (a break, a suspension, the state ending by dissolution or union).
# maintaining(y) = maintaining(y - 1) + the "in_" columns - the "out_" columns, for every year.
INFLOWS = {"in_established": "established", "in_restored": "restored", "in_continued": "continued"}
OUTFLOWS = {"out_severed": "severed", "out_suspended": "suspended", "out_state_ended": "dissolved"}


def stock_flows(spells: pd.DataFrame, first_year: int, days: list[date]) -> dict[str, np.ndarray]:
    """Spells opened and closed in each period between measuring days (after the previous one, up to and
    including this one; the first period starts after 31 December of the year before `first_year`)."""
    bounds = ordinals([date(first_year - 1, 12, 31)] + list(days))
    start, end = ordinals(spells["start"]), ordinals(spells["end"])
    flows = {}
    for column, reason in {**INFLOWS, **OUTFLOWS}.items():
        when = start[(spells["start_reason"] == reason).to_numpy()] if column in INFLOWS else \
            end[(spells["end_reason"] == reason).to_numpy()]
        when = np.sort(when)  # an ongoing spell's end is the far future: in no period
        # a spell opened (or closed) on day t falls in the period (bounds[i], bounds[i + 1]]
        flows[column] = np.diff(np.searchsorted(when, bounds, side="right"))
    return flows


def year_end(year: int, as_of: date) -> date:
    """The day a year's stock is measured: 31 December, or the cut-off in the cut-off's year."""
    return min(date(year, 12, 31), as_of)


def un_members_on(states: pd.DataFrame, year: int) -> pd.Series:
    """Mask of states that were UN members at the end of `year` (admission and leaving by year)."""
    joined = states["un_member_from"].notna() & (states["un_member_from"] <= year)
    left = states["un_member_to"].notna() & (states["un_member_to"] < year)
    return joined & ~left


def measuring_days(first_year: int, as_of: date) -> list[date]:
    """The day each year's stock is measured on, from `first_year` to the cut-off's year."""
    return [year_end(y, as_of) for y in range(first_year, as_of.year + 1)]


def yearly_counts(events: pd.DataFrame, spells: pd.DataFrame, states: pd.DataFrame, as_of: date, first_year: int,
                  band: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """One row per year from `first_year` to the cut-off's year. `band` (uncertainty.stock_band on
    measuring_days) adds the lowest and highest stock over the sources' readings."""
    kept, _ = included_events(events, as_of)
    years = list(range(first_year, as_of.year + 1))
    flows = (
        kept.groupby(["year", "event"]).size().unstack(fill_value=0).reindex(index=years, columns=EVENT_KINDS, fill_value=0)
    )
    days = measuring_days(first_year, as_of)
    table = pd.DataFrame({"year": years, "measured_on": [d.isoformat() for d in days]})
    for kind in EVENT_KINDS:
        table[kind] = flows[kind].to_numpy()
    table["maintaining"] = stock_on(spells, days)
    if band is not None:
        table["maintaining_low"], table["maintaining_high"] = band
    first_start = np.sort(first_days(spells).to_numpy())
    q = ordinals(days)
    table["ever_established"] = np.searchsorted(first_start, q, side="right")
    # UN members per year, and those among them with a spell in force at the year's measuring day
    un_from = states["un_member_from"].astype("float").to_numpy()
    un_to = states["un_member_to"].astype("float").fillna(np.inf).to_numpy()
    year_arr = np.array(years, dtype=float)[:, None]
    table["un_members"] = ((un_from[None, :] <= year_arr) & (un_to[None, :] >= year_arr)).sum(axis=1)
    member = spells[["iso3", "start", "end"]].merge(states[["iso3", "un_member_from", "un_member_to"]], on="iso3", how="left")
    s_start, s_end = ordinals(member["start"]), ordinals(member["end"])
    m_from = member["un_member_from"].astype("float").to_numpy()
    m_to = member["un_member_to"].astype("float").fillna(np.inf).to_numpy()
    table["un_members_maintaining"] = [
        int(((s_start <= d) & (s_end > d) & (m_from <= y) & (m_to >= y)).sum()) for d, y in zip(q, years)
    ]
    table["share_of_un_members"] = (table["un_members_maintaining"] / table["un_members"]).round(4)
    for column, values in stock_flows(spells, first_year, days).items():
        table[column] = values
    return table

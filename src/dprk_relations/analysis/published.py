"""Published counts of the DPRK's partners (data/raw/published_counts.csv) beside the same quantity
derived from the event list, under the source's own convention, on the same day."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dprk_relations.analysis.counts import un_members_on
from dprk_relations.rules.relations import first_days, ordinal, ordinals, stock_on

# A difference larger than this is explained state by state in the report.
EXPLAIN_ABOVE = 2
# The states that may make a difference are looked for this many years either side of the count's date.
NEAR_YEARS = 5
# How far 'approximately' and 'almost' reach: 'approximately 160' admits 155 to 165, 'almost 140' 135 to 139
# (as the claims register reads 'approximately': within 5).
APPROXIMATELY = 5
COLUMNS = ["count_id", "count_date", "measured_on", "quantity", "convention", "qualifier", "as_written", "published", "derived",
           "derived_low", "derived_high", "difference", "within_band", "explanation", "citation", "url"]


def measuring_day(row, as_of: date) -> date:
    """The day a count is compared on: the last day of its period (a count 'in 1985' is read at
    31 December 1985, as the yearly stock is), never after the run's cut-off."""
    return min(row["count_date_latest"], as_of)


def _pool(states: pd.DataFrame, row, day: date) -> set[str]:
    """The states the source's convention counts from (existing on the day; UN members only if it says so)."""
    pool = states[states["existed_to_latest"].isna() | (states["existed_to_latest"] >= day)]
    if row["un_members_only"] == "yes":
        pool = pool[un_members_on(pool, day.year)]
    if row["includes_palestine"] == "no":
        pool = pool[pool["iso3"] != "PSE"]
    return set(pool["iso3"])


def _convention(row) -> str:
    parts = ["relations in force" if row["quantity"] == "in_force" else "ever established"]
    parts.append("UN members only" if row["un_members_only"] == "yes" else "all states")
    parts.append({"yes": "Palestine included", "no": "Palestine excluded"}.get(row["includes_palestine"], "Palestine not said"))
    if row["includes_sadr"] == "yes":
        parts.append("SADR included (not in the data's universe)")
    return "; ".join(parts)


def compare(published: pd.DataFrame, spells: pd.DataFrame, states: pd.DataFrame, as_of: date,
            band: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """One row per published count dated on or before the cut-off: published, derived, difference,
    and for a difference over EXPLAIN_ABOVE the states nearest in time that would close it.

    `band` gives the lowest and highest stock on each count's measuring day over the readings of the
    sources (uncertainty.stock_band), for counts of relations in force."""
    rows = []
    kept = published[published["count_date_earliest"] <= as_of].reset_index(drop=True)
    s_start, s_end = ordinals(spells["start"]), ordinals(spells["end"])
    first = first_days(spells)
    for i, row in kept.iterrows():
        day = measuring_day(row, as_of)
        d = ordinal(day)
        pool = _pool(states, row, day)
        if row["quantity"] == "in_force":
            counted = set(spells["iso3"].to_numpy()[(s_start <= d) & (s_end > d)]) & pool
        else:
            counted = set(first.index[first.to_numpy() <= d]) & pool
        derived = len(counted)
        low = high = derived
        if band is not None and row["quantity"] == "in_force":
            # the band counts every state; shift it by what the convention leaves out
            left_out = int(stock_on(spells[~spells["iso3"].isin(pool)], [day])[0])
            low, high = int(band[0][i]) - left_out, int(band[1][i]) - left_out
        published_n = int(row["count"])
        diff = difference(published_n, derived, row["qualifier"])
        rows.append({
            "count_id": row["count_id"], "count_date": row["count_date"], "measured_on": day.isoformat(),
            "quantity": row["quantity"], "convention": _convention(row), "qualifier": row["qualifier"],
            "as_written": as_written(published_n, row["qualifier"]), "published": published_n, "derived": derived,
            "derived_low": low, "derived_high": high, "difference": diff,
            # the band meets what the count admits
            "within_band": bool(low <= admitted(published_n, row["qualifier"])[1] and admitted(published_n, row["qualifier"])[0] <= high),
            "explanation": explain(diff, counted, pool, spells, row["quantity"], day) if abs(diff) > EXPLAIN_ABOVE else "",
            "citation": row["citation"], "url": row["url"],
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def admitted(published_n: int, qualifier: str) -> tuple[float, float]:
    """The counts a published number admits as written (the one rule for qualifiers): exact n; at_least
    ('at least', '160-odd') n or more; more_than ('more than', 'over') n + 1 or more; approximate
    ('about', 'approximately') n - APPROXIMATELY to n + APPROXIMATELY; almost n - APPROXIMATELY to n - 1."""
    return {"exact": (published_n, published_n), "at_least": (published_n, np.inf), "more_than": (published_n + 1, np.inf),
            "approximate": (published_n - APPROXIMATELY, published_n + APPROXIMATELY),
            "almost": (published_n - APPROXIMATELY, published_n - 1)}[qualifier]


def as_written(published_n: int, qualifier: str) -> str:
    return {"exact": f"{published_n}", "at_least": f"at least {published_n}", "more_than": f"more than {published_n}",
            "approximate": f"approximately {published_n}", "almost": f"almost {published_n}"}[qualifier]


def difference(published_n: int, derived: int, qualifier: str) -> int:
    """How far the data fall from what the count admits as written (0 inside): positive when the source
    counts more than the data, negative when it counts fewer."""
    low, high = admitted(published_n, qualifier)
    if derived < low:
        return int(low - derived)
    if derived > high:
        return int(high - derived)
    return 0


def band_days(published: pd.DataFrame, as_of: date) -> list[date]:
    """The measuring day of every count the comparison keeps, in its order (for uncertainty.stock_band)."""
    kept = published[published["count_date_earliest"] <= as_of]
    return [measuring_day(row, as_of) for _, row in kept.iterrows()]


def explain(diff: int, counted: set[str], pool: set[str], spells: pd.DataFrame, quantity: str, day: date) -> str:
    """The states nearest in time to `day` whose status would close the gap: when the source counts
    more, states the data do not count on that day but do within NEAR_YEARS; when it counts fewer,
    states the data count whose relations began within NEAR_YEARS before it."""
    lo, hi = date(day.year - NEAR_YEARS, 1, 1), date(day.year + NEAR_YEARS, 12, 31)
    near = []
    for iso3, start, end in zip(spells["iso3"], spells["start"], spells["end"]):
        if iso3 not in pool:
            continue
        if diff > 0 and iso3 not in counted:
            # a spell that begins after the day, or ended before it
            if start > day and start <= hi:
                near.append(((start - day).days, iso3, f"from {start.isoformat()}"))
            elif end is not None and lo <= end <= day and quantity == "in_force":
                near.append(((day - end).days, iso3, f"until {end.isoformat()}"))
        elif diff < 0 and iso3 in counted and lo <= start <= day:
            near.append(((day - start).days, iso3, f"from {start.isoformat()}"))
    near = sorted(set(near))[: abs(diff)]
    side = "not counted by the data on that day" if diff > 0 else "counted by the data, relations begun shortly before"
    return f"{side}, nearest in time: " + ", ".join(f"{iso3} ({when})" for _, iso3, when in near) if near else f"{side}: no state within {NEAR_YEARS} years"

"""Published counts of the DPRK's partners (data/raw/published_counts.csv) beside the same quantity
derived from the event list, under the source's own convention, on the same day."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dprk_relations.analysis.counts import un_members_on
from dprk_relations.core.dates import after_cut_off
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


def compared(published: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The counts a run compares: those whose period has ended by the cut-off (dates.after_cut_off, the rule
    the claims follow). A count 'in 1985' is read on 31 December 1985, as the yearly stock is; with a cut-off
    in 1985 the data stop before the count's day, so it is set apart, not compared with a shorter year."""
    ended = [not after_cut_off(day, as_of) for day in published["count_date_latest"]]
    return published[ended].reset_index(drop=True)


def measuring_day(row) -> date:
    """The day a count is compared on: the last day of its period (on or before the cut-off: `compared`)."""
    return row["count_date_latest"]


def _pool_mask(states: pd.DataFrame, row, day: date, existed_to: np.ndarray) -> np.ndarray:
    """Which states (rows of `states`) the source's convention counts from: not dissolved by the day, UN members
    only if it says so (a state formed later has no relations to count, and may be one a source counted early:
    the explanation may name it). `existed_to` is each state's last day as a day number (ordinals)."""
    pool = existed_to >= ordinal(day)
    if row["un_members_only"] == "yes":
        pool &= un_members_on(states, day.year).to_numpy()
    if row["includes_palestine"] == "no":
        pool &= (states["iso3"] != "PSE").to_numpy()
    return pool


def _pool(states: pd.DataFrame, row, day: date) -> set[str]:
    """The codes of the states the source's convention counts from (_pool_mask)."""
    return set(states["iso3"][_pool_mask(states, row, day, ordinals(states["existed_to_latest"]))])


def _convention(row) -> str:
    parts = ["relations in force" if row["quantity"] == "in_force" else "ever established"]
    parts.append("UN members only" if row["un_members_only"] == "yes" else "all states")
    parts.append({"yes": "Palestine included", "no": "Palestine excluded"}.get(row["includes_palestine"], "Palestine not said"))
    if row["includes_sadr"] == "yes":
        parts.append("SADR included (not in the data's universe)")
    return "; ".join(parts)


def compare(published: pd.DataFrame, spells: pd.DataFrame, states: pd.DataFrame, as_of: date,
            band: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """One row per published count whose period ends by the cut-off (`compared`): published, derived, difference,
    and for a difference over EXPLAIN_ABOVE the states nearest in time that would close it.

    `band` gives the lowest and highest stock on each count's measuring day over the readings of the
    sources (uncertainty.stock_band), for counts of relations in force."""
    rows = []
    kept = compared(published, as_of)
    s_start, s_end = ordinals(spells["start"]), ordinals(spells["end"])
    first = first_days(spells)
    first_day = first.to_numpy()
    # states as row numbers of `states`, so a convention's pool is a mask; a code missing from `states`
    # gets -1, which reads the False appended to every mask (the pool never holds it)
    codes = pd.Index(states["iso3"])
    spell_state, first_state = codes.get_indexer(spells["iso3"]), codes.get_indexer(first.index)
    existed_to = ordinals(states["existed_to_latest"])
    for i, row in kept.iterrows():
        day = measuring_day(row)
        d = ordinal(day)
        pool = np.append(_pool_mask(states, row, day, existed_to), False)
        counted = np.zeros(len(pool), dtype=bool)
        if row["quantity"] == "in_force":
            counted[spell_state[(s_start <= d) & (s_end > d)]] = True
        else:
            counted[first_state[first_day <= d]] = True
        counted &= pool
        derived = int(counted.sum())
        low = high = derived
        if band is not None and row["quantity"] == "in_force":
            # the band counts every state; shift it by what the convention leaves out
            left_out = int(stock_on(spells[~pool[spell_state]], [day])[0])
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
            "explanation": (explain(diff, counted[spell_state], pool[spell_state], spells, (s_start, s_end), row["quantity"], day)
                            if abs(diff) > EXPLAIN_ABOVE else ""),
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
    return [measuring_day(row) for _, row in compared(published, as_of).iterrows()]


def explain(diff: int, counted: np.ndarray, in_pool: np.ndarray, spells: pd.DataFrame, spell_days: tuple[np.ndarray, np.ndarray],
            quantity: str, day: date) -> str:
    """The states nearest in time to `day` whose status would close the gap: when the source counts
    more, states the data do not count on that day but do within NEAR_YEARS; when it counts fewer,
    states the data count whose relations began within NEAR_YEARS before it. `counted` and `in_pool`
    say, spell by spell, whether its state is counted on the day and whether the convention counts it;
    `spell_days` are the spells' starts and ends as day numbers (an ongoing spell's end the far future)."""
    lo, hi = ordinal(date(day.year - NEAR_YEARS, 1, 1)), ordinal(date(day.year + NEAR_YEARS, 12, 31))
    d = ordinal(day)
    iso3s, starts, ends = spells["iso3"].to_numpy(), spells["start"].to_numpy(), spells["end"].to_numpy()
    start, end = spell_days
    near = []
    if diff > 0:
        # a spell that begins after the day, or (relations in force only) ended before it
        begins = in_pool & ~counted & (start > d) & (start <= hi)
        ended = in_pool & ~counted & ~begins & (lo <= end) & (end <= d) & (quantity == "in_force")
        near += [(int(start[i]) - d, iso3s[i], f"from {starts[i].isoformat()}") for i in np.flatnonzero(begins)]
        near += [(d - int(end[i]), iso3s[i], f"until {ends[i].isoformat()}") for i in np.flatnonzero(ended)]
    elif diff < 0:
        began = in_pool & counted & (lo <= start) & (start <= d)
        near += [(d - int(start[i]), iso3s[i], f"from {starts[i].isoformat()}") for i in np.flatnonzero(began)]
    near = sorted(set(near))[: abs(diff)]
    side = "not counted by the data on that day" if diff > 0 else "counted by the data, relations begun shortly before"
    return f"{side}, nearest in time: " + ", ".join(f"{iso3} ({when})" for _, iso3, when in near) if near else f"{side}: no state within {NEAR_YEARS} years"
